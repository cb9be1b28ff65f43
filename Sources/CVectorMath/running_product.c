#pragma STDC FP_CONTRACT OFF
#include "running_product.h"
#include <immintrin.h>
#include <math.h>

__attribute__((target("avx512f")))
static void product(const double *a, const double *bv, const double *be, double *cv, double *ce,
                    long m, long k, long n, double us) {
    const __m512d u = _mm512_set1_pd(us), eta = _mm512_set1_pd(4.9406564584124654e-324);
    long n8 = n / 8 * 8;
    for (long i = 0; i < m; i++) {
        double *cvi = cv + i * n, *cei = ce + i * n;
        for (long q = 0; q < k; q++) {
            double av = a[2 * (i * k + q)], ae = a[2 * (i * k + q) + 1];
            if (av == 0 && ae == 0) continue;
            const double *bvq = bv + q * n, *beq = be + q * n;
            __m512d AV = _mm512_set1_pd(av), AE = _mm512_set1_pd(ae), ABSA = _mm512_set1_pd(fabs(av));
            long j = 0;
            for (; j < n8; j += 8) {
                __m512d BV = _mm512_loadu_pd(bvq + j), BE = _mm512_loadu_pd(beq + j);
                __m512d p = _mm512_mul_pd(AV, BV);
                __m512d pe = _mm512_add_pd(_mm512_add_pd(_mm512_add_pd(_mm512_mul_pd(ABSA, BE), _mm512_mul_pd(_mm512_abs_pd(BV), AE)),
                                                         _mm512_mul_pd(AE, BE)),
                                           _mm512_add_pd(_mm512_mul_pd(u, _mm512_abs_pd(p)), eta));
                __m512d CV = _mm512_loadu_pd(cvi + j), CE = _mm512_loadu_pd(cei + j);
                __m512d s = _mm512_add_pd(CV, p);
                _mm512_storeu_pd(cei + j, _mm512_add_pd(_mm512_add_pd(CE, pe), _mm512_mul_pd(u, _mm512_abs_pd(s))));
                _mm512_storeu_pd(cvi + j, s);
            }
            for (; j < n; j++) {
                double p = av * bvq[j];
                double pe = (fabs(av) * beq[j] + fabs(bvq[j]) * ae + ae * beq[j]) + (us * fabs(p) + 4.9406564584124654e-324);
                double s = cvi[j] + p;
                cei[j] = (cei[j] + pe) + us * fabs(s);
                cvi[j] = s;
            }
        }
    }
}

int icl_running_product(const double *a, const double *bValues, const double *bErrors,
                        double *cValues, double *cErrors, long m, long k, long n, double u) {
    static int avx512 = -1;
    if (avx512 < 0) { __builtin_cpu_init(); avx512 = __builtin_cpu_supports("avx512f"); }
    if (!avx512) return 0;
    product(a, bValues, bErrors, cValues, cErrors, m, k, n, u);
    return 1;
}
