import Foundation
import Testing
import Weights

/// The readers against files written by NumPy and the `safetensors` package
/// (Fixtures/validate/readers, made by make_readers.py with the values it wrote in expected.json),
/// and one malformed file per error (Fixtures/validate/malformed, its README says what each
/// message must name).
@Suite struct TensorFileTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func fixture(_ path: String) -> String { root.appendingPathComponent("Fixtures/validate/\(path)").path }

    struct Expected: Decodable { var dtype: String; var shape: [Int]; var values: [Double] }

    /// Every array NumPy and safetensors wrote reads back with its shape and its values bit for bit
    /// (float16 and bfloat16 converted exactly; big-endian and Fortran order converted).
    @Test func readersMatchWhatNumPyWrote() throws {
        let expected = try JSONDecoder().decode([String: Expected].self,
                                                from: Data(contentsOf: URL(fileURLWithPath: Self.fixture("readers/expected.json"))))
        #expect(expected.count >= 17)
        var formats: Set<String> = []
        for (key, want) in expected {
            let parts = key.split(separator: "#").map(String.init)
            let file = try TensorFile(path: Self.fixture("readers/\(parts[0])"))
            formats.insert(file.format.rawValue)
            let name = parts.count == 2 ? parts[1] : String(parts[0].dropLast(4))
            let tensor = try #require(file.tensors[name], "\(key): tensors \(file.tensors.keys.sorted())")
            #expect(tensor.shape == want.shape, "\(key)")
            #expect(tensor.values.map(\.bitPattern) == want.values.map(\.bitPattern), "\(key): \(tensor.values) vs \(want.values)")
        }
        #expect(formats == ["npy", "npz", "safetensors"])
    }

    /// Each malformed file is refused with one line naming what its README says it must name.
    @Test(arguments: [
        ("truncated.safetensors", ["tensor 'b'", "[16, 28]", "20 data bytes"]),
        ("header_length_lies.safetensors", ["248", "148 bytes"]),
        ("header_too_big.safetensors", ["200000000", "32 bytes"]),
        ("header_not_object.safetensors", ["[8, 16)", "not a JSON object"]),
        ("overlap.safetensors", ["tensor 'b'", "[12, 24)", "tensor 'a'", "16"]),
        ("gap.safetensors", ["[16, 20)", "no tensor"]),
        ("wrong_shape.safetensors", ["tensor 'a'", "[3, 3]", "36 bytes", "[0, 16]"]),
        ("i64.safetensors", ["tensor 'a'", "I64"]),
        ("f8.safetensors", ["tensor 'a'", "F8_E4M3"]),
        ("bool.safetensors", ["tensor 'a'", "BOOL"]),
        ("npy_truncated.npy", ["[4, 4]", "128", "64"]),
        ("npy_bad_magic.npy", ["[0, 6)", "magic"]),
        ("npy_i8.npy", ["<i8"]),
        ("npy_header_not_dict.npy", ["not a dict"]),
        ("npy_object.npy", ["|O"]),
        ("not_npz.zip", ["readme.txt", "not a .npy"]),
        ("npz_truncated.npz", ["end-of-central-directory"]),
        ("npz_bad_member.npz", ["a.npy", "magic"]),
    ])
    func malformedFileIsRefused(file: String, mustName: [String]) {
        do {
            let read = try TensorFile(path: Self.fixture("malformed/\(file)"))
            Issue.record("\(file) was read: \(read.tensors.keys.sorted())")
        } catch {
            #expect(!error.description.contains("\n"), "\(file): \(error)")
            for part in mustName { #expect(error.description.contains(part), "\(file): '\(error)' does not name \(part)") }
        }
    }

    /// An .npz member may not declare more bytes than deflate can make of the archive (a zip bomb's header).
    @Test func npzMemberDeclaringTooMuchIsRefused() throws {
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Self.fixture("readers/savez.npz"))))
        // The central directory's "uncompressed size" field of the first member (offset 24 in its record).
        let signature: [UInt8] = [0x50, 0x4b, 0x01, 0x02]
        let start = try #require((0..<(bytes.count - 4)).first { Array(bytes[$0..<($0 + 4)]) == signature })
        for k in 0..<4 { bytes[start + 24 + k] = 0xff }
        #expect(throws: TensorFileError.self) { try TensorFile(bytes: bytes, extension: "npz") }
    }

    /// A stored member with one data byte changed fails its CRC-32.
    @Test func npzMemberWithAChangedByteIsRefused() throws {
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Self.fixture("readers/savez.npz"))))
        #expect((try? TensorFile(bytes: bytes, extension: "npz")) != nil)
        let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
        let start = try #require((0..<(bytes.count - 6)).first { Array(bytes[$0..<($0 + 6)]) == magic })
        bytes[start + 128 + 3] ^= 0x10   // inside the first member's data (after its 128-byte header)
        do { _ = try TensorFile(bytes: bytes, extension: "npz"); Issue.record("read") } catch {
            #expect(error.description.contains("is corrupt") && error.description.contains("CRC-32 differs"), "\(error)")
        }
    }

    /// A wrong CRC-32 in the central directory is caught for a stored member (read in place) and a
    /// deflated one (read through ZIPFoundation).
    @Test(arguments: ["savez.npz", "savez_compressed.npz"])
    func npzWrongChecksumIsRefused(file: String) throws {
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Self.fixture("readers/\(file)"))))
        let signature: [UInt8] = [0x50, 0x4b, 0x01, 0x02]
        let start = try #require((0..<(bytes.count - 4)).first { Array(bytes[$0..<($0 + 4)]) == signature })
        bytes[start + 16] ^= 0x01   // the central directory's CRC-32 of the first member
        do { _ = try TensorFile(bytes: bytes, extension: "npz"); Issue.record("\(file) read") } catch {
            #expect(error.description.contains("is corrupt") && error.description.contains("CRC-32 differs"), "\(file): \(error)")
        }
    }

    /// Fortran order is undone for any rank: a 2 x 3 x 4 array written column-major reads back row-major.
    @Test func fortranOrderOfRankThree() throws {
        let shape = [2, 3, 4]
        var columnMajor = [Double](repeating: 0, count: 24)
        for i in 0..<2 { for j in 0..<3 { for k in 0..<4 { columnMajor[i + 2 * j + 6 * k] = Double(100 * i + 10 * j + k) } } }
        let header = "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3, 4), }"
        var text = Array(header.utf8)
        while (10 + text.count + 1) % 64 != 0 { text.append(0x20) }
        text.append(0x0a)
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(text.count & 0xff), UInt8(text.count >> 8)] + text
        for x in columnMajor { withUnsafeBytes(of: x.bitPattern.littleEndian) { bytes += $0 } }
        let t = try #require(try TensorFile(bytes: bytes, name: "f").tensors["f"])
        #expect(t.shape == shape)
        var rowMajor: [Double] = []
        for i in 0..<2 { for j in 0..<3 { for k in 0..<4 { rowMajor.append(Double(100 * i + 10 * j + k)) } } }
        #expect(t.values == rowMajor)
    }
}
