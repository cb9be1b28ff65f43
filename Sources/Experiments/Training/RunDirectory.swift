import Foundation
import Training
import Weights

/// The one writer and reader of a training run's directory:
///
///     DIR/config.json                   the run's `TrainingConfig`
///     DIR/run.json                      the run's identity and its checkpoint and log cadence (`RunIdentity`)
///     DIR/metrics.jsonl                 one `MetricsLine` per logged step (JSON lines)
///     DIR/checkpoint/model.safetensors  the weights (`TrainableModel.namedTensors`, F64) with the step in the metadata
///     DIR/checkpoint/state.json         the optimiser state, the step and the config (`CheckpointState`)
///     DIR/checkpoint/run.json           a copy of DIR/run.json: the run the checkpoint belongs to
///     DIR/summary.json                  the final report
///     DIR/.lock                         `flock`ed by the one process writing the run; holds its pid (`RunLock`)
///
/// The directory is created whole: its first contents are staged beside it and published with
/// one rename (`DirectoryPublication`). Each checkpoint is one directory, staged inside DIR and
/// exchanged with the previous one in one rename, so its files are always of one step; the
/// metrics and the config are written (atomically, `writeAtomically`) before it, so a run killed
/// between the two resumes from the older checkpoint and rewrites the lines after it.
struct RunDirectory {
    let path: String
    static let checkpointName = "checkpoint"
    static let identityName = "run.json"

    init(_ path: String) { self.path = path }

    var checkpointPath: String { (path as NSString).appendingPathComponent(Self.checkpointName) }
    var statePath: String { (checkpointPath as NSString).appendingPathComponent("state.json") }
    var weightsPath: String { (checkpointPath as NSString).appendingPathComponent("model.safetensors") }
    var checkpointIdentityPath: String { (checkpointPath as NSString).appendingPathComponent(Self.identityName) }
    var identityPath: String { (path as NSString).appendingPathComponent(Self.identityName) }
    var metricsPath: String { (path as NSString).appendingPathComponent("metrics.jsonl") }
    var configPath: String { (path as NSString).appendingPathComponent("config.json") }

    /// The weights file of `model` at `step` (its tensors by name; the step and the model's
    /// conventions as metadata).
    static func weightsFile<Model: TrainableModel>(_ model: Model, step: Int) -> Data {
        Data(SafeTensors.encode(model.namedTensors, metadata: ["step": String(step)].merging(model.weightsMetadata) { a, _ in a }))
    }

    /// The checkpoint's files (and the run's identity, when it has one).
    static func checkpointFiles<Model: TrainableModel>(_ checkpoint: Checkpoint<Model>, identity: RunIdentity?) throws -> [(name: String, bytes: Data)] {
        var files = [("model.safetensors", Data(SafeTensors.encode(checkpoint.model.namedTensors, metadata: checkpoint.metadata))),
                     ("state.json", Data((try JSONStyle.text(checkpoint.state) + "\n").utf8))]
        if let identity { files.append((identityName, Data((try JSONStyle.text(identity) + "\n").utf8))) }
        return files
    }

    /// A checkpoint from its two files' bytes, checked for consistency (`Checkpoint(weightsFile:stateFile:)`).
    static func checkpoint<Model: TrainableModel>(weights: [UInt8], state: Data) throws(TrainingError) -> Checkpoint<Model> {
        try Checkpoint(weightsFile: weights, stateFile: state)
    }

    var hasCheckpointState: Bool { FileManager.default.fileExists(atPath: statePath) }

    /// Throws unless the checkpoint's two files exist.
    func requireCheckpointFiles() throws(TrainRunError) {
        let fm = FileManager.default
        guard fm.fileExists(atPath: statePath), fm.fileExists(atPath: weightsPath) else {
            throw TrainRunError("no checkpoint to resume in '\(path)' (expected \(Self.checkpointName)/state.json and \(Self.checkpointName)/model.safetensors)")
        }
    }

    /// The checkpoint in this directory, or an error naming what is missing or wrong.
    func readCheckpoint<Model: TrainableModel>() throws(TrainRunError) -> Checkpoint<Model> {
        let fm = FileManager.default
        try requireCheckpointFiles()
        guard let state = fm.contents(atPath: statePath), let weights = fm.contents(atPath: weightsPath) else {
            throw TrainRunError("cannot read the checkpoint in '\(checkpointPath)'", cause: .output)
        }
        do { return try Self.checkpoint(weights: Array(weights), state: state) } catch {
            throw TrainRunError("the checkpoint in '\(checkpointPath)' is corrupt: \(error)")
        }
    }

    /// `DIR/run.json` or `checkpoint/run.json` (nil when absent: a run written before run ids).
    func readIdentity(atPath file: String) throws(TrainRunError) -> RunIdentity? {
        guard FileManager.default.fileExists(atPath: file) else { return nil }
        guard let data = FileManager.default.contents(atPath: file) else { throw TrainRunError("cannot read '\(file)'", cause: .output) }
        do { return try JSONStyle.decode(RunIdentity.self, from: data) } catch {
            throw TrainRunError("'\(file)' is corrupt: \(JSONStyle.describe(error))")
        }
    }

    /// The config in `DIR/config.json` (nil when absent).
    func readConfig<Model: TrainableModel>() throws(TrainRunError) -> TrainingConfig<Model>? {
        guard FileManager.default.fileExists(atPath: configPath) else { return nil }
        guard let data = FileManager.default.contents(atPath: configPath) else { throw TrainRunError("cannot read '\(configPath)'", cause: .output) }
        do { return try JSONStyle.decode(TrainingConfig<Model>.self, from: data) } catch {
            throw TrainRunError("'\(configPath)' is corrupt: \(JSONStyle.describe(error))")
        }
    }

    /// The new run's directory, published whole: its config, identity, empty metrics, the
    /// step-0 checkpoint and the lock file, locked by this process before it appears. Throws
    /// `TrainRunError` (`existingRun`) when a run got there first.
    static func create<Model: TrainableModel>(_ path: String, checkpoint: Checkpoint<Model>, identity: RunIdentity) throws -> (RunDirectory, RunLock) {
        let files: [(name: String, bytes: Data)] = [
            ("config.json", Data((try JSONStyle.text(checkpoint.config) + "\n").utf8)),
            (identityName, Data((try JSONStyle.text(identity) + "\n").utf8)),
            ("metrics.jsonl", Data()),
            (RunLock.fileName, Data()),
        ]
        let staging = try DirectoryPublication.stage(beside: path, files: files)
        let lock: RunLock
        do {
            lock = try RunLock(directory: staging)
            let checkpointDirectory = (staging as NSString).appendingPathComponent(checkpointName)
            guard mkdir(checkpointDirectory, 0o755) == 0 else {
                throw OutputError.cannotWrite(path: checkpointDirectory, reason: String(cString: strerror(errno)))
            }
            for file in try checkpointFiles(checkpoint, identity: identity) {
                try DirectoryPublication.writeFile((checkpointDirectory as NSString).appendingPathComponent(file.name), file.bytes)
            }
        } catch {
            DirectoryPublication.discard(staging)
            throw error
        }
        // A plain rename: it replaces nothing but an empty directory, so of two runs started at
        // once into one directory exactly one gets it.
        let (status, reason): (Int32, Int32) = Interruptions.critical {
            let status = rename(staging, path)
            if status == 0 { TemporaryFiles.forget(staging) }
            return (status, errno)
        }
        guard status == 0 else {
            DirectoryPublication.discard(staging)
            if reason == ENOTEMPTY || reason == EEXIST {
                try RunLock.checkFree(path)   // names the holder if the other run still writes
                throw TrainRunError("'\(path)' already holds a run or other files", existingRun: true)
            }
            throw OutputError.cannotWrite(path: path, reason: String(cString: strerror(reason)))
        }
        return (RunDirectory(path), lock)
    }

    /// The metrics and the config up to the checkpoint, then the checkpoint as one directory.
    func writeCheckpoint<Model: TrainableModel>(_ checkpoint: Checkpoint<Model>, metrics: [MetricsLine], identity: RunIdentity?) throws {
        try writeAtomically(directory: path, files: [("metrics.jsonl", try Self.metricsText(metrics)), ("config.json", try JSONStyle.text(checkpoint.config) + "\n")])
        let files = try Self.checkpointFiles(checkpoint, identity: identity)
        try Interruptions.critical { () throws(OutputError) in
            try DirectoryPublication.install(try DirectoryPublication.stage(beside: checkpointPath, files: files), as: checkpointPath)
        }
    }

    func writeMetrics(_ metrics: [MetricsLine]) throws {
        try writeAtomically(directory: path, files: [("metrics.jsonl", try Self.metricsText(metrics))])
    }

    func writeSummary(_ report: some Encodable) throws {
        try writeAtomically(directory: path, files: [("summary.json", try JSONStyle.text(report) + "\n")])
    }

    /// The metrics log, one JSON line per logged step.
    static func metricsText(_ lines: [MetricsLine]) throws -> String {
        let encoder = JSONStyle.LineEncoder()
        return try lines.map { try encoder.line($0) + "\n" }.joined()
    }

    /// The metrics log as far as it can be read (lines that do not parse are skipped).
    func readMetrics() -> [MetricsLine] {
        guard let text = try? String(contentsOfFile: metricsPath, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONStyle.decode(MetricsLine.self, from: Data($0.utf8)) }
    }
}

/// `DIR/run.json`: which run a directory and its checkpoint belong to (a random id drawn when
/// the run is created), and the cadence settings that `--resume` restores (nil: the default
/// for the run's length).
struct RunIdentity: Codable, Equatable {
    var runId: String
    var checkpointEvery: Int?
    var logEvery: Int?
}
