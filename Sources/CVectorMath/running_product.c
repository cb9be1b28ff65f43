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

// The same loop four columns at a time with AVX2: B's pairs split by an unpack and a lane permute.
__attribute__((target("avx2")))
static void product4(const double *a, const double *b, double *c, long m, long k, long n, double us, double *cv, double *ce) {
    const __m256d u = _mm256_set1_pd(us), eta = _mm256_set1_pd(ETA);
    const __m256d sign = _mm256_set1_pd(-0.0);
    long n4 = n / 4 * 4;
    for (long i = 0; i < m; i++) {
        for (long j = 0; j < n; j++) { cv[j] = 0; ce[j] = 0; }
        for (long q = 0; q < k; q++) {
            double av = a[2 * (i * k + q)], ae = a[2 * (i * k + q) + 1];
            if (av == 0 && ae == 0) continue;
            const double *bq = b + 2 * q * n;
            __m256d AV = _mm256_set1_pd(av), AE = _mm256_set1_pd(ae), ABSA = _mm256_set1_pd(fabs(av));
            long j = 0;
            for (; j < n4; j += 4) {
                __m256d lo = _mm256_loadu_pd(bq + 2 * j), hi = _mm256_loadu_pd(bq + 2 * j + 4);
                // unpacklo/hi give (v0, v2, v1, v3) and (e0, e2, e1, e3); 0xD8 restores 0, 1, 2, 3.
                __m256d BV = _mm256_permute4x64_pd(_mm256_unpacklo_pd(lo, hi), 0xD8);
                __m256d BE = _mm256_permute4x64_pd(_mm256_unpackhi_pd(lo, hi), 0xD8);
                __m256d p = _mm256_mul_pd(AV, BV);
                __m256d pe = _mm256_add_pd(_mm256_add_pd(_mm256_add_pd(_mm256_mul_pd(ABSA, BE), _mm256_mul_pd(_mm256_andnot_pd(sign, BV), AE)),
                                                         _mm256_mul_pd(AE, BE)),
                                           _mm256_add_pd(_mm256_mul_pd(u, _mm256_andnot_pd(sign, p)), eta));
                __m256d CV = _mm256_loadu_pd(cv + j), CE = _mm256_loadu_pd(ce + j);
                __m256d s = _mm256_add_pd(CV, p);
                _mm256_storeu_pd(ce + j, _mm256_add_pd(_mm256_add_pd(CE, pe), _mm256_mul_pd(u, _mm256_andnot_pd(sign, s))));
                _mm256_storeu_pd(cv + j, s);
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

int icl_running_product(const double *a, const double *b, double *c, long m, long k, long n, double u) {
    static int level = -1;  // 2: AVX-512F, 1: AVX2, 0: neither (the caller's scalar loop)
    if (level < 0) {
        __builtin_cpu_init();
        level = __builtin_cpu_supports("avx512f") ? 2 : __builtin_cpu_supports("avx2") ? 1 : 0;
    }
    if (level == 0) return 0;
    double small[2 * 256];
    double *scratch = n <= 256 ? small : malloc(2 * (size_t)n * sizeof(double));
    if (!scratch) return 0;
    if (level == 2) product(a, b, c, m, k, n, u, scratch, scratch + n);
    else product4(a, b, c, m, k, n, u, scratch, scratch + n);
    if (scratch != small) free(scratch);
    return 1;
}
