#pragma STDC FP_CONTRACT OFF
#include "reddy_batch.h"
#include <immintrin.h>

__attribute__((target("avx512f"))) __m512d Sleef_expd8_u10avx512f(__m512d);
__attribute__((target("avx512f"))) __m512d Sleef_expm1d8_u10avx512f(__m512d);
__attribute__((target("avx512f"))) __m512d Sleef_log1pd8_u10avx512f(__m512d);
// AVX2 with the AVX2 calling convention (see vector_math.c).
__attribute__((target("avx2,fma"))) __m256d Sleef_expd4_u10avx2(__m256d);
__attribute__((target("avx2,fma"))) __m256d Sleef_expm1d4_u10avx2(__m256d);
__attribute__((target("avx2,fma"))) __m256d Sleef_log1pd4_u10avx2(__m256d);

// Eight points at a time on AVX-512F: lane masks are __mmask8.
#define W 8
#define V __m512d
#define M __mmask8
#define LOAD _mm512_loadu_pd
#define STORE _mm512_storeu_pd
#define ADD _mm512_add_pd
#define SUB _mm512_sub_pd
#define MUL _mm512_mul_pd
#define DIV _mm512_div_pd
#define SET _mm512_set1_pd
#define ABS _mm512_abs_pd
#define GE(a, b) _mm512_cmp_pd_mask(a, b, _CMP_GE_OQ)
#define LE(a, b) _mm512_cmp_pd_mask(a, b, _CMP_LE_OQ)
#define AND(a, b) ((__mmask8)((a) & (b)))
#define ANDNOT(a, b) ((__mmask8)(~(a) & (b)))
#define ALL ((__mmask8)0xFF)
#define PICK(mask, whenFalse, whenTrue) _mm512_mask_blend_pd(mask, whenFalse, whenTrue)
#define EXP Sleef_expd8_u10avx512f
#define EXPM1 Sleef_expm1d8_u10avx512f
#define LOG1P Sleef_log1pd8_u10avx512f

#define BATCH batch8
#define TARGET __attribute__((target("avx512f")))
#include "reddy_batch_body.h"

#undef BATCH
#undef TARGET
#undef W
#undef V
#undef M
#undef LOAD
#undef STORE
#undef ADD
#undef SUB
#undef MUL
#undef DIV
#undef SET
#undef ABS
#undef GE
#undef LE
#undef AND
#undef ANDNOT
#undef ALL
#undef PICK
#undef EXP
#undef EXPM1
#undef LOG1P

// Four points at a time on AVX2: lane masks are vectors whose lanes are all ones or all zeros.
#define W 4
#define V __m256d
#define M __m256d
#define LOAD _mm256_loadu_pd
#define STORE _mm256_storeu_pd
#define ADD _mm256_add_pd
#define SUB _mm256_sub_pd
#define MUL _mm256_mul_pd
#define DIV _mm256_div_pd
#define SET _mm256_set1_pd
#define ABS(x) _mm256_andnot_pd(_mm256_set1_pd(-0.0), x)
#define GE(a, b) _mm256_cmp_pd(a, b, _CMP_GE_OQ)
#define LE(a, b) _mm256_cmp_pd(a, b, _CMP_LE_OQ)
#define AND _mm256_and_pd
#define ANDNOT _mm256_andnot_pd
#define ALL _mm256_castsi256_pd(_mm256_set1_epi64x(-1))
#define PICK(mask, whenFalse, whenTrue) _mm256_blendv_pd(whenFalse, whenTrue, mask)
#define EXP Sleef_expd4_u10avx2
#define EXPM1 Sleef_expm1d4_u10avx2
#define LOG1P Sleef_log1pd4_u10avx2

#define BATCH batch4
#define TARGET __attribute__((target("avx2,fma")))
#include "reddy_batch_body.h"

int icl_reddy_loss_gradient(const double *beta, const double *alpha, const double *xi, long n,
                            double twoNAttention, double twoN, double logNMinus1, double logLMinusN,
                            double *loss, double *dBeta, double *dAlpha, double *dXi) {
    static int level = -1;  // 2: AVX-512F, 1: AVX2 + FMA, 0: neither (the caller's scalar loop)
    if (level < 0) {
        __builtin_cpu_init();
        level = __builtin_cpu_supports("avx512f") ? 2 : (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) ? 1 : 0;
    }
    if (level == 0 || n % 8 != 0) return 0;
    if (level == 2) batch8(beta, alpha, xi, n, twoNAttention, twoN, logNMinus1, logLMinusN, loss, dBeta, dAlpha, dXi);
    else batch4(beta, alpha, xi, n, twoNAttention, twoN, logNMinus1, logLMinusN, loss, dBeta, dAlpha, dXi);
    return 1;
}
