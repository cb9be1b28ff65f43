#pragma STDC FP_CONTRACT OFF
#include "small_product.h"
#include <immintrin.h>

// Every entry of C is s = c or 0, then s = s + a_p * b_p for p = 0, 1, ..., k - 1: a rounded
// product, then a rounded sum (AVX has no fused multiply-add, and FP_CONTRACT is off), the
// operations and order of Linalg's `SmallProducts` Swift loops, so the results are the same bits.
// Blocks of 4 rows x 8 columns (8 accumulators), then 4 x 4, then single rows.
__attribute__((target("avx")))
static void product(const double *a, long lda, int transposeA, const double *b, long ldb, double *c, long ldc,
                    long m, long n, long k, int accumulate) {
    const long rowStride = transposeA ? 1 : lda, depthStride = transposeA ? lda : 1;
    long i = 0;
    for (; i + 4 <= m; i += 4) {
        const double *a0 = a + i * rowStride, *a1 = a0 + rowStride, *a2 = a1 + rowStride, *a3 = a2 + rowStride;
        double *c0 = c + i * ldc, *c1 = c0 + ldc, *c2 = c1 + ldc, *c3 = c2 + ldc;
        long col = 0;
        for (; col + 8 <= n; col += 8) {
            __m256d s0 = _mm256_setzero_pd(), s1 = s0, s2 = s0, s3 = s0, t0 = s0, t1 = s0, t2 = s0, t3 = s0;
            if (accumulate) {
                s0 = _mm256_loadu_pd(c0 + col); t0 = _mm256_loadu_pd(c0 + col + 4);
                s1 = _mm256_loadu_pd(c1 + col); t1 = _mm256_loadu_pd(c1 + col + 4);
                s2 = _mm256_loadu_pd(c2 + col); t2 = _mm256_loadu_pd(c2 + col + 4);
                s3 = _mm256_loadu_pd(c3 + col); t3 = _mm256_loadu_pd(c3 + col + 4);
            }
            const double *bp = b + col;
            long o = 0;
            for (long p = 0; p < k; p++, bp += ldb, o += depthStride) {
                __m256d bv = _mm256_loadu_pd(bp), bw = _mm256_loadu_pd(bp + 4);
                __m256d x0 = _mm256_broadcast_sd(a0 + o), x1 = _mm256_broadcast_sd(a1 + o);
                __m256d x2 = _mm256_broadcast_sd(a2 + o), x3 = _mm256_broadcast_sd(a3 + o);
                s0 = _mm256_add_pd(s0, _mm256_mul_pd(x0, bv)); t0 = _mm256_add_pd(t0, _mm256_mul_pd(x0, bw));
                s1 = _mm256_add_pd(s1, _mm256_mul_pd(x1, bv)); t1 = _mm256_add_pd(t1, _mm256_mul_pd(x1, bw));
                s2 = _mm256_add_pd(s2, _mm256_mul_pd(x2, bv)); t2 = _mm256_add_pd(t2, _mm256_mul_pd(x2, bw));
                s3 = _mm256_add_pd(s3, _mm256_mul_pd(x3, bv)); t3 = _mm256_add_pd(t3, _mm256_mul_pd(x3, bw));
            }
            _mm256_storeu_pd(c0 + col, s0); _mm256_storeu_pd(c0 + col + 4, t0);
            _mm256_storeu_pd(c1 + col, s1); _mm256_storeu_pd(c1 + col + 4, t1);
            _mm256_storeu_pd(c2 + col, s2); _mm256_storeu_pd(c2 + col + 4, t2);
            _mm256_storeu_pd(c3 + col, s3); _mm256_storeu_pd(c3 + col + 4, t3);
        }
        for (; col < n; col += 4) {
            __m256d s0 = _mm256_setzero_pd(), s1 = s0, s2 = s0, s3 = s0;
            if (accumulate) {
                s0 = _mm256_loadu_pd(c0 + col); s1 = _mm256_loadu_pd(c1 + col);
                s2 = _mm256_loadu_pd(c2 + col); s3 = _mm256_loadu_pd(c3 + col);
            }
            const double *bp = b + col;
            long o = 0;
            for (long p = 0; p < k; p++, bp += ldb, o += depthStride) {
                __m256d bv = _mm256_loadu_pd(bp);
                s0 = _mm256_add_pd(s0, _mm256_mul_pd(_mm256_broadcast_sd(a0 + o), bv));
                s1 = _mm256_add_pd(s1, _mm256_mul_pd(_mm256_broadcast_sd(a1 + o), bv));
                s2 = _mm256_add_pd(s2, _mm256_mul_pd(_mm256_broadcast_sd(a2 + o), bv));
                s3 = _mm256_add_pd(s3, _mm256_mul_pd(_mm256_broadcast_sd(a3 + o), bv));
            }
            _mm256_storeu_pd(c0 + col, s0); _mm256_storeu_pd(c1 + col, s1);
            _mm256_storeu_pd(c2 + col, s2); _mm256_storeu_pd(c3 + col, s3);
        }
    }
    for (; i < m; i++) {
        const double *ai = a + i * rowStride;
        double *ci = c + i * ldc;
        for (long col = 0; col < n; col += 4) {
            __m256d s = accumulate ? _mm256_loadu_pd(ci + col) : _mm256_setzero_pd();
            const double *bp = b + col;
            long o = 0;
            for (long p = 0; p < k; p++, bp += ldb, o += depthStride) {
                s = _mm256_add_pd(s, _mm256_mul_pd(_mm256_broadcast_sd(ai + o), _mm256_loadu_pd(bp)));
            }
            _mm256_storeu_pd(ci + col, s);
        }
    }
}

int icl_small_product(const double *a, long lda, int transposeA, const double *b, long ldb, double *c, long ldc,
                      long m, long n, long k, int accumulate) {
    if (!__builtin_cpu_supports("avx") || n % 4 != 0) return 0;
    product(a, lda, transposeA, b, ldb, c, ldc, m, n, k, accumulate);
    return 1;
}
