import Foundation
import Testing
import Training
import Weights

/// The checkpoints the fuzzer started from and found (Tests/fuzz/checkpoint-fixtures,
/// scripts/fuzz_weights.sh: a 4-byte little-endian length n, n bytes of state.json, then
/// model.safetensors), replayed with the harness's checks: each either reads back into a
/// checkpoint whose files, written again, read back the same, or is refused with a one-line message.
@Suite struct CheckpointFuzzFixtureTests {
    static func files(_ c: Checkpoint<LSAModel>) throws -> (weights: [UInt8], state: Data) {
        (SafeTensors.encode(c.model.namedTensors, metadata: c.metadata), Data((try JSONStyle.text(c.state) + "\n").utf8))
    }

    @Test func fuzzFixtures() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fuzz/checkpoint-fixtures")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(names.count >= 10)
        for name in names {
            let bytes = Array(try Data(contentsOf: directory.appendingPathComponent(name)))
            var n = 0
            for i in 0..<min(4, bytes.count) { n |= Int(bytes[i]) << (8 * i) }
            let stateEnd = min(bytes.count, min(4, bytes.count) + n)
            do {
                let checkpoint = try Checkpoint<LSAModel>(weightsFile: Array(bytes[stateEnd...]), stateFile: Data(bytes[min(4, bytes.count)..<stateEnd]))
                #expect(name.hasPrefix("seed-"), "\(name) is broken but reads")
                let written = try Self.files(checkpoint)
                let again = try Checkpoint<LSAModel>(weightsFile: written.weights, stateFile: written.state)
                #expect(try Self.files(again) == written, "\(name)")
            } catch {
                #expect(!name.hasPrefix("seed-"), "\(name) is valid but refused: \(error)")
                let message = "\(error)"
                #expect(error is TrainingError, "\(name): \(message)")
                #expect(message.allSatisfy { !$0.isNewline }, "\(name): \(message.debugDescription)")
                #expect(!message.contains("Error("), "\(name): \(message)")
            }
        }
    }

    /// Sizes whose products overflow are refused, not trapped on.
    @Test func overflowingSizesRefused() {
        #expect(throws: ModelError.self) { try LSAModelConfig(inputDimension: Int.max, contextCount: 1).validate() }
        #expect(throws: ModelError.self) { try LSAModelConfig(inputDimension: 1 << 31, contextCount: 1, layers: 1 << 20).validate() }
        #expect(throws: TaskError.self) { try TaskDistribution(inputDimension: 1 << 32, contextCount: 1, inputs: .gaussian(covariance: [1])).validate() }
    }
}
