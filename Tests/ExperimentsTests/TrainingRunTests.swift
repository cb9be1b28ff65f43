@testable import Experiments
import Foundation
import Optim
import Testing
import Training

func temporaryDirectory() -> String { NSTemporaryDirectory() + "icl-train-\(UUID().uuidString)" }

func smallConfig(steps: Int, lr: Double = 1e-2) -> LSATrainingConfig {
    LSATrainingConfig(model: LSAModelConfig(inputDimension: 2, contextCount: 6, layers: 2),
                   tasks: TaskDistribution(inputDimension: 2, contextCount: 6),
                   optimizer: OptimizerConfig(kind: .adam, schedule: .constant(value: lr)), batchSize: 32, steps: steps, seed: 3)
}

@Suite struct TrainingRunTests {
    /// A run stopped after a checkpoint and resumed from its directory ends with the same bytes
    /// (weights, optimiser state) and the same metrics as an uninterrupted run.
    @Test func resumedDirectoryEqualsUninterrupted() throws {
        let a = temporaryDirectory(), b = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: a); try? FileManager.default.removeItem(atPath: b) }
        _ = try TrainRun.run(TrainRequest(config: smallConfig(steps: 40), directory: a, checkpointEvery: 10, logEvery: 1, validationTasks: 100))
        _ = try TrainRun.run(TrainRequest(config: smallConfig(steps: 25), directory: b, checkpointEvery: 10, logEvery: 1, validationTasks: 100))
        let report = try TrainRun.run(TrainRequest(config: smallConfig(steps: 40), directory: b, checkpointEvery: 10, logEvery: 1, resume: true, validationTasks: 100))
        #expect(report.resumedFrom == 25)
        for file in ["checkpoint/model.safetensors", "checkpoint/state.json"] {
            #expect(FileManager.default.contents(atPath: a + "/" + file) == FileManager.default.contents(atPath: b + "/" + file), "\(file) differs")
        }
        func losses(_ dir: String) throws -> [String] {
            try String(contentsOfFile: dir + "/metrics.jsonl", encoding: .utf8).split(separator: "\n").map { line in
                String(line.split(separator: ",").first { $0.hasPrefix("\"loss\"") }!)
            }
        }
        #expect(try losses(a) == losses(b))
        #expect(try losses(a).count == 40)
    }

    /// Metrics logged after the last checkpoint (a run stopped by a non-finite loss writes them)
    /// are dropped on resume: the resumed run logs those steps again, each exactly once, and
    /// the log equals the uninterrupted run's.
    @Test func resumeDropsMetricsAfterTheCheckpoint() throws {
        let a = temporaryDirectory(), b = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: a); try? FileManager.default.removeItem(atPath: b) }
        _ = try TrainRun.run(TrainRequest(config: smallConfig(steps: 30), directory: a, checkpointEvery: 100, logEvery: 1, validationTasks: 10))
        _ = try TrainRun.run(TrainRequest(config: smallConfig(steps: 20), directory: b, checkpointEvery: 100, logEvery: 1, validationTasks: 10))
        let later = try String(contentsOfFile: a + "/metrics.jsonl", encoding: .utf8).split(separator: "\n").dropFirst(20).prefix(5)
        #expect(later.count == 5)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: b + "/metrics.jsonl"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(later.map { $0 + "\n" }.joined().utf8))
        try handle.close()
        _ = try TrainRun.run(TrainRequest(config: smallConfig(steps: 30), directory: b, checkpointEvery: 100, logEvery: 1, resume: true, validationTasks: 10))
        func steps(_ dir: String) throws -> [Int] { RunDirectory(dir).readMetrics().map(\.step) }
        #expect(try steps(b) == Array(0..<30))
        #expect(try steps(a) == steps(b))
    }

    /// The summary's `meanTrainingLossLastTenth` is the mean loss over the last logged tenth of the
    /// run and `lastTrainingLoss` the last logged loss: recomputed from metrics.jsonl read with
    /// `JSONSerialization`.
    @Test func meanTrainingLossLastTenthIsTheMeanOfTheLastTenth() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let report = try TrainRun.run(TrainRequest(config: smallConfig(steps: 60), directory: dir, logEvery: 1, validationTasks: 10))
        let losses = try String(contentsOfFile: dir + "/metrics.jsonl", encoding: .utf8).split(separator: "\n").map { line in
            try #require((try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["loss"] as? Double)
        }
        #expect(losses.count == 60)
        let tail = losses.suffix(6)
        let mean = tail.reduce(0, +) / 6
        #expect(abs(try #require(report.meanTrainingLossLastTenth.value) - mean) <= 1e-15 * mean)
        #expect(abs(losses.prefix(6).reduce(0, +) / 6 - mean) > 0.1 * mean, "the first and last tenths differ, so the slice matters")
        #expect(abs(try #require(report.lastTrainingLoss.value) - losses.last!) <= 1e-15 * losses.last!)
        #expect(losses.last != mean)
    }

    /// Requests that cannot run are refused before anything is written.
    @Test func badRequestsLeaveNothingBehind() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(throws: TrainRunError.self) { try TrainRun.run(TrainRequest(config: smallConfig(steps: 5), directory: dir, resume: true)) }
        #expect(!FileManager.default.fileExists(atPath: dir))
        var bad = smallConfig(steps: 5)
        bad.batchSize = 0
        #expect(throws: TrainRunError.self) { try TrainRun.run(TrainRequest(config: bad, directory: dir)) }
        #expect(!FileManager.default.fileExists(atPath: dir))
        // A corrupt checkpoint is named as such; a used directory is not overwritten.
        _ = try TrainRun.run(TrainRequest(config: smallConfig(steps: 5), directory: dir, validationTasks: 10))
        #expect(throws: TrainRunError.self) { try TrainRun.run(TrainRequest(config: smallConfig(steps: 5), directory: dir)) }
        try Data("{".utf8).write(to: URL(fileURLWithPath: dir + "/checkpoint/state.json"))
        do {
            _ = try TrainRun.run(TrainRequest(config: smallConfig(steps: 9), directory: dir, resume: true))
            Issue.record("resumed from a corrupt checkpoint")
        } catch let error as TrainRunError {
            #expect(error.description.contains("is corrupt"))
        }
    }

    /// A diverging run stops with the step and the last finite loss; the checkpoint before it stays readable.
    @Test func divergingRunStops() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var config = smallConfig(steps: 300)
        config.optimizer = OptimizerConfig(kind: .sgd, schedule: .constant(value: 1e4))
        do {
            _ = try TrainRun.run(TrainRequest(config: config, directory: dir, checkpointEvery: 1000))
            Issue.record("the run did not diverge")
        } catch let error as TrainingError {
            guard case .nonFinite = error else { Issue.record("\(error)"); return }
        }
        let state = try #require(FileManager.default.contents(atPath: dir + "/checkpoint/state.json"))
        let weights = try #require(FileManager.default.contents(atPath: dir + "/checkpoint/model.safetensors"))
        let checkpoint: Checkpoint<LSAModel> = try RunDirectory.checkpoint(weights: Array(weights), state: state)
        #expect(checkpoint.step == 0)
        #expect(throws: TrainingError.self) { let _: Checkpoint<LSAModel> = try RunDirectory.checkpoint(weights: Array(weights), state: Data("{}".utf8)) }
        #expect(throws: TrainingError.self) { let _: Checkpoint<LSAModel> = try RunDirectory.checkpoint(weights: [1, 2, 3], state: state) }
    }

    /// The reproductions run end to end on tiny settings and write their files with the contract keys.
    @Test func reproductionsWriteTheirFiles() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var vo = VonOswaldRequest()
        (vo.steps, vo.batchSize, vo.validationTasks, vo.testTasks, vo.curvePoints, vo.directory) = (20, 64, 300, 300, 4, dir + "/vo")
        let report = try VonOswaldRun.run(vo)
        #expect(report.etaStar > 0 && report.trainedLoss.isFinite)
        for f in ["alignment.csv", "alignment.svg", "weights.svg", "model.safetensors", "summary.json"] {
            #expect(FileManager.default.fileExists(atPath: dir + "/vo/" + f), "von-oswald did not write \(f)")
        }
        let json = try JSONSerialization.jsonObject(with: Data(try jsonText(report).utf8)) as! [String: Any]
        for key in ["etaStar", "gdLoss", "trainedLoss", "predsDiff", "modelCos", "modelDiff"] { #expect(json[key] is Double, "\(key)") }
        #expect(try String(contentsOfFile: dir + "/vo/alignment.csv", encoding: .utf8).split(separator: "\n").count == 1 + 5)  // steps 0, 5, 10, 15, 20

        var go = GaussianOptimumRequest()
        (go.steps, go.batchSize, go.testTasks, go.directory) = (10, 32, 200, dir + "/go")
        let g = try GaussianOptimumRun.run(go)
        #expect(g.cases.map(\.name) == ["random", "isotropic"])
        #expect(abs(g.cases[1].closedFormTestError - 30.0 / 26) < 1e-12)

        var ml = MultilayerRequest()
        (ml.layers, ml.steps, ml.batchSize, ml.validationTasks, ml.testTasks) = ([2], 5, 32, 300, 300)
        let m = try MultilayerRun.run(ml)
        #expect(m.rows.map(\.layers) == [2] && m.rows[0].gdPlusPlusLoss <= m.rows[0].gdLoss * (1 + 1e-9))
    }

    /// Per-seed summaries of one experiment aggregate to the mean and the t interval of each
    /// numeric field; booleans, strings and lists of numbers are skipped (each element counts
    /// with `elements`); records in a list are named by `name` or `layers`.
    @Test func aggregateSeeds() throws {
        let dir = temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func write(_ name: String, _ text: String) throws -> String {
            try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/" + name))
            return dir + "/" + name
        }
        let s0 = try write("s0.json", #"{"zeroLoss": 1, "ok": true, "rows": [{"layers": 2, "x": 10}], "name": "a", "seed": 1, "steps": 5, "curve": [1, 2]}"#)
        let s1 = try write("s1.json", #"{"zeroLoss": 3, "ok": false, "rows": [{"layers": 2, "x": 20}], "name": "b", "seed": 2, "steps": 5, "curve": [3, 4]}"#)
        let a = try SeedAggregate(paths: [s0, s1])
        #expect(Set(a.metrics.keys) == ["zeroLoss", "rows.layers=2.layers", "rows.layers=2.x", "seed", "steps"])
        #expect(a.metrics["zeroLoss"]!.mean == 2 && a.metrics["rows.layers=2.x"]!.mean == 15)
        let e = try SeedAggregate(paths: [s0, s1], elements: true)
        #expect(e.metrics["curve.1"]!.mean == 3 && e.metrics.count == a.metrics.count + 2)
        #expect(throws: AggregateError.duplicate(s0, of: s0)) { _ = try SeedAggregate(paths: [s0, s0]) }
        let again = try write("again.json", #"{"zeroLoss": 5, "rows": [{"layers": 2, "x": 1}], "seed": 1, "steps": 5}"#)
        #expect(throws: AggregateError.repeatedSeed(1, again, of: s0)) { _ = try SeedAggregate(paths: [s0, again]) }
        let longer = try write("longer.json", #"{"zeroLoss": 5, "rows": [{"layers": 2, "x": 1}], "seed": 3, "steps": 6}"#)
        #expect(throws: AggregateError.differentSettings(longer, s0, "steps")) { _ = try SeedAggregate(paths: [s0, longer]) }
        let vo = try write("vo.json", #"{"etaStar": 1, "gdLoss": 1, "trainedLoss": 1, "seed": 3, "steps": 5}"#)
        #expect(throws: AggregateError.mixed(vo, .vonOswald, s0, .multilayer)) { _ = try SeedAggregate(paths: [s0, vo]) }
        let empty = try write("empty.json", "{}")
        #expect(throws: AggregateError.notASummary(empty)) { _ = try SeedAggregate(paths: [empty]) }
        let list = try write("list.json", "[1]")
        #expect(throws: AggregateError.notJSON(list)) { _ = try SeedAggregate(paths: [list]) }
        // With a `setting`, runs must agree on it but the seed and the version; the `experiment`
        // field names the kind (here a multilayer summary that also has von-oswald's keys).
        func setting(seed: Int, batch: Int, version: String) -> String {
            #""setting": {"experiment": "multilayer", "version": "\#(version)", "d": 10, "N": 10, "dy": 1, "inputs": "uniform", "noise": 0, "seed": \#(seed), "steps": 5, "batchSize": \#(batch)}"#
        }
        func multilayer(_ name: String, seed: Int, batch: Int, version: String = "1") throws -> String {
            try write(name, #"{"experiment": "multilayer", "etaStar": 1, "gdLoss": 1, "trainedLoss": 1, "zeroLoss": 1, "rows": [], "seed": \#(seed), "steps": 5, \#(setting(seed: seed, batch: batch, version: version))}"#)
        }
        let m1 = try multilayer("m1.json", seed: 1, batch: 64), m2 = try multilayer("m2.json", seed: 2, batch: 64, version: "2")
        #expect(try SeedAggregate(paths: [m1, m2]).metrics["setting.seed"]!.mean == 1.5)
        let m3 = try multilayer("m3.json", seed: 3, batch: 32)
        #expect(throws: AggregateError.differentSettings(m3, m1, "setting (all but the seed and version)")) { _ = try SeedAggregate(paths: [m1, m3]) }
        #expect(throws: AggregateError.mixed(vo, .vonOswald, m1, .multilayer)) { _ = try SeedAggregate(paths: [m1, vo]) }
    }

    /// The mean of values near the largest double is finite (the sums are scaled), and an
    /// interval that leaves the double range is refused rather than printed as inf or nan.
    @Test func aggregateNearTheDoubleRange() throws {
        let big = 1.7e308
        let m = MeanInterval([big, big])
        #expect(m.mean == big && m.standardDeviation == 0 && m.lower == big && m.upper == big)
        let spread = MeanInterval([big, -big])
        #expect(spread.mean == 0)
        let dir = temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let paths = try ["1.7e308", "1.6e308"].enumerated().map { i, loss in
            let path = dir + "/h\(i).json"
            try Data(#"{"etaStar": 1, "gdLoss": 1, "trainedLoss": \#(loss), "seed": \#(i), "steps": 5}"#.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
        #expect(throws: AggregateError.overflow(metric: "trainedLoss")) { _ = try SeedAggregate(paths: paths) }
    }
}
