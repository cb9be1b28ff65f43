"""JAX peers of the training scenario `train-steps-von-oswald`: 10 training steps of a one-layer,
one-head LSA (d = N = 10, tokens (x, y), W_K, W_Q, W_V, P of size 11 x 11, the paper's variance
scaling 0.002), each on 2048 fresh tasks (w ~ N(0, I), x ~ U(-1/2, 1/2)), half-MSE loss, global-norm
clipping at 10, AdamW(1e-3, b1 0.9, b2 0.98, no decay) - written as a careful JAX user would: the
whole 10-step loop jit-compiled (lax.fori_loop), data drawn inside it with jax.random, and only the
query attending (its output is the only one read). Two peers: JAX's default float32, and float64
(jax_enable_x64), our precision. Skipped with a message when JAX is not installed (pip install jax).
"""
import jax

jax.config.update("jax_enable_x64", True)  # float64 available; the float32 peer types everything float32
import jax.numpy as jnp

D, N, B, STEPS = 11, 10, 2048, 10


def make(dtype):
    def init(key):
        # Haiku VarianceScaling(0.002) with fan-in D: truncated normal (+-2) scaled to variance 0.002 / D.
        sd = jnp.sqrt(0.002 / D) / 0.87962566103423978
        keys = jax.random.split(key, 4)
        return {k: (sd * jax.random.truncated_normal(s, -2.0, 2.0, (D, D))).astype(dtype)
                for k, s in zip(["wk", "wq", "wv", "p"], keys)}

    def loss(params, x, y):
        # x: (B, N+1, d), y: (B, N+1); context tokens e_i = (x_i, y_i), query (x_q, 0).
        ctx = jnp.concatenate([x[:, :N], y[:, :N, None]], axis=-1)                    # (B, N, D)
        q_tok = jnp.concatenate([x[:, N], jnp.zeros((x.shape[0], 1), dtype)], axis=-1)  # (B, D)
        k = ctx @ params["wk"].T                                                        # (B, N, D)
        v = ctx @ params["wv"].T
        q = q_tok @ params["wq"].T                                                      # (B, D)
        scores = jnp.einsum("bnd,bd->bn", k, q)
        out = q_tok + jnp.einsum("bnd,bn->bd", v, scores) @ params["p"].T
        yhat = -out[:, -1]
        return 0.5 * jnp.mean((yhat - y[:, N]) ** 2)

    grad = jax.grad(loss)

    def adam_step(params, m, v, t, g):
        norm = jnp.sqrt(sum(jnp.sum(x * x) for x in jax.tree_util.tree_leaves(g)))
        scale = jnp.minimum(1.0, 10.0 / norm).astype(dtype)
        g = jax.tree_util.tree_map(lambda x: x * scale, g)
        m = jax.tree_util.tree_map(lambda a, b: 0.9 * a + 0.1 * b, m, g)
        v = jax.tree_util.tree_map(lambda a, b: 0.98 * a + 0.02 * b * b, v, g)
        c1, c2 = 1 - 0.9 ** t, 1 - 0.98 ** t
        params = jax.tree_util.tree_map(lambda p, a, b: p - 1e-3 * (a / c1) / (jnp.sqrt(b / c2) + 1e-8), params, m, v)
        return params, m, v

    @jax.jit
    def train(params, m, v, t0, key):
        def body(i, state):
            params, m, v = state
            kx, kw = jax.random.split(jax.random.fold_in(key, t0 + i))
            x = jax.random.uniform(kx, (B, N + 1, D - 1), dtype, -0.5, 0.5)
            w = jax.random.normal(kw, (B, D - 1), dtype)
            y = jnp.einsum("bnd,bd->bn", x, w)
            g = grad(params, x, y)
            return adam_step(params, m, v, (t0 + i + 1).astype(dtype), g)
        return jax.lax.fori_loop(0, STEPS, body, (params, m, v))

    def prepare():
        params = init(jax.random.PRNGKey(0))
        zeros = jax.tree_util.tree_map(jnp.zeros_like, params)
        state = {"params": params, "m": zeros, "v": zeros, "t": 0}

        def work():
            p, m, v = train(state["params"], state["m"], state["v"], jnp.asarray(state["t"]), jax.random.PRNGKey(1))
            jax.block_until_ready(p)
            state.update(params=p, m=m, v=v, t=state["t"] + STEPS)
        return work
    return prepare


SCENARIOS = {
    "train-steps-von-oswald": [("jax-f32", make(jnp.float32)), ("jax-f64", make(jnp.float64))],
}
