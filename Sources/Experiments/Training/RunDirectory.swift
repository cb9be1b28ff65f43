import Foundation
import Training
import Weights

/// The one writer and reader of a training run's directory:
///
///     DIR/config.json                   the run's `TrainingConfig`
///     DIR/metrics.jsonl                 one `MetricsLine` per logged step (JSON lines)
///     DIR/checkpoint/model.safetensors  the weights (`TrainableModel.namedTensors`, F64) with the step in the metadata
///     DIR/checkpoint/state.json         the optimiser state, the step and the config (`CheckpointState`)
///     DIR/summary.json                  the final report
///
/// Every file is written atomically (`writeAtomically`), in the project's one JSON style.
struct RunDirectory {
    let path: String
    static let checkpointName = "checkpoint"

    init(_ path: String) { self.path = path }

    var checkpointPath: String { (path as NSString).appendingPathComponent(Self.checkpointName) }
    var statePath: String { (checkpointPath as NSString).appendingPathComponent("state.json") }
    var weightsPath: String { (checkpointPath as NSString).appendingPathComponent("model.safetensors") }
    var metricsPath: String { (path as NSString).appendingPathComponent("metrics.jsonl") }

    /// The weights file of `model` at `step` (its tensors by name; the step and the model's
    /// conventions as metadata).
    static func weightsFile<Model: TrainableModel>(_ model: Model, step: Int) -> Data {
        Data(SafeTensors.encode(model.namedTensors, metadata: ["step": String(step)].merging(Model.tensorMetadata) { a, _ in a }))
    }

    /// The checkpoint's two files.
    static func checkpointFiles<Model: TrainableModel>(_ checkpoint: Checkpoint<Model>) throws -> [(name: String, bytes: Data)] {
        [("model.safetensors", Data(SafeTensors.encode(checkpoint.model.namedTensors, metadata: checkpoint.metadata))),
         ("state.json", Data((try JSONStyle.text(checkpoint.state) + "\n").utf8))]
    }

    /// A checkpoint from its two files' bytes, checked for consistency.
    static func checkpoint<Model: TrainableModel>(weights: [UInt8], state: Data) throws(TrainingError) -> Checkpoint<Model> {
        let s: CheckpointState<Model>
        do { s = try JSONStyle.decode(CheckpointState<Model>.self, from: state) } catch {
            throw .checkpoint("the state file is not a checkpoint state: \(error)")
        }
        let decoded: (tensors: [String: SafeTensors.Tensor], metadata: [String: String])
        do { decoded = try SafeTensors.decode(weights) } catch { throw .checkpoint("the weights file: \(error)") }
        return try Checkpoint(state: s, tensors: decoded.tensors, metadata: decoded.metadata)
    }

    var hasCheckpointState: Bool { FileManager.default.fileExists(atPath: statePath) }

    /// The checkpoint in this directory, or an error naming what is missing or wrong.
    func readCheckpoint<Model: TrainableModel>() throws(TrainRunError) -> Checkpoint<Model> {
        let fm = FileManager.default
        guard fm.fileExists(atPath: statePath), fm.fileExists(atPath: weightsPath) else {
            throw TrainRunError("no checkpoint to resume in '\(path)' (expected \(Self.checkpointName)/state.json and \(Self.checkpointName)/model.safetensors)")
        }
        guard let state = fm.contents(atPath: statePath), let weights = fm.contents(atPath: weightsPath) else {
            throw TrainRunError("cannot read the checkpoint in '\(checkpointPath)'")
        }
        do { return try Self.checkpoint(weights: Array(weights), state: state) } catch {
            throw TrainRunError("the checkpoint in '\(checkpointPath)' is corrupt: \(error)")
        }
    }

    /// The checkpoint, then the metrics up to it and the config.
    func writeCheckpoint<Model: TrainableModel>(_ checkpoint: Checkpoint<Model>, metrics: [MetricsLine]) throws {
        try writeAtomically(directory: checkpointPath, data: try Self.checkpointFiles(checkpoint))
        try writeAtomically(directory: path, files: [("metrics.jsonl", try Self.metricsText(metrics)), ("config.json", try JSONStyle.text(checkpoint.config) + "\n")])
    }

    func writeConfig(_ config: some Encodable) throws {
        try writeAtomically(directory: path, files: [("config.json", try JSONStyle.text(config) + "\n")])
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
