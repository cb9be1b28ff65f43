import Linalg
import Optim
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The dual form of a linear layer trained by gradient descent (Irie et al. 2022; Dai et al. 2023):
///
///     W_T x = a_T W_0 x + sum_t sum_i v_{t,i} (x_{t,i}^T x) = a_T W_0 x + LinearAttn(V, X', x),
///
/// with past inputs as keys, the test input as the query and rescaled output gradients as
/// values, `v_{t,i} = b_t g_{t,i}`, `g_{t,i} = dL_t / dy_{t,i}` (the `1/B` of a mean loss
/// included). Plain SGD has `a_T = 1`, `b_t = -eta_t`, i.e. the values are the errors
/// `e_{t,i} = -eta_t g_{t,i}`. Coupled weight decay, heavy-ball momentum and global-norm
/// clipping change only the scalars `a_T`, `b_t` (`DualForm.coefficients`).
public enum DualForm {
    public enum Loss: String, Sendable, CaseIterable {
        /// `L = 1/(2B) sum_i ||W x_i - y_i||^2`, so `g_i = (W x_i - y_i) / B`.
        case meanSquared
        /// `L = -(1/B) sum_i log softmax(W x_i)_{c_i}` with one-hot targets `y_i`,
        /// so `g_i = (softmax(W x_i) - y_i) / B`.
        case softmaxCrossEntropy
    }

    /// SGD with coupled L2 weight decay `lambda`, heavy-ball momentum `mu` and optional
    /// global-norm clipping at `clipNorm`:
    ///
    ///     G_t = c_t (grad L_t(W_t) + lambda W_t),   c_t = min(1, clipNorm / ||grad L_t + lambda W_t||_F)
    ///     v_{t+1} = mu v_t + G_t,   W_{t+1} = W_t - eta_t v_{t+1}.
    public struct Settings<S: FieldScalar>: Sendable {
        public var etas: [S]
        public var weightDecay: S
        public var momentum: S
        public var clipNorm: Double?
        public var loss: Loss
        public init(etas: [S], weightDecay: S = .zero, momentum: S = .zero, clipNorm: Double? = nil, loss: Loss = .meanSquared) {
            self.etas = etas
            self.weightDecay = weightDecay
            self.momentum = momentum
            self.clipNorm = clipNorm
            self.loss = loss
        }
    }

    /// A mini-batch: inputs `d x B`, targets `d_y x B`.
    public struct Batch<S: FieldScalar>: Sendable {
        public var x: Matrix<S>
        public var y: Matrix<S>
        public init(x: Matrix<S>, y: Matrix<S>) { self.x = x; self.y = y }
    }

    /// What training produced: the final weights, and per step the output gradients
    /// `g_t` (`d_y x B`) and the clipping factor `c_t`.
    public struct Record<S: FieldScalar>: Sendable {
        public var finalWeights: Matrix<S>
        public var outputGradients: [Matrix<S>]
        public var clipFactors: [S]
    }

    /// `dL/dy` for a batch, including `1/B`. The softmax is evaluated in `Double` and converted
    /// with `S(approximating:)`: exact arithmetic then proceeds from those values.
    public static func outputGradient<S>(_ w: Matrix<S>, batch: Batch<S>, loss: Loss) -> Matrix<S> {
        let outputs = w * batch.x
        let b = S(batch.x.cols)
        switch loss {
        case .meanSquared:
            return (S.one / b) * (outputs - batch.y)
        case .softmaxCrossEntropy:
            var g = outputs
            for j in 0..<outputs.cols {
                let logits = (0..<outputs.rows).map { outputs[$0, j].doubleValue }
                let top = logits.max() ?? 0
                let weights = logits.map { exp($0 - top) }
                let total = weights.reduce(0, +)
                for k in 0..<outputs.rows { g[k, j] = (S(approximating: weights[k] / total) - batch.y[k, j]) / b }
            }
            return g
        }
    }

    /// Trains `W` from `w0` on the batches in order (one step per batch) and records the run.
    /// With `replaying`, the output gradients and clipping factors are taken from that record
    /// instead of being computed (the floating-point check replays the `Double` run's updates on
    /// `RunningError` scalars).
    public static func train<S>(from w0: Matrix<S>, batches: [Batch<S>], settings: Settings<S>,
                                replaying replay: Record<S>? = nil) -> Record<S> {
        precondition(settings.etas.count == batches.count, "one learning rate per batch")
        var w = w0
        var velocity = Matrix<S>.zeros(w0.rows, w0.cols)
        var gradients: [Matrix<S>] = []
        var clips: [S] = []
        for (t, (batch, eta)) in zip(batches, settings.etas).enumerated() {
            let g = replay?.outputGradients[t] ?? outputGradient(w, batch: batch, loss: settings.loss)
            var step = g * batch.x.transposed + settings.weightDecay * w
            var clip = S.one
            if let replay {
                clip = replay.clipFactors[t]
                step = clip * step
            } else if let limit = settings.clipNorm {
                let norm = step.elements.reduce(0.0) { $0 + $1.doubleValue * $1.doubleValue }.squareRoot()
                if norm > limit { clip = S(approximating: limit / norm) }
                step = clip * step
            }
            velocity = settings.momentum * velocity + step
            w = w - eta * velocity
            gradients.append(g)
            clips.append(clip)
        }
        return Record(finalWeights: w, outputGradients: gradients, clipFactors: clips)
    }

    /// The scalars of the dual form: `W_T = a_T W_0 + sum_s b_s grad L_s`, from the recurrences
    ///
    ///     p_{t+1} = mu p_t + c_t lambda a_t,          a_{t+1} = a_t - eta_t p_{t+1},
    ///     q_{t+1,s} = mu q_{t,s} + c_t lambda b_{t,s} (s < t),  q_{t+1,t} = c_t,
    ///     b_{t+1,s} = b_{t,s} - eta_t q_{t+1,s},
    ///
    /// with `a_0 = 1`, `p_0 = 0` (`W_t = a_t W_0 + sum_s b_{t,s} grad L_s`, `v_t` likewise with `p, q`).
    public static func coefficients<S: FieldScalar>(etas: [S], clipFactors: [S], weightDecay lambda: S, momentum mu: S)
        -> (initialScale: S, valueScales: [S]) {
        var a = S.one, p = S.zero
        var b: [S] = [], q: [S] = []
        for (t, (eta, c)) in zip(etas, clipFactors).enumerated() {
            let decay = c * lambda
            p = mu * p + decay * a
            for s in 0..<t { q[s] = mu * q[s] + decay * b[s] }
            q.append(c)
            b.append(.zero)
            a = a - eta * p
            for s in 0...t { b[s] = b[s] - eta * q[s] }
        }
        return (a, b)
    }

    /// `a_T W_0 x + sum_t (b_t g_t) (X_t^T x)`: linear attention with keys `X_t`, values
    /// `b_t g_t` and query `x` (`d x M`, one column per query).
    public static func attention<S>(initialWeights w0: Matrix<S>, batches: [Batch<S>], record: Record<S>,
                                    settings: Settings<S>, query: Matrix<S>) -> Matrix<S> {
        let (a, b) = coefficients(etas: settings.etas, clipFactors: record.clipFactors,
                                  weightDecay: settings.weightDecay, momentum: settings.momentum)
        var out = a * (w0 * query)
        for (t, batch) in batches.enumerated() {
            let scores = batch.x.transposed * query               // B x M: x_{t,i}^T x
            out += (b[t] * record.outputGradients[t]) * scores
        }
        return out
    }

    /// Adam (Kingma & Ba; `Optim.Adam`, optax's convention) on the same loss, for the negative
    /// control: returns the final weights and the output gradients it saw. Its update is
    /// element-wise preconditioned, `W <- W - eta mhat / (sqrt(vhat) + eps)`, so it has no dual
    /// form with per-step scalars.
    public static func trainAdam(from w0: Matrix<Double>, batches: [Batch<Double>], eta: Double, loss: Loss,
                                 beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8)
        -> (finalWeights: Matrix<Double>, outputGradients: [Matrix<Double>]) {
        var w = w0
        var adam = Adam(parameterCount: w0.elements.count, beta1: beta1, beta2: beta2, epsilon: epsilon)
        var gradients: [Matrix<Double>] = []
        for batch in batches {
            let g = outputGradient(w, batch: batch, loss: loss)
            adam.step(parameters: &w.elements, gradient: (g * batch.x.transposed).elements, learningRate: eta)
            gradients.append(g)
        }
        return (w, gradients)
    }
}
