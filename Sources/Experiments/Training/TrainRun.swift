import Figures
import Foundation
import Optim
import Training

/// `icl train`: a training run of an LSA in a directory (`RunDirectory`: config.json,
/// metrics.jsonl, checkpoint/model.safetensors and state.json, summary.json), with
/// checkpoints and metrics. A checkpoint is written every
/// `checkpointEvery` steps and at the end, with the metrics up to it, so a run killed at any time
/// resumes from its last checkpoint and ends bit for bit as an uninterrupted run.
public struct TrainRequest: Sendable {
    public var config: LSATrainingConfig
    public var directory: String
    /// Steps between checkpoints (default: a tenth of the run).
    public var checkpointEvery: Int?
    /// Steps between metrics lines (default: a thousandth of the run).
    public var logEvery: Int?
    /// Continue the run in `directory` from its checkpoint (its settings; `steps` may extend it).
    public var resume: Bool
    /// Tasks for the final validation loss.
    public var validationTasks: Int

    /// Tasks of the final validation loss unless a request says otherwise.
    public static let defaultValidationTasks = 10_000

    public init(config: LSATrainingConfig, directory: String, checkpointEvery: Int? = nil, logEvery: Int? = nil, resume: Bool = false,
                validationTasks: Int = defaultValidationTasks) {
        self.config = config
        self.directory = directory
        self.checkpointEvery = checkpointEvery
        self.logEvery = logEvery
        self.resume = resume
        self.validationTasks = validationTasks
    }
}

/// A training run that cannot start: the message names the directory or the file.
public struct TrainRunError: Error, Equatable, CustomStringConvertible {
    public var description: String
    /// The directory holds a run already (it may be resumed instead).
    public var existingRun: Bool
    public init(_ description: String, existingRun: Bool = false) { (self.description, self.existingRun) = (description, existingRun) }
}

/// One logged step of `metrics.jsonl`.
public struct MetricsLine: Codable, Equatable, Sendable {
    public var step: Int
    public var loss: Double
    public var gradientNorm: Double
    public var learningRate: Double
    /// Wall-clock seconds since the run (or its resumption) started.
    public var seconds: Double
}

/// The result of `icl train` (also `DIR/summary.json`).
public struct TrainReport: Codable, Sendable {
    public var directory: String
    public var steps: Int
    public var resumedFrom: Int?
    /// The mean training loss over the last logged tenth of the run.
    public var finalTrainingLoss: JSONNumber
    /// The loss on `validationTasks` fresh tasks (Philox purpose "validation").
    public var validationLoss: JSONNumber
    /// The zero predictor's loss on the same tasks, `mean y^2 / 2`.
    public var zeroPredictorLoss: JSONNumber
    public var validationTasks: Int
    public var seconds: Double
    public var stepsPerSecond: Double
    public var parameterCount: Int
    public var config: LSATrainingConfig
    /// The report for a terminal.
    public var text: String = ""

    enum CodingKeys: String, CodingKey {
        case directory, steps, resumedFrom, finalTrainingLoss, validationLoss, zeroPredictorLoss, validationTasks, seconds,
             stepsPerSecond, parameterCount, config
    }
}

public enum TrainRun {
    /// Runs (or resumes) the training of `request`; `progress` is called after every step.
    /// Throws `TrainRunError` before anything is written when the request cannot run (a used or
    /// unwritable directory, a missing or corrupt checkpoint), `TrainingError.nonFinite` when the
    /// loss turns NaN or infinite (the last checkpoint and its metrics stay), `OutputError` when a
    /// write fails.
    public static func run(_ request: TrainRequest, progress: (ProgressEvent) -> Void = { _ in }) throws -> TrainReport {
        let directory = RunDirectory(request.directory)
        let dir = request.directory
        var config = request.config
        let trainer: Trainer<LSAModel>
        var metrics: [MetricsLine] = []
        var resumedFrom: Int?
        if request.resume {
            var checkpoint: Checkpoint<LSAModel> = try directory.readCheckpoint()
            if request.config.steps > checkpoint.config.steps { checkpoint.config.steps = request.config.steps }
            config = checkpoint.config
            var resumed = request
            resumed.config = config
            do { try resumed.estimate.check(maxSeconds: .infinity) } catch {
                throw TrainRunError("the run in '\(dir)' \(error)")
            }
            do { trainer = try Trainer(checkpoint) } catch { throw TrainRunError("cannot resume from '\(directory.checkpointPath)': \(error)") }
            metrics = directory.readMetrics().filter { $0.step < checkpoint.step }
            resumedFrom = checkpoint.step
        } else {
            if directory.hasCheckpointState {
                throw TrainRunError("'\(dir)' already holds a run (\(RunDirectory.checkpointName)/state.json)", existingRun: true)
            }
            do { trainer = try Trainer(config) } catch { throw TrainRunError("\(error)") }
            do { try directory.writeConfig(config) } catch { throw TrainRunError("\(error)") }
        }

        let checkpointEvery = request.checkpointEvery ?? max(1, config.steps / 10)
        let logEvery = request.logEvery ?? max(1, config.steps / 1000)
        let start = Date()
        let startStep = trainer.step
        if resumedFrom == nil { try directory.writeCheckpoint(Checkpoint(trainer), metrics: metrics) }
        do {
            try trainer.run { record, elapsed in
                if record.step % logEvery == 0 || trainer.isFinished {
                    metrics.append(MetricsLine(step: record.step, loss: record.loss, gradientNorm: record.gradientNorm,
                                               learningRate: record.learningRate, seconds: elapsed))
                }
                progress(.training("train", step: trainer.step, of: config.steps, loss: record.loss))
                if trainer.step % checkpointEvery == 0 && !trainer.isFinished { try directory.writeCheckpoint(Checkpoint(trainer), metrics: metrics) }
            }
        } catch let error as TrainingError {
            try? directory.writeMetrics(metrics)
            throw error
        }
        try directory.writeCheckpoint(Checkpoint(trainer), metrics: metrics)
        let seconds = Date().timeIntervalSince(start)

        let validation = config.tasks.batch(seed: config.seed, purpose: .validation, step: 0, tasks: request.validationTasks)
        let validationLoss = LSAKernel(shape: config.model.shape).loss(trainer.model.folded(), validation)
        let zero = validation.targets.reduce(0) { $0 + $1 * $1 } / Double(2 * validation.targets.count)
        let tail = metrics.suffix(max(1, metrics.count / 10))
        let finalLoss = tail.isEmpty ? nil : tail.reduce(0) { $0 + $1.loss } / Double(tail.count)
        var report = TrainReport(directory: dir, steps: config.steps, resumedFrom: resumedFrom, finalTrainingLoss: JSONNumber(finalLoss),
                                 validationLoss: JSONNumber(validationLoss), zeroPredictorLoss: JSONNumber(zero),
                                 validationTasks: request.validationTasks, seconds: seconds,
                                 stepsPerSecond: Double(config.steps - startStep) / max(seconds, 1e-9),
                                 parameterCount: config.model.parameterCount, config: config)
        report.text = [
            "trained \(config.model.layers) layer(s) x \(config.model.heads) head(s), d = \(config.model.inputDimension), N = \(config.model.contextCount), \(config.model.parameterCount) parameters",
            TextTable.keyValues([
                ("steps", "\(config.steps)" + (resumedFrom.map { " (resumed at \($0))" } ?? "")),
                ("final training loss", formatCell(finalLoss)),
                ("validation loss", formatCell(validationLoss) + "  (\(request.validationTasks) tasks)"),
                ("zero predictor", formatCell(zero)),
                ("time", String(format: "%.1f s, %.0f steps/s", seconds, report.stepsPerSecond)),
            ]),
            "wrote \(dir)/checkpoint/model.safetensors, state.json, metrics.jsonl, summary.json",
        ].joined(separator: "\n")
        try directory.writeSummary(report)
        return report
    }
}
