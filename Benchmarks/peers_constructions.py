"""NumPy peers of the Constructions scenarios: the same LSA forward pass, as fast as a careful NumPy
user would write it: fold M = W_K^T W_Q and V = P W_V in every call (as `icl` does), then take the
faster of the two associations of the layer on every token (tokens as columns, E the context):

    state      G = E E^T (D x D, batched matmul; `a @ a.T` is a syrk in NumPy),  Z + (V G M) Z
    attention  S = E^T (M Z) (N x (N+1) scores),                                 Z + V (E S)

The state form costs O(D^2 N + D^3) per task, the attention form O(D N^2 + D^2 N); the peer times
both once while preparing (untimed) and keeps the faster, as a user who measured would."""
import time

import numpy as np


def lsa_forward(tasks, n, d):
    D = d + 1
    rng = np.random.default_rng(2)
    wk, wq, wv, p = (rng.standard_normal((D, D)) for _ in range(4))
    z = rng.standard_normal((tasks, D, n + 1))
    ctx = np.ascontiguousarray(z[:, :, :n])

    def state():
        m, v = wk.T @ wq, p @ wv                       # folded once per call
        g = ctx @ np.swapaxes(ctx, 1, 2)               # (B, D, D)
        return z + (v @ g @ m) @ z

    def attention():
        m, v = wk.T @ wq, p @ wv
        s = np.swapaxes(ctx, 1, 2) @ (m @ z)           # (B, N, N+1)
        return z + v @ (ctx @ s)

    def seconds(work):
        work()
        start = time.perf_counter()
        for _ in range(3):
            work()
        return time.perf_counter() - start
    return min((state, attention), key=seconds)


def dgemm():
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((2048, 2048)), rng.standard_normal((2048, 2048))
    return lambda: a @ b


SCENARIOS = {
    "lsa-forward-batched": ("numpy", lambda: lsa_forward(2048, 10, 10)),
    "lsa-forward-large": ("numpy", lambda: lsa_forward(1, 1024, 256)),
    "dgemm-rate": ("numpy", dgemm),
}
