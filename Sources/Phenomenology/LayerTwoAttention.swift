import Glibc

/// The layer-2 attention quantities at `a = alpha * y`, with `E = e^a`, `D = E + 2N`:
///
///     p   = E / D          attention of the target on its copy's label (u' = xi p)
///     q   = 1 / D          attention on each other token
///     pmq = p - q = (E - 1) / D                                        (u  = xi pmq)
///     r   = p q = E / D^2  so dp/da = p (1 - p) = 2N r,  d(pmq)/da = (2N + 1) r
///     oneMinus2p = 1 - 2p = (2N - E) / D,  so dr/da = r (1 - 2p)
///
/// Numerics: with `e = e^{-|a|} <= 1` every quantity is a ratio of terms that cannot
/// overflow: for `a >= 0`, `p = 1 / (1 + 2N e)`, `q = e / (1 + 2N e)`, `r = e / (1 + 2N e)^2`;
/// for `a < 0`, `p = E / (E + 2N)` and so on. `E - 1` is taken from `expm1(a)` when
/// `|a| <= 1/2` (where `E - 1` would cancel) and from `E - 1` otherwise (no cancellation:
/// `|E - 1| >= 0.39`), so one exponential per evaluation suffices.
@usableFromInline
struct LayerTwoAttention: Sendable {
    @usableFromInline var p: Double
    @usableFromInline var q: Double
    @usableFromInline var pmq: Double
    @usableFromInline var r: Double
    @usableFromInline var oneMinus2p: Double

    @inlinable
    init(a: Double, twoN: Double) {
        if a >= 0 {
            // e = e^{-a}; E - 1 = (1 - e) / e, so pmq = (1 - e) / (1 + 2N e).
            let e: Double, oneMinusE: Double
            if a <= 0.5 {
                let m = expm1(-a)
                e = 1 + m
                oneMinusE = -m
            } else {
                e = exp(-a)
                oneMinusE = 1 - e
            }
            let den = 1 + twoN * e
            let inv = 1 / den
            p = inv
            q = e * inv
            pmq = oneMinusE * inv
            r = q * inv
            oneMinus2p = (twoN * e - 1) * inv
        } else {
            let bigE: Double, eMinus1: Double
            if a >= -0.5 {
                let m = expm1(a)
                bigE = 1 + m
                eMinus1 = m
            } else {
                bigE = exp(a)
                eMinus1 = bigE - 1
            }
            let den = bigE + twoN
            let inv = 1 / den
            p = bigE * inv
            q = inv
            pmq = eMinus1 * inv
            r = p * inv
            oneMinus2p = (twoN - bigE) * inv
        }
    }
}
