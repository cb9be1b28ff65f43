"""NumPy peers of the Constructions scenarios: the same LSA forward pass, as fast as a NumPy user
would write it: fold M = W_K^T W_Q and V = P W_V once, then per task G = E_ctx E_ctx^T (batched
matmul) and Z + (V G M) Z. (The attention form K^T Q costs more when N > D; folding is never
slower here.)"""
import numpy as np


def lsa_forward(tasks, n, d):
    D = d + 1
    rng = np.random.default_rng(2)
    wk, wq, wv, p = (rng.standard_normal((D, D)) for _ in range(4))
    z = rng.standard_normal((tasks, D, n + 1))

    def work():
        m, v = wk.T @ wq, p @ wv                       # folded once per call
        ctx = z[:, :, :n]
        g = ctx @ np.swapaxes(ctx, 1, 2)               # (B, D, D)
        return z + (v @ g @ m) @ z
    return work


def dgemm():
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((2048, 2048)), rng.standard_normal((2048, 2048))
    return lambda: a @ b


SCENARIOS = {
    "lsa-forward-batched": ("numpy", lambda: lsa_forward(2048, 10, 10)),
    "lsa-forward-large": ("numpy", lambda: lsa_forward(1, 1024, 256)),
    "dgemm-rate": ("numpy", dgemm),
}
