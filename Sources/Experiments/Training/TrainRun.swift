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
    /// Why: the request does not fit the directory (bad input), another process writes the
    /// run, or a file cannot be read or written.
    public enum Cause: Sendable { case input, busy, output }
    public var description: String
    /// The directory holds a run already (it may be resumed instead).
    public var existingRun: Bool
    public var cause: Cause
    public init(_ description: String, existingRun: Bool = false, cause: Cause = .input) {
        (self.description, self.existingRun, self.cause) = (description, existingRun, cause)
    }
}

/// What a run directory holds, for a caller that checks a resume request against it.
public struct ResumableRun: Sendable {
    /// The checkpoint's config (its `steps` is the run's length).
    public var config: LSATrainingConfig
    /// The checkpoint's step.
    public var step: Int
    /// The cadences the run was started with (nil: the default for the run's length).
    public var checkpointEvery: Int?
    public var logEvery: Int?
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
    public var meanTrainingLossLastTenth: JSONNumber
    /// The training loss of the last logged step.
    public var lastTrainingLoss: JSONNumber
    /// The loss on `validationTasks` fresh tasks (Philox purpose "validation").
    public var validationLoss: JSONNumber
    /// The zero predictor's loss on the same tasks, `mean y^2 / 2`.
    public var zeroPredictorLoss: JSONNumber
    public var validationTasks: Int
    public var seconds: Double
    public var stepsPerSecond: Double
    public var parameterCount: Int
    public var config: LSATrainingConfig
    public var experiment = "train"
    public var setting: RunSetting
    /// The report for a terminal.
    public var text: String = ""

    enum CodingKeys: String, CodingKey {
        case directory, steps, resumedFrom, meanTrainingLossLastTenth, lastTrainingLoss, validationLoss, zeroPredictorLoss, validationTasks,
             seconds, stepsPerSecond, parameterCount, config, experiment, setting
    }
}

public enum TrainRun {
    /// The run in `directory`, checked to be one run: the checkpoint's files of one step, its
    /// run id (`checkpoint/run.json`) that of the directory (`run.json`), its config that of
    /// `config.json` but for the length. Throws `TrainRunError` naming what is missing or
    /// does not match.
    public static func inspect(directory dir: String) throws(TrainRunError) -> ResumableRun {
        let (checkpoint, own) = try checkedCheckpoint(RunDirectory(dir))
        return ResumableRun(config: checkpoint.config, step: checkpoint.step, checkpointEvery: own?.checkpointEvery, logEvery: own?.logEvery)
    }

    /// The checkpoint of `directory` and the run's identity, checked as `inspect` says.
    static func checkedCheckpoint(_ directory: RunDirectory) throws(TrainRunError) -> (Checkpoint<LSAModel>, RunIdentity?) {
        let checkpoint: Checkpoint<LSAModel> = try directory.readCheckpoint()
        let own = try directory.readIdentity(atPath: directory.identityPath)
        let checkpoints = try directory.readIdentity(atPath: directory.checkpointIdentityPath)
        guard own?.runId == checkpoints?.runId else {
            throw TrainRunError("the checkpoint in '\(directory.checkpointPath)' belongs to another run (run id \(checkpoints?.runId ?? "none"), the directory's \(own?.runId ?? "none")); it is not resumed here")
        }
        if let written: LSATrainingConfig = try directory.readConfig() {
            var a = written, b = checkpoint.config
            a.steps = 0; b.steps = 0
            if a != b {
                let differing = [("the model", a.model == b.model), ("the tasks", a.tasks == b.tasks), ("the optimiser", a.optimizer == b.optimizer),
                                 ("the batch size", a.batchSize == b.batchSize), ("the seed", a.seed == b.seed)].filter { !$0.1 }.map(\.0)
                throw TrainRunError("the checkpoint in '\(directory.checkpointPath)' is not of the run in '\(directory.configPath)' (\(differing.joined(separator: ", ")) differ); it is not resumed here")
            }
        }
        return (checkpoint, own)
    }

    /// Runs (or resumes) the training of `request`; `progress` is called after every step.
    /// Throws `TrainRunError` before anything is written when the request cannot run (a used or
    /// unwritable directory, a missing or corrupt checkpoint), `TrainingError.nonFinite` when the
    /// loss turns NaN or infinite (the last checkpoint and its metrics stay), `OutputError` when a
    /// write fails.
    public static func run(_ request: TrainRequest, progress: (ProgressEvent) -> Void = { _ in }) throws -> TrainReport {
        let dir = request.directory
        var directory = RunDirectory(dir)
        var config = request.config
        let trainer: Trainer<LSAModel>
        var metrics: [MetricsLine] = []
        var resumedFrom: Int?
        let identity: RunIdentity?
        let lock: RunLock
        if request.resume {
            // Checked before the lock file is made (a refused directory stays unchanged), and
            // again under the lock (another writer may have moved on meanwhile).
            _ = try checkedCheckpoint(directory)
            lock = try RunLock(directory: dir)
            // What a killed predecessor left (temporaries of a dead process) goes now, not at the
            // first write: a resumed run stopped before it writes leaves the directory clean.
            TemporaryFiles.removeStale(in: dir)
            var checkpoint: Checkpoint<LSAModel>
            (checkpoint, identity) = try checkedCheckpoint(directory)
            if request.config.steps > checkpoint.config.steps { checkpoint.config.steps = request.config.steps }
            else if request.config.steps > 0 && request.config.steps < checkpoint.config.steps {
                throw TrainRunError("the run in '\(dir)' has \(checkpoint.config.steps) steps; a resumed run can be extended, not shortened to \(request.config.steps)")
            }
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
            try RunLock.checkFree(dir)
            if directory.hasCheckpointState {
                throw TrainRunError("'\(dir)' already holds a run (\(RunDirectory.checkpointName)/state.json)", existingRun: true)
            }
            do { try DirectoryPublication.checkReplaceable(dir) { $0.isEmpty } } catch {
                if case .occupied(_, let reason) = error { throw TrainRunError("'\(dir)' cannot hold a new run: \(reason)") }
                throw error
            }
            do { trainer = try Trainer(config) } catch { throw TrainRunError("\(error)") }
            let newIdentity = RunIdentity(runId: UUID().uuidString, checkpointEvery: request.checkpointEvery, logEvery: request.logEvery)
            // Staged and published with interrupts held: the handler never removes a half-written stage.
            (directory, lock) = try Interruptions.critical { () throws in
                try RunDirectory.create(dir, checkpoint: Checkpoint(trainer), identity: newIdentity)
            }
            identity = newIdentity
        }
        defer { withExtendedLifetime(lock) {} }

        let checkpointEvery = request.checkpointEvery ?? identity?.checkpointEvery ?? max(1, config.steps / 10)
        let logEvery = request.logEvery ?? identity?.logEvery ?? max(1, config.steps / 1000)
        let start = Date()
        let startStep = trainer.step
        var savedStep = trainer.step
        /// A checkpoint; a write that fails says where the run stays (no message that
        /// contradicts the disk: the metrics may be ahead of the checkpoint, never behind).
        func save() throws {
            do { try directory.writeCheckpoint(Checkpoint(trainer), metrics: metrics, identity: identity) } catch let error as OutputError {
                throw TrainRunError("\(error); the run in '\(dir)' stays resumable from its checkpoint at step \(savedStep)", cause: .output)
            }
            savedStep = trainer.step
        }
        do {
            try trainer.run { record, elapsed in
                if record.step % logEvery == 0 || trainer.isFinished {
                    metrics.append(MetricsLine(step: record.step, loss: record.loss, gradientNorm: record.gradientNorm,
                                               learningRate: record.learningRate, seconds: elapsed))
                }
                progress(.training("train", step: trainer.step, of: config.steps, loss: record.loss))
                if trainer.step % checkpointEvery == 0 && !trainer.isFinished { try save() }
            }
        } catch let error as TrainingError {
            try? directory.writeMetrics(metrics)
            throw error
        }
        try save()
        let seconds = Date().timeIntervalSince(start)

        let validation = config.tasks.batch(seed: config.seed, purpose: .validation, step: 0, tasks: request.validationTasks)
        let validationLoss = LSAKernel(shape: config.model.shape).loss(trainer.model.folded(), validation)
        let zero = validation.targets.reduce(0) { $0 + $1 * $1 } / Double(2 * validation.targets.count)
        let tail = metrics.suffix(max(1, metrics.count / 10))
        let tailMean = tail.isEmpty ? nil : tail.reduce(0) { $0 + $1.loss } / Double(tail.count)
        var report = TrainReport(directory: dir, steps: config.steps, resumedFrom: resumedFrom, meanTrainingLossLastTenth: JSONNumber(tailMean),
                                 lastTrainingLoss: JSONNumber(metrics.last?.loss),
                                 validationLoss: JSONNumber(validationLoss), zeroPredictorLoss: JSONNumber(zero),
                                 validationTasks: request.validationTasks, seconds: seconds,
                                 stepsPerSecond: Double(config.steps - startStep) / max(seconds, 1e-9),
                                 parameterCount: config.model.parameterCount, config: config,
                                 setting: RunSetting(experiment: "train", tasks: config.tasks, seed: config.seed, steps: config.steps,
                                                     batchSize: config.batchSize))
        report.text = [
            "trained \(config.model.layers) layer(s) x \(config.model.heads) head(s), d = \(config.model.inputDimension), N = \(config.model.contextCount), \(config.model.parameterCount) parameters",
            TextTable.keyValues([
                ("steps", "\(config.steps)" + (resumedFrom.map { " (resumed at \($0))" } ?? "")),
                ("training loss, mean of the last tenth", formatCell(tailMean)),
                ("training loss, last step", formatCell(metrics.last?.loss)),
                ("validation loss", formatCell(validationLoss) + "  (\(request.validationTasks) tasks)"),
                ("zero predictor", formatCell(zero)),
                ("time", String(format: "%.1f s, %.0f steps/s", seconds, report.stepsPerSecond)),
            ]),
            "wrote \(dir)/checkpoint/model.safetensors, state.json, metrics.jsonl, summary.json",
        ].joined(separator: "\n")
        do { try directory.writeSummary(report) } catch let error as OutputError {
            throw TrainRunError("\(error); the run in '\(dir)' is complete but for summary.json (--resume writes it)", cause: .output)
        }
        return report
    }
}
