#!/usr/bin/env python3
"""Every command that takes --seed, end to end: the same seed gives the same bytes (stdout and
every written file, wall-clock fields masked), the seed a report echoes is the seed given, and
another seed gives other draws (stdout and every file that holds draws differ once the echoed
seed is masked): 5 against 6, and against seeds that differ from 5 only in their high 32 bits
(5 + 2^32, 5 + 2^63), which a seed truncated to 32 bits, or read as a signed number, would
lose. Each run uses the smallest settings the command accepts, so the suite takes seconds.

Usage: python3 Tests/cli/seeds.py ICL   (prints 'seeds: N passed, M failed'; exit 1 on a failure)
"""
import json
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_runs import Tally, mask_seed, run  # noqa: E402

ICL = os.path.abspath(sys.argv[1])

BASE = 5
OTHERS = {"another seed": 6, "5 + 2^32": BASE + 2**32, "5 + 2^63": BASE + 2**63}

# (command, arguments for a seed, does its output echo the seed, files that hold only settings,
# stdout JSON fields that depend on the seed's tasks alone). The last catch a seed lost in one
# stream only (the tasks' Philox key, say) while another (the initialisation) still differs; the
# "train init" row (one SGD step of rate 1e-300 leaves the initial weights as they were drawn)
# isolates the initialisation.
TRAIN = ["train", "--d", "3", "--N", "4", "--batch", "8", "--out", "run", "--json"]
COMMANDS = [
    ("verify", lambda s: ["verify", "--instances", "2", "--seed", s, "--json"], True, set(), []),
    ("train", lambda s: TRAIN + ["--steps", "3", "--seed", s], True, {"run/config.json"}, ["zeroPredictorLoss"]),
    ("train init", lambda s: TRAIN + ["--optimizer", "sgd", "--lr", "1e-300", "--steps", "1", "--seed", s], True,
     {"run/config.json"}, []),
    ("reproduce von-oswald", lambda s: ["reproduce", "von-oswald", "--steps", "1", "--seed", s, "--out", "out", "--json"],
     True, {"out/config.json"}, ["zeroLoss", "etaStar", "gdLoss"]),
    ("reproduce gaussian-optimum", lambda s: ["reproduce", "gaussian-optimum", "--steps", "1", "--seed", s, "--out", "out",
                                              "--json"], True, {"out/config-isotropic.json"}, ["closedFormTestError"]),
    ("reproduce multilayer", lambda s: ["reproduce", "multilayer", "--layers", "1", "--steps", "1", "--seed", s, "--out",
                                        "out", "--json"], True, {"out/config-K1.json"}, ["zeroLoss"]),
    ("lang sample", lambda s: ["lang", "sample", "--regex", "(a|b)*c", "--lengths", "1..12", "--count", "8",
                               "--negatives", "hard", "--seed", s, "--json"], False, set(), []),
]

tally = Tally()
check = tally.check



def echoed_seeds(outputs):
    return {int(m) for data in outputs.values() for m in re.findall(rb'"seed"\s*:\s*([0-9]+)', data)}


work = tempfile.mkdtemp(prefix="icl-seeds-")
try:
    for name, arguments, echoes, settings_only, task_fields in COMMANDS:
        def outputs(seed):
            result = run(ICL, arguments(str(seed)), os.path.join(work, "run"))
            if result.code != 0:
                check(False, f"{name} --seed {seed}: exit {result.code}: {result.stderr.decode(errors='replace').strip()}")
                return None
            return result.outputs()

        first, second = outputs(BASE), outputs(BASE)
        if first is None or second is None:
            continue
        check(sorted(first) == sorted(second), f"{name}: the same seed wrote different files: {sorted(first)} vs {sorted(second)}")
        for path in sorted(set(first) & set(second)):
            check(first[path] == second[path], f"{name} --seed {BASE} twice: {path} differs")
        if echoes:
            check(echoed_seeds(first) == {BASE}, f"{name} --seed {BASE}: the output echoes seeds {echoed_seeds(first)}")
        for label, seed in OTHERS.items():
            other = outputs(seed)
            if other is None:
                continue
            if echoes:
                check(echoed_seeds(other) == {seed}, f"{name} --seed {seed}: the output echoes seeds {echoed_seeds(other)}")
            for field in task_fields:
                a, b = json.loads(first["<stdout>"])[field], json.loads(other["<stdout>"])[field]
                check(a != b, f"{name}: --seed {BASE} and --seed {seed} ({label}) draw the same tasks ({field} = {a})")
            for path in sorted(first):
                if path in settings_only:
                    continue
                check(path in other and mask_seed(other[path]) != mask_seed(first[path]),
                      f"{name}: --seed {BASE} and --seed {seed} ({label}) give the same {path}")
finally:
    shutil.rmtree(work, ignore_errors=True)

tally.finish("seeds")
