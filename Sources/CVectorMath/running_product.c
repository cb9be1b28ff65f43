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

int icl_running_product(const double *a, const double *b, double *c, long m, long k, long n, double u) {
    static int avx512 = -1;
    if (avx512 < 0) { __builtin_cpu_init(); avx512 = __builtin_cpu_supports("avx512f"); }
    if (!avx512) return 0;
    double small[2 * 256];
    double *scratch = n <= 256 ? small : malloc(2 * (size_t)n * sizeof(double));
    if (!scratch) return 0;
    product(a, b, c, m, k, n, u, scratch, scratch + n);
    if (scratch != small) free(scratch);
    return 1;
}
