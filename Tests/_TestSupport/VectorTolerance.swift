/// How far a landscape value (the log-sum-exp of `(0, t1, t2)` by `CVectorMath`: SLEEF's exp
/// and log1p, 1.0 ulp each) may be from the scalar `ReddyModel.loss` (libm's exp and log1p, also
/// within 1 ulp) at the same point. Both compute `m + log1p(e_a + e_b)` from the same exponents
/// (bit-identical `t1`, `t2`), with `m >= 0`, `e_a, e_b <= 1`, so per side: each exponential
/// within 2u relative (1 ulp <= 2u, `u = 2^-53`), their sum within 3u, `log1p` of it within
/// 3u + 2u (its condition number `x / ((1 + x) log1p(x))` is at most 1), the final sum of two
/// non-negative numbers within 6u. Two sides: `12 u |value|`. Where an exponential is
/// subnormal (a loss below 2^-1022, e.g. `t = -739`) an ulp is absolute, `2^-1074`, and each
/// side may be 2 of them off: `+ 4 * 2^-1074`.
public func landscapeTolerance(_ reference: Double) -> Double {
    12 * 0x1p-53 * abs(reference) + 4 * Double.leastNonzeroMagnitude
}
