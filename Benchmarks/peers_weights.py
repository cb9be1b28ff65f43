"""Peers of the weights-reader scenarios: the same 100 MB files (four float64 arrays of
3125 x 1000, entry i of array k = (i mod 1000 + k) / 1000), written here with the tools' own
writers and read with their readers, every array materialised as float64 in memory:
`safetensors.numpy.load_file` and `np.load` of an `np.savez` file (`{k: z[k] for k in z}`, which
reads, checks the CRC of and decodes each member). The files live in the page cache, as ours do.
"""
import os
import tempfile

import numpy as np

TMP = tempfile.gettempdir()


def arrays():
    base = (np.arange(3_125_000) % 1000).astype(np.float64).reshape(3125, 1000)
    return {f"t{k}": (base + k) * 0.001 for k in range(4)}


def safetensors_peer():
    from safetensors.numpy import load_file, save_file
    path = os.path.join(TMP, "peer-100mb.safetensors")
    if not os.path.exists(path):
        save_file(arrays(), path)
    return lambda: load_file(path)["t0"][0, 7]


def npz_peer():
    path = os.path.join(TMP, "peer-100mb.npz")
    if not os.path.exists(path):
        np.savez(path, **arrays())

    def work():
        with np.load(path) as z:
            return {k: z[k] for k in z.files}["t0"][0, 7]
    return work


SCENARIOS = {"read-npz-100mb": ("NumPy np.load", npz_peer)}
try:
    import safetensors.numpy  # noqa: F401
    SCENARIOS["read-safetensors-100mb"] = ("safetensors.numpy.load_file", safetensors_peer)
except ImportError:
    print("skipping read-safetensors-100mb's peer: pip install safetensors")
