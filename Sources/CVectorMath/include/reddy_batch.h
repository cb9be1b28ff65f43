#ifndef ICL_REDDY_BATCH_H
#define ICL_REDDY_BATCH_H

/// Reddy's loss and its exact gradient at n independent points (beta[i], alpha[i], xi[i]) for
/// the softmax map y(beta) = e^beta / (e^beta + twoNAttention) (the attention's own 2N; the
/// model's 2N, `twoN`, enters layer 2 and the loss): the same operations, in the same order,
/// as the scalar `ReddyModel.lossAndGradient` (LayerOneAttention, LayerTwoAttention,
/// LossTerms), eight points at a time on AVX-512F or four on AVX2 + FMA, with SLEEF's 1.0-ulp
/// exp, expm1 and log1p (both expm1 and exp of -|a| are computed and the scalar code's choice
/// blended in; the largest of the three softmax terms is exactly 1). Returns 0 without writing
/// when the CPU has neither (the caller then takes the scalar path); n must be a multiple of 8.
int icl_reddy_loss_gradient(const double *beta, const double *alpha, const double *xi, long n,
                            double twoNAttention, double twoN, double logNMinus1, double logLMinusN,
                            double *loss, double *dBeta, double *dAlpha, double *dXi);

#endif
