"""SciPy/NumPy peers of the `phen-*` scenarios (Sources/Experiments/Bench/PhenomenologyScenarios.swift).

The loss, gradient and stable forms are the same as the Swift module's (log-sum-exp, expm1):
N = 8, L = 32, y(beta) = e^beta / (e^beta + 2N). Scalar work (an optimizer's or an ODE
solver's calls, one point at a time) uses `math`, the fastest scalar path in Python; work over
many independent points is vectorized NumPy.
"""
import math

import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import minimize

N, L = 8, 32
TWO_N = 2.0 * N
LOG_N1, LOG_LN = math.log(N - 1), math.log(L - N)


def loss_grad(theta):
    """Loss and gradient at one point (scalar math), as scipy.optimize.minimize(jac=True) wants."""
    b, a, x = theta
    if b >= 0:
        e = TWO_N * math.exp(-b)
        y, omy = 1.0 / (1.0 + e), e / (1.0 + e)
    else:
        e = math.exp(b)
        y, omy = e / (e + TWO_N), TWO_N / (e + TWO_N)
    dy = y * omy
    A = a * y
    if A >= 0:
        ee = math.exp(-A)
        den = 1.0 + TWO_N * ee
        p, q, pmq = 1.0 / den, ee / den, -math.expm1(-A) / den
    else:
        E = math.exp(A)
        den = E + TWO_N
        p, q, pmq = E / den, 1.0 / den, math.expm1(A) / den
    r = p * q
    t1, t2 = LOG_N1 - x * pmq, LOG_LN - x * p
    m = max(0.0, t1, t2)
    e0, e1, e2 = math.exp(-m), math.exp(t1 - m), math.exp(t2 - m)
    s = e0 + e1 + e2
    w1, w2 = e1 / s, e2 / s
    la = -x * r * ((TWO_N + 1) * w1 + TWO_N * w2)
    return m + math.log(s), np.array([a * dy * la, y * la, -(w1 * pmq + w2 * p)])


def loss_grad_vectorized(b, a, x, xp=np):
    """Loss and gradient at many points: arrays of the array module `xp` (NumPy here,
    jax.numpy in peers_phenomenology_jax.py)."""
    pos = b >= 0
    e = xp.where(pos, TWO_N * xp.exp(-xp.abs(b)), xp.exp(-xp.abs(b)))
    y = xp.where(pos, 1.0 / (1.0 + e), e / (e + TWO_N))
    omy = xp.where(pos, e / (1.0 + e), TWO_N / (e + TWO_N))
    dy = y * omy
    A = a * y
    ee = xp.exp(-xp.abs(A))
    posA = A >= 0
    den = xp.where(posA, 1.0 + TWO_N * ee, ee + TWO_N)
    p = xp.where(posA, 1.0, ee) / den
    q = xp.where(posA, ee, 1.0) / den
    pmq = xp.where(posA, -xp.expm1(-xp.abs(A)), xp.expm1(-xp.abs(A))) / den
    r = p * q
    t1, t2 = LOG_N1 - x * pmq, LOG_LN - x * p
    m = xp.maximum(0.0, xp.maximum(t1, t2))
    e0, e1, e2 = xp.exp(-m), xp.exp(t1 - m), xp.exp(t2 - m)
    s = e0 + e1 + e2
    w1, w2 = e1 / s, e2 / s
    la = -x * r * ((TWO_N + 1) * w1 + TWO_N * w2)
    return m + xp.log(s), a * dy * la, y * la, -(w1 * pmq + w2 * p)


def landscape_values(alpha, xi, xp=np):
    """The loss alone at beta = 2 on the grid alpha (a row) x xi (a column), in the same stable
    form, broadcast as a NumPy (or jax.numpy) user would: y is one number, the layer-2
    quantities one row over alpha, the log-sum-exp the full grid."""
    beta = 2.0
    y = 1.0 / (1.0 + TWO_N * math.exp(-beta))
    a = alpha * y
    ee = xp.exp(-xp.abs(a))
    posA = a >= 0
    den = xp.where(posA, 1.0 + TWO_N * ee, ee + TWO_N)
    p = xp.where(posA, 1.0, ee) / den
    pmq = xp.where(posA, -xp.expm1(-xp.abs(a)), xp.expm1(-xp.abs(a))) / den
    t1, t2 = LOG_N1 - xi * pmq, LOG_LN - xi * p
    m = xp.maximum(0.0, xp.maximum(t1, t2))
    return m + xp.log(xp.exp(-m) + xp.exp(t1 - m) + xp.exp(t2 - m))


def points(count):
    rng = np.random.default_rng(7)
    return rng.uniform(-2, 8, count), rng.uniform(-2, 8, count), rng.uniform(-2, 16, count)


def prepare_eval():
    b, a, x = points(50_000)
    pts = list(zip(b.tolist(), a.tolist(), x.tolist()))

    def work():
        total = 0.0
        for p in pts:
            l, g = loss_grad(p)
            total += l + g.sum()
        return total
    return work


def prepare_eval_batch():
    b, a, x = points(1_000_000)
    return lambda: loss_grad_vectorized(b, a, x)


def prepare_minimize():
    starts = [np.array([bb, aa, xx]) for bb in (0.0, 1.0) for aa in (0.0, 1.0) for xx in (0.0, 1.0, 2.0, 3.0)]

    def work():
        total = 0.0
        for s in starts:
            def stop(intermediate_result):
                if intermediate_result.fun <= 1e-4:
                    raise StopIteration
            total += minimize(loss_grad, s, jac=True, method="BFGS", callback=stop).fun
        return total
    return work


def prepare_landscape():
    alpha = np.linspace(-2, 10, 1000)
    xi = np.linspace(-2, 16, 1000)[:, None]
    return lambda: landscape_values(alpha, xi)


def prepare_flow(tolerance=1e-10):
    stop_loss = 0.01 * math.log(L)

    def rhs(t, theta):
        return -loss_grad(theta)[1]

    def below(t, theta):
        return loss_grad(theta)[0] - stop_loss
    below.terminal = True

    def work():
        first = solve_ivp(rhs, (0, 1e7), [0.0, 0.0, 0.0], method="DOP853", rtol=tolerance, atol=tolerance, events=below)
        t_stop = first.t[-1]
        # Run on for 20% of the time taken, as the Swift flow does, recording every step.
        rest = solve_ivp(rhs, (t_stop, 1.2 * t_stop), first.y[:, -1], method="DOP853", rtol=tolerance, atol=tolerance)
        return [loss_grad(y) for y in np.concatenate([first.y, rest.y], axis=1).T]
    return work


SCENARIOS = {
    "phen-eval": ("scipy", prepare_eval),
    "phen-eval-batch": ("numpy", prepare_eval_batch),
    "phen-minimize": ("scipy", prepare_minimize),
    "phen-landscape-1000": ("numpy", prepare_landscape),
    # DOP853 at the tolerance the Swift flow used until its stepper study (1e-10), and at the
    # Swift default's 1e-7 (neither locates the cliff itself: that is extra work on our side).
    "phen-flow-cliff": [("scipy", prepare_flow), ("scipy-1e-7", lambda: prepare_flow(1e-7))],
}
