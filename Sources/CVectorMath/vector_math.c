#include "vector_math.h"
#include <immintrin.h>
#include <math.h>

// SLEEF 3.5's AVX2 functions, declared here with the AVX2 calling convention: sleef.h declares
// its __m256d functions only when the whole file is compiled for AVX, and this file is not (the
// package uses no target-wide flags); the vector path is chosen at run time.
__attribute__((target("avx2,fma"))) __m256d Sleef_expd4_u10avx2(__m256d);
__attribute__((target("avx2,fma"))) __m256d Sleef_log1pd4_u10avx2(__m256d);

static double scalar_log_sum_exp3(double a, double b) {
    double m = fmax(0.0, fmax(a, b));
    double lo = fmin(0.0, fmin(a, b));
    double mid = fmax(fmin(0.0, a), fmin(fmax(0.0, a), b));
    return m + log1p(exp(mid - m) + exp(lo - m));
}

__attribute__((target("avx2,fma")))
static void avx2_log_sum_exp3(const double *t1, const double *t2, double *out, long n) {
    const __m256d zero = _mm256_setzero_pd();
    long i = 0;
    for (; i + 4 <= n; i += 4) {
        __m256d a = _mm256_loadu_pd(t1 + i), b = _mm256_loadu_pd(t2 + i);
        __m256d m = _mm256_max_pd(zero, _mm256_max_pd(a, b));
        __m256d lo = _mm256_min_pd(zero, _mm256_min_pd(a, b));
        __m256d mid = _mm256_max_pd(_mm256_min_pd(zero, a), _mm256_min_pd(_mm256_max_pd(zero, a), b));
        __m256d rest = _mm256_add_pd(Sleef_expd4_u10avx2(_mm256_sub_pd(mid, m)), Sleef_expd4_u10avx2(_mm256_sub_pd(lo, m)));
        _mm256_storeu_pd(out + i, _mm256_add_pd(m, Sleef_log1pd4_u10avx2(rest)));
    }
    for (; i < n; i++) out[i] = scalar_log_sum_exp3(t1[i], t2[i]);
}

int icl_log_sum_exp3_is_vectorized(void) {
    static int cached = -1;
    if (cached < 0) {
        __builtin_cpu_init();
        cached = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    }
    return cached;
}

void icl_log_sum_exp3(const double *t1, const double *t2, double *out, long n) {
    if (icl_log_sum_exp3_is_vectorized()) {
        avx2_log_sum_exp3(t1, t2, out, n);
    } else {
        for (long i = 0; i < n; i++) out[i] = scalar_log_sum_exp3(t1[i], t2[i]);
    }
}
