#pragma STDC FP_CONTRACT OFF
#include "reddy_batch.h"
#include <immintrin.h>

__attribute__((target("avx512f"))) __m512d Sleef_expd8_u10avx512f(__m512d);
__attribute__((target("avx512f"))) __m512d Sleef_expm1d8_u10avx512f(__m512d);
__attribute__((target("avx512f"))) __m512d Sleef_log1pd8_u10avx512f(__m512d);

#define V __m512d
#define ADD _mm512_add_pd
#define SUB _mm512_sub_pd
#define MUL _mm512_mul_pd
#define DIV _mm512_div_pd
#define SET _mm512_set1_pd
#define PICK(mask, whenFalse, whenTrue) _mm512_mask_blend_pd(mask, whenFalse, whenTrue)

__attribute__((target("avx512f")))
static void batch(const double *beta, const double *alpha, const double *xi, long n, double twoNy, double twoNs, double a1, double a2,
                  double *loss, double *dBeta, double *dAlpha, double *dXi) {
    const V one = SET(1.0), zero = _mm512_setzero_pd(), twoN = SET(twoNs), twoN1 = SET(twoNs + 1), half = SET(0.5);
    const V twoNAttention = SET(twoNy);
    const V logN1 = SET(a1), logLN = SET(a2);
    for (long i = 0; i < n; i += 8) {
        V b = _mm512_loadu_pd(beta + i), al = _mm512_loadu_pd(alpha + i), x = _mm512_loadu_pd(xi + i);
        // Layer 1: y(beta) with e = e^{-|beta|} (SoftmaxAttention).
        __mmask8 bPos = _mm512_cmp_pd_mask(b, zero, _CMP_GE_OQ);
        V E1 = Sleef_expd8_u10avx512f(SUB(zero, _mm512_abs_pd(b)));
        V ePos = MUL(twoNAttention, E1), denPos = ADD(one, ePos), denNeg = ADD(E1, twoNAttention);
        V y = PICK(bPos, DIV(E1, denNeg), DIV(one, denPos));
        V omy = PICK(bPos, DIV(twoNAttention, denNeg), DIV(ePos, denPos));
        V dy = MUL(y, omy);
        // Layer 2 at a = alpha y (LayerTwoAttention).
        V a = MUL(al, y), absA = _mm512_abs_pd(a);
        __mmask8 aPos = _mm512_cmp_pd_mask(a, zero, _CMP_GE_OQ), small = _mm512_cmp_pd_mask(absA, half, _CMP_LE_OQ);
        V M = Sleef_expm1d8_u10avx512f(SUB(zero, absA)), Ex = Sleef_expd8_u10avx512f(SUB(zero, absA));
        // a >= 0: e = e^{-a}, 1 - e; a < 0: E = e^{a}, E - 1.
        V e = PICK(small, Ex, ADD(one, M));
        V oneMinusE = PICK(small, SUB(one, Ex), SUB(zero, M));
        V eMinus1 = PICK(small, SUB(Ex, one), M);
        V invPos = DIV(one, ADD(one, MUL(twoN, e))), invNeg = DIV(one, ADD(e, twoN));
        V p = PICK(aPos, MUL(e, invNeg), invPos);
        V pmq = PICK(aPos, MUL(eMinus1, invNeg), MUL(oneMinusE, invPos));
        V r = PICK(aPos, MUL(p, invNeg), MUL(MUL(e, invPos), invPos));
        // Log-sum-exp of (0, t1, t2) (LossTerms): the largest term's exponential is 1.
        V t1 = SUB(logN1, MUL(x, pmq)), t2 = SUB(logLN, MUL(x, p));
        __mmask8 c0 = _mm512_cmp_pd_mask(t1, zero, _CMP_LE_OQ) & _mm512_cmp_pd_mask(t2, zero, _CMP_LE_OQ);
        __mmask8 c1 = (__mmask8)(~c0) & _mm512_cmp_pd_mask(t1, t2, _CMP_GE_OQ);
        __mmask8 c2 = (__mmask8)(~c0) & (__mmask8)(~c1);
        V m = PICK(c1, PICK(c2, zero, t2), t1);
        V e0 = PICK(c0, Sleef_expd8_u10avx512f(SUB(zero, m)), one);
        V e1 = PICK(c1, Sleef_expd8_u10avx512f(SUB(t1, m)), one);
        V e2 = PICK(c2, Sleef_expd8_u10avx512f(SUB(t2, m)), one);
        V rest = PICK(c0, PICK(c1, ADD(e0, e1), ADD(e0, e2)), ADD(e1, e2));
        V inv = DIV(one, ADD(one, rest));
        V w1 = MUL(e1, inv), w2 = MUL(e2, inv);
        V g = ADD(MUL(twoN1, w1), MUL(twoN, w2));
        V la = MUL(MUL(SUB(zero, x), r), g);
        _mm512_storeu_pd(loss + i, ADD(m, Sleef_log1pd8_u10avx512f(rest)));
        _mm512_storeu_pd(dBeta + i, MUL(MUL(al, dy), la));
        _mm512_storeu_pd(dAlpha + i, MUL(y, la));
        _mm512_storeu_pd(dXi + i, SUB(zero, ADD(MUL(w1, pmq), MUL(w2, p))));
    }
}

int icl_reddy_loss_gradient(const double *beta, const double *alpha, const double *xi, long n,
                            double twoNAttention, double twoN, double logNMinus1, double logLMinusN,
                            double *loss, double *dBeta, double *dAlpha, double *dXi) {
    static int avx512 = -1;
    if (avx512 < 0) { __builtin_cpu_init(); avx512 = __builtin_cpu_supports("avx512f"); }
    if (!avx512 || n % 8 != 0) return 0;
    batch(beta, alpha, xi, n, twoNAttention, twoN, logNMinus1, logLMinusN, loss, dBeta, dAlpha, dXi);
    return 1;
}
