#!/usr/bin/env python3
"""Malformed (and one valid-but-incomplete) weight files, one per error, for
the error paths of `icl validate`.  See README.md for the table of what is
wrong in each file and what the error message must name.

Run from the repository root:
    python3 Fixtures/validate/malformed/make_malformed.py

Needs numpy and safetensors only.  Deterministic (fixed values, zip
timestamps pinned to 1980-01-01).
"""
import contextlib
import io
import json
import os
import struct
import types
import zipfile

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


def out(name, data):
  with open(os.path.join(HERE, name), "wb") as f:
    f.write(data)


# ------------------------------------------------------------- safetensors
A = np.array([[1.0, 2.0], [3.0, 4.0]], dtype="<f4")   # 16 bytes
B = np.array([5.0, 6.0, 7.0], dtype="<f4")            # 12 bytes


def st_bytes(header, data, pad=True):
  """Build a safetensors file by hand: u64 LE header length, JSON, data."""
  h = json.dumps(header, separators=(",", ":")).encode()
  if pad:  # the official writer pads the header with spaces to 8 bytes
    h += b" " * (-len(h) % 8)
  return struct.pack("<Q", len(h)) + h + data


def valid():
  hdr = {"a": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]},
         "b": {"dtype": "F32", "shape": [3], "data_offsets": [16, 28]}}
  return st_bytes(hdr, A.tobytes() + B.tobytes())


def make_safetensors():
  good = valid()
  # Our hand-built valid file must be what the library itself accepts.
  loaded = safetensors.numpy.load(good)
  assert np.array_equal(loaded["a"], A) and np.array_equal(loaded["b"], B)

  # truncated: cut at data byte 20 (a = bytes 0..16 complete, b = 16..28 cut).
  hlen = struct.unpack("<Q", good[:8])[0]
  out("truncated.safetensors", good[:8 + hlen + 20])

  # header_length_lies: the u64 length is larger than the whole file.
  out("header_length_lies.safetensors",
      struct.pack("<Q", len(good) + 100) + good[8:])

  # header_too_big: claims a 200 MB header, file is tiny.
  out("header_too_big.safetensors",
      struct.pack("<Q", 200_000_000) + b'{"a":{"dtype":"F32"}}   ')

  # header_not_object: the header JSON is a list.
  out("header_not_object.safetensors", st_bytes([1, 2, 3], A.tobytes()))

  # overlap: b = bytes 12..24 overlaps a = 0..16 (buffer is 24 bytes, no gap).
  hdr = {"a": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]},
         "b": {"dtype": "F32", "shape": [3], "data_offsets": [12, 24]}}
  out("overlap.safetensors", st_bytes(hdr, A.tobytes() + B.tobytes()[4:]))

  # gap: 4 unused bytes 16..20 between a and b (b = 20..32).
  hdr = {"a": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]},
         "b": {"dtype": "F32", "shape": [3], "data_offsets": [20, 32]}}
  out("gap.safetensors", st_bytes(hdr, A.tobytes() + b"\0\0\0\0" + B.tobytes()))

  # wrong_shape: a says [3,3] (36 bytes) but its offsets span 16 bytes.
  hdr = {"a": {"dtype": "F32", "shape": [3, 3], "data_offsets": [0, 16]},
         "b": {"dtype": "F32", "shape": [3], "data_offsets": [16, 28]}}
  out("wrong_shape.safetensors", st_bytes(hdr, A.tobytes() + B.tobytes()))

  # unsupported dtypes on tensor "a" (sizes consistent, b stays F32).
  a_i64 = np.array([[1, 2], [3, 4]], dtype="<i8").tobytes()          # 32 bytes
  hdr = {"a": {"dtype": "I64", "shape": [2, 2], "data_offsets": [0, 32]},
         "b": {"dtype": "F32", "shape": [3], "data_offsets": [32, 44]}}
  out("i64.safetensors", st_bytes(hdr, a_i64 + B.tobytes()))
  a_f8 = bytes([0x38, 0x40, 0x44, 0x48])  # 1, 2, 3, 4 in F8_E4M3
  hdr = {"a": {"dtype": "F8_E4M3", "shape": [2, 2], "data_offsets": [0, 4]},
         "b": {"dtype": "F32", "shape": [3], "data_offsets": [4, 16]}}
  out("f8.safetensors", st_bytes(hdr, a_f8 + B.tobytes()))
  a_bool = bytes([1, 0, 0, 1])
  hdr = {"a": {"dtype": "BOOL", "shape": [2, 2], "data_offsets": [0, 4]},
         "b": {"dtype": "F32", "shape": [3], "data_offsets": [4, 16]}}
  out("bool.safetensors", st_bytes(hdr, a_bool + B.tobytes()))

  # missing_tensor: a VALID file with the documented names, W_V missing.
  rng = np.random.default_rng(0)
  tensors = {f"layers.0.heads.0.{n}": (0.1 * rng.standard_normal((11, 11))).astype(np.float32)
             for n in ("W_K", "W_Q", "P")}
  safetensors.numpy.save_file(tensors, os.path.join(HERE, "missing_tensor.safetensors"))
  assert sorted(safetensors.numpy.load_file(os.path.join(HERE, "missing_tensor.safetensors"))) \
      == sorted(tensors)


# ------------------------------------------------------------- numpy
def npy_header(header_text, version=(1, 0)):
  """Magic + version + header length + header text padded per the spec."""
  h = header_text.encode("latin1")
  pre = 10 if version == (1, 0) else 12
  total = pre + len(h) + 1
  h += b" " * (-total % 64) + b"\n"
  if version == (1, 0):
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(h)) + h
  return b"\x93NUMPY" + bytes(version) + struct.pack("<I", len(h)) + h


def make_numpy():
  # npy_truncated: header says (4, 4) <f8 = 128 bytes, only 64 present.
  buf = io.BytesIO()
  np.lib.format.write_array(buf, np.arange(16, dtype="<f8").reshape(4, 4), version=(1, 0))
  full = buf.getvalue()
  out("npy_truncated.npy", full[:len(full) - 64])

  # npy_bad_magic: valid file with the magic changed to "\x93NUMPX".
  buf = io.BytesIO()
  np.lib.format.write_array(buf, np.ones((2, 2), dtype="<f8"), version=(1, 0))
  bad = bytearray(buf.getvalue())
  bad[5:6] = b"X"
  out("npy_bad_magic.npy", bytes(bad))

  # npy_i8: a valid int64 array (unsupported dtype).
  buf = io.BytesIO()
  np.lib.format.write_array(buf, np.array([[1, 2], [3, 4]], dtype="<i8"), version=(1, 0))
  out("npy_i8.npy", buf.getvalue())

  # npy_header_not_dict: header is a Python list literal, not a dict.
  out("npy_header_not_dict.npy",
      npy_header("['<f8', False, (2,)]") + np.array([1.0, 2.0], dtype="<f8").tobytes())

  # npy_object: dtype object ('|O'), pickled payload.
  buf = io.BytesIO()
  np.lib.format.write_array(buf, np.array([1.5, "text", None], dtype=object),
                            version=(1, 0), allow_pickle=True)
  out("npy_object.npy", buf.getvalue())

  with fixed_zip_time():
    # not_npz.zip: a zip holding readme.txt only.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
      z.writestr("readme.txt", "This zip holds no .npy members.\n")
    out("not_npz.zip", buf.getvalue())

    # npz_truncated: an np.savez file cut in half.
    buf = io.BytesIO()
    np.savez(buf, a=np.arange(6, dtype="<f8").reshape(2, 3),
             b=np.array([1.0, 2.0], dtype="<f8"))
    full = buf.getvalue()
    out("npz_truncated.npz", full[:len(full) // 2])

    # npz_bad_member: member a.npy is plain text, not a .npy.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
      z.writestr("a.npy", "this is not a .npy file\n")
    out("npz_bad_member.npz", buf.getvalue())


def check():
  """Each malformed file must indeed be rejected by the reference readers."""
  import safetensors
  for n in ("truncated", "header_length_lies", "header_too_big", "header_not_object",
            "overlap", "gap", "wrong_shape", "i64", "f8", "bool"):
    path = os.path.join(HERE, n + ".safetensors")
    try:
      r = safetensors.numpy.load_file(path)
      note = "ACCEPTED by safetensors.numpy (dtypes " + \
          ",".join(sorted(str(v.dtype) for v in r.values())) + ")"
    except Exception as e:  # noqa: BLE001
      note = "rejected: " + type(e).__name__ + ": " + str(e)[:90]
    print(f"{n + '.safetensors':34s} {note}")
  for n in ("npy_truncated.npy", "npy_bad_magic.npy", "npy_i8.npy",
            "npy_header_not_dict.npy", "npy_object.npy", "not_npz.zip",
            "npz_truncated.npz", "npz_bad_member.npz"):
    path = os.path.join(HERE, n)
    try:
      r = np.load(path, allow_pickle=False)
      if hasattr(r, "files"):
        note = "opened, members " + str(r.files)
        for k in r.files:
          r[k]
        r.close()
      else:
        note = "ACCEPTED by np.load, dtype " + str(r.dtype)
    except Exception as e:  # noqa: BLE001
      note = "rejected: " + type(e).__name__ + ": " + str(e)[:90]
    print(f"{n:34s} {note}")


if __name__ == "__main__":
  make_safetensors()
  make_numpy()
  check()
