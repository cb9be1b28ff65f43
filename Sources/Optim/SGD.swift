/// Stochastic gradient descent with coupled L2 weight decay `lambda`, heavy-ball momentum `mu`
/// and optional Nesterov momentum (PyTorch's `SGD` without dampening; optax's
/// `chain(add_decayed_weights(lambda), sgd(eta, mu, nesterov))`):
///
///     gt = g + lambda p
///     v  = mu v + gt                       (v starts at 0; no buffer when mu = 0)
///     u  = v              (heavy ball),    u = gt + mu v   (Nesterov)
///     p <- p - eta u
///
/// This is the update of `DualForm.Settings` (there the clipping is applied to `gt`; here any
/// clipping is the caller's and comes before the decay is added). With `mu = lambda = 0` it is
/// plain gradient descent `p <- p - eta g`, bit for bit.
public struct SGD: Optimizer, Equatable {
    public let parameterCount: Int
    public let momentum: Double
    public let nesterov: Bool
    /// Coupled L2 weight decay `lambda` (added to the gradient).
    public let weightDecay: Double
    /// `firstMoment` is the velocity `v`.
    public private(set) var state: OptimizerState

    public init(parameterCount: Int, momentum: Double = 0, nesterov: Bool = false, weightDecay: Double = 0) {
        precondition(parameterCount >= 0, "parameterCount must be non-negative")
        precondition(momentum >= 0 && weightDecay >= 0, "SGD needs momentum >= 0 and weightDecay >= 0")
        precondition(!nesterov || momentum > 0, "Nesterov momentum needs momentum > 0")
        self.parameterCount = parameterCount
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        state = OptimizerState(firstMoment: Array(repeating: 0, count: momentum == 0 ? 0 : parameterCount))
    }

    public mutating func restore(_ state: OptimizerState) throws(OptimizerError) {
        try state.check(firstMoment: momentum == 0 ? 0 : parameterCount, secondMoment: 0, optimizer: "SGD")
        self.state = state
    }

    public mutating func step(parameters: UnsafeMutableBufferPointer<Double>, gradient: UnsafeBufferPointer<Double>,
                              learningRate: Double) {
        precondition(parameters.count == parameterCount && gradient.count == parameterCount,
                     "SGD for \(parameterCount) parameters got \(parameters.count) parameters and \(gradient.count) gradients")
        state.stepCount += 1
        let eta = learningRate, lambda = weightDecay, mu = momentum
        let n = parameterCount
        guard let p = parameters.baseAddress, let g = gradient.baseAddress else { return }
        if mu == 0 {
            for i in 0..<n { p[i] = p[i] - eta * (g[i] + lambda * p[i]) }
            return
        }
        var velocity = [Double]()
        swap(&velocity, &state.firstMoment)
        defer { swap(&velocity, &state.firstMoment) }
        velocity.withUnsafeMutableBufferPointer { vBuffer in
            let v = vBuffer.baseAddress!
            if nesterov {
                for i in 0..<n {
                    let gi = g[i] + lambda * p[i]
                    let vi = mu * v[i] + gi
                    v[i] = vi
                    p[i] = p[i] - eta * (gi + mu * vi)
                }
            } else {
                for i in 0..<n {
                    let vi = mu * v[i] + (g[i] + lambda * p[i])
                    v[i] = vi
                    p[i] = p[i] - eta * vi
                }
            }
        }
    }
}
