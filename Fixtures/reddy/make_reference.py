#!/usr/bin/env python3
"""High-precision reference values of Reddy's phenomenological loss (REFERENCE.md section 4).

Independent of the Swift code: the loss is written straight from its definition in mpmath
(no log-sum-exp or expm1 forms: mpmath has an unbounded exponent range and 360 significant
digits; only log1p, since 1 + e^{-5000} rounds to 1 at any practical precision), and the gradient and Hessian come from mpmath's high-precision numerical
differentiation (mp.diff), not from the hand-derived formulas. As a cross-check of the
derivation the script also evaluates the closed-form gradient in mpmath and asserts agreement.

For every value v the file also stores `sens`, the sensitivity of v to a relative
perturbation of each input: |v| + sum_j |theta_j dv/dtheta_j| + |dv/dnu1| |nu1| + |dv/dnu2| |nu2|,
with nu1 = log(N-1), nu2 = log(L-N) (the only inputs a double evaluation must round).
A backward-stable double evaluation is within a few units of roundoff times `sens` of v.

Usage: python3 Fixtures/reddy/make_reference.py > Fixtures/reddy/reference.json
       python3 Fixtures/reddy/make_reference.py --extreme > Fixtures/reddy/extreme.json
(needs `pip install mpmath`; seeded, so the output is reproducible). `--extreme` writes points
far outside the dynamics' range: |xi| up to 1e300, |alpha| up to 1e6, where a naive evaluation
overflows (e^{xi}, (xi p q)^2 in the Hessian); values beyond the double range are kept, and the
test asks that the double evaluation then is not finite rather than wrong.
"""
import json
import random
import sys

import mpmath as mp

mp.mp.dps = 360
DBL_MIN = 2.2250738585072014e-308


def loss_fn(N, L, mode, nu1=None, nu2=None):
    """Loss(theta) for fixed N, L; y(beta) = e^b/(e^b+2N) (mode 'softmax') or y = beta ('direct')."""
    N_, L_ = mp.mpf(N), mp.mpf(L)
    c1 = (N_ - 1) if nu1 is None else mp.exp(nu1)
    c2 = (L_ - N_) if nu2 is None else mp.exp(nu2)

    def f(b, a, x):
        y = mp.exp(b) / (mp.exp(b) + 2 * N_) if mode == "softmax" else b
        E = mp.exp(a * y)
        u = x * (E - 1) / (E + 2 * N_)
        up = x * E / (E + 2 * N_)
        # log1p: 1 + tiny would round to 1 even at 80 digits when u is in the thousands.
        return mp.log1p(c1 * mp.exp(-u) + c2 * mp.exp(-up))
    return f


def closed_form_gradient(N, L, mode, b, a, x):
    """The hand-derived gradient (LossTerms.swift), evaluated in mpmath: a cross-check only."""
    N_, L_ = mp.mpf(N), mp.mpf(L)
    if mode == "softmax":
        y = mp.exp(b) / (mp.exp(b) + 2 * N_)
        dy = y * (1 - y)
    else:
        y, dy = b, mp.mpf(1)
    E = mp.exp(a * y)
    D = E + 2 * N_
    p, q = E / D, 1 / D
    u, up = x * (p - q), x * p
    S = 1 + (N_ - 1) * mp.exp(-u) + (L_ - N_) * mp.exp(-up)
    w1, w2 = (N_ - 1) * mp.exp(-u) / S, (L_ - N_) * mp.exp(-up) / S
    la = -x * p * q * ((2 * N_ + 1) * w1 + 2 * N_ * w2)
    return [a * dy * la, y * la, -(w1 * (p - q) + w2 * p)]


def partial(f, point, orders):
    return mp.diff(f, point, orders)


def unit(i, k=None):
    o = [0, 0, 0]
    o[i] += 1
    if k is not None:
        o[k] += 1
    return o


def sensitivity(N, L, mode, point, orders, value):
    """|v| + sum_j |theta_j d v/d theta_j| + |nu1 dv/dnu1| + |nu2 dv/dnu2| for v = d^orders Loss."""
    f = loss_fn(N, L, mode)
    total = abs(value)
    for j in range(3):
        if point[j] != 0:
            o = list(orders)
            o[j] += 1
            total += abs(point[j] * partial(f, point, tuple(o)))
    for which, c in ((1, N - 1), (2, L - N)):
        if c <= 1:  # log(1) = 0 and an absent term are exact
            continue
        nu = mp.log(c)

        def g(t, which=which):
            h = loss_fn(N, L, mode, nu1=t if which == 1 else None, nu2=t if which == 2 else None)
            return partial(h, point, tuple(orders)) if any(orders) else h(*point)
        total += abs(nu * mp.diff(g, nu))
    return total


def as_str(v):
    return mp.nstr(v, 40)


def record(N, L, mode, b, a, x, label):
    point = (mp.mpf(b), mp.mpf(a), mp.mpf(x))
    f = loss_fn(N, L, mode)
    loss = f(*point)
    grad = [partial(f, point, tuple(unit(i))) for i in range(3)]
    cf = closed_form_gradient(N, L, mode, *point)
    for g, c in zip(grad, cf):
        scale = max(abs(g), abs(c), mp.mpf(10) ** -300 * 0)
        assert abs(g - c) <= mp.mpf(10) ** -40 * (scale + sum(abs(v) for v in grad)) + mp.mpf(10) ** -4000, (label, g, c)
    hess = [[partial(f, point, tuple(unit(i, k))) for k in range(3)] for i in range(3)]
    entry = {
        "label": label, "N": N, "L": L, "y": mode,
        "beta": repr(b), "alpha": repr(a), "xi": repr(x),
        "loss": {"value": as_str(loss), "sens": as_str(sensitivity(N, L, mode, point, (0, 0, 0), loss))},
        "gradient": [{"value": as_str(grad[i]), "sens": as_str(sensitivity(N, L, mode, point, tuple(unit(i)), grad[i]))}
                     for i in range(3)],
        "hessian": [[{"value": as_str(hess[i][k]),
                      "sens": as_str(sensitivity(N, L, mode, point, tuple(unit(i, k)), hess[i][k]))}
                     for k in range(3)] for i in range(3)],
    }
    return entry


def log_uniform(rng, lo, hi):
    return float(mp.e ** rng.uniform(float(mp.log(lo)), float(mp.log(hi))))


def signed(rng, lo, hi):
    return rng.choice([-1.0, 1.0]) * log_uniform(rng, lo, hi)


def extreme_points():
    rng = random.Random(20261123)
    points = []
    for x in (1e10, 1e50, 1e100, 1e200, 1e300):
        for sign in (1.0, -1.0):
            points.append((8, 32, "softmax", 1.0, 1.0, sign * x, f"xi = {sign * x:g}"))
    points += [
        (8, 32, "softmax", 1.0, 1e6, 1.0, "alpha = 1e6"),
        (8, 32, "softmax", 1.0, -1e6, 1.0, "alpha = -1e6"),
        (8, 32, "softmax", 700.0, 2.0, 3.0, "beta = 700"),
        (8, 32, "softmax", -700.0, 2.0, 3.0, "beta = -700"),
        (8, 32, "direct", 1.0, -650.0, -592.0, "near xi* at alpha = -650"),
    ]
    for _ in range(10):
        N = int(log_uniform(rng, 1, 1e6))
        L = N + int(log_uniform(rng, 1, 1e9 - N)) - 1
        points.append((N, L, "softmax", signed(rng, 1e-3, 50), signed(rng, 1e-3, 1e3), signed(rng, 1e5, 1e300), "extreme xi"))
    return points


def main():
    if "--extreme" in sys.argv:
        out = []
        points = extreme_points()
        for i, (N, L, mode, b, a, x, label) in enumerate(points):
            print(f"{i + 1}/{len(points)} {label}", file=sys.stderr)
            out.append(record(N, L, mode, b, a, x, label))
        json.dump({"generator": "Fixtures/reddy/make_reference.py --extreme", "mpmath": mp.__version__, "dps": mp.mp.dps,
                   "points": out}, sys.stdout, indent=1)
        print()
        return
    rng = random.Random(20240627)
    points = []
    # Named special points.
    for N, L in ((8, 32), (1, 5), (7, 7), (1000000, 1000000000)):
        points.append((N, L, "softmax", 0.0, 0.0, 0.0, "origin"))
    points += [
        (8, 32, "softmax", 0.0, 0.0, 3.0, "alpha=0"),
        (8, 32, "softmax", 2.0, 1.5, 0.0, "xi=0"),
        (8, 32, "softmax", 0.0, 1e-9, 2.0, "tiny a (expm1 branch)"),
        (8, 32, "softmax", 0.0, -1e-9, 2.0, "tiny negative a"),
        (8, 32, "direct", 0.5, 1.0, 4.0, "a = 0.5 (branch edge)"),
        (8, 32, "direct", 0.5, -1.0, 4.0, "a = -0.5 (branch edge)"),
        (16, 64, "softmax", 10000.0, 10000.0, 10000.0, "all 1e4 (loss underflows)"),
        (16, 64, "softmax", 10000.0, 10000.0, -10000.0, "xi = -1e4"),
        (16, 64, "softmax", -10000.0, 10000.0, 10000.0, "beta = -1e4"),
        (16, 64, "softmax", 10000.0, -10000.0, 10000.0, "alpha = -1e4"),
        (16, 64, "softmax", 10000.0, -10000.0, -10000.0, "alpha, xi = -1e4"),
        (1000000, 1000000000, "softmax", 20.0, 30.0, 50.0, "N = 1e6, L = 1e9"),
        (1000000, 1000000000, "softmax", 14.5, 1.0, 1e4, "N = 1e6, L = 1e9, xi = 1e4"),
        (1000000, 1000000, "softmax", 14.0, 3.0, 700.0, "L = N = 1e6"),
        (3, 1000000000, "direct", 0.9, 40.0, 3.0, "L = 1e9, small N"),
    ]
    # Moderate random points, the tests' range.
    for _ in range(24):
        N = rng.randint(1, 512)
        L = rng.randint(N, 4 * N + 64)
        mode = rng.choice(["softmax", "direct"])
        b = rng.uniform(-6, 6) if mode == "softmax" else rng.uniform(0.01, 1)
        points.append((N, L, mode, b, rng.uniform(-8, 8), rng.uniform(-8, 8), "moderate"))
    # Extreme random points: |parameters| up to 1e4, N up to 1e6, L up to 1e9.
    for _ in range(30):
        N = int(log_uniform(rng, 1, 1e6))
        L = N + int(log_uniform(rng, 1, 1e9 - N)) - 1
        mode = rng.choice(["softmax", "direct"])
        b = signed(rng, 1e-6, 1e4) if mode == "softmax" else log_uniform(rng, 1e-6, 1)
        points.append((N, L, mode, b, signed(rng, 1e-6, 1e4), signed(rng, 1e-6, 1e4), "extreme"))
    out = []
    for i, (N, L, mode, b, a, x, label) in enumerate(points):
        print(f"{i + 1}/{len(points)} {label}", file=sys.stderr)
        out.append(record(N, L, mode, b, a, x, label))
    json.dump({"generator": "Fixtures/reddy/make_reference.py", "mpmath": mp.__version__, "dps": mp.mp.dps,
               "points": out}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
