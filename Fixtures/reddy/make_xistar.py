#!/usr/bin/env python3
"""Reference minimizers xi*(beta, alpha) of Reddy's loss over xi, in 50-digit mpmath.

Independent of the Swift code and of the closed form it reports: the loss is written from its
definition (REFERENCE.md section 4), its xi-derivative taken by mpmath's numerical
differentiation, and the root found by bisection on its sign (a bracket found by doubling,
then 120 halvings: far below the 30 digits kept). Cases: random (N, L, beta, alpha < 0) in the tests' range, and extreme ones where a
search on the loss itself fails (alpha = -650: the loss is flat to 1e-15 over [-1022, -592];
|alpha| = 1e-3; L = N + 1; N = 1e6, L = 1e9).

Usage: python3 Fixtures/reddy/make_xistar.py > Fixtures/reddy/xistar.json  (pip install mpmath)
"""
import json
import random
import sys

import mpmath as mp

mp.mp.dps = 50


def loss(N, L, mode, b, a, x):
    N_, L_ = mp.mpf(N), mp.mpf(L)
    y = mp.exp(b) / (mp.exp(b) + 2 * N_) if mode == "softmax" else mp.mpf(b)
    E = mp.exp(a * y)
    u = x * (E - 1) / (E + 2 * N_)
    up = x * E / (E + 2 * N_)
    # log1p: at a = -700 the terms are ~e^-700, and 1 + e^-700 rounds to 1 at 50 digits.
    return mp.log1p((N_ - 1) * mp.exp(-u) + (L_ - N_) * mp.exp(-up))


def xi_star(N, L, mode, b, a):
    d = lambda x: mp.diff(lambda t: loss(N, L, mode, b, a, t), x)
    d0 = d(mp.mpf(0))
    step = mp.mpf(1) if d0 < 0 else mp.mpf(-1)
    near, far = mp.mpf(0), step
    while (d(far) < 0) == (d0 < 0):
        assert abs(far) < 1e30, (N, L, b, a)
        near, far = far, 2 * far
    lo, hi = (near, far) if d0 < 0 else (far, near)  # d(lo) < 0 < d(hi)
    for _ in range(120):
        mid = (lo + hi) / 2
        if d(mid) < 0:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def main():
    rng = random.Random(20261123)
    cases = [
        (8, 32, "softmax", 0.0, -650.0, "alpha = -650"),
        (8, 32, "softmax", 0.0, -0.001, "alpha = -1e-3"),
        (8, 9, "softmax", 0.0, -1.0, "L = N + 1"),
        (1000000, 1000000000, "softmax", 0.0, -1e-9, "N = 1e6, L = 1e9, tiny alpha"),
        (2, 3, "direct", 1.0, -700.0, "a = -700"),
        (8, 32, "softmax", 30.0, -3.0, "beta = 30"),
    ]
    for _ in range(40):
        N = rng.randint(2, 512)
        L = rng.randint(N + 1, 4 * N + 64)
        cases.append((N, L, "softmax", rng.uniform(-3, 3), -rng.uniform(0.01, 8), "random"))
    for _ in range(14):
        N = int(mp.e ** rng.uniform(mp.log(2), mp.log(1e6)))
        L = N + int(mp.e ** rng.uniform(0, mp.log(1e9 - N)))
        cases.append((N, L, "softmax", rng.uniform(-20, 20), -float(mp.e ** rng.uniform(mp.log(1e-6), mp.log(1e3))), "extreme"))
    out = []
    for i, (N, L, mode, b, a, label) in enumerate(cases):
        print(f"{i + 1}/{len(cases)} {label}", file=sys.stderr)
        # The derivative near xi* is of order e^a relative to the loss: keep 50 digits beyond that.
        y = b if mode == "direct" else float(mp.exp(b) / (mp.exp(b) + 2 * N))
        mp.mp.dps = 50 + int(abs(a * y) / 2.3)
        out.append({"label": label, "N": N, "L": L, "y": mode, "beta": repr(b), "alpha": repr(a),
                    "xiStar": mp.nstr(xi_star(N, L, mode, b, a), 30)})
    json.dump({"generator": "Fixtures/reddy/make_xistar.py", "dps": "50 + digits of e^-|a|", "cases": out}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
