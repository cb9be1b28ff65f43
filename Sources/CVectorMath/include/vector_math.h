#ifndef ICL_VECTOR_MATH_H
#define ICL_VECTOR_MATH_H

/// The three-term log-sum-exp of Reddy's loss along a row of a grid:
///
///     out[i] = log(e^0 + e^{t1[i]} + e^{t2[i]}) = m + log1p(e^{mid - m} + e^{lo - m}),
///
/// with m, mid, lo the largest, middle and smallest of (0, t1[i], t2[i]) (found with min/max,
/// exactly): the largest term's exponential is 1 and is not computed, the other two are at most
/// 1, and the result is a sum of non-negative numbers (no cancellation). A NaN exponent gives NaN. On a CPU with AVX2 and
/// FMA, four entries at a time with SLEEF's 1.0-ulp `Sleef_expd4_u10avx2` and
/// `Sleef_log1pd4_u10avx2`; otherwise (and for the last n mod 4 entries) libm's exp and log1p.
void icl_log_sum_exp3(const double *t1, const double *t2, double *out, long n);

/// The path icl_log_sum_exp3 takes on this CPU: 0 scalar (libm), 1 AVX2, 2 AVX-512F.
int icl_log_sum_exp3_is_vectorized(void);

#endif
