"""NumPy peers of the Constructions scenarios: the same LSA forward pass in attention form."""
import numpy as np


def lsa_forward(tasks, n, d):
    D = d + 1
    rng = np.random.default_rng(2)
    wk, wq, wv, p = (rng.standard_normal((D, D)) for _ in range(4))
    z = rng.standard_normal((tasks, D, n + 1))

    def work():
        keys = wk @ z                      # (B, D, N+1)
        queries = wq @ z
        values = wv @ z
        scores = np.swapaxes(keys[:, :, :n], 1, 2) @ queries      # (B, N, N+1)
        return z + p @ (values[:, :, :n] @ scores)
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
