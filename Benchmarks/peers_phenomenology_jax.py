"""JAX peers of `phen-landscape-1000` and `phen-eval-batch`: `peers_phenomenology.py`'s
NumPy formulas themselves, run on jax.numpy arrays (`xp=jnp`) and jit-compiled in float64
(`jax_enable_x64`), as an ML researcher would reach for: XLA fuses the grid and vectorizes
exp/log on the CPU. Each call blocks until the result is ready. Skipped with a message when JAX
is not installed (pip install jax).
"""
import functools
import os
import sys

import jax

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peers_phenomenology import landscape_values, loss_grad_vectorized, points  # noqa: E402

landscape = jax.jit(functools.partial(landscape_values, xp=jnp))
loss_grad = jax.jit(functools.partial(loss_grad_vectorized, xp=jnp))


def prepare_landscape():
    alpha = jnp.linspace(-2, 10, 1000, dtype=jnp.float64)
    xi = jnp.linspace(-2, 16, 1000, dtype=jnp.float64)[:, None]
    landscape(alpha, xi).block_until_ready()  # compile outside the timing
    return lambda: landscape(alpha, xi).block_until_ready()


def prepare_eval_batch():
    b, a, x = (jnp.asarray(v) for v in points(1_000_000))
    jax.block_until_ready(loss_grad(b, a, x))  # compile outside the timing
    return lambda: jax.block_until_ready(loss_grad(b, a, x))


SCENARIOS = {
    "phen-landscape-1000": ("jax-f64", prepare_landscape),
    "phen-eval-batch": ("jax-f64", prepare_eval_batch),
}
