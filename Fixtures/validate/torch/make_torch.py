#!/usr/bin/env python3
"""PyTorch-style linear-attention fixtures for `icl validate`.

PyTorch could not be installed here (the CPU wheel index is unreachable), so
the module is written in NumPy (forward, float64 reference) and trained with
JAX + optax; the files are written with the `safetensors` package's own NumPy
writer, in exactly the layout `torch.nn.Linear` / `safetensors.torch` would
produce:

    layers.{k}.attn.q_proj.weight  [H*D, D]   head h = rows h*D..(h+1)*D
    layers.{k}.attn.k_proj.weight  [H*D, D]
    layers.{k}.attn.v_proj.weight  [H*D, D]
    layers.{k}.attn.o_proj.weight  [D, H*D]   head h = columns h*D..(h+1)*D

Forward, row tokens Z (T x D), the N context rows first and the query last
(query y-entry 0); Zc = the N context rows (the query is not a key/value):
    per layer, per head: q = Z Wq_h^T, k = Zc Wk_h^T, v = Zc Wv_h^T,
                         out_h = (q k^T) v
    Z += concat_h(out_h) Wo^T
prediction = -Z[-1, -1].  (No softmax, no 1/N.)

Run from the repository root:
    python3 Fixtures/validate/torch/make_torch.py [--steps N]

Writes into this directory:
    linear_attention_f32.safetensors, linear_attention_bf16.safetensors,
    linear_attention_f16.safetensors, predictions.json,
    random_f32.safetensors, random_f32_predictions.json,
    two_layer_two_head.safetensors, two_layer_two_head_predictions.json,
    losses.json
"""
import argparse
import json
import os
import time

import ml_dtypes
import numpy as np
import safetensors.numpy

HERE = os.path.dirname(os.path.abspath(__file__))


# ---------------------------------------------------------------- reference
def names(k):
  p = f"layers.{k}.attn."
  return p + "q_proj.weight", p + "k_proj.weight", p + "v_proj.weight", p + "o_proj.weight"


def forward_np(weights, tokens, num_layers, num_heads, n_ctx):
  """Float64 forward on row tokens [B, T, D] (or [T, D]); returns predictions."""
  Z = np.array(tokens, dtype=np.float64)
  squeeze = Z.ndim == 2
  if squeeze:
    Z = Z[None]
  D = Z.shape[-1]
  for k in range(num_layers):
    nq, nk, nv, no = names(k)
    Wq, Wk, Wv, Wo = (np.asarray(weights[n], dtype=np.float64) for n in (nq, nk, nv, no))
    Zc = Z[:, :n_ctx, :]
    outs = []
    for h in range(num_heads):
      s = slice(h * D, (h + 1) * D)
      q = Z @ Wq[s].T
      kk = Zc @ Wk[s].T
      v = Zc @ Wv[s].T
      outs.append((q @ np.swapaxes(kk, -1, -2)) @ v)
    Z = Z + np.concatenate(outs, axis=-1) @ Wo.T
  pred = -Z[:, -1, -1]
  return pred[0] if squeeze else pred


# ---------------------------------------------------------------- data
def make_tasks(rng, B, d, N):
  """x ~ U(-1/2, 1/2)^d, w ~ N(0, I), y = w.x (no noise). float32 tokens."""
  X = rng.uniform(-0.5, 0.5, size=(B, N + 1, d)).astype(np.float32)
  w = rng.standard_normal(size=(B, d)).astype(np.float32)
  y = np.einsum("btd,bd->bt", X.astype(np.float64), w.astype(np.float64))
  tokens = np.zeros((B, N + 1, d + 1), dtype=np.float32)
  tokens[:, :, :d] = X
  tokens[:, :N, d] = y[:, :N].astype(np.float32)
  targets = y[:, N]  # float64: exact-ish dot of the float32 x_q and float32 w
  return tokens, targets


def predictions_json(path, d, N, tokens, targets, preds, framework, **extra):
  out = {
      "d": d,
      "N": N,
      "framework": framework,
      "tokens": [[[float(v) for v in row] for row in task] for task in tokens],
      "targets": [float(v) for v in targets],
  }
  out.update({k: [float(v) for v in vals] for k, vals in preds.items()})
  out.update(extra)
  with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")


def gd_one_step_loss(tokens, targets):
  seq = np.asarray(tokens, dtype=np.float64)
  X, Y, xq = seq[:, :-1, :-1], seq[:, :-1, -1], seq[:, -1, :-1]
  g = np.einsum("bi,bij,bj->b", Y, X, xq)
  eta = float(np.dot(g, targets) / np.dot(g, g))
  return float(0.5 * np.mean((targets - eta * g) ** 2)), eta


# ---------------------------------------------------------------- training
def train(steps, d, N, seed):
  import jax
  import jax.numpy as jnp
  import optax
  jax.config.update("jax_enable_x64", False)
  D = d + 1

  def fwd(p, Z):  # JAX float32 version of forward_np, 1 layer 1 head
    Zc = Z[:, :N, :]
    q = Z @ p["q"].T
    k = Zc @ p["k"].T
    v = Zc @ p["v"].T
    out = (q @ jnp.swapaxes(k, -1, -2)) @ v
    Z = Z + out @ p["o"].T
    return -Z[:, -1, -1]

  def batch(key, B):
    kx, kw = jax.random.split(key)
    X = jax.random.uniform(kx, (B, N + 1, d), minval=-0.5, maxval=0.5)
    w = jax.random.normal(kw, (B, d))
    y = jnp.einsum("btd,bd->bt", X, w)
    Z = jnp.concatenate([X, y[:, :, None]], axis=-1)
    Z = Z.at[:, N, d].set(0.0)
    return Z, y[:, N]

  def loss_fn(p, Z, t):
    return 0.5 * jnp.mean((fwd(p, Z) - t) ** 2)

  key = jax.random.PRNGKey(seed)
  key, *ks = jax.random.split(key, 5)
  std = 0.002 / np.sqrt(D)
  params = {n: std * jax.random.normal(kk, (D, D)) for n, kk in zip("qkvo", ks)}
  opt = optax.adam(1e-3)  # torch.optim.Adam defaults: b1 .9, b2 .999, eps 1e-8
  opt_state = opt.init(params)

  @jax.jit
  def step(params, opt_state, key):
    Z, t = batch(key, 2048)
    loss, grads = jax.value_and_grad(loss_fn)(params, Z, t)
    updates, opt_state = opt.update(grads, opt_state, params)
    return optax.apply_updates(params, updates), opt_state, loss

  t0 = time.time()
  loss = None
  for i in range(steps):
    key, sk = jax.random.split(key)
    params, opt_state, loss = step(params, opt_state, sk)
    if i % 500 == 0 or i == steps - 1:
      print(f"step {i:5d} train loss {float(loss):.6f} ({time.time() - t0:.1f}s)",
            flush=True)
  params = {n: np.asarray(v, dtype=np.float32) for n, v in params.items()}
  return params, float(loss), (lambda p, Z: np.asarray(fwd(p, jnp.asarray(Z))))


def to_named(p):
  nq, nk, nv, no = names(0)
  return {nq: p["q"], nk: p["k"], nv: p["v"], no: p["o"]}


def main():
  ap = argparse.ArgumentParser()
  ap.add_argument("--steps", type=int, default=4000)
  args = ap.parse_args()
  d, N = 10, 10
  D = d + 1

  # ---- trained 1-layer 1-head model
  p, final_loss, fwd32 = train(args.steps, d, N, seed=0)
  f32 = {k: v.astype(np.float32) for k, v in to_named(p).items()}
  bf16 = {k: v.astype(ml_dtypes.bfloat16) for k, v in f32.items()}  # RNE
  f16 = {k: v.astype(np.float16) for k, v in f32.items()}            # RNE
  safetensors.numpy.save_file(f32, os.path.join(HERE, "linear_attention_f32.safetensors"))
  safetensors.numpy.save_file(bf16, os.path.join(HERE, "linear_attention_bf16.safetensors"))
  safetensors.numpy.save_file(f16, os.path.join(HERE, "linear_attention_f16.safetensors"))

  # Evaluation on 10000 fresh tasks vs one GD step at the least-squares eta*.
  ev_tokens, ev_targets = make_tasks(np.random.default_rng(12345), 10000, d, N)
  trained_loss = float(0.5 * np.mean((forward_np(f32, ev_tokens, 1, 1, N) - ev_targets) ** 2))
  trained_loss_jax32 = float(0.5 * np.mean((fwd32(p, ev_tokens).astype(np.float64) - ev_targets) ** 2))
  gd_loss, eta = gd_one_step_loss(ev_tokens, ev_targets)
  print(f"final training loss (last batch): {final_loss:.6f}")
  print(f"10000 fresh tasks: trained loss {trained_loss:.6f} (float32 JAX forward "
        f"{trained_loss_jax32:.6f}); one GD step at eta*={eta:.6f} loss {gd_loss:.6f}; "
        f"ratio {trained_loss / gd_loss:.5f}")
  for name, w in (("bf16", bf16), ("f16", f16)):
    l = float(0.5 * np.mean((forward_np(w, ev_tokens, 1, 1, N) - ev_targets) ** 2))
    print(f"  loss with {name} weights: {l:.6f}")

  tokens, targets = make_tasks(np.random.default_rng(7), 5, d, N)
  preds = {
      "predictions": forward_np(f32, tokens, 1, 1, N),
      "predictions_f32": forward_np(f32, tokens, 1, 1, N),
      "predictions_bf16": forward_np(bf16, tokens, 1, 1, N),
      "predictions_f16": forward_np(f16, tokens, 1, 1, N),
  }
  print("predictions_f32 ", list(preds["predictions_f32"]))
  print("float32 JAX fwd ", list(fwd32(p, tokens)))
  print("targets         ", list(targets))
  predictions_json(os.path.join(HERE, "predictions.json"), d, N, tokens, targets,
                   preds, "numpy")

  with open(os.path.join(HERE, "losses.json"), "w") as f:
    json.dump({"steps": args.steps, "batch": 2048, "final_train_loss": final_loss,
               "eval_tasks": 10000, "trained_loss": trained_loss,
               "gd_one_step_loss": gd_loss, "eta_star": eta}, f, indent=1)
    f.write("\n")

  # ---- random 1-layer 1-head model (std 1/sqrt(D))
  rng = np.random.default_rng(1)
  rnd = {n: (rng.standard_normal((D, D)) / np.sqrt(D)).astype(np.float32)
         for n in names(0)}
  safetensors.numpy.save_file(rnd, os.path.join(HERE, "random_f32.safetensors"))
  predictions_json(os.path.join(HERE, "random_f32_predictions.json"), d, N, tokens,
                   targets, {"predictions": forward_np(rnd, tokens, 1, 1, N)}, "numpy")

  # ---- random 2-layer 2-head model, d=3, N=5, D=4 (std 0.3/sqrt(D))
  d2, N2, H2, L2 = 3, 5, 2, 2
  D2 = d2 + 1
  rng = np.random.default_rng(2)
  two = {}
  for k in range(L2):
    nq, nk, nv, no = names(k)
    for n, shape in ((nq, (H2 * D2, D2)), (nk, (H2 * D2, D2)), (nv, (H2 * D2, D2)),
                     (no, (D2, H2 * D2))):
      two[n] = (0.3 / np.sqrt(D2) * rng.standard_normal(shape)).astype(np.float32)
  safetensors.numpy.save_file(two, os.path.join(HERE, "two_layer_two_head.safetensors"))
  t2, y2 = make_tasks(np.random.default_rng(3), 5, d2, N2)
  predictions_json(os.path.join(HERE, "two_layer_two_head_predictions.json"), d2, N2,
                   t2, y2, {"predictions": forward_np(two, t2, L2, H2, N2)}, "numpy",
                   num_layers=L2, num_heads=H2)


if __name__ == "__main__":
  main()
