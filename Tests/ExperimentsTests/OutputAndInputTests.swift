import Constructions
import Experiments
import Foundation
import Linalg
import Testing

/// Results are written whole or not at all; instance files are read or refused with a
/// message that names the entry.
@Suite struct OutputAndInputTests {
    @Test func atomicWriteCreatesEveryFile() throws {
        let dir = NSTemporaryDirectory() + "icl-atomic-\(UUID().uuidString)/nested"
        defer { try? FileManager.default.removeItem(atPath: (dir as NSString).deletingLastPathComponent) }
        try writeAtomically(directory: dir, files: [("a.txt", "one"), ("b.txt", "two")])
        #expect(try String(contentsOfFile: dir + "/a.txt", encoding: .utf8) == "one")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["a.txt", "b.txt"])
    }

    @Test func failedWriteLeavesNoTemporaryFile() throws {
        let dir = NSTemporaryDirectory() + "icl-atomic-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // "b.txt" is a non-empty directory, so the rename onto it fails.
        try FileManager.default.createDirectory(atPath: dir + "/b.txt/inside", withIntermediateDirectories: true)
        #expect(throws: OutputError.self) { try writeAtomically(directory: dir, files: [("a.txt", "one"), ("b.txt", "two")]) }
        let names = try FileManager.default.contentsOfDirectory(atPath: dir)
        #expect(!names.contains { $0.contains(".tmp-") }, "left behind: \(names)")
    }

    @Test func failedWriteOfALaterFileRemovesTheEarlierTemporaries() throws {
        let dir = NSTemporaryDirectory() + "icl-atomic-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The second file's temporary lies in a directory that does not exist: its write fails
        // after the first file's temporary was written.
        #expect(throws: OutputError.cannotWrite(path: dir + "/.missing/b.txt.tmp-\(getpid())", reason: "No such file or directory")) {
            try writeAtomically(directory: dir, files: [("a.txt", "one"), ("missing/b.txt", "two")])
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: dir)
        #expect(names.isEmpty, "left behind: \(names)")
    }

    @Test func directoryUnderAFileIsRefused() throws {
        let file = NSTemporaryDirectory() + "icl-file-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: file) }
        try "x".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(throws: OutputError.cannotCreateDirectory(file + "/sub")) {
            try writeAtomically(directory: file + "/sub", files: [("a.txt", "one")])
        }
    }

    @Test func instanceFileReadsExactNumbers() throws {
        let text = #"{"x": [[1, "1/3"], [0.5, -2]], "y": [[1], ["-1.25"]], "xQuery": [1, 2], "W0": [[0, 1]], "eta": "1/2"}"#
        let file = try InstanceFile(json: Data(text.utf8))
        #expect(file.task.x == Matrix([[Rational(1), Rational(1, 2)], [Rational(1, 3), Rational(-2)]]))
        #expect(file.task.y == Matrix([[Rational(1), Rational(-5, 4)]]))
        #expect(file.eta == Rational(1, 2) && file.gamma == nil && file.preconditioner == nil)
    }

    @Test(arguments: [
        (#"{"x": [[1, 2], [3]], "y": [[1], [2]], "xQuery": [1, 2]}"#, "x is ragged: row 0 has 2 entries, row 1 has 1"),
        (#"{"x": [[1, 2]], "y": [[1], [2]], "xQuery": [1, 2]}"#, "y has 2 rows but x has 1"),
        (#"{"x": [], "y": [], "xQuery": []}"#, "N = 0"),
        (#"{"x": [[1, "nan"]], "y": [[1]], "xQuery": [1, 2]}"#, "x[0][1]: 'nan' is not a number or p/q"),
        (#"{"x": [[1, 2]], "y": [[1]], "xQuery": [1, 2], "W0": [[1, 2, 3]]}"#, "W0 is 1 x 3, expected d_y x d_x = 1 x 2"),
        (#"{"x": [[1, 2]], "y": [[1]], "xQuery": [1]}"#, "xQuery has 1 entries, expected d_x = 2"),
        (#"{"x": [[1, 2]], "y": [[1]]}"#, "xQuery: missing"),
        (#"{"x": [[1, 2]], "y": [[1]], "xQuery": [1, 2], "w0": [[1, 2]]}"#, "unknown key 'w0'"),
        (#"{"x": [[1, 2]], "y": [[true]], "xQuery": [1, 2]}"#, "y[0][0]"),
        (#"{"x": [[1, 2]]"#, "is not valid JSON"),
        (#"[1, 2]"#, "the top level must be an object"),
        (#"{"x": 3, "y": [[1]], "xQuery": [1]}"#, "x: expected a list of rows"),
    ])
    func badInstanceFilesNameTheProblem(text: String, message: String) {
        do {
            _ = try InstanceFile(json: Data(text.utf8), name: "t.json")
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.description.contains(message), "\(text): got '\(error)', expected '\(message)'")
        }
    }

    @Test func shardReportsMergeToTheWholeRun() throws {
        let whole = VerifyReport.run(theorems: [.lsaGD, .dualForm], instances: 12, seed: 3, exact: false, shard: .whole)
        let parts = (0..<3).map { VerifyReport.run(theorems: [.lsaGD, .dualForm], instances: 12, seed: 3, exact: false, shard: Shard(index: $0, count: 3)) }
        let merged = try VerifyReport.merge(parts)
        #expect(merged.results.map(\.instances) == whole.results.map(\.instances))
        #expect(merged.results.map(\.maxError) == whole.results.map(\.maxError))
        #expect(merged.passed && merged.shard == "0/3+1/3+2/3")
        let exact = VerifyReport.run(theorems: [.lsaGD], instances: 2, seed: 3, exact: true, shard: .whole)
        #expect(throws: MergeError.mixedRuns) { try VerifyReport.merge([exact] + parts) }
        #expect(whole.table.contains("all checks held"))
    }

    /// A shard given twice, overlapping, missing, or from another run is refused by name.
    @Test func mergeRefusesBadShardSets() throws {
        func part(_ i: Int, of n: Int, instances: Int = 12, seed: UInt64 = 3) -> VerifyReport {
            VerifyReport.run(theorems: [.lsaGD], instances: instances, seed: seed, exact: false, shard: Shard(index: i, count: n))
        }
        let (a, b, c) = (part(0, of: 3), part(1, of: 3), part(2, of: 3))
        #expect(throws: MergeError.duplicateShard("1/3", "report 2", "report 4")) { try VerifyReport.merge([a, b, c, b]) }
        #expect(throws: MergeError.incomplete(missing: ["2/3"])) { try VerifyReport.merge([a, b]) }
        #expect(throws: MergeError.mixedSplits("0/3", "1/2")) { try VerifyReport.merge([a, part(1, of: 2), c]) }
        #expect(throws: MergeError.mixedInstanceCounts) { try VerifyReport.merge([a, b, part(2, of: 3, instances: 13)]) }
        #expect(throws: MergeError.mixedRuns) { try VerifyReport.merge([a, b, part(2, of: 3, seed: 4)]) }
        // A shard of an earlier version (no instanceDraws: scheme 1, polar normals) drew other
        // instances under the same seeds.
        var older = c
        older.instanceDraws = nil
        #expect(throws: MergeError.mixedDraws(Verifier.instanceDraws, 1)) { try VerifyReport.merge([a, b, older]) }
        #expect(a.instanceDraws == Verifier.instanceDraws && older.drawScheme == 1)
        let ab = try JSONDecoder().decode(VerifyReport.self, from: Data(jsonText(VerifyReport(
            passed: true, exact: false, seed: 3, shard: "0/3+1/3", requestedInstances: 12,
            results: [TheoremSummary.merge([a.results[0], b.results[0]])!])).utf8))
        #expect(throws: MergeError.duplicateShard("1/3", "report 1", "report 2")) { try VerifyReport.merge([ab, b, c]) }
        #expect(try VerifyReport.merge([ab, c]).results[0].instances == 12)
        var forged = c
        forged.results[0].instances = Int.max
        #expect(throws: MergeError.wrongCount("report 3", theorem: "lsa-gd", got: Int.max, expected: 4)) { try VerifyReport.merge([a, b, forged]) }
    }

    /// No instance is no evidence, and different seeds check different instances.
    @Test func emptyRunsDoNotHoldAndSeedsMatter() {
        let empty = VerifyReport.run(theorems: [.lsaGD], instances: 3, seed: 1, exact: false, shard: Shard(index: 5, count: 10))
        #expect(!empty.passed && empty.results[0].instances == 0 && empty.table.contains("NOT verified"))
        let one = VerifyReport.run(theorems: [.lsaGD, .dualForm], instances: 20, seed: 1, exact: false, shard: .whole)
        let two = VerifyReport.run(theorems: [.lsaGD, .dualForm], instances: 20, seed: 2, exact: false, shard: .whole)
        #expect(one.results.map(\.maxError) != two.results.map(\.maxError))
        let seeds = Set((0..<100).map { Verifier.instanceSeed(masterSeed: 1, theorem: .lsaGD, index: $0) })
        #expect(seeds.count == 100)
        #expect(Verifier.instanceSeed(masterSeed: 1, theorem: .lsaGD, index: 0) != Verifier.instanceSeed(masterSeed: 2, theorem: .lsaGD, index: 0))
        #expect(Verifier.instanceSeed(masterSeed: 1, theorem: .lsaGD, index: 0) != Verifier.instanceSeed(masterSeed: 1, theorem: .lsaPGD, index: 0))
    }

    @Test func exactConstructionPredictsAsGD() throws {
        let text = #"{"x": [[1, 0.5], [-0.25, 2], [0.75, -1]], "y": [[1], [-2], [0.5]], "xQuery": [0.3, -0.7], "W0": [[0.5, -0.25]]}"#
        var request = ConstructRequest()
        request.exact = true
        request.layers = 3
        let report = try ConstructReport(try InstanceFile(json: Data(text.utf8)), request)
        #expect(report.prediction.lsa == report.prediction.gd)
        #expect(report.weights.count == 3)
        request.plusPlus = true
        #expect(throws: ConstructError.plusPlusNeedsGamma) { try ConstructReport(try InstanceFile(json: Data(text.utf8)), request) }
    }
}
