import Foundation
import Optim

/// Everything that defines a training run; a checkpoint stores it, and a resumed run must match it.
public struct TrainingConfig<Model: TrainableModel>: Codable, Equatable, Sendable {
    public var model: Model.Config
    public var tasks: Model.Tasks
    public var optimizer: OptimizerConfig
    public var batchSize: Int
    public var steps: Int
    public var seed: UInt64

    public init(model: Model.Config, tasks: Model.Tasks, optimizer: OptimizerConfig, batchSize: Int, steps: Int, seed: UInt64) {
        self.model = model
        self.tasks = tasks
        self.optimizer = optimizer
        self.batchSize = batchSize
        self.steps = steps
        self.seed = seed
    }

    /// Throws unless the run can be made: the model and the tasks agree, the batch size is at
    /// least 1, the optimiser is valid, `steps` is below `2^32` (steps address the random counter).
    public func validate() throws(TrainingError) {
        try Model.validate(model, tasks: tasks)
        guard batchSize >= 1 else { throw .invalid("the batch size must be at least 1, got \(batchSize)") }
        guard steps >= 0 && steps < Int(UInt32.max) else { throw .invalid("steps must be in 0...\(UInt32.max - 1), got \(steps)") }
        try optimizer.validate()
    }
}

/// Why training cannot start or continue.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
    case invalid(String)
    /// The loss or the gradient was NaN or infinite at `step` (0-based); nothing was updated.
    case nonFinite(step: Int, lastFiniteLoss: Double?, gradientNorm: Double)
    /// A checkpoint that does not continue this run.
    case checkpoint(String)

    public var description: String {
        switch self {
        case .invalid(let s): return s
        case let .nonFinite(step, last, norm):
            let lastText = last.map { "the last finite loss was \($0)" } ?? "no finite loss was seen"
            return "the loss turned non-finite at step \(step) (gradient norm \(norm)); \(lastText). "
                + "Try a smaller learning rate, gradient clipping, or a smaller initialisation."
        case .checkpoint(let s): return s
        }
    }
}

/// What one training step measured.
public struct StepRecord: Codable, Equatable, Sendable {
    /// The step's index (0-based): the loss is on batch `step`, before its update.
    public var step: Int
    public var loss: Double
    public var gradientNorm: Double
    public var learningRate: Double
}

/// The training loop's state: the model, the optimiser (with its step count and moments) and
/// the step. A step draws batch `step` from (seed, step), computes the loss and its gradient,
/// stops (changing nothing) when either is NaN or infinite, clips the gradient's global norm,
/// and updates the parameters with the schedule's learning rate. The next step depends on
/// nothing else, so a run restored from a checkpoint continues bit for bit.
public final class Trainer<Model: TrainableModel> {
    public let config: TrainingConfig<Model>
    public private(set) var model: Model
    public private(set) var step: Int
    public private(set) var lastFiniteLoss: Double?
    var optimizer: AnyOptimizer
    let workspace: Model.Workspace
    /// The step's batch, refilled in place every step.
    var batch: Model.Tasks.Batch

    /// A run at `step` from `model` and the optimiser `state` (nil: a fresh optimiser).
    init(_ config: TrainingConfig<Model>, model: Model, optimizerState: OptimizerState?, step: Int, lastFiniteLoss: Double?) throws(TrainingError) {
        try config.validate()
        self.config = config
        self.model = model
        optimizer = config.optimizer.makeOptimizer(parameterCount: model.parameters.count)
        if let optimizerState {
            do { try optimizer.restore(optimizerState) } catch { throw .checkpoint(error.description) }
        }
        self.step = step
        self.lastFiniteLoss = lastFiniteLoss
        workspace = Model.makeWorkspace(config.model)
        batch = config.tasks.batch(seed: config.seed, step: step, size: config.batchSize)
    }

    /// A fresh run: the model's initialisation from (seed, initialization).
    public convenience init(_ config: TrainingConfig<Model>) throws(TrainingError) {
        try config.validate()
        try self.init(config, model: Model.initialized(config.model, seed: config.seed), optimizerState: nil, step: 0, lastFiniteLoss: nil)
    }

    /// The run a checkpoint froze, continued from its step.
    public convenience init(_ checkpoint: Checkpoint<Model>) throws(TrainingError) {
        let config = checkpoint.config
        guard checkpoint.model.config == config.model else { throw .checkpoint("the checkpoint's model differs from the run's configuration") }
        guard checkpoint.step >= 0 && checkpoint.step <= config.steps else {
            throw .checkpoint("the checkpoint is at step \(checkpoint.step), the run has \(config.steps) steps")
        }
        guard checkpoint.optimizerState.stepCount == checkpoint.step else {
            throw .checkpoint("the optimiser state has taken \(checkpoint.optimizerState.stepCount) steps, the checkpoint says \(checkpoint.step)")
        }
        try self.init(config, model: checkpoint.model, optimizerState: checkpoint.optimizerState, step: checkpoint.step,
                      lastFiniteLoss: checkpoint.lastFiniteLoss)
    }

    public var optimizerState: OptimizerState { optimizer.state }
    public var isFinished: Bool { step >= config.steps }

    /// One step; throws `nonFinite` (and changes nothing) when the loss or gradient is NaN or infinite.
    @discardableResult
    public func trainStep() throws(TrainingError) -> StepRecord {
        config.tasks.fill(&batch, seed: config.seed, step: step)
        var (loss, gradient) = model.lossAndGradient(batch, workspace: workspace)
        let norm = GradientClipping.globalNorm(gradient)
        guard loss.isFinite && norm.isFinite else { throw .nonFinite(step: step, lastFiniteLoss: lastFiniteLoss, gradientNorm: norm) }
        if let clip = config.optimizer.clipNorm { GradientClipping.clipByGlobalNorm(&gradient, maxNorm: clip) }
        let lr = config.optimizer.schedule.learningRate(atStep: optimizer.state.stepCount)
        optimizer.step(parameters: &model.parameters, gradient: gradient, learningRate: lr)
        lastFiniteLoss = loss
        defer { step += 1 }
        return StepRecord(step: step, loss: loss, gradientNorm: norm, learningRate: lr)
    }

    /// The training loop: steps to the end of the run, calling `afterStep` with each step's
    /// record and the seconds since this call began. `afterStep` may throw to stop the run
    /// (e.g. a checkpoint that cannot be written); a non-finite step throws `nonFinite`.
    public func run(afterStep: (StepRecord, _ elapsedSeconds: Double) throws -> Void) throws {
        let start = Date()
        while !isFinished {
            let record = try trainStep()
            try afterStep(record, Date().timeIntervalSince(start))
        }
    }
}
