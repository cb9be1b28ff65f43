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

    /// The arrays of an `.npz` file, by name (the member name without `.npy`).
    public static func decode(_ bytes: [UInt8]) throws(TensorFileError) -> [String: SafeTensors.Tensor] { try decode(Data(bytes)) }

    /// The same, from `Data` (a memory-mapped file is not copied).
    public static func decode(_ bytes: Data) throws(TensorFileError) -> [String: SafeTensors.Tensor] {
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
            var content: [UInt8] = []
            let declared = Int(entry.uncompressedSize)
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
            let name = String(entry.path.dropLast(4))
            guard tensors[name] == nil else { throw .malformed("npz member '\(member)' appears twice") }
            tensors[name] = try NumPyArray.decode(content, name: "npz member '\(entry.path)'")
        }
        guard !tensors.isEmpty else { throw .malformed("the .npz archive holds no arrays") }
        return tensors
    }
}
