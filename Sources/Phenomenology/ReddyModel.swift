import Glibc

/// Reddy's phenomenological loss of a two-layer induction head (REFERENCE.md section 4):
///
///     Loss(beta, alpha, xi) = log(1 + (N-1) e^{-u} + (L-N) e^{-u'})
///     u  = xi (e^{a} - 1) / (e^{a} + 2N),   u' = xi e^{a} / (e^{a} + 2N),   a = alpha y(beta)
///
/// with `N` item-label pairs in the context and `L >= N` labels. It is the softmax
/// cross-entropy of a classifier whose logit for a label is `xi` times the layer-2 attention
/// on that label's token: the correct label has logit `xi p`, each of the N-1 other context
/// labels `xi q`, each of the L-N absent labels 0.
///
/// Evaluated as a log-sum-exp over the three terms `t0 = 0`, `t1 = log(N-1) - u`,
/// `t2 = log(L-N) - u'`: `Loss = m + log1p(sum of e^{t_k - m} over the two non-maximal
/// terms)`, `m = max t_k >= 0`, so nothing overflows and a small loss keeps its relative
/// accuracy (no `log(1 + tiny)`). The softmax weights `w_k = e^{t_k} / sum` of the same
/// terms give the gradient and Hessian (see `ReddyEvaluation`).
public struct ReddyModel<Attention: LayerOneAttention>: Sendable {
    /// `N`, the item-label pairs in the context.
    public let contextPairs: Int
    /// `L`, the number of labels.
    public let labels: Int
    /// The map `beta -> y`.
    public let attention: Attention

    @usableFromInline let twoN: Double
    @usableFromInline let logNMinus1: Double
    @usableFromInline let logLMinusN: Double

    /// - Throws: `ReddyModelError` when `N < 1` or `L < N`.
    public init(N: Int, L: Int, attention: Attention) throws(ReddyModelError) {
        try ReddyModelError.check(N: N, L: L)
        contextPairs = N
        labels = L
        self.attention = attention
        twoN = 2 * Double(N)
        // An absent term (N = 1 or L = N) has log-weight -infinity: e^{t - m} = 0 exactly.
        logNMinus1 = N > 1 ? log(Double(N - 1)) : -.infinity
        logLMinusN = L > N ? log(Double(L - N)) : -.infinity
    }

    /// The loss at `theta`.
    @inlinable
    public func loss(at theta: ReddyPoint) -> Double {
        terms(at: theta).loss
    }

    /// The loss and its exact gradient `(dL/dbeta, dL/dalpha, dL/dxi)`.
    @inlinable
    public func lossAndGradient(at theta: ReddyPoint) -> (loss: Double, gradient: SIMD3<Double>) {
        let t = terms(at: theta)
        return (t.loss, t.gradient)
    }

    /// The loss, the gradient and the exact Hessian.
    @inlinable
    public func evaluate(at theta: ReddyPoint) -> ReddyEvaluation {
        let t = terms(at: theta)
        return ReddyEvaluation(loss: t.loss, gradient: t.gradient, hessian: t.hessian, y: t.attention.y)
    }

    /// The layer-1 attention `y(beta)` at `theta`.
    @inlinable
    public func y(at theta: ReddyPoint) -> Double { attention(theta.beta).y }

    @inlinable
    func terms(at theta: ReddyPoint, withLoss: Bool = true) -> LossTerms {
        let att = attention(theta.beta)
        return terms(attention: att, two: LayerTwoAttention(a: theta.alpha * att.y, twoN: twoN), alpha: theta.alpha, xi: theta.xi,
                     withLoss: withLoss)
    }

    /// The exact gradient alone (the loss's `log1p` is not computed; the gradient flow's
    /// right-hand side needs nothing else).
    @inlinable
    public func gradient(at theta: ReddyPoint) -> SIMD3<Double> {
        terms(at: theta, withLoss: false).gradient
    }

    /// The last stage, given `y(beta)` and the layer-2 quantities at `a = alpha y`: the
    /// log-sum-exp of (0, t1, t2) with the maximal term factored out (its exponential is 1 and
    /// is not computed).
    @inlinable
    func terms(attention att: AttentionValue, two: LayerTwoAttention, alpha: Double, xi: Double, withLoss: Bool = true) -> LossTerms {
        let t1 = logNMinus1 - xi * two.pmq
        let t2 = logLMinusN - xi * two.p
        // rest = the sum of the two non-maximal terms (never formed as sum - 1: a tiny rest
        // would be lost).
        let e0: Double, e1: Double, e2: Double, m: Double, rest: Double
        if t1 <= 0 && t2 <= 0 {
            (m, e0, e1, e2) = (0, 1, exp(t1), exp(t2))
            rest = e1 + e2
        } else if t1 >= t2 {
            (m, e0, e1, e2) = (t1, exp(-t1), 1, exp(t2 - t1))
            rest = e0 + e2
        } else {
            (m, e0, e1, e2) = (t2, exp(-t2), exp(t1 - t2), 1)
            rest = e0 + e1
        }
        let inv = 1 / (1 + rest)
        return LossTerms(loss: withLoss ? m + log1p(rest) : .nan, w0: e0 * inv, w1: e1 * inv, w2: e2 * inv,
                         two: two, attention: att, alpha: alpha, xi: xi, twoN: twoN)
    }

    /// The loss from precomputed stages (for grids that share y or the layer-2 quantities).
    @inlinable
    func loss(attention att: AttentionValue, two: LayerTwoAttention, alpha: Double, xi: Double) -> Double {
        terms(attention: att, two: two, alpha: alpha, xi: xi).loss
    }
}

extension ReddyModel where Attention == SoftmaxAttention {
    /// The model with the documented default `y(beta) = e^beta / (e^beta + 2N)`.
    public init(N: Int, L: Int) throws(ReddyModelError) {
        try self.init(N: N, L: L, attention: SoftmaxAttention(contextPairs: N))
    }
}
