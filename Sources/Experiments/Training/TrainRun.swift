import Figures
import Foundation
import Optim
import Training

/// `icl train`: a training run in a directory, with checkpoints and metrics.
///
///     DIR/config.json                 the run's `TrainingConfig`
///     DIR/metrics.jsonl               one JSON object per logged step: step, loss, gradientNorm, learningRate, seconds
///     DIR/checkpoint/model.safetensors  the weights (`layers.{k}.heads.{h}.W_K|W_Q|W_V|P`, F64)
///     DIR/checkpoint/state.json       the optimiser state, the step and the config (to resume)
///     DIR/summary.json                the final report (`TrainReport`)
///
/// Every file is written atomically (`writeAtomically`); a checkpoint is written every
/// `checkpointEvery` steps and at the end, with the metrics up to it, so a run killed at any time
/// resumes from its last checkpoint and ends bit for bit as an uninterrupted run.
public struct TrainRequest: Sendable {
    public var config: TrainingConfig
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

    public init(config: TrainingConfig, directory: String, checkpointEvery: Int? = nil, logEvery: Int? = nil, resume: Bool = false,
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
    public init(_ description: String) { self.description = description }
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

/// Where a run is, for a progress display.
public struct TrainingProgress: Sendable {
    public var step: Int
    public var totalSteps: Int
    public var loss: Double
    /// Steps per second since the run (or its resumption) started.
    public var stepsPerSecond: Double
    public var startStep: Int

    /// Seconds left at the current rate.
    public var secondsLeft: Double { stepsPerSecond > 0 ? Double(totalSteps - step) / stepsPerSecond : .infinity }

    /// `step 1200/5000  loss 0.2134  412 steps/s  ETA 9s`, with a bar of `width` cells when given.
    public func line(barWidth: Int? = nil) -> String {
        var text = ""
        if let width = barWidth {
            let filled = totalSteps > 0 ? width * step / totalSteps : width
            text += "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
        }
        text += "step \(step)/\(totalSteps)  loss \(formatNumber(loss, significant: 5))  \(formatNumber(stepsPerSecond, significant: 4)) steps/s  ETA \(Self.duration(secondsLeft))"
        return text
    }

    static func duration(_ s: Double) -> String {
        guard s.isFinite else { return "?" }
        if s < 60 { return "\(Int(s.rounded()))s" }
        if s < 3600 { return "\(Int(s) / 60)m\(String(format: "%02d", Int(s) % 60))s" }
        return "\(Int(s) / 3600)h\(String(format: "%02d", Int(s) % 3600 / 60))m"
    }
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
    public var config: TrainingConfig
    /// The report for a terminal.
    public var text: String = ""

    enum CodingKeys: String, CodingKey {
        case directory, steps, resumedFrom, finalTrainingLoss, validationLoss, zeroPredictorLoss, validationTasks, seconds,
             stepsPerSecond, parameterCount, config
    }
}

public enum TrainRun {
    static let checkpointDirectory = "checkpoint"

    /// Runs (or resumes) the training of `request`; `progress` is called after every step.
    /// Throws `TrainRunError` before anything is written when the request cannot run (a used or
    /// unwritable directory, a missing or corrupt checkpoint), `TrainingError.nonFinite` when the
    /// loss turns NaN or infinite (the last checkpoint and its metrics stay), `OutputError` when a
    /// write fails.
    public static func run(_ request: TrainRequest, progress: (TrainingProgress) -> Void = { _ in }) throws -> TrainReport {
        let fm = FileManager.default
        let dir = request.directory
        let checkpointDir = (dir as NSString).appendingPathComponent(checkpointDirectory)
        let stateFile = (checkpointDir as NSString).appendingPathComponent("state.json")
        let weightsFile = (checkpointDir as NSString).appendingPathComponent("model.safetensors")
        var config = request.config
        let trainer: Trainer
        var metrics: [MetricsLine] = []
        var resumedFrom: Int?
        if request.resume {
            guard fm.fileExists(atPath: stateFile), fm.fileExists(atPath: weightsFile) else {
                throw TrainRunError("no checkpoint to resume in '\(dir)' (expected \(checkpointDirectory)/state.json and \(checkpointDirectory)/model.safetensors)")
            }
            guard let state = fm.contents(atPath: stateFile), let weights = fm.contents(atPath: weightsFile) else {
                throw TrainRunError("cannot read the checkpoint in '\(checkpointDir)'")
            }
            var checkpoint: Checkpoint
            do { checkpoint = try Checkpoint(weights: Array(weights), state: state) } catch {
                throw TrainRunError("the checkpoint in '\(checkpointDir)' is corrupt: \(error)")
            }
            if request.config.steps > checkpoint.config.steps { checkpoint.config.steps = request.config.steps }
            config = checkpoint.config
            var resumed = request
            resumed.config = config
            do { try resumed.estimate.check(maxSeconds: .infinity) } catch {
                throw TrainRunError("the run in '\(dir)' \(error)")
            }
            do { trainer = try Trainer(checkpoint) } catch { throw TrainRunError("cannot resume from '\(checkpointDir)': \(error)") }
            metrics = readMetrics((dir as NSString).appendingPathComponent("metrics.jsonl")).filter { $0.step < checkpoint.step }
            resumedFrom = checkpoint.step
        } else {
            if fm.fileExists(atPath: stateFile) {
                throw TrainRunError("'\(dir)' already holds a run (\(checkpointDirectory)/state.json): add --resume to continue it, or choose another --out")
            }
            do { trainer = try Trainer(config) } catch { throw TrainRunError("\(error)") }
            do { try writeAtomically(directory: dir, files: [("config.json", try jsonText(config) + "\n")]) } catch {
                throw TrainRunError("\(error)")
            }
        }

        let checkpointEvery = request.checkpointEvery ?? max(1, config.steps / 10)
        let logEvery = request.logEvery ?? max(1, config.steps / 1000)
        let start = Date()
        let startStep = trainer.step
        func writeCheckpoint() throws {
            let checkpoint = Checkpoint(trainer)
            try writeAtomically(directory: checkpointDir, data: [("model.safetensors", Data(checkpoint.weightsFile)),
                                                                  ("state.json", Data(try checkpoint.stateFile().utf8))])
            try writeAtomically(directory: dir, files: [("metrics.jsonl", metricsText(metrics)), ("config.json", try jsonText(config) + "\n")])
        }
        if resumedFrom == nil { try writeCheckpoint() }
        while !trainer.isFinished {
            let record: StepRecord
            do { record = try trainer.trainStep() } catch {
                try? writeAtomically(directory: dir, files: [("metrics.jsonl", metricsText(metrics))])
                throw error
            }
            let elapsed = Date().timeIntervalSince(start)
            if record.step % logEvery == 0 || trainer.isFinished {
                metrics.append(MetricsLine(step: record.step, loss: record.loss, gradientNorm: record.gradientNorm,
                                           learningRate: record.learningRate, seconds: elapsed))
            }
            progress(TrainingProgress(step: trainer.step, totalSteps: config.steps, loss: record.loss,
                                      stepsPerSecond: Double(trainer.step - startStep) / max(elapsed, 1e-9), startStep: startStep))
            if trainer.step % checkpointEvery == 0 && !trainer.isFinished { try writeCheckpoint() }
        }
        try writeCheckpoint()
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
        try writeAtomically(directory: dir, files: [("summary.json", try jsonText(report) + "\n")])
        return report
    }

    static func metricsText(_ lines: [MetricsLine]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return lines.map { String(decoding: try! encoder.encode($0), as: UTF8.self) + "\n" }.joined()
    }

    static func readMetrics(_ path: String) -> [MetricsLine] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(MetricsLine.self, from: Data($0.utf8)) }
    }
}
