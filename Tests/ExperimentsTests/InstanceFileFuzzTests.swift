import Constructions
import Experiments
import Foundation
import Linalg
import Testing

/// A random driver for the instance reader: valid instance files mutated byte by byte and token
/// by token (flips, deletions, insertions, duplications, splices of JSON fragments, extreme
/// numbers). Every input must be read or refused with an `InstanceFileError`: no trap, no
/// other error, and a file that is read has consistent shapes. `make fuzz` runs it for
/// minutes (`ICL_FUZZ_SECONDS`); the test suite runs a few thousand inputs.
@Suite struct InstanceFileFuzzTests {
    static let seeds = [
        #"{"x": [[1, 0.5], [-0.25, 2], [0.75, -1]], "y": [[1], [-2], [0.5]], "xQuery": [0.3, -0.7], "W0": [[0.5, -0.25]]}"#,
        #"{"x": [["1/3", "-2/7"]], "y": [["5"]], "xQuery": ["0.125", "1e-3"], "preconditioner": [[1, 0], [0, 2]], "eta": "1/2", "gamma": 0.1}"#,
        #"{"x": [[1e308, -1e-308]], "y": [[4.9e-324]], "xQuery": [9007199254740993, -9223372036854775808]}"#,
    ]
    static let fragments = ["[", "]", "{", "}", ",", ":", "\"", "1e400", "-0", "null", "true", "\"1/0\"", "\"nan\"", "[[", "]]",
                            "\"x\"", "\"W0\"", "99999999999999999999999", "0.", ".5", "\\u0000", "\u{FFFF}", "[]", "{}", " "]

    /// Runs `count` mutated inputs from `seed`; returns (read, refused).
    static func run(count: Int, seed: UInt64) -> (Int, Int) {
        let random = RandomSource(seed: seed)
        var read = 0, refused = 0
        for _ in 0..<count {
            var bytes = Array(seeds[random.int(in: 0...(seeds.count - 1))].utf8)
            for _ in 0..<random.int(in: 1...4) {
                let at = random.int(in: 0...max(bytes.count - 1, 0))
                switch random.int(in: 0...5) {
                case 0: if !bytes.isEmpty { bytes[at] ^= UInt8(1 << random.int(in: 0...7)) }
                case 1: if !bytes.isEmpty { bytes.removeSubrange(at..<min(bytes.count, at + random.int(in: 1...8))) }
                case 2: bytes.insert(contentsOf: Array(fragments[random.int(in: 0...(fragments.count - 1))].utf8), at: min(at, bytes.count))
                case 3: if !bytes.isEmpty { let end = min(bytes.count, at + random.int(in: 1...16)); bytes.insert(contentsOf: bytes[at..<end], at: end) }
                case 4: bytes.insert(UInt8(random.int(in: 0...255)), at: min(at, bytes.count))
                default: if !bytes.isEmpty { bytes = Array(bytes[..<at]) }
                }
            }
            do {
                let file = try InstanceFile(json: Data(bytes), name: "fuzz")
                #expect(file.task.x.cols == file.task.y.cols && file.task.xQuery.rows == file.task.x.rows)
                #expect(file.initialWeights.rows == file.task.y.rows && file.initialWeights.cols == file.task.x.rows)
                read += 1
            } catch {
                refused += 1
                #expect(!error.description.isEmpty)
            }
        }
        return (read, refused)
    }

    @Test func mutatedInstanceFilesAreReadOrRefused() {
        let seconds = Double(ProcessInfo.processInfo.environment["ICL_FUZZ_SECONDS"] ?? "") ?? 0
        let start = Date()
        var seed: UInt64 = 1, read = 0, refused = 0
        repeat {
            let (r, f) = Self.run(count: 3000, seed: seed)
            (read, refused, seed) = (read + r, refused + f, seed + 1)
        } while Date().timeIntervalSince(start) < seconds
        print("instance fuzz: \(read + refused) inputs (\(read) read, \(refused) refused) in \(Int(Date().timeIntervalSince(start))) s")
        #expect(read > 0 && refused > 0)
    }
}
