#ifndef ICL_RUNNING_PRODUCT_H
#define ICL_RUNNING_PRODUCT_H

/// The running-error matrix product C = A B (Linalg's `Matrix<RunningError>.runningProduct`):
/// A (m x k), B (k x n) and C (m x n) as row-major (value, error) pairs. For k = 0, 1, ...
/// and skipping the exact zeros of A, from C = 0:
///
///     p = a_v b_v,  pe = (|a_v| b_e + |b_v| a_e + a_e b_e) + (u |p| + 2^-1074),
///     s = c_v + p,  c_e = (c_e + pe) + u |s|,  c_v = s,
///
/// the same operations in the same order as the scalar loop, eight columns at a time on
/// AVX-512F, eight then four (the last n mod 4 padded to four) on AVX2. Returns 0 without
/// writing when the CPU has neither.
int icl_running_product(const double *a, const double *b, double *c, long m, long k, long n, double u);

#endif
