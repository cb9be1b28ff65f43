import Foundation
import Testing
import Weights

/// The inputs the `TensorFile` fuzzer started from and found (Tests/fuzz/tensorfile-fixtures,
/// scripts/fuzz_weights.sh), replayed with the harness's checks: each either decodes into tensors
/// whose element counts are their shapes' products, or is refused with a one-line message.
/// `seed-*` (the reader fixtures of Fixtures/validate) must decode, `broken-*` (the malformed
/// ones, and the archives that crashed or leaked in ZIPFoundation) must be refused; `found-*`,
/// inputs the fuzzer found, may do either.
@Suite struct TensorFileFuzzFixtureTests {
    @Test func fuzzFixtures() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fuzz/tensorfile-fixtures")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(files.filter { $0.hasPrefix("seed-") }.count >= 10)
        #expect(files.filter { $0.hasPrefix("broken-") }.count >= 10)
        for file in files {
            let bytes = Array(try Data(contentsOf: directory.appendingPathComponent(file)))
            do {
                let decoded = try TensorFile(bytes: bytes)
                #expect(!file.hasPrefix("broken-"), "\(file) is broken but decodes")
                #expect(!decoded.tensors.isEmpty, "\(file)")
                for (name, t) in decoded.tensors {
                    let (count, overflow) = t.shape.reduce((1, false)) { acc, k in
                        let (p, o) = acc.0.multipliedReportingOverflow(by: k)
                        return (p, acc.1 || o)
                    }
                    #expect(!overflow && count == t.values.count && t.shape.allSatisfy { $0 >= 0 },
                            "\(file): tensor \(name.debugDescription) has shape \(t.shape) and \(t.values.count) values")
                }
            } catch {
                #expect(!file.hasPrefix("seed-"), "\(file) is valid but refused: \(error)")
                let message = error.description
                #expect(!message.isEmpty && message.allSatisfy { !$0.isNewline }, "\(file): \(message.debugDescription)")
                #expect(!message.contains("Error(") && !message.contains("Error."), "\(file): \(message)")
            }
        }
    }

    /// What the archive check refuses before ZIPFoundation reads it, by name.
    @Test func archiveStructureMessages() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fuzz/tensorfile-fixtures")
        let expected = [
            "broken-npz-no-end-record": "no end-of-central-directory record (truncated?) in its 35 bytes",
            "broken-npz-central-directory-past-end": "central directory entry 0 at byte 65536 is not inside",
            "broken-npz-local-header-past-end": "local header at byte 65536 is not inside",
            "broken-npz-member-past-end": "data at byte 35 runs past the end",
        ]
        for (file, words) in expected {
            let bytes = Array(try Data(contentsOf: directory.appendingPathComponent(file)))
            #expect(throws: TensorFileError.self, "\(file)") { try TensorFile(bytes: bytes) }
            do { _ = try TensorFile(bytes: bytes) } catch { #expect(error.description.contains(words), "\(file): \(error.description)") }
        }
    }
}
