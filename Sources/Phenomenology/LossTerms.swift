/// The intermediate quantities of one evaluation, from which the gradient and the Hessian
/// follow in closed form.
///
/// Write `Loss = log S`, `S = sum_k c_k e^{-u_k}` over the three labels classes
/// (`u_0 = 0`, `u_1 = u`, `u_2 = u'`; `c = (1, N-1, L-N)`) and `w_k = c_k e^{-u_k} / S`
/// (the softmax weights, summing to 1). Then for any parameters `s, t`
///
///     dLoss/ds       = -E_w[du/ds]
///     d2Loss/(ds dt) = Cov_w(du/ds, du/dt) - E_w[d2u/(ds dt)]
///
/// (the covariance under the distribution `w`). In the variables `(a, xi)`, `a = alpha y`,
/// `u_k = xi f_k(a)` with `f = (0, p - q, p)`, and by `LayerTwoAttention`
/// `df/da = r (0, 2N+1, 2N)`, `d2f/da2 = r (1 - 2p) (0, 2N+1, 2N)`. With the values
/// `X = (0, 2N+1, 2N)` and `Y = (0, p - q, p)`, and `g = E_w[X] = (2N+1) w1 + 2N w2`:
///
///     L_xi   = -E_w[Y] = -(w1 (p - q) + w2 p)
///     L_a    = -xi r g
///     L_xixi = Var_w(Y)
///     L_axi  = xi r Cov_w(X, Y) - r g
///     L_aa   = (xi r)^2 Var_w(X) - xi r (1 - 2p) g
///
/// Each (co)variance is summed over pairs, `Cov(X, Y) = sum_{j<k} w_j w_k (X_j - X_k)(Y_j - Y_k)`,
/// a sum of terms of known sign with no cancellation between large numbers:
///
///     Var(X)    = w0 w1 (2N+1)^2 + w0 w2 (2N)^2 + w1 w2
///     Cov(X, Y) = w0 w1 (2N+1)(p - q) + w0 w2 2N p - w1 w2 q
///     Var(Y)    = w0 w1 (p - q)^2 + w0 w2 p^2 + w1 w2 q^2
///
/// Finally the chain rule through `a = alpha y(beta)`: `da/dalpha = y`, `da/dbeta = alpha y'`,
/// `d2a/dalpha dbeta = y'`, `d2a/dbeta2 = alpha y''`, `d2a/dalpha2 = 0`.
@usableFromInline
struct LossTerms {
    @usableFromInline var loss: Double
    @usableFromInline var w0: Double
    @usableFromInline var w1: Double
    @usableFromInline var w2: Double
    @usableFromInline var two: LayerTwoAttention
    @usableFromInline var attention: AttentionValue
    @usableFromInline var alpha: Double
    @usableFromInline var xi: Double
    @usableFromInline var twoN: Double

    @inlinable
    init(loss: Double, w0: Double, w1: Double, w2: Double, two: LayerTwoAttention,
         attention: AttentionValue, alpha: Double, xi: Double, twoN: Double) {
        self.loss = loss
        self.w0 = w0
        self.w1 = w1
        self.w2 = w2
        self.two = two
        self.attention = attention
        self.alpha = alpha
        self.xi = xi
        self.twoN = twoN
    }

    /// `g = E_w[X] = (2N+1) w1 + 2N w2`.
    @inlinable var g: Double { (twoN + 1) * w1 + twoN * w2 }

    /// `dLoss/da`.
    @inlinable var lossA: Double { -xi * two.r * g }

    /// `dLoss/dxi`.
    @inlinable var lossXi: Double { -(w1 * two.pmq + w2 * two.p) }

    /// `(dL/dbeta, dL/dalpha, dL/dxi)`.
    @inlinable var gradient: SIMD3<Double> {
        let la = lossA
        return SIMD3(alpha * attention.dy * la, attention.y * la, lossXi)
    }

    /// The Hessian in `(beta, alpha, xi)`.
    @inlinable var hessian: SymmetricMatrix3 {
        let (p, q, pmq, r) = (two.p, two.q, two.pmq, two.r)
        let n1 = twoN + 1
        let w01 = w0 * w1, w02 = w0 * w2, w12 = w1 * w2
        let varX = w01 * n1 * n1 + w02 * twoN * twoN + w12
        let covXY = w01 * n1 * pmq + w02 * twoN * p - w12 * q
        let varY = w01 * pmq * pmq + w02 * p * p + w12 * q * q
        let gg = g
        let xr = xi * r
        let la = -xr * gg
        // xr * (xr varX), not (xr xr) varX: at |xi| ~ 1e300 the weights underflow to a zero
        // variance while xr^2 overflows, and inf * 0 would be NaN where the true value is ~0.
        let laa = xr * (xr * varX) - xr * two.oneMinus2p * gg
        let lax = xr * covXY - r * gg
        let (y, dy, d2y) = (attention.y, attention.dy, attention.d2y)
        let aBeta = alpha * dy
        return SymmetricMatrix3(
            bb: laa * aBeta * aBeta + la * alpha * d2y,
            ba: laa * aBeta * y + la * dy,
            bx: lax * aBeta,
            aa: laa * y * y,
            ax: lax * y,
            xx: varY)
    }
}
