"""Shared by the CLI suites seeds.py and options_effect.py: run `icl` in a directory, read
back everything it wrote, and mask the fields that may differ between two runs of the same
computation (wall-clock times) or that merely echo the seed.

A masked output keeps every other byte as written, so "the same bytes" means the same bytes.
"""
import os
import re
import shutil
import subprocess
import sys

# Wall-clock fields of the JSON outputs (summaries, metrics lines): `"seconds" : 0.04`.
TIMING = re.compile(rb'("(?:seconds|stepsPerSecond)"\s*:\s*)[-+0-9.eE]+')
# Lists of wall-clock times (`"trainingSeconds" : [0.4, 1.2]`, over lines when pretty-printed).
TIMING_LIST = re.compile(rb'("trainingSeconds"\s*:\s*)\[[-+0-9.eE,\s]*\]')
# The seed as echoed back by a report (`"seed" : 5`), masked when two seeds' draws are compared.
SEED_ECHO = re.compile(rb'("seed"\s*:\s*)[0-9]+')


class Tally:
    """Counts checks: `check` records one (printing the message of a failure and returning the
    condition); `finish(name)` prints the plain closing line `name: N passed, M failed` and exits
    1 on a failure."""

    def __init__(self):
        self.passed = self.failed = 0

    def check(self, condition, message):
        if condition:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL:", message)
        return condition

    def finish(self, name):
        print(f"{name}: {self.passed} passed, {self.failed} failed")
        sys.exit(1 if self.failed else 0)


def mask_timing(data: bytes) -> bytes:
    return TIMING_LIST.sub(rb"\1null", TIMING.sub(rb"\1null", data))


def mask_seed(data: bytes) -> bytes:
    return SEED_ECHO.sub(rb"\1null", data)


class Run:
    """One finished `icl` run: exit code, stdout, stderr and the files under its directory."""

    def __init__(self, code, stdout, stderr, files):
        self.code, self.stdout, self.stderr, self.files = code, stdout, stderr, files

    def outputs(self):
        """stdout and every written file (relative path -> bytes), timing fields masked; a training
        directory's identity left out: `run.json` (and its copy in `checkpoint/`) holds a run id
        drawn fresh for every run, `.lock` the writer's pid, by design not results."""
        result = {"<stdout>": mask_timing(self.stdout)}
        for path, data in self.files.items():
            if os.path.basename(path) not in (".lock", "run.json"):
                result[path] = mask_timing(data)
        return result


def run(icl, args, directory, timeout=120, keep=False):
    """Runs `icl args` with `directory` as its working directory, which it empties first unless
    `keep`, and returns the Run (files keyed by their path relative to `directory`)."""
    if not keep:
        shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory, exist_ok=True)
    process = subprocess.run([icl] + args, cwd=directory, capture_output=True, timeout=timeout)
    files = {}
    for root, _, names in os.walk(directory):
        for name in names:
            path = os.path.join(root, name)
            with open(path, "rb") as handle:
                files[os.path.relpath(path, directory)] = handle.read()
    return Run(process.returncode, process.stdout, process.stderr, files)
