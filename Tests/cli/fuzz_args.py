#!/usr/bin/env python3
"""Random argument vectors thrown at `icl`: whatever the words, the tool must answer with exit
code 0, 1 or 2 (never a trap, a signal or a hang), and an exit code 2 must come with an error
message. Vectors mix real subcommands and options with random, extreme and malformed values;
sizes are kept small so that accepted runs finish in seconds. Seeded: a failure prints its seed
and vector, replayable with --seed.

Usage: python3 Tests/cli/fuzz_args.py ICL [--count 300] [--seed 1]
"""
import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile

COMMANDS = {
    ("verify",): ["--theorem", "--instances", "--seed", "--exact", "--shard", "--json", "--max-time", "--junit"],
    ("merge",): ["--json"],
    ("verify", "merge"): ["--json"],
    ("construct",): ["--instance", "--eta", "--layers", "--gd-plus-plus", "--gamma", "--no-preconditioner", "--exact", "--json",
                     "--force", "--max-time"],
    ("phen", "loss"): ["--N", "--L", "--y-map", "--beta", "--y", "--alpha", "--xi", "--json"],
    ("phen", "minimize"): ["--N", "--L", "--method", "--init", "--box", "--loss-tol", "--grad-tol", "--size-tol", "--max-iter",
                           "--step", "--json"],
    ("phen", "xi-star"): ["--N", "--L", "--beta", "--alpha", "--json"],
    ("phen", "flow"): ["--N", "--L", "--init", "--ode", "--lr", "--threshold", "--t-max", "--stop-loss", "--rtol", "--atol",
                       "--out", "--json"],
    ("phen", "landscape"): ["--N", "--L", "--axes", "--fix", "--minimize", "--range", "--grid", "--contours", "--trajectory",
                            "--init", "--out", "--json"],
    ("phen", "sweep"): ["--N", "--L", "--ratio", "--threshold", "--out", "--json"],
    ("bench",): ["--list", "--scenario", "--repeats", "--json"],
    ("phen", "steppers"): ["--N", "--L", "--y-map", "--tolerances", "--repeats", "--target", "--json"],
    ("train",): ["--layers", "--heads", "--d", "--N", "--dy", "--input", "--width", "--noise", "--parameterization", "--shared",
                 "--query-in-context", "--optimizer", "--lr", "--schedule", "--warmup", "--beta1", "--beta2", "--weight-decay",
                 "--momentum", "--clip", "--batch", "--steps", "--seed", "--checkpoint-every", "--log-every", "--out", "--resume",
                 "--json"],
    ("lang", "dfa"): ["--regex", "--alphabet", "--json", "--dot"],
    ("lang", "count"): ["--regex", "--alphabet", "--max-length", "--json"],
    ("lang", "sample"): ["--regex", "--alphabet", "--length", "--lengths", "--length-distribution", "--count", "--negatives",
                         "--edits", "--seed", "--json"],
    ("validate",): ["--weights", "--map", "--preset", "--transpose", "--heads", "--layers", "--d", "--N", "--query-in-context", "--token-clip",
                    "--input", "--against", "--tasks", "--seed", "--require", "--junit", "--out", "--json"],
    ("aggregate",): ["task.json", "bad.json", "missing.json", "--json"],
    ("reproduce", "aggregate"): ["task.json", "bad.json", "missing.json", "--json"],
}
FLAGS = {"--transpose", "--dot", "--exact", "--json", "--gd-plus-plus", "--no-preconditioner", "--force", "--trajectory", "--list", "--shared",
         "--query-in-context", "--resume", "task.json", "bad.json", "missing.json"}
NUMBERS = ["0", "1", "-1", "2", "3", "8", "32", "0.5", ".5", "-650", "1e-3", "1e308", "-1e308", "1e-320", "1e400", "nan", "inf",
           "-inf", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "1/2", "abc", "", "0x10", "1e-400"]
SMALL = {"--instances": ["1", "3", "0", "-2", "20"], "--grid": ["2", "5", "0", "4001", "12"], "--layers": ["1", "2", "0", "1001", "40"],
         "--repeats": ["1", "0", "2"], "--N": ["1", "2", "8", "0", "2,4", "1000001"], "--L": ["1", "8", "32", "4", "9,16"],
         "--max-iter": ["0", "10", "-1"], "--t-max": ["1", "1e-300", "100", "0", "-3"],
         "--steps": ["1", "3", "0", "-2"], "--batch": ["1", "4", "0", "-1", "100000000"], "--heads": ["1", "2", "0", "-1"],
         "--d": ["1", "3", "0"], "--dy": ["1", "2", "0"], "--warmup": ["0", "1", "-1", "5"],
         "--checkpoint-every": ["1", "2", "0"], "--log-every": ["1", "0"]}
STRUCTURED = {
    "--theorem": ["lsa-gd", "dual-form", "gaussian-optimum", "nope", ""],
    "--shard": ["0/1", "1/2", "5/10", "2/1", "a/b", "-1/3", "0/0"],
    "--init": ["alpha=1", "xi=0.1,alpha=0.1", "y=0.3", "beta=1e400", "gamma=1", "alpha=1,alpha=2", ""],
    "--box": ["-5:5", "5:-5", "0:0", "a:b", "-1e308:1e308"],
    "--axes": ["alpha,xi", "beta,alpha", "y,xi", "xi,xi", "alpha"],
    "--fix": ["beta=2", "xi=1", "alpha=0", "y=0.3", "beta=nan", "beta=1,xi=1"],
    "--minimize": ["beta=-2:8", "xi=-2:16", "alpha=0:1", "beta=1:0"],
    "--range": ["alpha=-2:10", "xi=-1e300:1e300,alpha=-1e300:1e300", "beta=0:1", "alpha=1:0"],
    "--method": ["bfgs2", "simplex", "cg-fr", "cg-pr", "steepest", "newton"],
    "--ode": ["rk8pd", "rkf45", "rkck", "msadams", "rk4imp", "bsimp", "msbdf", "euler"],
    "--tolerances": ["1e-6", "1e-8,1e-6", "0", "1e-15", "abc", "1e-6,"],
    "--y-map": ["softmax", "direct", "other"],
    "--scenario": ["dgemm-rate", "nope", "phen-eval"],
    "--instance": ["task.json", "bad.json", "missing.json", "."],
    "--out": ["out", "afile/sub", "out/deeper"],
    "--input": ["uniform", "gaussian", "cauchy"],
    "--regex": ["a*bc*", "((a|b)c)*", "(ab[c])*", "a(b|", "", "[", "a**", "(a|b)*a(a|b)(a|b)(a|b)", "x{3}"],
    "--alphabet": ["abc", "a", "", "aa", "ab c"],
    "--max-length": ["0", "5", "20", "10001", "-1"],
    "--length": ["0", "3", "20", "1001"],
    "--lengths": ["1..5", "3..1", "0..20", "a..b"],
    "--count": ["1", "10", "0", "-3", "10000001"],
    "--negatives": ["none", "uniform", "hard", "some"],
    "--length-distribution": ["uniform-length", "uniform-string", "other"],
    "--edits": ["substitution", "insertion,deletion", "swap", "", "insertion,insertion"],
    "--optimizer": ["adam", "adamw", "sgd", "lion"],
    "--schedule": ["constant", "cosine", "linear"],
    "--parameterization": ["full", "gd-plus-plus", "half"],
    "--weights": ["w.safetensors", "w.safetensors", "task.json", "missing.json", ".", "afile"],
    "--map": ["layers.{k}.attn.q_proj.weight=layers.{k}.heads.0.W_Q", "a=b", "{k}=x", "task.json", "a{h}=b{k}", "="],
    "--preset": ["documented", "von-oswald-haiku", "torch-linear-attention", "gd-plus-plus", "haiku"],
    "--against": ["gd", "gd-plus-plus", "multistep", "sgd"],
    "--require": ["modelCos>=0.99", "trainedLoss<=1.02*constructionLoss", "modelcos>1", "x", "predsDiff<nan", "zeroLoss>=2*2*zeroLoss"],
    "--junit": ["j.xml", "afile/j.xml", ".", "out/j.xml"],
    "--tasks": ["2", "50", "1", "0", "-5", "10000001"],
    "--token-clip": ["1", "10", "0", "-1", "nan"],
}


def value(option, rng):
    if option in SMALL and rng.random() < 0.7:
        return rng.choice(SMALL[option])
    if option in STRUCTURED and rng.random() < 0.8:
        return rng.choice(STRUCTURED[option])
    return rng.choice(NUMBERS)


def vector(rng):
    command = rng.choice(list(COMMANDS))
    args = list(command)
    for _ in range(rng.randint(0, 5)):
        option = rng.choice(COMMANDS[command])
        args.append(option)
        if option not in FLAGS:
            args.append(value(option, rng))
    if rng.random() < 0.1:
        args.insert(rng.randint(0, len(args)), rng.choice(["--bogus", "-x", "--", "lsa-gd", "s0.json"]))
    # Keep accepted runs short.
    if command == ("phen", "landscape") and "--grid" not in args:
        args += ["--grid", "8"]
    if command == ("verify",) and "--instances" not in args:
        args += ["--instances", "3"]
    if command == ("phen", "landscape") and "--out" not in args:
        args += ["--out", "out"]
    if command == ("construct",) and "--instance" not in args:
        args += ["--instance", "task.json"]
    if command == ("train",):  # a few steps on small batches
        for option, small in (("--steps", "2"), ("--batch", "8"), ("--out", "run")):
            if option not in args:
                args += [option, small]
    if command == ("phen", "steppers"):  # a short study
        for option, small in (("--tolerances", "1e-6"), ("--repeats", "1")):
            if option not in args:
                args += [option, small]
    if command == ("validate",):  # a small validation of a one-layer model
        if "--weights" not in args:
            args += ["--weights", "w.safetensors"]
        if "--tasks" not in args:
            args += ["--tasks", "50"]
    if command == ("bench",) and "--scenario" in args:
        args = ["bench", "--list"]
    return args


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("icl")
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    opts = parser.parse_args()
    icl = os.path.abspath(opts.icl)
    rng = random.Random(opts.seed)
    work = tempfile.mkdtemp(prefix="icl-fuzz-")
    passed = failed = 0
    try:
        with open(os.path.join(work, "task.json"), "w") as f:
            f.write('{"x": [[1, 0.5], [-0.25, 2]], "y": [[1], [-2]], "xQuery": [0.3, -0.7]}')
        with open(os.path.join(work, "bad.json"), "w") as f:
            f.write('{"x": [[1, "p/0"]], "y": [[1]]')
        with open(os.path.join(work, "afile"), "w") as f:
            f.write("x")
        fixture = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Fixtures", "validate", "torch", "linear_attention_f32.safetensors")
        shutil.copy(fixture, os.path.join(work, "w.safetensors"))
        for i in range(opts.count):
            args = vector(rng)
            problem = None
            try:
                proc = subprocess.run([icl] + args, cwd=work, capture_output=True, text=True, timeout=60)
                if proc.returncode not in (0, 1, 2):
                    problem = f"exit {proc.returncode}"
                elif "Fatal error" in proc.stderr or "runtime failure" in proc.stderr:
                    problem = "trapped"
                elif proc.returncode == 2 and "rror" not in proc.stderr:
                    problem = "exit 2 without an error message"
                elif proc.returncode == 0 and any(t in proc.stdout for t in ("nan", "inf")) and "--list" not in args:
                    if any(w in proc.stdout.split() for w in ("nan", "-nan", "inf", "-inf")):
                        problem = "printed a non-finite number"
            except subprocess.TimeoutExpired:
                problem = "no answer within 60 s"
            if problem:
                failed += 1
                print(f"FAIL (case {i}, seed {opts.seed}): icl {' '.join(repr(a) for a in args)}: {problem}")
            else:
                passed += 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"fuzz-args: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
