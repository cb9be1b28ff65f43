/// A first-order optimiser over one flat buffer of `Double` parameters.
///
/// A training step is one call of `step(parameters:gradient:learningRate:)` over *all* the
/// parameters (pack them into one buffer): the call advances `state.stepCount`, on which Adam's
/// bias correction depends. The update is `p <- p + u` with the optimiser's `u` (optax's
/// `apply_updates`); the learning rate is passed per step, so any `Schedule` can drive it.
///
/// The state (`OptimizerState`: step count and moment buffers) is everything the next step
/// depends on besides the hyperparameters: restoring a saved state continues a run bit for bit.
public protocol Optimizer: Sendable {
    /// The number of parameters the optimiser was made for.
    var parameterCount: Int { get }
    /// The step count and moment buffers, for checkpoints.
    var state: OptimizerState { get }
    /// Replaces the state by a saved one after checking it fits these hyperparameters.
    mutating func restore(_ state: OptimizerState) throws(OptimizerError)
    /// One update of `parameters` (`parameterCount` entries) from `gradient` (same count), in
    /// place. Allocation-free once the moment buffers are uniquely referenced.
    mutating func step(parameters: UnsafeMutableBufferPointer<Double>, gradient: UnsafeBufferPointer<Double>,
                       learningRate: Double)
}

extension Optimizer {
    /// `step(parameters:gradient:learningRate:)` on arrays.
    public mutating func step(parameters: inout [Double], gradient: [Double], learningRate: Double) {
        parameters.withUnsafeMutableBufferPointer { p in
            gradient.withUnsafeBufferPointer { g in step(parameters: p, gradient: g, learningRate: learningRate) }
        }
    }
}

/// A saved state that does not fit the optimiser it is restored into.
public struct OptimizerError: Error, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
