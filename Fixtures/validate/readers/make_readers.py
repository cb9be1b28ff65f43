#!/usr/bin/env python3
"""Small .npy / .npz / .safetensors files exercising the readers of
`icl validate`, with the expected decoded values in expected.json.

Run from the repository root:
    python3 Fixtures/validate/readers/make_readers.py

Needs numpy, ml_dtypes, safetensors.  Deterministic (zip timestamps pinned to
1980-01-01).

expected.json maps a key to {"dtype", "shape", "values"}: values are the
STORED values converted exactly to float64, flattened row-major (C order),
whatever the on-disk order.  The key is the file name for a single-array file
(.npy) and "<file>#<member>" for a container (.npz member without the ".npy"
suffix, safetensors tensor name).  For f16/bf16 files "source_values" are the
float64 numbers that were rounded (round-to-nearest-even) to the stored dtype.
"""
import contextlib
import io
import json
import os
import types
import zipfile

import ml_dtypes
import numpy as np
import safetensors.numpy

HERE = os.path.dirname(os.path.abspath(__file__))


@contextlib.contextmanager
def fixed_zip_time():
  fake = types.SimpleNamespace(time=lambda: 315532800.0,
                               localtime=lambda *_: (1980, 1, 1, 0, 0, 0, 1, 1, 0))
  saved = zipfile.time
  zipfile.time = fake
  try:
    yield
  finally:
    zipfile.time = saved


expected = {}


def record(key, arr, dtype, source=None):
  a = np.asarray(arr)
  entry = {"dtype": dtype, "shape": list(a.shape),
           "values": [float(v) for v in np.ascontiguousarray(a).astype(np.float64).reshape(-1)]}
  if source is not None:
    entry["source_values"] = [float(v) for v in np.asarray(source, np.float64).reshape(-1)]
  expected[key] = entry


def write_npy(name, arr, version):
  with open(os.path.join(HERE, name), "wb") as f:
    np.lib.format.write_array(f, arr, version=version)
  # sanity: numpy reads back the same thing
  back = np.load(os.path.join(HERE, name))
  assert back.dtype == arr.dtype and back.shape == arr.shape
  assert np.array_equal(back, arr)


def main():
  base = np.array([[1.0, -2.5, 0.1], [3.0e-300, 1.0e300, -0.0]], dtype="<f8")

  write_npy("v1.npy", base, (1, 0))
  record("v1.npy", base, "<f8")
  v2 = np.array([[0.5, 1.0 / 3.0, -7.25], [2.0 ** -40, 123456789.0, 4.0]], dtype="<f8")
  write_npy("v2.npy", v2, (2, 0))
  record("v2.npy", v2, "<f8")
  v3 = np.array([[9.0, -1.0 / 7.0, 1e-5], [2.0, 3.0, np.pi]], dtype="<f8")
  write_npy("v3.npy", v3, (3, 0))
  record("v3.npy", v3, "<f8")

  f4 = np.array([[0.1, -1.5, 3.4028234663852886e38], [1e-45, 2.0 / 3.0, 7.0]]).astype("<f4")
  write_npy("f4.npy", f4, (1, 0))
  record("f4.npy", f4, "<f4")

  f2 = np.array([[0.1, -1.5, 65504.0], [1e-7, 1.0 / 3.0, 2049.0]]).astype("<f2")
  write_npy("f2.npy", f2, (1, 0))
  record("f2.npy", f2, "<f2")

  be = np.array([[1.0, 2.0, -3.5], [0.1, 1e-10, 6.02214076e23]], dtype=">f8")
  write_npy("big_endian.npy", be, (1, 0))
  record("big_endian.npy", be, ">f8")

  fo = np.asfortranarray(np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.5]], dtype="<f8"))
  assert fo.flags.f_contiguous and not fo.flags.c_contiguous
  write_npy("fortran.npy", fo, (1, 0))
  with open(os.path.join(HERE, "fortran.npy"), "rb") as f:
    assert b"'fortran_order': True" in f.read(128)
  record("fortran.npy", fo, "<f8")   # values in C order: 1,2,3,4,5,6.5

  sc = np.array(42.125, dtype="<f8")
  write_npy("scalar.npy", sc, (1, 0))
  record("scalar.npy", sc, "<f8")

  em = np.zeros((0, 3), dtype="<f8")
  write_npy("empty.npy", em, (1, 0))
  record("empty.npy", em, "<f8")

  a = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype="<f8")
  b = np.array([0.25, -0.5, 0.75, 1e-3], dtype="<f4")
  with fixed_zip_time():
    np.savez(os.path.join(HERE, "savez.npz"), a=a, b=b)
    np.savez_compressed(os.path.join(HERE, "savez_compressed.npz"), a=a, b=b)
  for fn in ("savez.npz", "savez_compressed.npz"):
    with np.load(os.path.join(HERE, fn)) as z:
      assert sorted(z.files) == ["a", "b"]
      assert np.array_equal(z["a"], a) and np.array_equal(z["b"], b)
    record(fn + "#a", a, "<f8")
    record(fn + "#b", b, "<f4")

  # safetensors, F16 and BF16, values chosen so that rounding matters.
  src_x = np.array([[0.1, 1.0 / 3.0, -2.5, 65504.0],
                    [1e-5, 1.0 + 2.0 ** -11, 1.0 + 3 * 2.0 ** -11, np.pi]])
  src_y = np.array([1e-8, -7.0e-5, 70000.0 / 2.0])
  # f16: 1e-5 is subnormal, 1+2^-11 is a tie (-> 1.0), 1+3*2^-11 a tie (-> 1+2^-9),
  # 1e-8 underflows to 0.
  x16, y16 = src_x.astype(np.float16), src_y.astype(np.float16)
  safetensors.numpy.save_file({"x": x16, "y": y16}, os.path.join(HERE, "f16.safetensors"))
  record("f16.safetensors#x", x16, "F16", src_x)
  record("f16.safetensors#y", y16, "F16", src_y)

  src_bx = np.array([[0.1, 1.0 / 3.0, -2.5, 3.0e38],
                     [1e-40, 1.0 + 2.0 ** -8, 1.0 + 3 * 2.0 ** -8, np.pi]])
  src_by = np.array([65504.0, -7.0e-5, 1.0e-45])
  # bf16: 1+2^-8 is a tie (-> 1.0), 1+3*2^-8 a tie (-> 1+2^-6), 1e-40 subnormal.
  xb, yb = src_bx.astype(ml_dtypes.bfloat16), src_by.astype(ml_dtypes.bfloat16)
  safetensors.numpy.save_file({"x": xb, "y": yb}, os.path.join(HERE, "bf16.safetensors"))
  # check the bytes on disk independently of ml_dtypes' decoder
  with open(os.path.join(HERE, "bf16.safetensors"), "rb") as f:
    raw = f.read()
  hlen = int.from_bytes(raw[:8], "little")
  header = json.loads(raw[8:8 + hlen])
  assert header["x"]["dtype"] == "BF16", header
  s, e = header["x"]["data_offsets"]
  u16 = np.frombuffer(raw[8 + hlen + s:8 + hlen + e], dtype="<u2")
  as_f32 = (u16.astype(np.uint32) << 16).view(np.float32).astype(np.float64)
  assert np.array_equal(as_f32, xb.astype(np.float64).reshape(-1))
  # round-to-nearest-even from float64, computed by hand via float32 bits when exact
  assert xb.astype(np.float64)[1, 1] == 1.0 and xb.astype(np.float64)[1, 2] == 1.015625
  assert x16.astype(np.float64)[1, 1] == 1.0 and x16.astype(np.float64)[1, 2] == 1.0 + 2.0 ** -9
  record("bf16.safetensors#x", xb, "BF16", src_bx)
  record("bf16.safetensors#y", yb, "BF16", src_by)

  with open(os.path.join(HERE, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1, sort_keys=True)
    f.write("\n")
  print("wrote", len(expected), "expected entries")


if __name__ == "__main__":
  main()
