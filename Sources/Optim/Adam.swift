#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Adam (Kingma & Ba 2015) and AdamW (Loshchilov & Hutter 2019, decoupled weight decay), as
/// optax computes them (`optax.adam`, `optax.adamw` with `eps_root = 0`, no Nesterov). Step `t`
/// (counting from 1), learning rate `eta`, weight decay `lambda`:
///
///     m    = (1 - b1) g + b1 m,            v    = (1 - b2) g^2 + b2 v
///     mhat = m / (1 - b1^t),               vhat = v / (1 - b2^t)
///     p   <- p - eta (mhat / (sqrt(vhat) + eps) + lambda p)
///
/// `eps` is added *outside* the square root of the bias-corrected `vhat` (optax, PyTorch, the
/// paper's Algorithm 1), not to `v` before the root nor to an uncorrected `sqrt(v)`. The decay
/// term is scaled by `eta` like optax's `adamw` (PyTorch applies it as a separate multiply
/// `p <- p (1 - eta lambda)`, equal up to rounding); `lambda = 0` is Adam, bit for bit. The
/// operations are evaluated in the order written (the same as optax and the NumPy reference in
/// `Fixtures/optim`). With `eps = 0` a coordinate whose gradients were all zero gives `0/0`.
///
/// The paper's setting (von Oswald et al., REFERENCE.md section 1): global-norm clipping, then
/// `Adam(parameterCount: n, beta1: 0.9, beta2: 0.98)` at `eta = 1e-3` (AdamW without decay).
public struct Adam: Optimizer, Equatable {
    public let parameterCount: Int
    public let beta1: Double
    public let beta2: Double
    public let epsilon: Double
    /// Decoupled weight decay `lambda` (AdamW); 0 is plain Adam.
    public let weightDecay: Double
    public private(set) var state: OptimizerState

    /// Adam (AdamW when `weightDecay > 0`) with zero moments. Defaults are Kingma & Ba's and optax's.
    public init(parameterCount: Int, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
                weightDecay: Double = 0) {
        precondition(parameterCount >= 0, "parameterCount must be non-negative")
        precondition((0..<1).contains(beta1) && (0..<1).contains(beta2), "Adam needs 0 <= beta1, beta2 < 1")
        precondition(epsilon >= 0 && weightDecay >= 0, "Adam needs epsilon >= 0 and weightDecay >= 0")
        self.parameterCount = parameterCount
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        state = OptimizerState(firstMoment: Array(repeating: 0, count: parameterCount),
                               secondMoment: Array(repeating: 0, count: parameterCount))
    }

    /// AdamW with optax's defaults (`weight_decay = 1e-4`).
    public static func adamW(parameterCount: Int, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
                             weightDecay: Double = 1e-4) -> Adam {
        Adam(parameterCount: parameterCount, beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay)
    }

    public mutating func restore(_ state: OptimizerState) throws(OptimizerError) {
        try state.check(firstMoment: parameterCount, secondMoment: parameterCount, optimizer: "Adam")
        self.state = state
    }

    public mutating func step(parameters: UnsafeMutableBufferPointer<Double>, gradient: UnsafeBufferPointer<Double>,
                              learningRate: Double) {
        precondition(parameters.count == parameterCount && gradient.count == parameterCount,
                     "Adam for \(parameterCount) parameters got \(parameters.count) parameters and \(gradient.count) gradients")
        state.stepCount += 1
        let t = Double(state.stepCount)
        let b1 = beta1, b2 = beta2, a1 = 1 - beta1, a2 = 1 - beta2
        let c1 = 1 - pow(b1, t), c2 = 1 - pow(b2, t)
        let eps = epsilon, lambda = weightDecay, eta = learningRate
        let n = parameterCount
        guard let p = parameters.baseAddress, let g = gradient.baseAddress else { return }
        // Move the moment buffers out of `state` for the loop (no copy: they stay uniquely referenced).
        var first = [Double](), second = [Double]()
        swap(&first, &state.firstMoment)
        swap(&second, &state.secondMoment)
        defer {
            swap(&first, &state.firstMoment)
            swap(&second, &state.secondMoment)
        }
        first.withUnsafeMutableBufferPointer { mBuffer in
            second.withUnsafeMutableBufferPointer { vBuffer in
                let m = mBuffer.baseAddress!, v = vBuffer.baseAddress!
                for i in 0..<n {
                    let gi = g[i]
                    let mi = a1 * gi + b1 * m[i]
                    let vi = a2 * (gi * gi) + b2 * v[i]
                    m[i] = mi
                    v[i] = vi
                    let direction = (mi / c1) / ((vi / c2).squareRoot() + eps)
                    p[i] = p[i] - eta * (direction + lambda * p[i])
                }
            }
        }
    }
}
