#!/usr/bin/env python3
"""Run every `icl bench` scenario beside its peer (NumPy/SciPy) in the same invocation.

Each peer module `Benchmarks/peers_*.py` defines
    SCENARIOS = {"scenario-name": ("peer name", prepare)}   (or a list of such entries: one row each;
                                                            ("peer name", prepare, repeats) caps a slow peer's repeats)
where `prepare()` builds the inputs (not timed) and returns a zero-argument callable that does
the same work as the Swift scenario once. Both sides report the median of repeated runs after a
warm-up; ratio = peer seconds / our seconds (> 1 means we are faster). Writes bench.json:
[{"name", "seconds", "peer", "peerSeconds", "ratio", ...}].

OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, which some machines set for Debian's older OpenBLAS (it
miscomputes without them), slow NumPy's own newer OpenBLAS: this script removes them from its own
environment before any peer imports NumPy, and runs `icl bench` with the caller's environment
unchanged (values included), so each side runs as its users would run it.
"""
import os

OPENBLAS_TUNING = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
CALLER_ENVIRONMENT = dict(os.environ)  # for the `icl` subprocesses
for _variable in OPENBLAS_TUNING:      # for the NumPy peers: before any `import numpy`
    os.environ.pop(_variable, None)

import glob
import importlib.util
import json
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ICL = os.environ.get("ICL", os.path.join(HERE, "..", ".build", "release", "icl"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "15"))


def load_peers():
    peers = {}
    for path in sorted(glob.glob(os.path.join(HERE, "peers_*.py"))):
        name = os.path.splitext(os.path.basename(path))[0]
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except ImportError as error:  # a missing peer package skips its scenarios
            print(f"skipping {name}: {error}", file=sys.stderr)
            continue
        for scenario, entries in module.SCENARIOS.items():  # several modules may pair the same scenario
            entries = entries if isinstance(entries, list) else [entries]
            peers[scenario] = (peers.get(scenario) or []) + entries
    return peers


def time_peer(prepare, repeats):
    work = prepare()
    work()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    only = set(sys.argv[1:])
    listing = subprocess.run([ICL, "bench", "--list"], check=True, capture_output=True, text=True,
                             env=CALLER_ENVIRONMENT).stdout
    names = [line.split("\t")[0] for line in listing.splitlines() if line.strip()]
    peers = load_peers()
    rows = []
    dgemm_gflops = None
    for name in names:
        if only and name not in only:
            continue
        ours = json.loads(subprocess.run([ICL, "bench", "--scenario", name, "--repeats", str(REPEATS), "--json"],
                                         check=True, capture_output=True, text=True, env=CALLER_ENVIRONMENT).stdout)
        row = {"name": name, "seconds": ours["seconds"]}
        if ours.get("gflops"):
            row["gflops"] = ours["gflops"]
        if name == "dgemm-rate":
            dgemm_gflops = ours["gflops"]
        pairs = peers.get(name)
        if pairs is None:
            row.update(peer=None, peerSeconds=None, ratio=None)
            print(f"note: no peer for {name}", file=sys.stderr)
            rows.append(row)
            continue
        for peer_name, prepare, *peer_repeats in (pairs if isinstance(pairs, list) else [pairs]):
            peer_seconds = time_peer(prepare, min([REPEATS] + peer_repeats))
            rows.append(dict(row, peer=peer_name, peerSeconds=peer_seconds, ratio=peer_seconds / ours["seconds"]))
    if dgemm_gflops:
        for row in rows:
            if "gflops" in row and row["name"] != "dgemm-rate":
                row["fractionOfDgemm"] = row["gflops"] / dgemm_gflops
    print(f"{'scenario':34} {'ours (s)':>11} {'peer':>8} {'peer (s)':>11} {'ratio':>7} {'GFLOP/s':>8} {'of dgemm':>8}")
    for r in rows:
        ratio = f"{r['ratio']:.2f}" if r["ratio"] else "-"
        peer_s = f"{r['peerSeconds']:.3e}" if r["peerSeconds"] else "-"
        gf = f"{r['gflops']:.1f}" if r.get("gflops") else "-"
        frac = f"{100 * r['fractionOfDgemm']:.0f}%" if r.get("fractionOfDgemm") else "-"
        print(f"{r['name']:34} {r['seconds']:11.3e} {str(r['peer'] or '-'):>8} {peer_s:>11} {ratio:>7} {gf:>8} {frac:>8}")
    with open("bench.json.tmp", "w") as f:
        json.dump(rows, f, indent=2)
    os.replace("bench.json.tmp", "bench.json")
    print("wrote bench.json")


if __name__ == "__main__":
    main()
