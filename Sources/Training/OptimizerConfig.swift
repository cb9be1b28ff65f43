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
