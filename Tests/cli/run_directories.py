#!/usr/bin/env python3
"""Run directories under attack (issue 18).

usage: run_directories.py ICL [--kills N] [--seed S]

1. Kill points: a small `icl train` is killed (SIGKILL or SIGTERM, alternately) at a random
   moment, possibly several times, and resumed each time with the same command line plus
   --resume. After every kill the directory must be consistent: absent (killed before it was
   published), or a checkpoint whose files are of one step and of this run, metrics lines in
   increasing steps; a SIGTERM ends with exit 143 (never 2: a signal must not race a rename)
   and leaves no temporary file. The finished run must equal an uninterrupted one byte for
   byte (model.safetensors, state.json, metrics.jsonl without the timings).
2. Two writers at once into one --out: exactly one trains (exit 0), the other is refused
   (exit 1, naming the holder's pid, or exit 2 when the first has already made the run).
3. A full disk (a small tmpfs; skipped with a message where mounting is not permitted): exit 1
   with the path and "No space left on device", and a directory still resumable.
"""
import json
import os
import random
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time

ICL = os.path.abspath(sys.argv[1])
KILLS = int(sys.argv[sys.argv.index("--kills") + 1]) if "--kills" in sys.argv else 6
SEED = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 1
rng = random.Random(SEED)
failures = []
checks = 0

TRAIN = ["train", "--d", "3", "--N", "8", "--batch", "256", "--steps", "2000", "--checkpoint-every", "25", "--log-every", "5"]


def check(condition, message):
    global checks
    checks += 1
    if not condition:
        failures.append(message)
        print("FAIL:", message)


def safetensors_step(path):
    data = open(path, "rb").read()
    n = struct.unpack("<Q", data[:8])[0]
    return int(json.loads(data[8:8 + n])["__metadata__"]["step"])


def metrics(path):
    lines = [json.loads(l) for l in open(path).read().splitlines()]
    for l in lines:
        l.pop("seconds")
    return lines


def consistent(out, after_sigterm, label):
    """The run directory as a reader finds it after a kill."""
    parent = os.path.dirname(out)
    if after_sigterm:
        left = [n for n in os.listdir(parent) if ".tmp-" in n]
        check(not left, f"{label}: SIGTERM left temporaries beside the run: {left}")
    if not os.path.exists(out):
        return False
    names = set(os.listdir(out))
    cp = os.path.join(out, "checkpoint")
    check({"config.json", "run.json", "metrics.jsonl", "checkpoint", ".lock"} <= names, f"{label}: incomplete directory {sorted(names)}")
    if after_sigterm:
        check(not [n for n in names if ".tmp-" in n], f"{label}: SIGTERM left temporaries in the run: {sorted(names)}")
    cp_names = set(os.listdir(cp)) if os.path.isdir(cp) else set()
    check(cp_names == {"model.safetensors", "state.json", "run.json"}, f"{label}: checkpoint holds {sorted(cp_names)}")
    if cp_names != {"model.safetensors", "state.json", "run.json"}:
        return True
    state = json.load(open(os.path.join(cp, "state.json")))
    check(state["step"] == safetensors_step(os.path.join(cp, "model.safetensors")), f"{label}: state and weights of different steps")
    check(json.load(open(os.path.join(cp, "run.json")))["runId"] == json.load(open(os.path.join(out, "run.json")))["runId"],
          f"{label}: the checkpoint's run id is not the directory's")
    steps = [l["step"] for l in metrics(os.path.join(out, "metrics.jsonl"))]
    check(steps == sorted(set(steps)), f"{label}: metrics steps not increasing")
    return True


def run_to_end(out, work):
    """Runs (or resumes) until a run exits 0, killing it at random moments first."""
    kills = rng.randint(1, 2)
    for k in range(kills + 1):
        resume = ["--resume"] if os.path.exists(os.path.join(out, "checkpoint")) else []
        proc = subprocess.Popen([ICL] + TRAIN + ["--out", out] + resume, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if k == kills:
            _, err = proc.communicate()
            check(proc.returncode == 0, f"{out}: the last run exited {proc.returncode}: {err.strip()[:200]}")
            return
        time.sleep(rng.uniform(0, 1.5))
        term = rng.random() < 0.5
        proc.send_signal(signal.SIGTERM if term else signal.SIGKILL)
        _, err = proc.communicate()
        if term:
            # -15: the signal came before the handlers were installed, when nothing was written yet.
            check(proc.returncode in (143, 0, -15), f"{out}: SIGTERM gave exit {proc.returncode}: {err.strip()[:200]}")
        else:
            check(proc.returncode in (-9, 0), f"{out}: SIGKILL gave exit {proc.returncode}")
        consistent(out, term, f"{out} after {'SIGTERM' if term else 'SIGKILL'}")


def kill_points(work):
    reference = os.path.join(work, "reference")
    subprocess.run([ICL] + TRAIN + ["--out", reference], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    for i in range(KILLS):
        out = os.path.join(work, f"k{i}")
        run_to_end(out, work)
        for name in ["checkpoint/model.safetensors", "checkpoint/state.json", "config.json"]:
            same = open(os.path.join(out, name), "rb").read() == open(os.path.join(reference, name), "rb").read()
            check(same, f"{out}: {name} differs from the uninterrupted run's")
        check(metrics(os.path.join(out, "metrics.jsonl")) == metrics(os.path.join(reference, "metrics.jsonl")),
              f"{out}: metrics.jsonl differs from the uninterrupted run's")
        shutil.rmtree(out)


def concurrent_writers(work):
    for i in range(3):
        out = os.path.join(work, f"c{i}")
        args = [ICL] + TRAIN[:-4] + ["--steps", "300", "--out", out]
        procs = [subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for _ in range(2)]
        results = [(p.wait(), p.stderr.read()) for p in procs]
        codes = sorted(code for code, _ in results)
        check(codes in ([0, 1], [0, 2]), f"two writers into one --out: exits {codes}")
        for code, err in results:
            if code == 1:
                check("is in use by another run (process " in err, f"the refused writer's message: {err.strip()[:200]}")
            if code == 2:
                check("already holds a run" in err, f"the refused writer's message: {err.strip()[:200]}")
        consistent(out, True, f"{out} after two writers")
        # A resume while the run is written is refused too, naming the writer.
    out = os.path.join(work, "busy")
    writer = subprocess.Popen([ICL] + TRAIN[:-4] + ["--steps", "100000", "--out", out], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        if os.path.exists(os.path.join(out, "checkpoint")):
            break
        time.sleep(0.05)
    second = subprocess.run([ICL, "train", "--out", out, "--resume"], capture_output=True, text=True)
    writer.send_signal(signal.SIGTERM)
    writer.wait()
    check(second.returncode == 1 and f"(process {writer.pid} holds the lock" in second.stderr,
          f"a resume during a run: exit {second.returncode}, {second.stderr.strip()[:200]}")


def full_disk(work):
    mount = os.path.join(work, "small")
    os.makedirs(mount)
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mount], capture_output=True).returncode != 0:
        print("run_directories: full-disk test skipped (mounting a tmpfs is not permitted here)")
        return
    try:
        # A run too large for the disk from its start: exit 1, the path and the OS's reason, nothing left.
        out = os.path.join(mount, "big")
        r = subprocess.run([ICL, "train", "--d", "40", "--N", "8", "--batch", "8", "--steps", "2", "--out", out], capture_output=True, text=True)
        check(r.returncode == 1 and "No space left on device" in r.stderr and mount in r.stderr,
              f"full disk at creation: exit {r.returncode}, {r.stderr.strip()[:200]}")
        check(os.listdir(mount) == [], f"full disk at creation left {os.listdir(mount)}")
        # A run that fits, then a disk filled up: extending it fails with exit 1 and leaves it resumable.
        out = os.path.join(mount, "run")
        args = [ICL, "train", "--d", "2", "--N", "4", "--batch", "8", "--steps", "20", "--checkpoint-every", "5", "--out", out]
        check(subprocess.run(args, capture_output=True).returncode == 0, "a small run on the small disk failed")
        filler = os.path.join(mount, "filler")
        try:
            with open(filler, "wb") as f:
                while True:
                    f.write(b"x" * 1024)
                    f.flush()
        except OSError:
            pass
        r = subprocess.run(args + ["--resume", "--steps", "40"], capture_output=True, text=True)
        check(r.returncode == 1 and "No space left on device" in r.stderr and "stays resumable from its checkpoint at step" in r.stderr
              and "no output file was changed" not in r.stderr,
              f"full disk during a run: exit {r.returncode}, {r.stderr.strip()[:300]}")
        check(len([l for l in r.stderr.splitlines() if l.startswith("error")]) == 1, "full disk: not one error line")
        consistent(out, True, "after a full disk")
        os.remove(filler)
        r = subprocess.run(args + ["--resume", "--steps", "40"], capture_output=True, text=True)
        check(r.returncode == 0, f"resume once the disk has room: exit {r.returncode}, {r.stderr.strip()[:200]}")
    finally:
        subprocess.run(["umount", mount])


def main():
    work = tempfile.mkdtemp(prefix="icl-rundirs-")
    try:
        kill_points(work)
        concurrent_writers(work)
        full_disk(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"run-directories: {checks - len(failures)} passed, {len(failures)} failed ({KILLS} kill-point runs, seed {SEED})")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
