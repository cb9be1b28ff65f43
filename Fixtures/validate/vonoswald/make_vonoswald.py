#!/usr/bin/env python3
"""Train von Oswald et al.'s linear self-attention (Haiku) with THEIR code and
save the parameters as test fixtures for `icl validate`.

Source: github.com/google-research/self-organising-systems,
transformers_learn_icl_by_gd/src (Apache-2.0), copied into ./src with the
minimal patches listed in PATCHES.md.

Run from the repository root:
    python3 Fixtures/validate/vonoswald/make_vonoswald.py [--steps N]

Requires: jax (CPU), dm-haiku, optax, ml_collections, pytz (imported by their
train.py), numpy, safetensors.  Deterministic (seed 0, fixed keys); zip
timestamps inside the .npz files are pinned to 1980-01-01 so re-runs are
byte-identical.

Writes into this directory:
    params.npz, params_compressed.npz, params.safetensors, predictions.json,
    losses.json
"""
import argparse
import contextlib
import json
import os
import sys
import time
import types
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # keep src/ free of __pycache__
sys.path.insert(0, HERE)  # their code imports itself as `src.<module>`

import numpy as np  # noqa: E402
import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import safetensors.numpy  # noqa: E402

from src import train as vo  # noqa: E402  (their train.py)
from src.config import config  # noqa: E402
from src.data import create_reg_data  # noqa: E402


@contextlib.contextmanager
def fixed_zip_time():
  """Pin the timestamps zipfile writes (np.savez) so output is reproducible."""
  fake = types.SimpleNamespace(time=lambda: 315532800.0,
                               localtime=lambda *_: (1980, 1, 1, 0, 0, 0, 1, 1, 0))
  saved = zipfile.time
  zipfile.time = fake
  try:
    yield
  finally:
    zipfile.time = saved


def set_config(steps):
  # Values required by the brief (the rest are config.py defaults; lr 1e-3,
  # Adam(W) b1 0.9 b2 0.98 wd 0, grad clip 1e10, init_scale 0.002).
  config.seed = 0
  config.local_usage = True
  config.analyse = False          # only skips their GD-params init in init()
  config.num_layers = 1
  config.num_heads = 1
  config.key_size = 11
  config.input_size = 10
  config.dataset_size = 10
  config.emb_size = 11
  config.input_range = 1.0
  config.weight_scale = 1
  config.size_distract = 0
  config.deq = True
  config.gd_deq = True
  config.att_only_trans = True
  config.include_query = False
  config.use_bias = False
  config.layer_norm = False
  config.use_softmax = False
  config.pos_enc = False
  config.bs = 2048
  config.training_steps = steps
  config.init_scale = 0.002 / config.num_layers


def flatten(params):
  flat = {}
  for module in sorted(params):
    for name in sorted(params[module]):
      flat[module + "/" + name] = np.asarray(params[module][name], dtype=np.float32)
  return flat


def data(rng, n):
  return vo.data_creator(jax.random.split(rng, num=n), config.input_size,
                         config.dataset_size, config.size_distract,
                         config.input_range, config.weight_scale)


def main():
  ap = argparse.ArgumentParser()
  ap.add_argument("--steps", type=int, default=4000)
  args = ap.parse_args()
  set_config(args.steps)

  # Their training loop (constructed_token_setup.ipynb, "Training" cell):
  optimiser, train_state, _, rng = vo.init()
  rng, data_rng = jax.random.split(rng, 2)
  t0 = time.time()
  loss = None
  for step in range(config.training_steps):
    rng, data_rng = jax.random.split(data_rng, 2)
    train_data = data(rng, config.bs)
    train_state, metrics = vo.update(train_state, train_data, optimiser)
    if step % 500 == 0 or step == config.training_steps - 1:
      loss = float(metrics["train_loss"])
      print(f"step {step:5d} train loss {loss:.6f}  ({time.time() - t0:.1f}s)",
            flush=True)
  params = jax.device_get(train_state.params)
  print("final training loss (last batch):", loss)

  # Evaluation on 10000 fresh tasks.
  eval_rng = jax.random.PRNGKey(5)
  eval_data = data(eval_rng, 10000)
  trained_loss, _, _ = vo.predict_test.apply(train_state.params, eval_rng,
                                             eval_data, False)
  trained_loss = float(trained_loss)
  seq = np.asarray(eval_data[0], dtype=np.float64)   # [B, N+1, D]
  tgt = np.asarray(eval_data[1], dtype=np.float64)[:, -1]
  X, Y, xq = seq[:, :-1, :-1], seq[:, :-1, -1], seq[:, -1, :-1]
  g = np.einsum("bi,bij,bj->b", Y, X, xq)            # sum_i y_i x_i.x_q
  eta = float(np.dot(g, tgt) / np.dot(g, g))
  gd_loss = float(0.5 * np.mean((tgt - eta * g) ** 2))
  print(f"10000 fresh tasks: trained loss {trained_loss:.6f}, one GD step at "
        f"eta*={eta:.6f} (eta*/N={eta / config.dataset_size:.6f}) loss "
        f"{gd_loss:.6f}, ratio {trained_loss / gd_loss:.5f}")

  # Save params.
  flat = flatten(params)
  for k, v in flat.items():
    print("param", k, v.shape, v.dtype)
  with fixed_zip_time():
    np.savez(os.path.join(HERE, "params.npz"), **flat)
    np.savez_compressed(os.path.join(HERE, "params_compressed.npz"), **flat)
  safetensors.numpy.save_file(flat, os.path.join(HERE, "params.safetensors"))

  # Five tasks drawn with their create_reg_data, fixed key.
  task_keys = jax.random.split(jax.random.PRNGKey(2024), num=5)
  tasks = vo.data_creator(task_keys, config.input_size, config.dataset_size,
                          config.size_distract, config.input_range,
                          config.weight_scale)
  tokens = np.asarray(tasks[0], dtype=np.float32)     # [5, N+1, D]
  assert np.all(tokens[:, -1, -1] == 0.0)
  out = vo.predict.apply(params, eval_rng, jnp.asarray(tokens), False)
  preds = np.asarray(out, dtype=np.float32)[:, -1, -1] * np.float32(-1.0)
  targets = np.asarray(tasks[1], dtype=np.float32)[:, -1]
  pj = {
      "d": config.input_size,
      "N": config.dataset_size,
      "tokens": [[[float(v) for v in row] for row in task] for task in tokens],
      "targets": [float(v) for v in targets],
      "predictions": [float(v) for v in preds],
  }
  with open(os.path.join(HERE, "predictions.json"), "w") as f:
    json.dump(pj, f, indent=1)
    f.write("\n")
  with open(os.path.join(HERE, "losses.json"), "w") as f:
    json.dump({"steps": config.training_steps, "batch": config.bs,
               "final_train_loss": loss, "eval_tasks": 10000,
               "trained_loss": trained_loss, "gd_one_step_loss": gd_loss,
               "eta_star": eta}, f, indent=1)
    f.write("\n")
  print("predictions:", pj["predictions"])
  print("targets:    ", pj["targets"])


if __name__ == "__main__":
  main()
