import Foundation
import Testing
import Weights

/// The inputs the safetensors fuzzer started from and found (Tests/fuzz/safetensors-fixtures,
/// scripts/fuzz_weights.sh), replayed with the harness's checks: each either decodes into
/// tensors that read back the same after writing them again, or is refused with a one-line message.
@Suite struct SafeTensorsFuzzFixtureTests {
    @Test func fuzzFixtures() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fuzz/safetensors-fixtures")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(files.count >= 10)
        for file in files {
            let bytes = Array(try Data(contentsOf: directory.appendingPathComponent(file)))
            do {
                let decoded = try SafeTensors.decode(bytes)
                #expect(!file.hasPrefix("broken-"), "\(file) is broken but decodes")
                let again = try SafeTensors.decode(SafeTensors.encode(decoded.tensors, metadata: decoded.metadata))
                #expect(again.metadata == decoded.metadata, "\(file)")
                #expect(again.tensors.mapValues { $0.values.map(\.bitPattern) } == decoded.tensors.mapValues { $0.values.map(\.bitPattern) }, "\(file)")
                #expect(again.tensors.mapValues(\.shape) == decoded.tensors.mapValues(\.shape), "\(file)")
            } catch {
                #expect(!file.hasPrefix("seed-"), "\(file) is valid but refused: \(error)")
                #expect(error.description.allSatisfy { !$0.isNewline }, "\(file): \(error.description.debugDescription)")
            }
        }
    }

    /// A tensor of no values may share its offset with the next tensor (the writer puts it
    /// there); ten such pairs, so a reader that orders the spans by their start alone (ties in
    /// the header's arbitrary order) fails all but once in 2^10.
    @Test func emptyTensorBesideAnother() throws {
        var tensors = ["z": SafeTensors.Tensor(shape: [0, 4], values: []), "{": SafeTensors.Tensor(shape: [], values: [2])]
        for k in 0..<10 {
            tensors["t\(k)"] = SafeTensors.Tensor(shape: [1], values: [Double(k)])
            tensors["t\(k)-empty"] = SafeTensors.Tensor(shape: [2, 0], values: [])
        }
        #expect(try SafeTensors.decode(SafeTensors.encode(tensors)).tensors == tensors)
    }

    /// Names quoted in messages keep them one line.
    @Test func controlCharactersEscaped() {
        #expect("a\nb\t\u{2028}c'".escapingControlCharacters == "a\\nb\\t\\u{2028}c'")
        #expect("layers.0.heads.0.W_K".escapingControlCharacters == "layers.0.heads.0.W_K")
    }
}
