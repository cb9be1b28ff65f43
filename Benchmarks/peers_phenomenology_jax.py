"""JAX peers of `phen-landscape-1000` and `phen-eval-batch`: the same stable formulas as
`peers_phenomenology.py`'s NumPy versions, written with jax.numpy, jit-compiled in float64
(`jax_enable_x64`), as an ML researcher would reach for: XLA fuses the grid and vectorizes
exp/log on the CPU. Each call blocks until the result is ready. Skipped with a message when JAX
is not installed (pip install jax).
"""
import math

import jax

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp
import numpy as np

N, L = 8, 32
TWO_N = 2.0 * N
LOG_N1, LOG_LN = math.log(N - 1), math.log(L - N)


def loss_grad(b, a, x):
    pos = b >= 0
    e = jnp.where(pos, TWO_N * jnp.exp(-jnp.abs(b)), jnp.exp(-jnp.abs(b)))
    y = jnp.where(pos, 1.0 / (1.0 + e), e / (e + TWO_N))
    omy = jnp.where(pos, e / (1.0 + e), TWO_N / (e + TWO_N))
    dy = y * omy
    A = a * y
    ee = jnp.exp(-jnp.abs(A))
    posA = A >= 0
    den = jnp.where(posA, 1.0 + TWO_N * ee, ee + TWO_N)
    p = jnp.where(posA, 1.0, ee) / den
    q = jnp.where(posA, ee, 1.0) / den
    pmq = jnp.where(posA, -jnp.expm1(-jnp.abs(A)), jnp.expm1(-jnp.abs(A))) / den
    r = p * q
    t1, t2 = LOG_N1 - x * pmq, LOG_LN - x * p
    m = jnp.maximum(0.0, jnp.maximum(t1, t2))
    e0, e1, e2 = jnp.exp(-m), jnp.exp(t1 - m), jnp.exp(t2 - m)
    s = e0 + e1 + e2
    w1, w2 = e1 / s, e2 / s
    la = -x * r * ((TWO_N + 1) * w1 + TWO_N * w2)
    return m + jnp.log(s), a * dy * la, y * la, -(w1 * pmq + w2 * p)


@jax.jit
def landscape(alpha, xi):
    beta = 2.0
    y = 1.0 / (1.0 + TWO_N * math.exp(-beta))
    a = alpha * y
    ee = jnp.exp(-jnp.abs(a))
    posA = a >= 0
    den = jnp.where(posA, 1.0 + TWO_N * ee, ee + TWO_N)
    p = jnp.where(posA, 1.0, ee) / den
    pmq = jnp.where(posA, -jnp.expm1(-jnp.abs(a)), jnp.expm1(-jnp.abs(a))) / den
    t1, t2 = LOG_N1 - xi * pmq, LOG_LN - xi * p
    m = jnp.maximum(0.0, jnp.maximum(t1, t2))
    return m + jnp.log(jnp.exp(-m) + jnp.exp(t1 - m) + jnp.exp(t2 - m))


def prepare_landscape():
    alpha = jnp.linspace(-2, 10, 1000, dtype=jnp.float64)
    xi = jnp.linspace(-2, 16, 1000, dtype=jnp.float64)[:, None]
    landscape(alpha, xi).block_until_ready()  # compile outside the timing
    return lambda: landscape(alpha, xi).block_until_ready()


def prepare_eval_batch():
    rng = np.random.default_rng(7)
    b, a, x = (jnp.asarray(v) for v in (rng.uniform(-2, 8, 1_000_000), rng.uniform(-2, 8, 1_000_000), rng.uniform(-2, 16, 1_000_000)))
    f = jax.jit(loss_grad)
    jax.block_until_ready(f(b, a, x))
    return lambda: jax.block_until_ready(f(b, a, x))


SCENARIOS = {
    "phen-landscape-1000": ("jax-f64", prepare_landscape),
    "phen-eval-batch": ("jax-f64", prepare_eval_batch),
}
