#!/usr/bin/env python3
"""Reference values for what `icl reproduce` reports, computed in NumPy float64 from the
papers' definitions (REFERENCE.md sections 1 and 2, von Oswald et al. 2023, Ahn et al. 2023),
written independently of the Swift code:

* the tasks: Philox4x32-10 (Salmon et al. 2011; checked here against Random123's known answer)
  keyed by the 64-bit seed, counter (block, task, step, purpose), a uniform u = (w + 1/2) 2^-32
  per 32-bit word, W = Phi^-1(u) (Python's statistics.NormalDist, Wichura's AS 241), then the
  N + 1 inputs x = -1/2 + u (the von Oswald setting, x ~ U(-1/2, 1/2)^d), y = W x; the query
  label is the target and the query token carries y = 0;
* eta* = argmin_eta sum_b (eta g_b - y_b)^2 with g_b = (1/N) sum_i y_i x_i^T x_q (one GD step
  from W_0 = 0), on the VALIDATION tasks; the GD loss at eta* and the zero predictor's loss
  (half mean squared error) on the TEST tasks;
* a fixed one-layer LSA (M = W_K^T W_Q, V = P W_V given as D x D matrices) evaluated literally
  as e_j <- e_j + V E_ctx E_ctx^T M e_j, yhat = -(query's y-entry); its d yhat / d x_q by
  central differences (yhat is linear in x_q for one layer, so the difference is exact up to
  rounding); preds diff = mean_b |yhat_model - yhat_GD|, model cos = mean_b of
  <s_model, s_GD> / ((|s_model| + 1e-8)(|s_GD| + 1e-8)), model diff = mean_b |s_model - s_GD|;
* the model's effective preconditioner read off its input-output map by probing (one context
  example (e_a, t), the query e_b: the part of yhat odd in t is t e_b^T Gamma e_a / N), and its
  relative Frobenius error to Gamma_0 = ((N+1)/N Sigma + tr(Sigma)/N I)^-1 for a fixed Sigma;
* K = 2 steps of GD++ as the algorithm (von Oswald A.10: for every token x <- x - gamma X X^T x,
  y <- y - (eta/N) Y X^T x, with X, Y the context before the step; yhat = -y_q) at fixed
  (eta_k, gamma_k), and K = 2 steps of GD (gamma = 0), their half-MSE losses on the test tasks.

Every float is written as its repr (shortest round-trip string). Usage:
  python3 Fixtures/training/make_reference.py > Fixtures/training/reference.json
(numpy and the standard library only; deterministic).
"""
import json
import statistics

import numpy as np

M32 = 0xFFFFFFFF


def philox4x32_10(c, key):
    """Philox4x32-10 on counters c = (c0, c1, c2, c3) (uint64 arrays holding 32-bit words)."""
    c0, c1, c2, c3 = (np.asarray(x, dtype=np.uint64) for x in c)
    k0, k1 = np.uint64(key[0]), np.uint64(key[1])
    for r in range(10):
        if r > 0:
            k0 = np.uint64((int(k0) + 0x9E3779B9) & M32)
            k1 = np.uint64((int(k1) + 0xBB67AE85) & M32)
        p0 = np.uint64(0xD2511F53) * c0
        p1 = np.uint64(0xCD9E8D57) * c2
        hi0, lo0 = p0 >> np.uint64(32), p0 & np.uint64(M32)
        hi1, lo1 = p1 >> np.uint64(32), p1 & np.uint64(M32)
        c0, c1, c2, c3 = hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0
    return c0, c1, c2, c3


# Random123's known-answer test (kat_vectors: philox4x32 10, counter 0, key 0).
assert [int(v[0]) for v in philox4x32_10(([0], [0], [0], [0]), (0, 0))] == [0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8]
assert [int(v[0]) for v in philox4x32_10(([M32], [M32], [M32], [M32]), (M32, M32))] == [0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD]

PURPOSE = {"training": 0, "validation": 1, "initialization": 2, "test": 3}
NORMAL = statistics.NormalDist()


def words(seed, purpose, step, item, count):
    """The first `count` 32-bit words of the stream (seed, purpose, step, item): word k is word
    k mod 4 of the block with counter (k div 4, item, step, purpose)."""
    blocks = (count + 3) // 4
    b = np.arange(blocks, dtype=np.uint64)
    out = philox4x32_10((b, np.full(blocks, item), np.full(blocks, step), np.full(blocks, PURPOSE[purpose])),
                        (seed & M32, seed >> 32))
    return np.stack(out, axis=1).ravel()[:count]


def uniform(w):
    return (w.astype(np.float64) + 0.5) * 2.0 ** -32


def tasks(seed, purpose, count, d, n):
    """count tasks of the von Oswald setting: inputs X (count, n+1, d), labels Y (count, n+1)."""
    xs, ys = [], []
    for b in range(count):
        u = uniform(words(seed, purpose, 0, b, d + (n + 1) * d))
        w = np.array([NORMAL.inv_cdf(float(v)) for v in u[:d]])
        x = (-0.5 + u[d:]).reshape(n + 1, d)
        xs.append(x)
        ys.append(x @ w)
    return np.array(xs), np.array(ys)


def one_step_gd_feature(x, y, n):
    """g_b = (1/N) sum_i y_i x_i^T x_q: the prediction of one GD step from W_0 = 0 at eta = 1."""
    return np.einsum("bi,bid,bd->b", y[:, :n], x[:, :n], x[:, n]) / n


def lsa_one_layer(m, v, x, y, n):
    """One LSA layer, literally: tokens e_j = (x_j, y_j) (the query with y = 0), every token
    e_j <- e_j + V (sum_{i<=N} e_i e_i^T) M e_j; the prediction is minus the query's y-entry."""
    e = np.concatenate([x, y[..., None]], axis=2).copy()
    e[:, n, -1] = 0.0
    yhat = np.empty(len(x))
    for b in range(len(x)):
        ctx = e[b, :n].T                       # D x N
        q = e[b, n]
        yhat[b] = -(q + v @ ctx @ ctx.T @ m @ q)[-1]
    return yhat


def sensitivities(m, v, x, y, n, h=1e-3):
    """d yhat / d x_q by central differences (exact up to rounding: yhat is linear in x_q)."""
    d = x.shape[2]
    s = np.empty((len(x), d))
    for a in range(d):
        xp, xm = x.copy(), x.copy()
        xp[:, n, a] += h
        xm[:, n, a] -= h
        s[:, a] = (lsa_one_layer(m, v, xp, y, n) - lsa_one_layer(m, v, xm, y, n)) / (2 * h)
    return s


def gd_plus_plus(x, y, n, etas, gammas):
    """K steps of GD++ (von Oswald A.10) from W_0 = 0 on every task; returns yhat = -y_q."""
    x = x.copy()
    r = y.copy()
    r[:, n] = 0.0
    for eta, gamma in zip(etas, gammas):
        X = x[:, :n]                            # (B, N, d), before the step
        R = r[:, :n]
        xx = np.einsum("bid,bie->bde", X, X)    # X X^T (d x d)
        ry = np.einsum("bi,bid->bd", R, X)      # Y X^T
        dr = (eta / n) * np.einsum("bd,bjd->bj", ry, x)
        x = x - gamma * np.einsum("bde,bje->bjd", xx, x)
        r = r - dr
    return -r[:, n]


def effective_preconditioner(m, v, d, n):
    """Gamma with yhat = x_q^T Gamma (1/N) sum_i y_i x_i, read off the model's input-output map:
    one context example (e_a, t), the query (e_b, 0); the part odd in t is t Gamma[b, a] / N."""
    gamma = np.zeros((d, d))
    for a in range(d):
        for b in range(d):
            x = np.zeros((1, n + 1, d))
            x[0, 0, a] = 1.0
            x[0, n, b] = 1.0
            yp, ym = np.zeros((1, n + 1)), np.zeros((1, n + 1))
            yp[0, 0], ym[0, 0] = 1.0, -1.0
            odd = (lsa_one_layer(m, v, x, yp, n)[0] - lsa_one_layer(m, v, x, ym, n)[0]) / 2
            gamma[b, a] = n * odd
    return gamma


def s(x):
    return repr(float(x))


def vec(a):
    return [s(v) for v in np.asarray(a, dtype=np.float64).ravel()]


def main():
    d = n = 10
    D = d + 1
    seed = (5 << 32) + 7                        # high 32 bits set: the key uses both words
    validation_count, test_count = 192, 160
    xv, yv = tasks(seed, "validation", validation_count, d, n)
    xt, yt = tasks(seed, "test", test_count, d, n)

    gv = one_step_gd_feature(xv, yv, n)
    eta_star = np.sum(gv * yv[:, n]) / np.sum(gv * gv)
    gt = one_step_gd_feature(xt, yt, n)
    gd_pred = eta_star * gt
    gd_loss = 0.5 * np.mean((gd_pred - yt[:, n]) ** 2)
    zero_loss = 0.5 * np.mean(yt[:, n] ** 2)
    # For contrast (the mistake "eta* fitted on the test tasks"):
    eta_on_test = np.sum(gt * yt[:, n]) / np.sum(gt * gt)

    # A fixed one-layer model near GD (as a trained model is), with M_yx = 0 so that its
    # bilinear part is x_q^T Gamma (1/N) sum y_i x_i exactly (the other term needs M_yx).
    rng = np.random.default_rng(20240623)
    m = np.zeros((D, D))
    m[:d, :d] = np.eye(d)
    v = np.zeros((D, D))
    v[d, d] = -5.0 / n
    m += 0.1 * rng.standard_normal((D, D))
    v += 0.02 * rng.standard_normal((D, D))
    m[d, :d] = 0.0

    model_pred = lsa_one_layer(m, v, xt, yt, n)
    model_loss = 0.5 * np.mean((model_pred - yt[:, n]) ** 2)
    # GD at eta*: its sensitivity is eta* (1/N) sum_i y_i x_i, its prediction eta* g.
    gd_sens = eta_star * np.einsum("bi,bid->bd", yt[:, :n], xt[:, :n]) / n
    model_sens = sensitivities(m, v, xt, yt, n)
    preds_diff = np.mean(np.abs(model_pred - gd_pred))
    norms = (np.linalg.norm(model_sens, axis=1) + 1e-8) * (np.linalg.norm(gd_sens, axis=1) + 1e-8)
    model_cos = np.mean(np.sum(model_sens * gd_sens, axis=1) / norms)
    model_diff = np.mean(np.linalg.norm(model_sens - gd_sens, axis=1))

    gamma_eff = effective_preconditioner(m, v, d, n)
    a = rng.standard_normal((d, d))
    sigma = (np.eye(d) + 0.3 * a @ a.T / d) / 12     # near the uniform inputs' covariance I/12
    sigma = (sigma + sigma.T) / 2
    gamma0 = np.linalg.inv((n + 1) / n * sigma + np.trace(sigma) / n * np.eye(d))
    gamma_error = np.linalg.norm(gamma_eff - gamma0, "fro") / np.linalg.norm(gamma0, "fro")

    etas, gammas = [4.5, 3.0], [0.35, 0.2]
    pp_loss = 0.5 * np.mean((gd_plus_plus(xt, yt, n, etas, gammas) - yt[:, n]) ** 2)
    gd2_loss = 0.5 * np.mean((gd_plus_plus(xt, yt, n, etas, [0.0, 0.0]) - yt[:, n]) ** 2)

    ref = {
        "about": "Fixtures/training/make_reference.py: the von Oswald setting's reported quantities from the papers' definitions",
        "seed": str(seed), "inputDimension": d, "contextCount": n,
        "validationTasks": validation_count, "testTasks": test_count,
        "firstTestTasks": {"count": 3, "tokens": vec(np.concatenate([xt[:3], yt[:3, :, None]], axis=2)),
                            "note": "tasks 0-2 of the test batch, (N+1) x D rows each, the query's label in its y-entry"},
        "firstValidationTasks": {"count": 3, "tokens": vec(np.concatenate([xv[:3], yv[:3, :, None]], axis=2))},
        "etaStar": s(eta_star), "etaStarOnTestTasks": s(eta_on_test), "gdLoss": s(gd_loss), "zeroLoss": s(zero_loss),
        "model": {"keyQuery": vec(m), "projectionValue": vec(v)},
        "modelLoss": s(model_loss), "predsDiff": s(preds_diff), "modelCos": s(model_cos), "modelDiff": s(model_diff),
        "sigma": vec(sigma), "gamma0": vec(gamma0), "gammaEffective": vec(gamma_eff), "gammaRelativeError": s(gamma_error),
        "gdPlusPlus": {"etas": vec(etas), "gammas": vec(gammas), "loss": s(pp_loss), "gdLoss": s(gd2_loss)},
    }
    print(json.dumps(ref, indent=1))


if __name__ == "__main__":
    main()
