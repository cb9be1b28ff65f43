import Foundation
import Optim

/// The optimiser of a run (from `Optim`) and its schedule.
public struct OptimizerConfig: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable, CaseIterable { case adam, adamw, sgd }

    public var kind: Kind
    /// The learning-rate schedule (`Schedule.constant(value:)` or warm-up cosine decay).
    public var schedule: Schedule
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double
    /// AdamW's decoupled decay, or SGD's coupled L2 decay.
    public var weightDecay: Double
    /// SGD's heavy-ball momentum.
    public var momentum: Double
    /// Global-norm clipping of the gradient before the update (nil: none).
    public var clipNorm: Double?

    public init(kind: Kind = .adam, schedule: Schedule = .constant(value: 1e-3), beta1: Double = 0.9, beta2: Double = 0.999,
                epsilon: Double = 1e-8, weightDecay: Double = 0, momentum: Double = 0, clipNorm: Double? = nil) {
        self.kind = kind
        self.schedule = schedule
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.momentum = momentum
        self.clipNorm = clipNorm
    }

    /// von Oswald et al.'s released code: global-norm clipping, then AdamW with lr 1e-3,
    /// b1 0.9, b2 0.98 and no weight decay (the schedule is the caller's).
    public static func vonOswald(schedule: Schedule = .constant(value: 1e-3), clipNorm: Double? = 10) -> OptimizerConfig {
        OptimizerConfig(kind: .adamw, schedule: schedule, beta1: 0.9, beta2: 0.98, weightDecay: 0, clipNorm: clipNorm)
    }

    /// Throws unless the hyper-parameters define an optimiser.
    public func validate() throws(TrainingError) {
        do { try schedule.validate() } catch { throw .invalid("learning-rate schedule: \(error)") }
        if case .constant(let lr) = schedule, !(lr > 0) { throw .invalid("the learning rate must be positive, got \(lr)") }
        if case let .warmupCosineDecay(_, peak, _, _, _) = schedule, !(peak > 0) { throw .invalid("the peak learning rate must be positive, got \(peak)") }
        guard (0..<1).contains(beta1), (0..<1).contains(beta2) else { throw .invalid("Adam needs 0 <= beta1, beta2 < 1, got \(beta1), \(beta2)") }
        guard epsilon >= 0, epsilon.isFinite, weightDecay >= 0, weightDecay.isFinite, momentum >= 0, momentum.isFinite else {
            throw .invalid("epsilon, weight decay and momentum must be finite and >= 0")
        }
        if let clipNorm { guard clipNorm > 0 && clipNorm.isFinite else { throw .invalid("the clipping norm must be positive, got \(clipNorm)") } }
    }

    func makeOptimizer(parameterCount n: Int) -> AnyOptimizer {
        switch kind {
        case .adam: return .adam(Adam(parameterCount: n, beta1: beta1, beta2: beta2, epsilon: epsilon))
        case .adamw: return .adam(Adam(parameterCount: n, beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay))
        case .sgd: return .sgd(SGD(parameterCount: n, momentum: momentum, weightDecay: weightDecay))
        }
    }
}

/// One of `Optim`'s optimisers, by value.
enum AnyOptimizer: Sendable {
    case adam(Adam)
    case sgd(SGD)

    var state: OptimizerState {
        switch self {
        case .adam(let o): return o.state
        case .sgd(let o): return o.state
        }
    }

    mutating func restore(_ state: OptimizerState) throws(OptimizerError) {
        switch self {
        case .adam(var o): try o.restore(state); self = .adam(o)
        case .sgd(var o): try o.restore(state); self = .sgd(o)
        }
    }

    mutating func step(parameters: inout [Double], gradient: [Double], learningRate: Double) {
        switch self {
        case .adam(var o): self = .sgd(SGD(parameterCount: 0)); o.step(parameters: &parameters, gradient: gradient, learningRate: learningRate); self = .adam(o)
        case .sgd(var o): self = .adam(Adam(parameterCount: 0)); o.step(parameters: &parameters, gradient: gradient, learningRate: learningRate); self = .sgd(o)
        }
    }
}

/// Everything that defines a training run; a checkpoint stores it, and a resumed run must match it.
public struct TrainingConfig: Codable, Equatable, Sendable {
    public var model: LSAModelConfig
    public var tasks: TaskDistribution
    public var optimizer: OptimizerConfig
    public var batchSize: Int
    public var steps: Int
    public var seed: UInt64

    public init(model: LSAModelConfig, tasks: TaskDistribution, optimizer: OptimizerConfig, batchSize: Int, steps: Int, seed: UInt64) {
        self.model = model
        self.tasks = tasks
        self.optimizer = optimizer
        self.batchSize = batchSize
        self.steps = steps
        self.seed = seed
    }

    /// Throws unless the run can be made: sizes at least 1, the model and the tasks agree, a
    /// valid optimiser, `steps` below `2^32` (steps address the Philox counter).
    public func validate() throws(TrainingError) {
        do { try model.validate() } catch { throw .invalid(error.description) }
        do { try tasks.validate() } catch { throw .invalid(error.description) }
        guard model.inputDimension == tasks.inputDimension, model.outputDimension == tasks.outputDimension,
              model.contextCount == tasks.contextCount else {
            throw .invalid("the model's d, d_y, N differ from the tasks'")
        }
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
                + "Try a smaller learning rate, gradient clipping (--clip), or a smaller initialisation."
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
/// the step. A step draws batch `step` from (seed, training, step), computes the loss and its
/// gradient with the kernel, clips the gradient's global norm, and updates the parameters with
/// the schedule's learning rate. The next step depends on nothing else, so a run restored from a
/// checkpoint continues bit for bit.
public final class Trainer {
    public let config: TrainingConfig
    public private(set) var model: LSAModel
    public private(set) var step: Int
    public private(set) var lastFiniteLoss: Double?
    var optimizer: AnyOptimizer
    let kernel: LSAKernel
    /// The step's tasks, refilled in place every step.
    var batch: TaskBatch

    /// A fresh run: the paper's initialisation from (seed, initialization).
    public init(_ config: TrainingConfig) throws(TrainingError) {
        try config.validate()
        self.config = config
        model = LSAModel.initialized(config.model, seed: config.seed)
        optimizer = config.optimizer.makeOptimizer(parameterCount: config.model.parameterCount)
        step = 0
        kernel = LSAKernel(shape: config.model.shape)
        batch = config.tasks.batch(seed: config.seed, step: 0, tasks: config.batchSize)
    }

    /// A run restored at `step` with these parameters and optimiser state.
    public init(_ config: TrainingConfig, model: LSAModel, optimizerState: OptimizerState, step: Int, lastFiniteLoss: Double?) throws(TrainingError) {
        try config.validate()
        guard model.config == config.model else { throw .checkpoint("the checkpoint's model differs from the run's configuration") }
        guard step >= 0 && step <= config.steps else { throw .checkpoint("the checkpoint is at step \(step), the run has \(config.steps) steps") }
        guard optimizerState.stepCount == step else {
            throw .checkpoint("the optimiser state has taken \(optimizerState.stepCount) steps, the checkpoint says \(step)")
        }
        self.config = config
        self.model = model
        optimizer = config.optimizer.makeOptimizer(parameterCount: config.model.parameterCount)
        do { try optimizer.restore(optimizerState) } catch { throw .checkpoint(error.description) }
        self.step = step
        self.lastFiniteLoss = lastFiniteLoss
        kernel = LSAKernel(shape: config.model.shape)
        batch = config.tasks.batch(seed: config.seed, step: step, tasks: config.batchSize)
    }

    /// The run a checkpoint froze, continued from its step.
    public convenience init(_ checkpoint: Checkpoint) throws(TrainingError) {
        try self.init(checkpoint.config, model: checkpoint.model, optimizerState: checkpoint.optimizerState, step: checkpoint.step,
                      lastFiniteLoss: checkpoint.lastFiniteLoss)
    }

    public var optimizerState: OptimizerState { optimizer.state }
    public var isFinished: Bool { step >= config.steps }

    /// One step; throws `nonFinite` (and changes nothing) when the loss or gradient is NaN or infinite.
    @discardableResult
    public func trainStep() throws(TrainingError) -> StepRecord {
        config.tasks.fill(&batch, seed: config.seed, purpose: .training, step: step)
        let (loss, folded) = kernel.lossAndGradient(model.folded(), batch)
        var gradient = model.parameterGradient(folded)
        let norm = GradientClipping.globalNorm(gradient)
        guard loss.isFinite && norm.isFinite else { throw .nonFinite(step: step, lastFiniteLoss: lastFiniteLoss, gradientNorm: norm) }
        if let clip = config.optimizer.clipNorm { GradientClipping.clipByGlobalNorm(&gradient, maxNorm: clip) }
        let lr = config.optimizer.schedule.learningRate(atStep: optimizer.state.stepCount)
        optimizer.step(parameters: &model.parameters, gradient: gradient, learningRate: lr)
        lastFiniteLoss = loss
        defer { step += 1 }
        return StepRecord(step: step, loss: loss, gradientNorm: norm, learningRate: lr)
    }
}
