import CZlibSystem
import Foundation
import ZIPFoundation

/// NumPy's `.npz` format, as `np.savez` (stored) and `np.savez_compressed` (deflated) write it:
/// a zip archive whose members are `.npy` files, `name.npy` holding the array `name`. Read
/// through ZIPFoundation. Every member must be a `.npy` array; its CRC-32 is checked; a member
/// may not inflate to more than its declared size, nor declare more than deflate can produce
/// from the archive's bytes (1032 to 1), so a small file cannot make the reader allocate much.
public enum NumPyArchive {
    /// Deflate's largest expansion: 258 bytes from about 2 bits.
    static let maxInflation = 1032

    /// Whether `bytes` start like a zip archive (a local file header).
    public static func looksLikeZip(_ bytes: some Collection<UInt8>) -> Bool { bytes.starts(with: [0x50, 0x4b, 0x03, 0x04]) }

    /// ZIPFoundation (0.9.20) trusts the archive's offsets: its in-memory file traps on a read from
    /// past the end (a central directory or local header placed there), a 64-bit offset may trap on
    /// conversion, and it leaks the archive when it finds no end record. So the structure it will
    /// walk is checked here first, on the same records it reads: its end-of-central-directory
    /// record (the last `PK\x05\x06` at least 22 bytes before the end, with its comment inside
    /// the file), then every central-directory entry and the local header and data it points to,
    /// all inside the file. Refused, beyond what NumPy writes below 2 GiB: ZIP64 records and
    /// fields, data descriptors. Also returns where each stored (uncompressed) member's data lies,
    /// by member name, so it is read in place rather than copied out through ZIPFoundation.
    static func structure(_ bytes: UnsafeRawBufferPointer) -> (problem: TensorFileError?, stored: [String: Range<Int>]) {
        var stored: [String: Range<Int>] = [:]
        func problem(_ error: TensorFileError) -> (problem: TensorFileError?, stored: [String: Range<Int>]) { (error, [:]) }
        func u16(_ i: Int) -> Int { Int(bytes[i]) | Int(bytes[i + 1]) << 8 }
        func u32(_ i: Int) -> Int { u16(i) | u16(i + 2) << 16 }
        func signature(_ i: Int, _ b: UInt8, _ c: UInt8) -> Bool { i + 4 <= bytes.count && bytes[i..<(i + 4)].elementsEqual([0x50, 0x4b, b, c]) }
        guard bytes.count >= 22, let end = stride(from: bytes.count - 22, through: 0, by: -1).first(where: { signature($0, 5, 6) }),
              end + 22 + u16(end + 20) <= bytes.count else {
            return problem(.malformed("not an .npz file: the zip archive has no end-of-central-directory record (truncated?) in its \(bytes.count) bytes"))
        }
        guard !(end > 20 && signature(end - 20, 6, 7)) else { return problem(.unsupported("the .npz file is a ZIP64 archive (as written from 2 GiB or 65536 members up), which is not read")) }
        var entry = u32(end + 16)
        for k in 0..<u16(end + 10) {
            guard entry + 46 <= bytes.count, signature(entry, 1, 2) else {
                return problem(.malformed("not an .npz file: zip central directory entry \(k) at byte \(entry) is not inside the \(bytes.count)-byte file"))
            }
            let (nameLength, extraLength, commentLength) = (u16(entry + 28), u16(entry + 30), u16(entry + 32))
            let (compressed, uncompressed, local) = (u32(entry + 20), u32(entry + 24), u32(entry + 42))
            guard entry + 46 + nameLength + extraLength + commentLength <= bytes.count else {
                return problem(.malformed("not an .npz file: zip central directory entry \(k) at byte \(entry) runs past the end of the \(bytes.count)-byte file"))
            }
            var o = 0, zip64 = false                     // ZIPFoundation's walk of the extra field
            let extra = entry + 46 + nameLength
            while o < extraLength - 4 {
                let next = o + 4 + u16(extra + o + 2)
                guard next <= extraLength else { break }
                if u16(extra + o) == 1 { zip64 = true }
                o = next
            }
            guard !zip64, compressed != 0xffff_ffff, uncompressed != 0xffff_ffff, local != 0xffff_ffff else {
                return problem(.unsupported("zip central directory entry \(k) of the .npz file has ZIP64 sizes or offsets, which are not read"))
            }
            guard u16(entry + 8) & 0x08 == 0 else { return problem(.unsupported("zip central directory entry \(k) of the .npz file uses a data descriptor, which is not read")) }
            guard local + 30 <= bytes.count, signature(local, 3, 4) else {
                return problem(.malformed("not an .npz file: zip entry \(k)'s local header at byte \(local) is not inside the \(bytes.count)-byte file"))
            }
            let data = local + 30 + u16(local + 26) + u16(local + 28)
            guard data + compressed <= bytes.count, u16(local + 8) != 0 || data + uncompressed <= bytes.count else {
                return problem(.malformed("not an .npz file: zip entry \(k)'s data at byte \(data) runs past the end of the \(bytes.count)-byte file"))
            }
            if u16(entry + 10) == 0, compressed == uncompressed, let name = String(validating: bytes[(entry + 46)..<(entry + 46 + nameLength)], as: UTF8.self) {
                guard stored[name] == nil else { return problem(.malformed("npz member '\(name.escapingControlCharacters)' appears twice")) }
                stored[name] = data..<(data + compressed)        // method 0: the member's bytes as they are
            }
            entry += 46 + nameLength + extraLength + commentLength
        }
        return (nil, stored)
    }

    /// The arrays of an `.npz` file, by name (the member name without `.npy`).
    public static func decode(_ bytes: [UInt8]) throws(TensorFileError) -> [String: SafeTensors.Tensor] { try decode(Data(bytes)) }

    /// The same, from `Data` (a memory-mapped file is not copied).
    public static func decode(_ bytes: Data) throws(TensorFileError) -> [String: SafeTensors.Tensor] {
        let (problem, stored) = bytes.withUnsafeBytes(structure)
        if let problem { throw problem }
        let archive: Archive
        do { archive = try Archive(data: bytes, accessMode: .read) } catch Archive.ArchiveError.missingEndOfCentralDirectoryRecord {
            throw .malformed("not an .npz file: the zip archive has no end-of-central-directory record (truncated?) in its \(bytes.count) bytes")
        } catch {
            throw .malformed("not an .npz file: the zip archive cannot be opened (\(error))")
        }
        var tensors: [String: SafeTensors.Tensor] = [:]
        let limit = UInt64(bytes.count).multipliedReportingOverflow(by: UInt64(maxInflation)).partialValue
        for entry in archive {
            let member = entry.path.escapingControlCharacters
            guard entry.type == .file, entry.path.hasSuffix(".npy") else {
                throw .malformed("not an .npz file: member '\(member)' is not a .npy array")
            }
            guard entry.uncompressedSize <= limit, entry.uncompressedSize <= UInt64(Int.max) else {
                throw .malformed("npz member '\(member)' declares \(entry.uncompressedSize) bytes, more than a \(bytes.count)-byte archive can hold")
            }
            let name = String(entry.path.dropLast(4))
            guard tensors[name] == nil else { throw .malformed("npz member '\(member)' appears twice") }
            let declared = Int(entry.uncompressedSize)
            if !entry.isCompressed, let range = stored[entry.path], range.count == declared {
                // Stored: the CRC-32 and the array straight from the archive's bytes.
                let read = bytes.withUnsafeBytes { raw in
                    Result { () throws(TensorFileError) -> SafeTensors.Tensor in
                        let slice = UnsafeRawBufferPointer(rebasing: raw[range])
                        let checksum = UInt32(crc32(0, slice.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt32(slice.count)))
                        guard checksum == entry.checksum else { throw .malformed("npz member '\(member)' is corrupt (CRC-32 differs)") }
                        return try NumPyArray.decode(raw: slice, name: "npz member '\(entry.path)'")
                    }
                }
                tensors[name] = try read.get()
                continue
            }
            var content: [UInt8] = []
            do {
                // The CRC-32 by zlib over the whole member (ZIPFoundation's own, without zlib on Linux, is a byte loop).
                _ = try archive.extract(entry, bufferSize: 1 << 20, skipCRC32: true) { chunk in
                    guard content.count + chunk.count <= declared else { throw TensorFileError.malformed("npz member '\(member)' inflates past its declared \(declared) bytes") }
                    content.append(contentsOf: chunk)
                }
            } catch let error as TensorFileError { throw error } catch {
                throw .malformed("npz member '\(member)' cannot be extracted (\(error))")
            }
            let checksum = content.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, UInt32(exactly: $0.count) ?? 0)) }
            guard content.count == declared, content.count <= Int(UInt32.max), checksum == entry.checksum else {
                throw .malformed("npz member '\(member)' is corrupt (\(content.count) of \(declared) bytes, CRC-32 \(checksum == entry.checksum ? "matches" : "differs"))")
            }
            tensors[name] = try NumPyArray.decode(content, name: "npz member '\(entry.path)'")
        }
        guard !tensors.isEmpty else { throw .malformed("the .npz archive holds no arrays") }
        return tensors
    }
}
