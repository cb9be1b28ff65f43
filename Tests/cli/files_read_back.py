#!/usr/bin/env python3
"""Every kind of file `icl` writes, read back by the tools its users have, and its values
checked against an independent computation (not only its shape):

- weights (`icl train`: DIR/checkpoint/model.safetensors; `icl reproduce gaussian-optimum` and
  `von-oswald`: model*.safetensors) with Python's `safetensors.numpy`, read as the documented
  row-major `layers.{k}.heads.{h}.W_K|W_Q|W_V|P` (tokens as columns), and run through the layer
  formula of REFERENCE.md section 1 in NumPy:
    e_j <- e_j + sum_h P_h W_V,h E_ctx (E_ctx^T W_K,h^T W_Q,h e_j),  yhat = -y_q after the last layer;
  the loss of that NumPy model on fresh tasks equals the validation loss `icl train` reports
  (within 5 standard errors of the two sample means), and the effective preconditioner
  `Gamma_eff = -N v_yy M_xx^T` (M = sum_h W_K^T W_Q, V = sum_h P W_V) equals the one
  `gaussian-optimum` reports to rounding. Each check also shows it has teeth: W_K read transposed
  misses by many tolerances. Skipped with a message when `safetensors` is not installed.
- JSON (`json`): summaries, config, metrics lines: consistent with each other and with the
  closed form `Gamma_0 = ((N+1)/N Sigma + tr(Sigma)/N I)^{-1}` (REFERENCE.md section 2).
- CSV (`csv`): the landscape's grid and the alignment table against summary.json.
- PNG (zlib + struct, a reader written here): the heatmap embedded in landscape.svg, every
  pixel against viridis of the CSV's value (top row = largest y).

Usage: python3 Tests/cli/files_read_back.py ICL   (prints 'files-read-back: N passed, M failed')
"""
import base64
import csv
import json
import math
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

import numpy as np

ICL = os.path.abspath(sys.argv[1])
try:
    from safetensors.numpy import load_file
except ImportError:
    load_file = None

passed, failed = 0, []


def check(ok, what):
    global passed
    if ok:
        passed += 1
    else:
        failed.append(what)
        print("FAIL:", what)


def icl(*args):
    p = subprocess.run([ICL, *args], capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        sys.exit(f"icl {' '.join(args)} exited {p.returncode}: {p.stderr}")
    return p.stdout


# ---- weights and the LSA forward pass (REFERENCE.md section 1) -------------------------------

def read_heads(tensors):
    """{layer: [(W_K, W_Q, W_V, P), ...]} from the documented names."""
    layers = {}
    for name in tensors:
        m = re.fullmatch(r"layers\.(\d+)\.heads\.(\d+)\.(W_K|W_Q|W_V|P)", name)
        check(m is not None, f"tensor name {name} follows layers.{{k}}.heads.{{h}}.W_K|W_Q|W_V|P")
        if m:
            layers.setdefault(int(m[1]), {}).setdefault(int(m[2]), {})[m[3]] = tensors[name]
    return [[(h["W_K"], h["W_Q"], h["W_V"], h["P"]) for _, h in sorted(layers[k].items())] for k in sorted(layers)]


def predict(layers, x, y, xq):
    """yhat for tasks x (T, N, d), y (T, N, 1), xq (T, d): tokens as columns, query (x_q, 0),
    only the N context tokens as keys and values; yhat = -(the query's y-entry)."""
    t, n, d = x.shape
    e = np.concatenate([np.concatenate([x, y], axis=2), np.concatenate([xq, np.zeros((t, 1))], axis=1)[:, None, :]], axis=1)
    e = np.transpose(e, (0, 2, 1))                      # (T, D, N+1): columns are tokens
    for heads in layers:
        ctx = e[:, :, :n]
        update = np.zeros_like(e)
        for wk, wq, wv, p in heads:
            scores = np.einsum("tdi,de,tej->tij", ctx, wk.T @ wq, e)    # E_ctx^T W_K^T W_Q e_j
            update += np.einsum("de,tei,tij->tdj", p @ wv, ctx, scores)  # P W_V E_ctx (...)
        e = e + update
    return -e[:, d, n]


def uniform_tasks(rng, count, d, n):
    w = rng.standard_normal((count, d))
    x = rng.uniform(-0.5, 0.5, (count, n, d))
    xq = rng.uniform(-0.5, 0.5, (count, d))
    return x, np.einsum("tnd,td->tn", x, w)[:, :, None], xq, np.einsum("td,td->t", xq, w)


def train_run(work):
    """`icl train`: the weights file's model has the validation loss the tool reports."""
    out = os.path.join(work, "train")
    d, n = 2, 8
    icl("train", "--d", str(d), "--N", str(n), "--layers", "2", "--heads", "2", "--lr", "0.01", "--steps", "400",
        "--batch", "128", "--seed", "5", "--out", out)
    summary = json.load(open(os.path.join(out, "summary.json")))
    config = json.load(open(os.path.join(out, "config.json")))
    metrics = [json.loads(line) for line in open(os.path.join(out, "metrics.jsonl"))]
    check(summary["config"] == config, "summary.json's config is config.json")
    check(config["model"]["inputDimension"] == d and config["model"]["contextCount"] == n and config["model"]["layers"] == 2
          and config["model"]["heads"] == 2 and config["seed"] == 5 and config["steps"] == 400, "config.json holds the options given")
    check([m["step"] for m in metrics] == sorted({m["step"] for m in metrics}) and metrics[-1]["step"] == 399
          and all(m["learningRate"] == 0.01 for m in metrics), "metrics.jsonl: increasing steps to the last, the learning rate given")
    # The zero predictor's loss is (1/2) E (w^T x_q)^2 = d/24 for x ~ U(-1/2, 1/2)^d.
    se_zero = math.sqrt(1 / 10000) * d / 24 * 3  # the per-task loss (w.x)^2/2 has sd < 3 x its mean here
    check(abs(summary["zeroPredictorLoss"] - d / 24) < 5 * se_zero,
          f"zero predictor loss {summary['zeroPredictorLoss']} is d/24 = {d / 24}")
    path = os.path.join(out, "checkpoint", "model.safetensors")
    header = read_safetensors_header(path)
    check(header["__metadata__"]["step"] == "400", "the weights file's metadata names its step")
    check(json.loads(header["__metadata__"]["model"]) == config["model"], "the weights file's metadata repeats the model's config")
    check(summary["experiment"] == "train" and summary["setting"]["d"] == d and summary["setting"]["N"] == n
          and summary["setting"]["seed"] == 5 and summary["setting"]["batchSize"] == 128, "summary.json's setting holds the run's sizes")
    TRAIN_CONFIG_KEYS.update(config)
    check(all(v["dtype"] == "F64" and v["shape"] == [d + 1, d + 1] for k, v in header.items() if k != "__metadata__"),
          "every tensor F64, D x D")
    if load_file is None:
        return
    layers = read_heads(load_file(path))
    check(len(layers) == 2 and all(len(h) == 2 for h in layers), "2 layers x 2 heads in the file")
    rng = np.random.default_rng(2024)
    x, y, xq, yq = uniform_tasks(rng, 20000, d, n)

    def loss_and_se(model):
        losses = 0.5 * (predict(model, x, y, xq) - yq) ** 2
        return losses.mean(), losses.std() / math.sqrt(len(losses))

    loss, se = loss_and_se(layers)
    # Two independent means of the same distribution: the tool's over 10^4 tasks, ours over 2 x 10^4.
    tolerance = 5 * math.sqrt(se ** 2 + 2 * se ** 2)
    check(abs(loss - summary["validationLoss"]) < tolerance,
          f"NumPy loss of the file's model {loss:.6g} = reported validation loss {summary['validationLoss']:.6g} (+- {tolerance:.2g})")
    check(summary["validationLoss"] < 0.5 * summary["zeroPredictorLoss"], "the run learned (validation < zero predictor / 2)")
    transposed = [[(wk.T, wq, wv, p) for wk, wq, wv, p in heads] for heads in layers]
    loss_t, _ = loss_and_se(transposed)
    check(abs(loss_t - summary["validationLoss"]) > 4 * tolerance,
          f"teeth: W_K read transposed gives {loss_t:.6g}, outside the tolerance")


TRAIN_CONFIG_KEYS = {}


def check_reproduction_files(out, summary, names):
    """A reproduction's model files: beside each model-NAME.safetensors a config-NAME.json in the
    schema of `icl train`'s config.json, agreeing with summary.json's setting and with the
    weights file's metadata."""
    setting = summary["setting"]
    check(setting["seed"] == summary["seed"] and setting["steps"] == summary["steps"] and setting["version"],
          f"{summary['experiment']}: the setting repeats the seed and steps and names the version")
    for suffix in names:
        config = json.load(open(os.path.join(out, f"config{suffix}.json")))
        if TRAIN_CONFIG_KEYS:
            check(set(config) == set(TRAIN_CONFIG_KEYS) and set(config["model"]) == set(TRAIN_CONFIG_KEYS["model"]),
                  f"config{suffix}.json has the keys of icl train's config.json")
        check(config["seed"] == setting["seed"] and config["steps"] == setting["steps"] and config["batchSize"] == setting["batchSize"]
              and config["tasks"]["inputDimension"] == setting["d"] and config["tasks"]["contextCount"] == setting["N"],
              f"config{suffix}.json agrees with summary.json's setting")
        header = read_safetensors_header(os.path.join(out, f"model{suffix}.safetensors"))
        check(json.loads(header["__metadata__"]["model"]) == config["model"] and header["__metadata__"]["step"] == str(config["steps"])
              and "convention" in header["__metadata__"], f"model{suffix}.safetensors' metadata: the config's model, its step, the convention")


def read_safetensors_header(path):
    raw = open(path, "rb").read()
    (length,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + length])
    end = max(v["data_offsets"][1] for k, v in header.items() if k != "__metadata__")
    check(8 + length + end == len(raw), f"{os.path.basename(path)}: header and data fill the file exactly")
    return header


def folded(layers):
    """(M, V) = (sum_h W_K^T W_Q, sum_h P W_V) of a one-layer model."""
    (heads,) = layers
    return sum(wk.T @ wq for wk, wq, _, _ in heads), sum(p @ wv for _, _, wv, p in heads)


def gaussian_optimum(work):
    """`icl reproduce gaussian-optimum`: Gamma_0 from Sigma in closed form, Gamma_eff from the files."""
    out = os.path.join(work, "gaussian")
    icl("reproduce", "gaussian-optimum", "--steps", "20", "--out", out)
    summary = json.load(open(os.path.join(out, "summary.json")))
    cases = {c["name"]: c for c in summary["cases"]}
    check(set(cases) == {"random", "isotropic"}, "two cases: random and isotropic Sigma")
    check(summary["experiment"] == "gaussian-optimum" and summary["setting"]["inputs"] == "gaussian", "the experiment and its inputs")
    check_reproduction_files(out, summary, ["-random", "-isotropic"])
    check(summary["gammaRelativeError"] == cases["random"]["gammaRelativeError"], "the contract keys are the random case's")
    for name, c in cases.items():
        sigma, gamma0, gamma = (np.array(c[k]) for k in ("sigma", "gamma0", "gammaEffective"))
        d = len(sigma)
        n = 20
        closed = np.linalg.inv((n + 1) / n * sigma + np.trace(sigma) / n * np.eye(d))
        check(np.abs(gamma0 - closed).max() <= 1e-12 * np.abs(closed).max() * d,
              f"{name}: Gamma_0 = ((N+1)/N Sigma + tr(Sigma)/N I)^-1")
        rel = np.linalg.norm(gamma - gamma0) / np.linalg.norm(gamma0)
        check(abs(rel - c["gammaRelativeError"]) <= 1e-12 * rel + 1e-15, f"{name}: ||Gamma_eff - Gamma_0|| / ||Gamma_0||")
        if name == "isotropic":
            check(np.abs(sigma - np.eye(d)).max() == 0, "isotropic Sigma is I")
        path = os.path.join(out, f"model-{name}.safetensors")
        read_safetensors_header(path)
        if load_file is None:
            continue
        layers = read_heads(load_file(path))
        m, v = folded(layers)
        from_file = -n * v[d, d] * m[:d, :d].T
        scale = np.abs(from_file).max()
        check(scale > 0 and np.abs(from_file - gamma).max() <= 1e-12 * scale,
              f"{name}: Gamma_eff = -N v_yy M_xx^T from the weights file equals the reported one")
        wrong = -n * v[d, d] * sum(wk @ wq for wk, wq, _, _ in layers[0])[:d, :d].T
        check(np.abs(wrong - gamma).max() > 1e-3 * scale, f"teeth ({name}): W_K read transposed gives another Gamma_eff")


def von_oswald(work):
    """`icl reproduce von-oswald`: the file's model and GD at eta* on fresh tasks; the CSV's last row."""
    out = os.path.join(work, "vo")
    icl("reproduce", "von-oswald", "--steps", "20", "--out", out)
    summary = json.load(open(os.path.join(out, "summary.json")))
    check(summary["experiment"] == "von-oswald" and summary["setting"]["inputs"] == "uniform" and summary["setting"]["inputWidth"] == 1
          and summary["setting"]["noise"] == 0 and summary["setting"]["dy"] == 1, "the experiment and its task distribution")
    check_reproduction_files(out, summary, [""])
    rows = list(csv.DictReader(open(os.path.join(out, "alignment.csv"), newline="")))
    check(list(rows[0]) == ["step", "trainedLoss", "gdLoss", "predsDiff", "modelCos", "modelDiff"], "alignment.csv's columns")
    steps = [float(r["step"]) for r in rows]
    check(steps == sorted(steps) and steps[0] == 0 and steps[-1] == summary["steps"], "alignment.csv from step 0 to the last")
    last = rows[-1]
    for key in ("trainedLoss", "predsDiff", "modelCos", "modelDiff", "gdLoss"):
        check(float(last[key]) == summary[key], f"alignment.csv's last {key} {last[key]} = summary's {summary[key]}")
    check(len({r["gdLoss"] for r in rows}) == 1, "GD's loss is one number over the run")
    d = n = 10
    check(abs(summary["zeroLoss"] - d / 24) < 5 * 3 * d / 24 / 100, f"zero predictor loss {summary['zeroLoss']} is d/24")
    path = os.path.join(out, "model.safetensors")
    read_safetensors_header(path)
    if load_file is None:
        return
    layers = read_heads(load_file(path))
    rng = np.random.default_rng(7)
    x, y, xq, yq = uniform_tasks(rng, 20000, d, n)
    trained = predict(layers, x, y, xq)
    gd = summary["etaStar"] / n * np.einsum("tn,tnd,td->t", y[:, :, 0], x, xq)   # one GD step from W_0 = 0
    for key, sample in (("trainedLoss", 0.5 * (trained - yq) ** 2), ("gdLoss", 0.5 * (gd - yq) ** 2),
                        ("predsDiff", np.abs(trained - gd))):
        tolerance = 5 * math.sqrt(3) * sample.std() / math.sqrt(len(sample))
        check(abs(sample.mean() - summary[key]) < tolerance,
              f"{key}: NumPy {sample.mean():.6g} on fresh tasks = reported {summary[key]:.6g} (+- {tolerance:.2g})")


# ---- PNG ------------------------------------------------------------------------------------

def decode_png(data):
    """8-bit RGB, non-interlaced PNG -> (width, height, rows of bytes); CRCs checked."""
    check(data[:8] == b"\x89PNG\r\n\x1a\n", "PNG signature")
    i, idat, ihdr = 8, b"", None
    while i < len(data):
        (length,) = struct.unpack(">I", data[i:i + 4])
        kind, body = data[i + 4:i + 8], data[i + 8:i + 8 + length]
        (crc,) = struct.unpack(">I", data[i + 8 + length:i + 12 + length])
        check(zlib.crc32(kind + body) == crc, f"CRC of chunk {kind}")
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        i += 12 + length
    width, height, depth, colour, _, _, interlace = ihdr
    check((depth, colour, interlace) == (8, 2, 0), "8-bit RGB, not interlaced")
    raw, stride, rows, prev = zlib.decompress(idat), 3 * width, [], bytearray(3 * width)
    for r in range(height):
        kind, line = raw[r * (stride + 1)], bytearray(raw[r * (stride + 1) + 1:(r + 1) * (stride + 1)])
        for k in range(stride):
            a = line[k - 3] if k >= 3 else 0
            b, c = prev[k], (prev[k - 3] if k >= 3 else 0)
            if kind == 0:
                pred = 0
            elif kind == 1:
                pred = a
            elif kind == 2:
                pred = b
            elif kind == 3:
                pred = (a + b) // 2
            else:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            line[k] = (line[k] + pred) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, rows


# matplotlib's viridis at t = 0, 1/8, ..., 1 (the colour map the project documents).
VIRIDIS = [(68, 1, 84), (71, 44, 122), (59, 81, 139), (44, 113, 142), (33, 144, 141),
           (39, 173, 129), (92, 200, 99), (170, 220, 50), (253, 231, 37)]


def viridis(t):
    x = min(max(t, 0.0), 1.0) * 8
    i = min(int(x), 7)
    f = x - i
    return tuple(a + (b - a) * f for a, b in zip(VIRIDIS[i], VIRIDIS[i + 1]))


def landscape(work):
    """`icl phen landscape`: the CSV's losses are the model's, and the PNG's pixels are their colours."""
    out = os.path.join(work, "land")
    grid = 24
    icl("phen", "landscape", "--N", "4", "--L", "8", "--axes", "alpha,xi", "--fix", "beta=2", "--grid", str(grid),
        "--range", "alpha=-2:3,xi=-1:4", "--out", out)
    rows = list(csv.DictReader(open(os.path.join(out, "landscape.csv"), newline="")))
    check(len(rows) == grid * grid and list(rows[0]) == ["alpha", "xi", "beta", "loss"], "landscape.csv: 24 x 24 rows of alpha,xi,beta,loss")
    alphas = sorted({float(r["alpha"]) for r in rows})
    xis = sorted({float(r["xi"]) for r in rows})
    check(len(alphas) == grid and len(xis) == grid and alphas[0] == -2 and alphas[-1] == 3 and xis[0] == -1 and xis[-1] == 4, "the grid spans the range given")
    check(all(float(r["beta"]) == 2 for r in rows), "beta fixed at 2")

    def reddy(beta, alpha, xi, n=4, labels=8):
        """Loss = log(1 + (N-1) e^-u + (L-N) e^-u'), y = e^beta / (e^beta + 2N) (REFERENCE.md section 4)."""
        y = math.exp(beta) / (math.exp(beta) + 2 * n)
        e = math.exp(alpha * y)
        u, u2 = xi * (e - 1) / (e + 2 * n), xi * e / (e + 2 * n)
        return math.log(1 + (n - 1) * math.exp(-u) + (labels - n) * math.exp(-u2))

    # A handful of rounding errors in exp, log and the sums, each amplified at most by
    # |d log Loss/d input| <= ~10 over this range: 1e-13 relative is far above them.
    worst_loss = max(abs(float(r["loss"]) - reddy(2, float(r["alpha"]), float(r["xi"]))) / abs(reddy(2, float(r["alpha"]), float(r["xi"])))
                     for r in rows)
    check(worst_loss <= 1e-13, f"landscape.csv's loss is Reddy's closed form at its coordinates (worst relative error {worst_loss:.2g})")
    value = {(float(r["alpha"]), float(r["xi"])): float(r["loss"]) for r in rows}
    svg = open(os.path.join(out, "landscape.svg")).read()
    m = re.search(r'href="data:image/png;base64,([^"]+)"', svg)
    check(m is not None, "landscape.svg embeds a PNG")
    width, height, pixels = decode_png(base64.b64decode(m[1]))
    check((width, height) == (grid, grid), f"one pixel per grid cell ({width} x {height})")
    lo, hi = min(value.values()), max(value.values())
    worst = 0
    for r in range(height):
        for c in range(width):
            want = viridis((value[(alphas[c], xis[height - 1 - r])] - lo) / (hi - lo))   # top row = largest xi
            worst = max(worst, max(abs(pixels[r][3 * c + k] - want[k]) for k in range(3)))
    check(worst <= 1, f"every pixel is viridis of its CSV value, top row = largest y (worst channel error {worst})")
    flipped = max(abs(pixels[r][3 * c + k] - viridis((value[(alphas[c], xis[r])] - lo) / (hi - lo))[k])
                  for r in range(height) for c in range(width) for k in range(3))
    check(flipped > 20, f"teeth: the image read upside down misses by {flipped}")
    labels_found = re.findall(r">(alpha|xi)</text>", svg)
    check(labels_found[:2] == ["alpha", "xi"], f"axis labels alpha (x) then xi (y): {labels_found}")


def main():
    work = tempfile.mkdtemp(prefix="icl-files-")
    try:
        if load_file is None:
            print("files-read-back: the Python package safetensors is not installed: weights read only through "
                  "their header (pip install safetensors for the full check)")
        train_run(work)
        gaussian_optimum(work)
        von_oswald(work)
        landscape(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"files-read-back: {passed} passed, {len(failed)} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
