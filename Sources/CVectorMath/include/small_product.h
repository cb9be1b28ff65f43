#ifndef ICL_SMALL_PRODUCT_H
#define ICL_SMALL_PRODUCT_H

/// `C (+)= op(A) B` for Linalg's `SmallProducts` (row-major; `op(A)` is `m x k`, stored `m x k`
/// with leading dimension `lda` or, with `transposeA`, `k x m`; `B` is `k x n`, `n % 4 == 0`) on
/// 256-bit AVX registers: each entry's sum runs over `p` in increasing order from `C` (with
/// `accumulate`) or 0, one rounded product and one rounded sum per term, exactly as the Swift
/// `SIMD4` loops, so the result is the same bits, computed four columns per instruction instead of
/// two. Returns 0 without writing when the CPU has no AVX (or `n % 4 != 0`).
int icl_small_product(const double *a, long lda, int transposeA, const double *b, long ldb, double *c, long ldc,
                      long m, long n, long k, int accumulate);

#endif
