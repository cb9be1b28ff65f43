#pragma STDC FP_CONTRACT OFF
#include "running_product.h"
#include <immintrin.h>
#include <math.h>
#include <stdlib.h>

#define ETA 4.9406564584124654e-324

// Row i of C is accumulated in value/error scratch rows, then written as (value, error) pairs;
// B's pairs are split into values and errors eight columns at a time with two permutes.
__attribute__((target("avx512f")))
static void product(const double *a, const double *b, double *c, long m, long k, long n, double us, double *cv, double *ce) {
    const __m512d u = _mm512_set1_pd(us), eta = _mm512_set1_pd(ETA);
    const __m512i even = _mm512_set_epi64(14, 12, 10, 8, 6, 4, 2, 0), odd = _mm512_set_epi64(15, 13, 11, 9, 7, 5, 3, 1);
    long n8 = n / 8 * 8;
    for (long i = 0; i < m; i++) {
        for (long j = 0; j < n; j++) { cv[j] = 0; ce[j] = 0; }
        for (long q = 0; q < k; q++) {
            double av = a[2 * (i * k + q)], ae = a[2 * (i * k + q) + 1];
            if (av == 0 && ae == 0) continue;
            const double *bq = b + 2 * q * n;
            __m512d AV = _mm512_set1_pd(av), AE = _mm512_set1_pd(ae), ABSA = _mm512_set1_pd(fabs(av));
            long j = 0;
            for (; j < n8; j += 8) {
                __m512d lo = _mm512_loadu_pd(bq + 2 * j), hi = _mm512_loadu_pd(bq + 2 * j + 8);
                __m512d BV = _mm512_permutex2var_pd(lo, even, hi), BE = _mm512_permutex2var_pd(lo, odd, hi);
                __m512d p = _mm512_mul_pd(AV, BV);
                __m512d pe = _mm512_add_pd(_mm512_add_pd(_mm512_add_pd(_mm512_mul_pd(ABSA, BE), _mm512_mul_pd(_mm512_abs_pd(BV), AE)),
                                                         _mm512_mul_pd(AE, BE)),
                                           _mm512_add_pd(_mm512_mul_pd(u, _mm512_abs_pd(p)), eta));
                __m512d CV = _mm512_loadu_pd(cv + j), CE = _mm512_loadu_pd(ce + j);
                __m512d s = _mm512_add_pd(CV, p);
                _mm512_storeu_pd(ce + j, _mm512_add_pd(_mm512_add_pd(CE, pe), _mm512_mul_pd(u, _mm512_abs_pd(s))));
                _mm512_storeu_pd(cv + j, s);
            }
            for (; j < n; j++) {
                double bv = bq[2 * j], be = bq[2 * j + 1];
                double p = av * bv;
                double pe = (fabs(av) * be + fabs(bv) * ae + ae * be) + (us * fabs(p) + ETA);
                double s = cv[j] + p;
                ce[j] = (ce[j] + pe) + us * fabs(s);
                cv[j] = s;
            }
        }
        for (long j = 0; j < n; j++) { c[2 * (i * n + j)] = cv[j]; c[2 * (i * n + j) + 1] = ce[j]; }
    }
}

// One accumulation step of four entries of row i: p = a b, its bound pe, then c += p with the
// sum's rounding (the operations and order of the scalar loop).
#define ACCUMULATE4(CV, CE, BV, BE)                                                                         \
    do {                                                                                                  \
        __m256d p_ = _mm256_mul_pd(AV, BV);                                                               \
        __m256d pe_ = _mm256_add_pd(_mm256_add_pd(_mm256_add_pd(_mm256_mul_pd(ABSA, BE),                  \
                                                                _mm256_mul_pd(_mm256_andnot_pd(sign, BV), AE)), \
                                                  _mm256_mul_pd(AE, BE)),                                 \
                                    _mm256_add_pd(_mm256_mul_pd(u, _mm256_andnot_pd(sign, p_)), eta));    \
        __m256d s_ = _mm256_add_pd(CV, p_);                                                               \
        CE = _mm256_add_pd(_mm256_add_pd(CE, pe_), _mm256_mul_pd(u, _mm256_andnot_pd(sign, s_)));         \
        CV = s_;                                                                                          \
    } while (0)

// Four (value, error) pairs at b split into values and errors: unpacklo/hi give (v0, v2, v1, v3)
// and (e0, e2, e1, e3); the lane permute 0xD8 restores the order 0, 1, 2, 3.
#define SPLIT4(B, BV, BE)                                                                      \
    do {                                                                                       \
        __m256d lo_ = _mm256_loadu_pd(B), hi_ = _mm256_loadu_pd((B) + 4);                      \
        BV = _mm256_permute4x64_pd(_mm256_unpacklo_pd(lo_, hi_), 0xD8);                        \
        BE = _mm256_permute4x64_pd(_mm256_unpackhi_pd(lo_, hi_), 0xD8);                        \
    } while (0)

// Four values and errors written back as (value, error) pairs at c.
#define STORE4(C, CV, CE)                                                                      \
    do {                                                                                       \
        __m256d lo_ = _mm256_unpacklo_pd(CV, CE), hi_ = _mm256_unpackhi_pd(CV, CE);            \
        _mm256_storeu_pd(C, _mm256_permute2f128_pd(lo_, hi_, 0x20));                           \
        _mm256_storeu_pd((C) + 4, _mm256_permute2f128_pd(lo_, hi_, 0x31));                     \
    } while (0)

// The same loop with AVX2, eight columns of C held in registers while q runs over the inner
// dimension, then four; the last n mod 4 columns run as one group of four over a copy of B's
// last columns padded with zeros (`tail`, k x 4 pairs), of which only the real lanes are stored.
// Each entry still accumulates its products in the order q = 0, 1, ..., with the scalar loop's
// operations, so the result is bit-identical to it.
__attribute__((target("avx2")))
static void product4(const double *a, const double *b, double *c, long m, long k, long n, double us, double *tail) {
    const __m256d u = _mm256_set1_pd(us), eta = _mm256_set1_pd(ETA), sign = _mm256_set1_pd(-0.0);
    const long rest = n % 4, j4 = n - rest;
    for (long q = 0; rest > 0 && q < k; q++) {
        for (long j = 0; j < 4; j++) {
            tail[8 * q + 2 * j] = j < rest ? b[2 * (q * n + j4 + j)] : 0;
            tail[8 * q + 2 * j + 1] = j < rest ? b[2 * (q * n + j4 + j) + 1] : 0;
        }
    }
    for (long i = 0; i < m; i++) {
        const double *ai = a + 2 * i * k;
        double *ci = c + 2 * i * n;
        long j = 0;
        for (; j + 8 <= n; j += 8) {
            __m256d V0 = _mm256_setzero_pd(), E0 = V0, V1 = V0, E1 = V0;
            for (long q = 0; q < k; q++) {
                double av = ai[2 * q], ae = ai[2 * q + 1];
                if (av == 0 && ae == 0) continue;
                __m256d AV = _mm256_set1_pd(av), AE = _mm256_set1_pd(ae), ABSA = _mm256_set1_pd(fabs(av));
                const double *bq = b + 2 * (q * n + j);
                __m256d BV0, BE0, BV1, BE1;
                SPLIT4(bq, BV0, BE0);
                SPLIT4(bq + 8, BV1, BE1);
                ACCUMULATE4(V0, E0, BV0, BE0);
                ACCUMULATE4(V1, E1, BV1, BE1);
            }
            STORE4(ci + 2 * j, V0, E0);
            STORE4(ci + 2 * j + 8, V1, E1);
        }
        // Four at a time, then the padded tail: the same loop over rows of B or of `tail`.
        for (; j < n; j += 4) {
            const double *bj = j < j4 ? b + 2 * j : tail;
            const long stride = j < j4 ? 2 * n : 8;
            __m256d V0 = _mm256_setzero_pd(), E0 = V0;
            for (long q = 0; q < k; q++) {
                double av = ai[2 * q], ae = ai[2 * q + 1];
                if (av == 0 && ae == 0) continue;
                __m256d AV = _mm256_set1_pd(av), AE = _mm256_set1_pd(ae), ABSA = _mm256_set1_pd(fabs(av));
                __m256d BV0, BE0;
                SPLIT4(bj + q * stride, BV0, BE0);
                ACCUMULATE4(V0, E0, BV0, BE0);
            }
            if (j < j4) {
                STORE4(ci + 2 * j, V0, E0);
            } else {
                double last[8];
                STORE4(last, V0, E0);
                for (long t = 0; t < 2 * rest; t++) ci[2 * j + t] = last[t];
            }
        }
    }
}

int icl_running_product(const double *a, const double *b, double *c, long m, long k, long n, double u) {
    static int level = -1;  // 2: AVX-512F, 1: AVX2, 0: neither (the caller's scalar loop)
    if (level < 0) {
        __builtin_cpu_init();
        level = __builtin_cpu_supports("avx512f") ? 2 : __builtin_cpu_supports("avx2") ? 1 : 0;
    }
    if (level == 0) return 0;
    // Scratch: two rows of C for AVX-512, the padded tail of B (k x 4 pairs) for AVX2.
    long need = level == 2 ? 2 * n : (n % 4 ? 8 * k : 0);
    double small[2048];
    double *scratch = need <= 2048 ? small : malloc((size_t)need * sizeof(double));
    if (!scratch) return 0;
    if (level == 2) product(a, b, c, m, k, n, u, scratch, scratch + n);
    else product4(a, b, c, m, k, n, u, scratch);
    if (scratch != small) free(scratch);
    return 1;
}
