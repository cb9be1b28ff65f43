#!/usr/bin/env python3
"""Table-driven bad input for every `icl` command: each case must exit with its code (2 for bad
input, 1 for a result that cannot be computed or written), print one clear message naming the
problem on stderr (and nothing on stdout), and leave no file behind in its working directory.

Usage: python3 Tests/cli/bad_inputs.py ICL   (prints 'bad-inputs: N passed, M failed')
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ICL = os.path.abspath(sys.argv[1])

TASK = '{"x": [[1, 0.5], [-0.25, 2], [0.75, -1]], "y": [[1], [-2], [0.5]], "xQuery": [0.3, -0.7], "W0": [[0.5, -0.25]]}'
FILES = {
    "task.json": TASK,
    "ragged.json": '{"x": [[1, 2], [3]], "y": [[1], [2]], "xQuery": [1, 2]}',
    "mismatch.json": '{"x": [[1, 2]], "y": [[1], [2]], "xQuery": [1, 2]}',
    "empty.json": '{"x": [], "y": [], "xQuery": []}',
    "nan.json": '{"x": [[1, "nan"]], "y": [[1]], "xQuery": [1, 2]}',
    "badw0.json": '{"x": [[1, 2]], "y": [[1]], "xQuery": [1, 2], "W0": [[1, 2, 3]]}',
    "badquery.json": '{"x": [[1, 2]], "y": [[1]], "xQuery": [1]}',
    "malformed.json": '{"x": [[1, 2]]',
    "toplist.json": "[1, 2, 3]",
    "unknown.json": '{"x": [[1]], "y": [[1]], "xQuery": [1], "w0": [[1]]}',
    "bool.json": '{"x": [[true]], "y": [[1]], "xQuery": [1]}',
    "nullentry.json": '{"x": [[null]], "y": [[1]], "xQuery": [1]}',
    "stringrow.json": '{"x": ["ab"], "y": [[1]], "xQuery": [1]}',
    "noy.json": '{"x": [[1]], "xQuery": [1]}',
    "badprec.json": '{"x": [[1, 2]], "y": [[1]], "xQuery": [1, 2], "preconditioner": [[1]]}',
    "zeroeta.json": '{"x": [[1]], "y": [[1]], "xQuery": [1], "eta": 0}',
    "overflow.json": '{"x": [[1e308, 1]], "y": [[1e308]], "xQuery": [1e308, 1]}',
    "binary.json": "\x00\x01\x02",
    "afile": "x",
    "corrupt/checkpoint/state.json": '{"step": ',
    "corrupt/checkpoint/model.safetensors": "not a safetensors file",
}

NUMBER_JUNK = ["nan", "inf", "-inf", "1e400", "1e-400", "abc", "", "1..2", "0x", "--"]

cases = []  # (args, code, pattern)


def bad_numbers(prefix, option, junk=NUMBER_JUNK, pattern=None):
    for value in junk:
        cases.append((prefix + [option, value], 2, pattern or f"invalid for '{re.escape(option)}"))


# Numbers: every numeric option of every command refuses what is not a finite number.
for option in ["--beta", "--y", "--alpha", "--xi"]:
    bad_numbers(["phen", "loss"], option)
for option in ["--loss-tol", "--grad-tol", "--size-tol", "--step"]:
    bad_numbers(["phen", "minimize"], option, ["nan", "inf", "1e400", "abc", ""])
for option in ["--beta", "--alpha"]:
    bad_numbers(["phen", "xi-star", "--alpha", "-1"] if option == "--beta" else ["phen", "xi-star"], option,
                ["nan", "inf", "1e400", "abc"])
for option in ["--lr", "--threshold", "--t-max", "--stop-loss", "--rtol", "--atol"]:
    bad_numbers(["phen", "flow"], option, ["nan", "inf", "1e400", "abc"])
for option in ["--ratio", "--threshold"]:
    bad_numbers(["phen", "sweep"], option, ["nan", "inf", "abc"])
bad_numbers(["verify"], "--max-time", ["nan", "inf", "abc"])
bad_numbers(["construct", "--instance", "task.json"], "--eta", ["nan", "inf", "abc", "1/0", ""])
bad_numbers(["construct", "--instance", "task.json"], "--gamma", ["nan", "abc", "1/0"])

# Integers and structured values.
for args, option in [(["phen", "loss"], "--N"), (["phen", "loss"], "--L"), (["phen", "landscape", "--out", "o"], "--grid"),
                     (["phen", "landscape", "--out", "o"], "--contours"), (["phen", "minimize"], "--max-iter"),
                     (["verify"], "--instances"), (["verify"], "--seed"), (["construct", "--instance", "task.json"], "--layers"),
                     (["bench"], "--repeats")]:
    for value in ["1.5", "abc", "", "1e3", "99999999999999999999"]:
        cases.append((args + [option, value], 2, f"invalid for '{option}"))
for value in ["abc", "3/2", "1/0", "-1/2", "1/2/3", "", "0/0", "a/b"]:
    cases.append((["verify", "--shard", value], 2, r"invalid for '--shard <i/n>'"))
for value in ["lsa-magic", "", "LSA-GD"]:
    cases.append((["verify", "--theorem", value], 2, r"invalid for '--theorem"))
for value in ["alpha", "alpha=", "=1", "alpha=1,alpha=2", "gamma=1", "alpha=nan", "alpha=1e400", ","]:
    cases.append((["phen", "flow", "--init", value], 2, r"invalid for '--init"))
    cases.append((["phen", "minimize", "--init", value], 2, r"invalid for '--init"))
for value in ["xi,xi", "alpha", "alpha,xi,beta", "y,beta", "foo,xi"]:
    cases.append((["phen", "landscape", "--axes", value, "--out", "o"], 2, r"invalid for '--axes"))
for value in ["5:-5", "1:1", "a:b", "1", "nan:1", "-inf:0"]:
    cases.append((["phen", "minimize", "--box", value], 2, r"invalid for '--box <lo:hi>'"))
for value in ["alpha=1:0", "alpha=-2", "foo=1:2", "alpha=1:2,alpha=2:3"]:
    cases.append((["phen", "landscape", "--range", value, "--out", "o"], 2, r"invalid for '--range"))
for value in ["2,0", "-1", "a", "2,,4", ""]:
    cases.append((["phen", "sweep", "--N", value], 2, r"invalid for '--N"))
for value in ["method", "BFGS", ""]:
    cases.append((["phen", "minimize", "--method", value], 2, r"invalid for '--method"))
for value in ["euler", ""]:
    cases.append((["phen", "flow", "--ode", value], 2, r"invalid for '--ode"))
cases.append((["phen", "loss", "--y-map", "linear"], 2, r"invalid for '--y-map"))

# Ranges checked in validate(): the message names the parameter and the accepted range.
cases += [
    (["phen", "loss", "--N", "0"], 2, r"--N must be in 1\.\.\.1000000"),
    (["phen", "loss", "--N", "1000001"], 2, r"--N must be in"),
    (["phen", "loss", "--N", "8", "--L", "4"], 2, r"L must be >= N"),
    (["phen", "loss", "--L", "1000000001"], 2, r"--L must be at most 10\^9"),
    (["phen", "loss", "--beta", "1", "--y", "0.5"], 2, r"--beta or --y, not both"),
    (["phen", "minimize", "--max-iter", "-1"], 2, r"--max-iter must be >= 0"),
    (["phen", "minimize", "--step", "0"], 2, r"--step must be positive"),
    (["phen", "minimize", "--step", "-1"], 2, r"--step must be positive"),
    (["phen", "minimize", "--loss-tol", "-1"], 2, r"--loss-tol must be a non-negative"),
    (["phen", "minimize", "--init", "alpha=9", "--box", "-5:5"], 2, r"--init lies outside --box"),
    (["phen", "flow", "--lr", "0"], 2, r"--lr must be positive"),
    (["phen", "flow", "--lr", "-1"], 2, r"--lr must be positive"),
    (["phen", "flow", "--threshold", "0"], 2, r"--threshold must be positive"),
    (["phen", "flow", "--t-max", "-5"], 2, r"--t-max must be positive"),
    (["phen", "flow", "--stop-loss", "-1"], 2, r"--stop-loss must be >= 0"),
    (["phen", "flow", "--rtol", "0", "--atol", "0"], 2, r"--rtol and --atol"),
    (["phen", "flow", "--rtol", "-1"], 2, r"--rtol and --atol"),
    (["phen", "flow", "--N", "8", "--L", "4", "--out", "never"], 2, r"L must be >= N"),
    (["phen", "landscape", "--grid", "1", "--out", "o"], 2, r"--grid must be in 2\.\.\.4000"),
    (["phen", "landscape", "--grid", "4001", "--out", "o"], 2, r"--grid must be in 2\.\.\.4000"),
    (["phen", "landscape", "--contours", "101", "--out", "o"], 2, r"--contours must be in 0\.\.\.100"),
    (["phen", "landscape", "--contours", "-1", "--out", "o"], 2, r"--contours must be in 0\.\.\.100"),
    (["phen", "landscape", "--fix", "alpha=1", "--out", "o"], 2, r"--fix must set the third coordinate"),
    (["phen", "landscape", "--fix", "beta=1,xi=2", "--out", "o"], 2, r"--fix must set the third coordinate"),
    (["phen", "landscape", "--minimize", "alpha=0:1", "--out", "o"], 2, r"--minimize must give the third"),
    (["phen", "landscape", "--fix", "beta=1", "--minimize", "beta=0:1", "--out", "o"], 2, r"--fix or --minimize, not both"),
    (["phen", "landscape"], 2, r"Missing expected argument '--out"),
    (["phen", "sweep", "--N", "8", "--L", "4"], 2, r"L must be >= N"),
    (["phen", "sweep", "--ratio", "0.5"], 2, r"--ratio must be >= 1"),
    (["phen", "sweep", "--ratio", "1e20"], 2, r"--ratio .* above 10\^9"),
    (["phen", "sweep", "--ratio", "2", "--L", "32"], 2, r"--L or --ratio, not both"),
    (["phen", "sweep", "--N", "2000000"], 2, r"--N values must be at most 10\^6"),
    (["phen", "sweep", "--threshold", "0"], 2, r"--threshold must be positive"),
    (["phen", "xi-star"], 2, r"Missing expected argument '--alpha"),
    (["verify", "--instances", "0"], 2, r"--instances must be at least 1"),
    (["verify", "--instances", "-5"], 2, r"--instances must be at least 1"),
    (["verify", "--shard", "5/10", "--instances", "3"], 2, r"selects no instance"),
    (["verify", "--instances", "1000000000000"], 2, r"would take about .* more than the limit"),
    (["verify", "--max-time", "0"], 2, r"--max-time must be positive"),
    (["construct", "--instance", "task.json", "--eta", "0"], 2, r"--eta must be a nonzero"),
    (["construct", "--instance", "task.json", "--eta", "0/5"], 2, r"--eta must be a nonzero"),
    (["construct", "--instance", "task.json", "--layers", "0"], 2, r"--layers must be in 1\.\.\.1000"),
    (["construct", "--instance", "task.json", "--layers", "1001"], 2, r"--layers must be in 1\.\.\.1000"),
    (["construct", "--instance", "task.json", "--gd-plus-plus"], 2, r"needs gamma"),
    (["construct", "--instance", "task.json", "--gamma", "1", "--layers", "2"], 2, r"builds one layer"),
    (["construct", "--instance", "task.json", "--max-time", "-1"], 2, r"--max-time must be positive"),
    (["construct"], 2, r"Missing expected argument '--instance"),
    (["construct", "--instance", "zeroeta.json"], 2, r"eta in 'zeroeta.json' must be nonzero"),
    (["construct", "--instance", "overflow.json"], 1, r"is not finite in floating point"),
    (["bench", "--repeats", "0"], 2, r"--repeats must be in 1\.\.\.10000"),
    (["bench"], 2, r"give --scenario NAME or --list"),
    (["bench", "--scenario", "nope"], 2, r"--scenario 'nope' is unknown"),
    (["merge"], 2, r"(give at least one JSON file|Missing expected argument)"),
    (["merge", "missing.json"], 2, r"cannot read 'missing.json'"),
    (["merge", "task.json"], 2, r"is not a verify report in JSON"),
    (["merge", "malformed.json"], 2, r"is not a verify report in JSON"),
    (["verify", "merge"], 2, r"(give at least one JSON file|Missing expected argument)"),
    (["verify", "merge", "missing.json"], 2, r"cannot read 'missing.json'"),
    (["verify", "merge", "task.json"], 2, r"is not a verify report in JSON"),
    (["verify", "merge", "malformed.json", "--json"], 2, r"is not a verify report in JSON"),
    (["verify", "merge", "task.json", "--instances", "5"], 2, r"takes JSON files and --json"),
    (["nosuchcommand"], 2, r"Unexpected argument|unknown"),
    (["verify", "--no-such-flag"], 2, r"Unknown option '--no-such-flag'"),
]

# icl phen steppers: tolerances, repeats, target; a model without a cliff.
cases += [
    (["phen", "steppers", "--tolerances", "0"], 2, r"--tolerances must be a comma-separated list of numbers in \[1e-14, 1e-2\], got '0'"),
    (["phen", "steppers", "--tolerances", "1e-6,"], 2, r"--tolerances must be"),
    (["phen", "steppers", "--tolerances", "nan"], 2, r"--tolerances must be"),
    (["phen", "steppers", "--repeats", "0"], 2, r"--repeats must be in 1\.\.\.1000, got 0"),
    (["phen", "steppers", "--target", "1"], 2, r"--target must be in \(0, 1\)"),
    (["phen", "steppers", "--N", "8", "--L", "8"], 2, r"--N 8 --L 8: no cliff to measure: the gradient vanishes"),
    (["phen", "flow", "--ode", "rk45"], 2, r"invalid for '--ode"),
]

# icl lang: syntax errors name the position, and the language's own limits.
cases += [
    (["lang", "dfa", "--regex", "a(b|"], 2, r"position 4: expected a literal or '\('"),
    (["lang", "dfa", "--regex", "a**)"], 2, r"position"),
    (["lang", "dfa", "--regex", ""], 2, r"regex"),
    (["lang", "dfa", "--regex", "ab", "--alphabet", ""], 2, r"invalid for '--alphabet <alphabet>': it is empty"),
    (["lang", "count", "--regex", "ab", "--alphabet", "a", "--max-length", "3"], 2, r"'b' is not in the alphabet"),
    (["lang", "count", "--regex", "ab", "--max-length", "-1"], 2, r"--max-length must be in 0\.\.\.10000"),
    (["lang", "count", "--regex", "ab", "--max-length", "abc"], 2, r"invalid for '--max-length"),
    (["lang", "sample", "--regex", "ab", "--length", "5", "--count", "3"], 2, r"no member of that length"),
    (["lang", "sample", "--regex", "ab", "--length", "2", "--count", "0"], 2, r"--count must be in 1\.\.\.10000000"),
    (["lang", "sample", "--regex", "ab", "--length", "2", "--count", "-3"], 2, r"--count must be in"),
    (["lang", "sample", "--regex", "ab", "--lengths", "3..1", "--count", "2"], 2, r"invalid for '--lengths"),
    (["lang", "sample", "--regex", "ab", "--count", "2"], 2, r"--length n or --lengths a\.\.b"),
    (["lang", "sample", "--regex", "ab", "--length", "2", "--count", "2", "--negatives", "some"], 2, r"invalid for '--negatives"),
    (["lang", "dfa", "--regex", "ab", "--json", "--dot"], 2, r"--json or --dot, not both"),
    (["lang", "dfa", "--regex", "ab", "--alphabet", "abca"], 2, r"invalid for '--alphabet <alphabet>': 'a' appears more than once"),
    (["lang", "dfa", "--regex", "ab", "--alphabet", "a b"], 2, r"' ' is not a letter or digit"),
    (["lang", "sample", "--regex", "ab", "--length", "2", "--count", "2", "--negatives", "hard", "--edits", "deletion,deletion"], 2,
     r"invalid for '--edits"),
]
STDOUT_FULL_LANG = [["lang", "count", "--regex", "a*bc*", "--max-length", "5"]]

# icl train / reproduce / aggregate: sizes, rates and files; nothing is created on refusal.
TRAIN = ["train", "--steps", "2", "--batch", "8", "--out", "run"]
for option, value, pattern in [
        ("--layers", "0", r"--layers must be at least 1, got 0"), ("--heads", "-1", r"--heads must be at least 1, got -1"),
        ("--d", "0", r"--d must be at least 1"), ("--N", "-3", r"--N must be at least 1, got -3"), ("--dy", "0", r"--dy must be at least 1"),
        ("--batch", "0", r"--batch must be at least 1"), ("--steps", "0", r"--steps must be in 1\.\.\.4294967294, got 0"),
        ("--steps", "99999999999", r"--steps must be in"), ("--lr", "0", r"--lr must be a positive number"),
        ("--lr", "-1e-3", r"--lr must be a positive number"), ("--lr", "nan", r"invalid for '--lr"), ("--lr", "1e400", r"invalid for '--lr"),
        ("--width", "0", r"--width must be positive"), ("--noise", "-1", r"--noise must be >= 0, got -1"),
        ("--beta1", "1", r"--beta1 must be in \[0, 1\), got 1"), ("--beta2", "-0.5", r"--beta2 must be in \[0, 1\), got -0\.5"),
        ("--weight-decay", "-1", r"--weight-decay must be >= 0"), ("--momentum", "-0.9", r"--momentum must be >= 0"),
        ("--clip", "0", r"--clip must be positive"), ("--warmup", "-1", r"--warmup must be >= 0"),
        ("--checkpoint-every", "0", r"--checkpoint-every must be at least 1"), ("--log-every", "-5", r"--log-every must be at least 1"),
        ("--seed", "-1", r"invalid for '--seed"), ("--input", "cauchy", r"invalid for '--input"),
        ("--optimizer", "lion", r"invalid for '--optimizer"), ("--schedule", "linear", r"invalid for '--schedule"),
        ("--parameterization", "half", r"invalid for '--parameterization")]:
    cases.append((TRAIN + [option, value], 2, pattern))
cases += [
    (TRAIN + ["--schedule", "cosine", "--warmup", "5"], 2, r"--warmup must be below --steps"),
    (["train", "--steps", "2"], 2, r"Missing expected argument '--out"),
    (["train", "--out", "run", "--resume"], 2, r"--out: no checkpoint to resume in 'run'"),
    (["train", "--out", "corrupt", "--resume"], 2, r"--out: .*(state\.json|checkpoint)"),
    (TRAIN[:-1] + ["afile"], 2, r"--out"),
    (TRAIN[:-1] + ["afile/sub"], 2, r"--out"),
    (TRAIN + ["--batch", "100000000"], 2, r"--batch 100000000: needs about .* of memory \(estimate\)"),
    (TRAIN + ["--layers", "100000", "--d", "1000"], 2, r"needs about .* of memory"),
    (TRAIN + ["--input", "gaussian", "--d", "100000"], 2, r"--d 100000 .*--input gaussian: needs about .* of memory"),
    (["reproduce", "von-oswald", "--steps", "0"], 2, r"--steps must be in 1\.\.\.2\^31-1, got 0"),
    (["reproduce", "gaussian-optimum", "--steps", "-4"], 2, r"--steps must be in"),
    (["reproduce", "multilayer", "--layers", "0"], 2, r"invalid for '--layers"),
    (["reproduce", "multilayer", "--layers", "2,x"], 2, r"invalid for '--layers"),
    (["reproduce", "multilayer", "--layers", "65"], 2, r"--layers: K must be at most 64"),
    (["reproduce", "multilayer", "--validation-tasks", "0"], 2, r"--validation-tasks must be in 1\.\.\.1000000, got 0"),
    (["reproduce", "multilayer", "--test-tasks", "1"], 2, r"--test-tasks must be in 2\.\.\.1000000, got 1"),
    (["reproduce", "multilayer", "--token-clip=-1"], 2, r"--token-clip must be a number >= 0 \(0 = never\), got -1"),
    (["reproduce", "multilayer", "--batch", "0"], 2, r"--batch must be in 1\.\.\.1048576, got 0"),
    (["reproduce", "von-oswald", "--seed", "-1"], 2, r"invalid for '--seed"),
    (["reproduce", "von-oswald", "--steps", "2", "--out", "afile/sub"], 2, r"--out"),
    (["reproduce", "hopfield"], 2, r"Unexpected argument 'hopfield'|unknown"),
    (["aggregate"], 2, r"Missing expected argument"),
    (["aggregate", "missing.json"], 2, r"cannot read 'missing\.json'"),
    (["aggregate", "malformed.json"], 2, r"malformed\.json"),
    (["aggregate", "binary.json"], 2, r"binary\.json"),
    (["reproduce", "aggregate"], 2, r"Missing expected argument"),
    (["reproduce", "aggregate", "missing.json"], 2, r"cannot read 'missing\.json'"),
    (["reproduce", "aggregate", "malformed.json", "--json"], 2, r"malformed\.json"),
]

# Instance files: the message names the entry.
for name, pattern in [("missing.json", r"--instance: no such file 'missing.json'"), ("ragged.json", r"x is ragged"),
                      ("mismatch.json", r"y has 2 rows but x has 1"), ("empty.json", r"N = 0"),
                      ("nan.json", r"x\[0\]\[1\]: 'nan' is not a number"), ("badw0.json", r"W0 is 1 x 3, expected d_y x d_x = 1 x 2"),
                      ("badquery.json", r"xQuery has 1 entries"), ("malformed.json", r"is not valid JSON"),
                      ("toplist.json", r"top level must be an object"), ("unknown.json", r"unknown key 'w0'"),
                      ("bool.json", r"x\[0\]\[0\]"), ("nullentry.json", r"x\[0\]\[0\]"), ("stringrow.json", r"x\[0\]"),
                      ("noy.json", r"y: missing"), ("badprec.json", r"preconditioner is 1 x 1, expected d_x x d_x = 2 x 2"),
                      ("binary.json", r"is not valid JSON"), (".", r"(cannot read|not valid JSON)")]:
    cases.append((["construct", "--instance", name], 2, pattern))

# Output directories that cannot be made, and output that cannot be written.
for out in ["afile/sub", "afile"]:
    cases.append((["phen", "landscape", "--grid", "5", "--out", out], 2, r"cannot create the output directory"))
    cases.append((["phen", "flow", "--out", out], 2, r"cannot create the output directory"))
    cases.append((["phen", "sweep", "--N", "2", "--out", out], 2, r"cannot create the output directory"))
# --- issue 18: aggregate, phen, bench, one message style ---
# Every case below must also print exactly one line, `error: ...` (ONE_LINE).
def vo(seed, steps=20, loss=0.4, extra=""):
    return '{"etaStar": 5.9, "gdLoss": 0.2, "trainedLoss": %s, "seed": %s, "steps": %d%s}' % (loss, seed, steps, extra)


FILES.update({
    "vo1.json": vo(1), "vo1copy.json": vo(1), "vo1b.json": vo(1, loss=0.5), "vo2.json": vo(2),
    "vo3steps.json": vo(3, steps=40), "vo-seed-real.json": vo(1.5), "vo-seed-text.json": vo('"1"'),
    "vo-huge1.json": vo(1, loss="1.7e308"), "vo-huge2.json": vo(2, loss="1.6e308"),
    "vo-neg-huge.json": vo(3, loss="-1.7e308"),
    "go3.json": '{"cases": [{"name": "random", "gammaRelativeError": 0.9}], "gammaRelativeError": 0.9, '
                '"trainedTestError": 1, "closedFormTestError": 1, "seed": 3, "steps": 20}',
    "ml1.json": '{"rows": [{"layers": 2, "trainedLoss": 0.1}], "zeroLoss": 1, "seed": 1, "steps": 20}',
    "ml2.json": '{"rows": [{"layers": 3, "trainedLoss": 0.1}], "zeroLoss": 1, "seed": 2, "steps": 20}',
    "tr1.json": '{"config": {"seed": 1, "tasks": {"inputDimension": 2}}, "meanTrainingLossLastTenth": 0.5, "validationLoss": 0.4}',
    "tr2d5.json": '{"config": {"seed": 2, "tasks": {"inputDimension": 5}}, "meanTrainingLossLastTenth": 0.5, "validationLoss": 0.4}',
    "verify-report.json": '{"passed": true, "exact": false, "seed": 1, "shard": "0/1", "requestedInstances": 3, "results": []}',
    "emptyobject.json": "{}",
    "deep.json": "[" * 100000 + "]" * 100000,
    "trailing.json": vo(1) + " x",
    "bad-escape.json": '{"etaStar": "\\q"}',
    "setdir/trajectory.csv": "old\n", "setdir/summary.json": "{}\n", "setdir/flow.svg/keep": "a directory in the way\n",
    "landdir/landscape.csv": "old\n", "landdir/landscape.svg/keep": "a directory in the way\n",
})
ISSUE18 = [
    # aggregate: one experiment, each seed once, scalar metrics, finite numbers
    (["aggregate", "vo1.json", "vo1.json"], 2, r"'vo1\.json' has the same contents as 'vo1\.json'"),
    (["aggregate", "vo1.json", "vo1copy.json"], 2, r"'vo1copy\.json' has the same contents as 'vo1\.json'"),
    (["reproduce", "aggregate", "vo1.json", "vo2.json", "vo1copy.json"], 2, r"same contents"),
    (["aggregate", "vo1.json", "vo1b.json"], 2, r"both runs of seed 1: give each seed once"),
    (["aggregate", "vo1.json", "go3.json"], 2, r"'go3\.json' is a summary of icl reproduce gaussian-optimum but 'vo1\.json' of icl reproduce von-oswald"),
    (["aggregate", "tr1.json", "vo2.json"], 2, r"aggregate one experiment at a time"),
    (["aggregate", "verify-report.json"], 2, r"'verify-report\.json' is not the summary of a run of icl train or icl reproduce"),
    (["aggregate", "emptyobject.json"], 2, r"'emptyobject\.json' is not the summary"),
    (["aggregate", "vo1.json", "emptyobject.json"], 2, r"'emptyobject\.json' is not the summary"),
    (["aggregate", "task.json"], 2, r"'task\.json' is not the summary"),
    (["aggregate", "vo1.json", "vo3steps.json"], 2, r"runs of different settings: their steps differ"),
    (["aggregate", "tr1.json", "tr2d5.json"], 2, r"their config \(all but the seed\) differ"),
    (["aggregate", "ml1.json", "ml2.json"], 2, r"runs of different settings: 'rows\.layers=2\.layers' is in one only"),
    (["aggregate", "vo-seed-real.json"], 2, r"without an integer seed"),
    (["aggregate", "vo-seed-text.json"], 2, r"without an integer seed"),
    (["aggregate", "vo-huge1.json", "vo-huge2.json"], 1, r"95% interval of 'trainedLoss' overflows the double range"),
    (["aggregate", "vo-huge1.json", "vo-neg-huge.json"], 1, r"'trainedLoss' overflows"),
    (["aggregate", "deep.json"], 2, r"'deep\.json' is not a JSON object"),
    (["aggregate", "trailing.json"], 2, r"'trailing\.json' is not a JSON object"),
    (["aggregate", "bad-escape.json"], 2, r"'bad-escape\.json' is not a JSON object"),
    (["aggregate", "--elements"], 2, r"Missing expected argument '<files> \.\.\.' \(<files>: JSON files"),
    (["aggregate", "vo1.json", "--element"], 2, r"Unknown option '--element'\. Did you mean '--elements'\? \(the options: 'icl aggregate --help'\)$"),
    # phen: the true cause; a set of files replaced whole or not at all
    (["phen", "flow", "--lr", "1e300"], 2, r"--lr 1e\+300 is longer than --t-max 10000000\.0: gradient descent .* would stop before its first step"),
    (["phen", "flow", "--lr", "20", "--t-max", "10"], 2, r"--lr 20\.0 is longer than --t-max 10\.0"),
    (["phen", "flow", "--out", "setdir"], 1, r"--out: cannot rename .*flow\.svg"),
    (["phen", "landscape", "--grid", "5", "--out", "landdir"], 1, r"--out: cannot rename .*landscape\.svg"),
    # bench: an estimate before hours of work
    (["bench", "--scenario", "phen-eval", "--repeats", "10000", "--max-time", "1e-9"], 2,
     r"--repeats 10000 of phen-eval would take about .*more than --max-time .*; lower --repeats, raise --max-time or pass --force"),
    # (dgemm-rate: a 2048^3 product, about 0.2 s a run on 2 cores: 10^4 runs are over half an hour)
    (["bench", "--scenario", "dgemm-rate", "--repeats", "10000"], 2, r"--repeats 10000 of dgemm-rate would take about .*more than --max-time 10 min"),
    (["bench", "--scenario", "phen-eval", "--max-time", "0"], 2, r"--max-time must be positive"),
    (["bench", "--scenario", "phen-eval", "--max-time", "-1"], 2, r"--max-time must be positive"),
    (["bench", "--scenario", "phen-eval", "--max-time", "abc"], 2, r"invalid for '--max-time <max-time>' \(--max-time: Refuse timed runs"),
    (["bench", "--scenario", "phen-eval", "--max-time", "inf"], 2, r"invalid for '--max-time"),
    (["bench", "--scenario", "phen-eval", "--force", "x"], 2, r"^error: Unexpected argument 'x'$"),
    # one message style: ArgumentParser's refusals as one line naming the option and what it accepts
    (["verify", "--seed", "18446744073709551616"], 2, r"invalid for '--seed <seed>' \(--seed: an integer in 0\.\.\.18446744073709551615\)"),
    (["verify", "--seed", "-1"], 2, r"invalid for '--seed <seed>' \(--seed: an integer in 0\.\.\.18446744073709551615\)"),
    (["verify", "--seed"], 2, r"Missing value for '--seed <seed>' \(--seed: an integer in 0\.\.\."),
    (["train", "--seed", "1.5", "--out", "r"], 2, r"invalid for '--seed <seed>' \(--seed: an integer in 0\.\.\."),
    (["reproduce", "von-oswald", "--seed", "x"], 2, r"invalid for '--seed <seed>' \(--seed: an integer in 0\.\.\."),
    (["reproduce", "multilayer", "--seed", "18446744073709551616"], 2, r"invalid for '--seed <seed>' \(--seed: an integer"),
    (["lang", "sample", "--regex", "ab", "--seed", "1e3"], 2, r"invalid for '--seed <seed>' \(--seed: an integer"),
    (["verify", "--shard", "x"], 2, r"invalid for '--shard <i/n>' \(--shard: Run only the slice i/n \(0 <= i < n\)"),
    (["verify", "--shard", "3/2"], 2, r"invalid for '--shard <i/n>' \(--shard: Run only the slice"),
    (["verify", "--instances", "1.5"], 2, r"invalid for '--instances <instances>' \(--instances: "),
    (["verify", "--bogus"], 2, r"^error: Unknown option '--bogus' \(the options: 'icl verify --help'\)$"),
    (["verify", "--theorem", "lsa-magic"], 2, r"^error: The value 'lsa-magic' is invalid for '--theorem <theorem>'\. Please provide one of 'lsa-gd', 'lsa-pgd', .*'gaussian-optimum'\.$"),
    (["verify", "lsa-gd", "extra"], 2, r"2 unexpected arguments: 'lsa-gd', 'extra'"),
    (["verify", "merge", "verify-report.json", "--bogus"], 2, r"Unknown option '--bogus' \(the options: 'icl verify merge --help'\)"),
    (["merge", "verify-report.json", "--instances", "3"], 2, r"Unknown option '--instances'"),
    (["verify", "merge", "vo1.json"], 2, r"'vo1\.json' is not a verify report in JSON: passed: missing$"),
    (["verify", "merge", "tr1.json"], 2, r"is not a verify report in JSON: passed: missing$"),
    (["construct", "--instance", "task.json", "--layers", "x"], 2, r"invalid for '--layers <layers>' \(--layers: "),
    (["construct", "--instance", "task.json", "--bogus"], 2, r"Unknown option '--bogus' \(the options: 'icl construct --help'\)"),
    (["phen", "loss", "--N", "abc"], 2, r"invalid for '--N <N>' \(--N: N, the item-label pairs in the context \(1\.\.\.10\^6\)\.\)"),
    (["phen", "loss", "--N", "99999999999999999999"], 2, r"invalid for '--N <N>' \(--N: .*1\.\.\.10\^6"),
    (["phen", "loss", "--L", "-"], 2, r"(Missing value for|invalid for) '--L <L>' \(--L: L, the number of labels"),
    (["phen", "loss", "--y-map", "linear"], 2, r"^error: The value 'linear' is invalid for '--y-map <y-map>'\. Please provide one of 'softmax' and 'direct'\.$"),
    (["phen", "loss", "--beta", "1", "--y", "1"], 2, r"^error: give --beta or --y, not both$"),
    (["phen", "flow", "--lr", "0"], 2, r"^error: --lr must be positive, got 0\.0$"),
    (["phen", "flow", "--lr"], 2, r"Missing value for '--lr <lr>' \(--lr: Run gradient descent"),
    (["phen", "minimize", "--frobnicate", "1"], 2, r"Unknown option '--frobnicate' \(the options: 'icl phen minimize --help'\)"),
    (["phen", "landscape", "--grid", "x", "--out", "o"], 2, r"invalid for '--grid <grid>' \(--grid: "),
    (["phen", "sweep", "--N", "2", "--bogus"], 2, r"Unknown option '--bogus'"),
    (["phen", "steppers", "--repeats", "x"], 2, r"invalid for '--repeats <repeats>' \(--repeats: "),
    (["phen", "xi-star"], 2, r"Missing expected argument '--alpha <alpha>' \(--alpha: alpha \(a finite number\)\.\)"),
    (["bench", "--repeats", "10000x"], 2, r"invalid for '--repeats <repeats>' \(--repeats: Timed runs \(1\.\.\.10000\); the median is reported\.\)"),
    (["bench", "--scenario"], 2, r"Missing value for '--scenario <scenario>' \(--scenario: The scenario to time"),
    (["lang", "count", "--regex", "ab", "--max-length", "x"], 2, r"invalid for '--max-length <max-length>' \(--max-length: "),
    (["lang", "dfa", "--regex", "ab", "--bogus"], 2, r"Unknown option '--bogus' \(the options: 'icl lang dfa --help'\)"),
    (["train", "--steps", "1.5", "--out", "r"], 2, r"invalid for '--steps <steps>' \(--steps: Training steps"),
    (["train", "--out"], 2, r"Missing value for '--out <out>'"),
    (["reproduce", "von-oswald", "--steps", "x"], 2, r"invalid for '--steps <steps>' \(--steps: Training steps per model"),
    (["reproduce", "frobnicate"], 2, r"^error: Unexpected argument 'frobnicate'$"),
    (["frobnicate"], 2, r"^error: Unexpected argument 'frobnicate'$"),
]
cases += ISSUE18

# --- issue 20: icl validate, and --junit; fixtures by absolute path (the cases run in a scratch directory) ---
FIX = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Fixtures", "validate")
GOOD = os.path.join(FIX, "torch", "linear_attention_f32.safetensors")
MALFORMED = {
    "truncated.safetensors": r"tensor 'b'.*\[16, 28\]", "header_length_lies.safetensors": r"header length 248 .*148 bytes",
    "header_too_big.safetensors": r"200000000", "header_not_object.safetensors": r"not a JSON object",
    "overlap.safetensors": r"tensor 'b' \(data bytes \[12, 24\)\) overlaps tensor 'a'", "gap.safetensors": r"data bytes \[16, 20\) belong to no tensor",
    "wrong_shape.safetensors": r"tensor 'a': shape \[3, 3\] of F32 needs 36 bytes", "i64.safetensors": r"tensor 'a' has dtype I64",
    "f8.safetensors": r"tensor 'a' has dtype F8_E4M3", "bool.safetensors": r"tensor 'a' has dtype BOOL",
    "missing_tensor.safetensors": r"lacks tensor 'layers\.0\.heads\.0\.W_V'", "npy_truncated.npy": r"shape \[4, 4\] of <f8 needs 128",
    "npy_bad_magic.npy": r"bytes \[0, 6\) are not the magic", "npy_i8.npy": r"dtype <i8 is not read", "npy_object.npy": r"dtype \|O is not read",
    "npy_header_not_dict.npy": r"header is not a dict", "not_npz.zip": r"member 'readme\.txt' is not a \.npy array",
    "npz_truncated.npz": r"no end-of-central-directory record", "npz_bad_member.npz": r"npz member 'a\.npy' is not a \.npy file",
}
ISSUE20 = [(["validate", "--weights", os.path.join(FIX, "malformed", f)], 2, r"^error: --weights: .*" + p) for f, p in MALFORMED.items()]
ISSUE20 += [
    (["validate", "--weights", "nosuchfile.safetensors"], 2, r"--weights: cannot read 'nosuchfile\.safetensors'"),
    (["validate", "--weights", "afile"], 2, r"--weights: not a safetensors file"),
    (["validate", "--weights", GOOD, "--tasks", "1"], 2, r"--tasks must be in 2\.\.\.10000000, got 1"),
    (["validate", "--weights", GOOD, "--heads", "0"], 2, r"--heads must be in 1\.\.\.4096"),
    (["validate", "--weights", GOOD, "--tasks", "10000000"], 2, r"--tasks: 10000000 tasks of N \+ 1 = 11 tokens of size D = 11 need more than 1 GiB"),
    (["validate", "--weights", GOOD, "--N", "1000000"], 2, r"--tasks: 10000 tasks of N \+ 1 = 1000001 tokens"),
    (["validate", "--weights", GOOD, "--heads", "3"], 2, r"do not split into 3 heads"),
    (["validate", "--weights", GOOD, "--layers", "0"], 2, r"--layers must be in 1\.\.\.4096"),
    (["validate", "--weights", GOOD, "--layers", "2"], 2, r"--layers 2 repeats one shared block, but the file holds 1 layers"),
    (["validate", "--weights", GOOD, "--N", "0"], 2, r"--N must be in 1\.\.\.1000000"),
    (["validate", "--weights", GOOD, "--d", "0"], 2, r"--d must be at least 1"),
    (["validate", "--weights", GOOD, "--d", "11"], 2, r"--d: must be in 1\.\.\.10 for tokens of size D = 11"),
    (["validate", "--weights", GOOD, "--token-clip", "0"], 2, r"--token-clip must be positive"),
    (["validate", "--weights", GOOD, "--token-clip", "nan"], 2, r"invalid for '--token-clip"),
    (["validate", "--weights", GOOD, "--require", "modelcos>=0.99"], 2, r"unknown key 'modelcos'; the keys are trainedLoss, constructionLoss"),
    (["validate", "--weights", GOOD, "--require", "modelCos=0.99"], 2, r"has no relation"),
    (["validate", "--weights", GOOD, "--require", "trainedLoss<=1.02*gdLoss"], 2, r"unknown key 'gdLoss'"),
    (["validate", "--weights", GOOD, "--require", "modelCos>=nan"], 2, r"'nan' is not a finite number"),
    (["validate", "--weights", GOOD, "--transpose", "--preset", "torch-linear-attention"], 2, r"--transpose applies to the documented layout"),
    (["validate", "--weights", GOOD, "--preset", "von-oswald-haiku"], 2, r"has neither 'transformer/multi_head_attention/query/w' \(one block\) nor 'transformer/layer_\{k\}/query/w'.*'layers\.0\.attn\.k_proj\.weight'"),
    (["validate", "--weights", GOOD, "--preset", "bogus"], 2, r"invalid for '--preset"),
    (["validate", "--weights", GOOD, "--input", "laplace"], 2, r"invalid for '--input"),
    (["validate", "--weights", GOOD, "--against", "sgd"], 2, r"invalid for '--against"),
    (["validate", "--weights", GOOD, "--map", "a{x}=b"], 2, r"--map 'a\{x\}=b': a pattern .* placeholder other than"),
    (["validate", "--weights", GOOD, "--map", "a=b{k}"], 2, r"NEW uses a placeholder OLD does not match"),
    (["validate", "--weights", GOOD, "--map", "nomap.json"], 2, r"--map 'nomap\.json' is neither OLD=NEW nor a readable JSON file"),
    (["validate", "--weights", GOOD, "--map", "task.json"], 2, r"--map 'task\.json': the file is not a JSON object of strings"),
    (["validate", "--weights", GOOD, "--map", "layers.{k}.attn.q_proj.weight=x", "--map", "layers.{k}.attn.k_proj.weight=x"], 2,
     r"both become 'x' under --map"),
    (["validate", "--weights", GOOD, "--map", "layers.{k}.attn.q_proj.weight=w.{k}"], 2, r"match no known layout after --map; rename them"),
    (["validate", "--weights", GOOD, "--junit", "nodir/report.xml"], 2, r"--junit 'nodir/report\.xml': the directory 'nodir' does not exist"),
    (["validate", "--weights", GOOD, "--junit", "corrupt"], 2, r"--junit 'corrupt' is a directory"),
    (["validate", "--weights", GOOD, "--out", "afile"], 2, r"--out"),
    (["verify", "--instances", "1", "--junit", "nodir/v.xml"], 2, r"--junit 'nodir/v\.xml': the directory"),
    (["validate", "--weights", GOOD, "--out", "o5", "--junit", "o5"], 2, r"--junit 'o5' lies in the --out directory 'o5'"),
    (["validate", "--weights", GOOD, "--out", "o4", "--junit", "o4/summary.json"], 2, r"lies in the --out directory"),
    (["validate", "--weights", "huge.safetensors", "--heads", "2"], 2, r"--heads splits heads laid side by side"),
    (["validate", "--weights", GOOD, "--require", "modelCos<=1e308*etaStar"], 2, r"--require: 'modelCos<=1e308\*etaStar': the bound overflows"),
    (["validate", "--weights", GOOD, "--require", "modelCos>=constructionLoss*2"], 2, r"write the factor first, NUMBER\*KEY"),
    (["validate", "--weights", "meta_n0.safetensors"], 2, r"the metadata's model config has N = 0"),
    (["validate", "--weights", "k0big.safetensors"], 2, r"factors of an LSA are read up to 4096 a side"),
]


def _huge_model():
    """A documented one-layer model, every factor 1e100 I (11 x 11, F64): its losses overflow."""
    import json as _json
    import struct as _struct
    names = [f"layers.0.heads.0.{f}" for f in ("P", "W_K", "W_Q", "W_V")]
    header = {n: {"dtype": "F64", "shape": [11, 11], "data_offsets": [968 * i, 968 * (i + 1)]} for i, n in enumerate(names)}
    text = _json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    eye = b"".join(_struct.pack("<d", 1e100 if i == j else 0.0) for i in range(11) for j in range(11))
    return _struct.pack("<Q", len(text)) + text + eye * 4


FILES["huge.safetensors"] = _huge_model()


def _safetensors(tensors, metadata=None):
    """A safetensors file of F64 tensors {name: (shape, values)}, written here byte by byte."""
    import json as _json
    import struct as _struct
    header, data = {}, b""
    for name, (shape, values) in sorted(tensors.items()):
        header[name] = {"dtype": "F64", "shape": shape, "data_offsets": [len(data), len(data) + 8 * len(values)]}
        data += b"".join(_struct.pack("<d", v) for v in values)
    if metadata:
        header["__metadata__"] = metadata
    text = _json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    return _struct.pack("<Q", len(text)) + text + data


_eye2 = ([2, 2], [1.0, 0.0, 0.0, 1.0])
FILES["meta_n0.safetensors"] = _safetensors({f"layers.0.heads.0.{f}": _eye2 for f in ("W_K", "W_Q", "W_V", "P")},
                                            {"model": '{"inputDimension":1,"outputDimension":1,"contextCount":0,"layers":1,"heads":1,'
                                                      '"sharedLayers":false,"parameterization":"full","queryInContext":false}'})
# Zero-size factors on tokens of size 10^15: no data bytes, a hang or gigabytes before the cap.
FILES["k0big.safetensors"] = _safetensors({"layers.0.heads.0.W_K": ([0, 10**15], []), "layers.0.heads.0.W_Q": ([0, 10**15], []),
                                           "layers.0.heads.0.W_V": ([0, 10**15], []), "layers.0.heads.0.P": ([10**15, 0], [])})
cases += ISSUE20
cases.append((["validate", "--weights", "huge.safetensors", "--tasks", "50"], 1,
              r"^error: the model's test loss is not finite at the 50 test tasks of 'huge\.safetensors'"))

ONE_LINE = {tuple(a) for a, _, _ in ISSUE18 + ISSUE20} | {("validate", "--weights", "huge.safetensors", "--tasks", "50")}
# --- end of issue 18: aggregate, phen, bench, one message style ---

STDOUT_FULL = STDOUT_FULL_LANG + [["verify", "--instances", "3"], ["phen", "loss"], ["construct", "--instance", "task.json"],
               ["phen", "sweep", "--N", "2"], ["bench", "--list"]]


# --- issue 18: lang (regex limits, state budget, sample size estimate, options a mode ignores) ---
DEEP = r"it nests {} groups deep; at most 1000 are accepted"
BLOWUP = "(a|b)*a" + "(a|b)" * 25
SAMPLE = ["lang", "sample", "--regex", "a*bc*"]
cases += [
    (["lang", "dfa", "--regex", "(" * 60000 + "a" + ")" * 60000], 2, DEEP.format(60000)),
    (["lang", "dfa", "--regex", "(" * 1001 + "a" + ")" * 1001], 2, DEEP.format(1001)),
    (["lang", "dfa", "--regex", "[" * 60000 + "a" + "]" * 60000], 2, DEEP.format(60000)),
    (["lang", "dfa", "--regex", "([" * 3000 + "a" + "])" * 3000], 2, DEEP.format(6000)),
    (["lang", "dfa", "--regex", "(" * 5000], 2, DEEP.format(5000)),
    (["lang", "dfa", "--regex", "a" + "(" * 1500 + "b"], 2, DEEP.format(1500)),
    (["lang", "dfa", "--regex", "(a|" * 20000 + "b" + ")" * 20000], 2, DEEP.format(20000)),
    (["lang", "dfa", "--regex", "(" * 2000 + "a*" + ")*" * 2000], 2, DEEP.format(2000)),
    (["lang", "dfa", "--regex", "(" * 1001 + "a" + ")" * 1001, "--json"], 2, DEEP.format(1001)),
    (["lang", "dfa", "--regex", "(" * 1001 + "a" + ")" * 1001, "--dot"], 2, DEEP.format(1001)),
    (["lang", "dfa", "--regex", "(" * 1001 + "a" + ")" * 1001, "--alphabet", "b"], 2, DEEP.format(1001)),
    (["lang", "count", "--regex", "(a|" * 20000 + "b" + ")" * 20000, "--max-length", "3"], 2, DEEP.format(20000)),
    (SAMPLE[:3] + ["(" * 60000 + "a" + ")" * 60000, "--length", "1", "--count", "1"], 2, DEEP.format(60000)),
    (["lang", "dfa", "--regex", BLOWUP], 2, r"the subset construction of the regex reached 100001 states, more than --max-states 100000; raise --max-states"),
    (["lang", "dfa", "--regex", BLOWUP, "--json"], 2, r"reached 100001 states, more than --max-states 100000"),
    (["lang", "count", "--regex", BLOWUP, "--max-length", "5"], 2, r"reached 100001 states, more than --max-states 100000"),
    (["lang", "sample", "--regex", BLOWUP, "--length", "30", "--count", "1"], 2, r"reached 100001 states, more than --max-states 100000"),
    (["lang", "dfa", "--regex", "(a|b)*a" + "(a|b)" * 12, "--max-states", "1000"], 2, r"reached 1001 states, more than --max-states 1000"),
    (["lang", "dfa", "--regex", "ab", "--max-states", "1"], 2, r"reached 2 states, more than --max-states 1;"),
    (["lang", "sample", "--regex", "(a|b)*a(a|b)(a|b)", "--length", "4", "--count", "1", "--negatives", "hard", "--max-states", "16"], 2,
     r"the subset construction of the strings one insertion from a member reached 17 states, more than --max-states 16"),
    (["lang", "dfa", "--regex", "ab", "--max-states", "0"], 2, r"--max-states must be in 1\.\.\.100000000, got 0"),
    (["lang", "dfa", "--regex", "ab", "--max-states", "-1"], 2, r"--max-states must be in 1\.\.\.100000000, got -1"),
    (["lang", "count", "--regex", "ab", "--max-length", "2", "--max-states", "100000001"], 2, r"--max-states must be in 1\.\.\.100000000"),
    (["lang", "sample", "--regex", "ab", "--length", "2", "--count", "1", "--max-states", "0"], 2, r"--max-states must be in"),
    (["lang", "dfa", "--regex", "ab", "--max-states", "many"], 2, r"invalid for '--max-states"),
    (["lang", "dfa", "--regex", "ab", "--max-states", "99999999999999999999"], 2, r"invalid for '--max-states"),
    (SAMPLE + ["--count", "10000000", "--length", "1000"], 2,
     r"--count 10000000 --length 1000 would write about 10\.4 GB \(10000000 strings of up to 1000 letters\); at most 1\.0 GB without --force"),
    (SAMPLE + ["--count", "10000000", "--lengths", "0..1000", "--json"], 2, r"--lengths 0\.\.1000 would write about 10\.6 GB"),
    (SAMPLE + ["--count", "5000000", "--length", "1000", "--negatives", "uniform"], 2, r"--negatives uniform would write about 10\.4 GB \(10000000 strings"),
    (SAMPLE + ["--count", "10000000", "--length", "200", "--negatives", "hard"], 2, r"would write about 4\.7 GB .*without --force"),
    (SAMPLE + ["--count", "10000000", "--length", "70"], 2, r"would write about 1\.1 GB"),
    (SAMPLE + ["--length", "3", "--count", "2", "--edits", "deletion"], 2,
     r"--edits applies only with --negatives hard \(the mode that draws edits\), got --negatives none"),
    (SAMPLE + ["--length", "3", "--count", "2", "--edits", "deletion", "--negatives", "uniform"], 2, r"--edits applies only with --negatives hard.*got --negatives uniform"),
    (SAMPLE + ["--length", "3", "--count", "2", "--edits", "substitution,insertion,deletion", "--negatives", "none"], 2, r"--edits applies only with --negatives hard"),
    (SAMPLE + ["--lengths", "1..4", "--count", "2", "--edits", "insertion"], 2, r"--edits applies only with --negatives hard"),
    (SAMPLE + ["--length", "3", "--count", "2", "--length-distribution", "uniform-string"], 2, r"--length-distribution applies only with --lengths a\.\.b"),
    (SAMPLE + ["--length", "3", "--count", "2", "--length-distribution", "uniform-length"], 2, r"--length-distribution applies only with --lengths"),
    (SAMPLE + ["--length", "3", "--count", "2", "--length-distribution", "uniform-string", "--negatives", "hard"], 2, r"--length-distribution applies only with --lengths"),
    (SAMPLE + ["--count", "2", "--length-distribution", "uniform-string"], 2, r"--length n or --lengths a\.\.b"),
    (SAMPLE + ["--length", "3", "--count", "2", "--force", "--edits", "deletion"], 2, r"--edits applies only with --negatives hard"),
    (["lang", "dfa", "--regex", "ab", "--force"], 2, r"Unknown option '--force'"),
]
STDOUT_FULL += [["lang", "dfa", "--regex", "a" + "*" * 100000], ["lang", "dfa", "--regex", "(" * 1000 + "a" + ")" * 1000]]
# --- issue 18: run directories and checkpoints (train, reproduce) ---
# Real run directories made once by the binary under test (RUN_TEMPLATES, copied into each
# case's working directory); a refusal must leave every file of them unchanged.
def _make_run_templates():
    root = tempfile.mkdtemp(prefix="icl-bad-runs-")
    # ICL_TEMPLATE_BINARY: make them with another binary (to run these cases against an older one).
    binary = os.environ.get("ICL_TEMPLATE_BINARY", ICL)
    def train(out, *extra):
        subprocess.run([binary, "train", "--d", "2", "--N", "4", "--batch", "8", "--steps", "6", "--checkpoint-every", "2",
                        "--log-every", "2", "--out", os.path.join(root, out)] + list(extra), stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=True)
    train("okrun")
    train("d3run", "--d", "3")
    train("longrun", "--steps", "8")
    def copy(name, edit):
        shutil.copytree(os.path.join(root, "okrun"), os.path.join(root, name))
        edit(os.path.join(root, name))
    def other_checkpoint(d):  # another run's checkpoint copied in (a different d, a different run id)
        shutil.rmtree(os.path.join(d, "checkpoint")); shutil.copytree(os.path.join(root, "d3run", "checkpoint"), os.path.join(d, "checkpoint"))
    def legacy_other(d):  # the same without run ids (a run written before them): config.json tells
        other_checkpoint(d); os.remove(os.path.join(d, "run.json")); os.remove(os.path.join(d, "checkpoint", "run.json"))
    def truncate(name, size):
        def edit(d):
            path = os.path.join(d, "checkpoint", name)
            data = open(path, "rb").read()[:size]
            open(path, "wb").write(data)
        return edit
    def mixed(d):  # weights of step 8, state of step 6
        shutil.copy(os.path.join(root, "longrun", "checkpoint", "model.safetensors"), os.path.join(d, "checkpoint", "model.safetensors"))
    copy("othercp", other_checkpoint)
    copy("legacyother", legacy_other)
    copy("truncstate", truncate("state.json", 100))
    copy("truncweights", truncate("model.safetensors", 50))
    copy("mixedcp", mixed)
    copy("badrunjson", lambda d: open(os.path.join(d, "run.json"), "w").write("{"))
    copy("nocpid", lambda d: os.remove(os.path.join(d, "checkpoint", "run.json")))
    os.makedirs(os.path.join(root, "userdir"))
    open(os.path.join(root, "userdir", "notes.txt"), "w").write("mine\n")
    return {name: os.path.join(root, name) for name in os.listdir(root)}


RUN_TEMPLATES = _make_run_templates()
RESUME = ["train", "--out", "okrun", "--resume"]
SETTINGS = r"--resume continues the run in 'okrun' with its own settings: "
for option, value, shown in [
        ("--d", "5", "--d 5 \\(the run has 2\\)"), ("--N", "5", "--N 5 \\(the run has 4\\)"), ("--layers", "2", "--layers 2"),
        ("--heads", "2", "--heads 2"), ("--dy", "2", "--dy 2"), ("--input", "gaussian", "--input gaussian \\(the run has uniform\\)"),
        ("--width", "2", "--width 2\\.0 \\(the run has 1\\.0\\)"), ("--noise", "0.1", "--noise 0\\.1"),
        ("--parameterization", "gd-plus-plus", "--parameterization gd-plus-plus \\(the run has full\\)"),
        ("--optimizer", "sgd", "--optimizer sgd \\(the run has adam\\)"), ("--lr", "0.01", "--lr 0\\.01 \\(the run has 0\\.001\\)"),
        ("--schedule", "cosine", "--schedule cosine \\(the run has constant\\)"), ("--batch", "16", "--batch 16 \\(the run has 8\\)"),
        ("--seed", "2", "--seed 2 \\(the run has 1\\)"), ("--checkpoint-every", "3", "--checkpoint-every 3 \\(the run has 2\\)"),
        ("--log-every", "1", "--log-every 1 \\(the run has 2\\)"), ("--clip", "1", "--clip 1\\.0 \\(the run has no clipping\\)"),
        ("--beta1", "0.5", "--beta1 0\\.5 \\(the run has 0\\.9\\)"), ("--beta2", "0.9", "--beta2 0\\.9 \\(the run has 0\\.999\\)")]:
    cases.append((RESUME + [option, value], 2, SETTINGS + shown))
cases += [
    (RESUME + ["--shared"], 2, SETTINGS + r"--shared \(the run's layers are not shared\)"),
    (RESUME + ["--query-in-context"], 2, SETTINGS + r"--query-in-context"),
    (RESUME + ["--d", "5", "--N", "7"], 2, SETTINGS + r"--d 5 \(the run has 2\) and 1 more"),
    (RESUME + ["--momentum", "0.5"], 2, r"--momentum is used by --optimizer sgd only; the optimiser is adam"),
    (RESUME + ["--warmup", "1"], 2, r"--warmup is used by --schedule cosine only; the schedule is constant"),
    (RESUME + ["--weight-decay", "0.1"], 2, r"--weight-decay is used by --optimizer adamw or sgd only"),
    (RESUME + ["--steps", "3"], 2, r"--steps 3 with --resume: the run has 6 steps \(checkpoint at step 6\); a run can be extended, not shortened"),
    (RESUME + ["--steps", "5"], 2, r"--steps 5 with --resume: the run has 6 steps"),
    (TRAIN + ["--warmup", "1"], 2, r"--warmup is used by --schedule cosine only; the schedule is constant"),
    (TRAIN + ["--warmup", "0"], 2, r"--warmup is used by --schedule cosine only"),
    (TRAIN + ["--momentum", "0.9"], 2, r"--momentum is used by --optimizer sgd only; the optimiser is adam"),
    (TRAIN + ["--momentum", "0.9", "--optimizer", "adamw"], 2, r"--momentum is used by --optimizer sgd only; the optimiser is adamw"),
    (TRAIN + ["--optimizer", "sgd", "--beta1", "0.5"], 2, r"--beta1 is used by --optimizer adam or adamw only; the optimiser is sgd"),
    (TRAIN + ["--optimizer", "sgd", "--beta2", "0.5"], 2, r"--beta2 is used by --optimizer adam or adamw only; the optimiser is sgd"),
    (TRAIN + ["--weight-decay", "0.1"], 2, r"--weight-decay is used by --optimizer adamw or sgd only; adam has no weight decay"),
    (TRAIN + ["--input", "gaussian", "--width", "2"], 2, r"--width is used by --input uniform only; the inputs are gaussian"),
    (["train", "--out", "othercp", "--resume"], 2, r"--out: the checkpoint in 'othercp/checkpoint' belongs to another run \(run id [0-9A-F-]+, the directory's [0-9A-F-]+\); it is not resumed here"),
    (["train", "--out", "nocpid", "--resume"], 2, r"the checkpoint in 'nocpid/checkpoint' belongs to another run \(run id none"),
    (["train", "--out", "legacyother", "--resume"], 2, r"the checkpoint in 'legacyother/checkpoint' is not of the run in 'legacyother/config\.json' \(the model, the tasks differ\)"),
    (["train", "--out", "truncstate", "--resume"], 2, r"error: --out: the checkpoint in 'truncstate/checkpoint' is corrupt: state\.json is not a checkpoint state \(not valid JSON: truncated or edited\?\)\n$"),
    (["train", "--out", "truncweights", "--resume"], 2, r"the checkpoint in 'truncweights/checkpoint' is corrupt: the weights file"),
    (["train", "--out", "mixedcp", "--resume"], 2, r"the weights are from step 8, the state from step 6"),
    (["train", "--out", "badrunjson", "--resume"], 2, r"'badrunjson/run\.json' is corrupt: not valid JSON"),
    (["train", "--out", "okrun"], 2, r"--out: 'okrun' already holds a run \(checkpoint/state\.json\): add --resume"),
    (TRAIN[:-1] + ["userdir"], 2, r"--out: 'userdir' cannot hold a new run: it holds files this command did not write \(notes\.txt\)"),
    (TRAIN[:-1] + ["."], 2, r"--out: '\.' cannot hold a new run: name the directory to create"),
    (["reproduce", "von-oswald", "--steps", "2", "--out", "userdir"], 2, r"--out: 'userdir' cannot be replaced: it holds files this command did not write \(notes\.txt\)"),
    (["reproduce", "gaussian-optimum", "--steps", "2", "--out", "okrun"], 2, r"--out: 'okrun' cannot be replaced: it holds files this command did not write"),
    (["reproduce", "multilayer", "--layers", "2", "--steps", "2", "--out", "afile"], 2, r"--out: 'afile' cannot be replaced: it is a file"),
    (["reproduce", "von-oswald", "--steps", "2", "--out", "."], 2, r"--out: '\.' cannot be replaced: name the directory to create"),
]


# --- issue 18: checkpoint reader (fuzzed: scripts/fuzz_weights.sh) ---
def _state_edited(name, edit):
    """A copy of the okrun template whose checkpoint/state.json is edited by `edit` (a dict -> None)."""
    d = os.path.join(os.path.dirname(RUN_TEMPLATES["okrun"]), name)
    shutil.copytree(RUN_TEMPLATES["okrun"], d)
    path = os.path.join(d, "checkpoint", "state.json")
    state = json.load(open(path))
    edit(state)
    json.dump(state, open(path, "w"))
    RUN_TEMPLATES[name] = d
_state_edited("zerolayers", lambda s: s["config"]["model"].update(layers=0, sharedLayers=True))
_state_edited("neglayers", lambda s: s["config"]["model"].update(layers=-1))
_state_edited("nlformat", lambda s: s.update(format="icl\nlsa"))
CORRUPT = r"error: --out: the checkpoint in '{0}/checkpoint' is corrupt: "
cases += [
    (["train", "--out", "zerolayers", "--resume"], 2, CORRUPT.format("zerolayers") + r"the state file's configuration: layers must be at least 1, got 0\n$"),
    (["train", "--out", "neglayers", "--resume"], 2, CORRUPT.format("neglayers") + r"the state file's configuration: layers must be at least 1, got -1\n$"),
    (["train", "--out", "nlformat", "--resume"], 2, CORRUPT.format("nlformat") + r"the state file has format 'icl\\nlsa', expected 'icl-lsa-checkpoint/1'\n$"),
]
# --- end of issue 18: checkpoint reader ---

def _snapshot(root):
    """Every file under root (hidden ones too) with its bytes."""
    files = {}
    for d, _, names in os.walk(root):
        for n in names:
            p = os.path.join(d, n)
            files[os.path.relpath(p, root)] = open(p, "rb").read()
    return files


def run_case(args, code, pattern, stdout_to_full=False):
    work = tempfile.mkdtemp(prefix="icl-bad-")
    try:
        for name, text in FILES.items():
            os.makedirs(os.path.dirname(os.path.join(work, name)), exist_ok=True)
            with open(os.path.join(work, name), "wb" if isinstance(text, bytes) else "w") as f:
                f.write(text)
        for name, template in RUN_TEMPLATES.items():
            if any(a == name or a.startswith(name + "/") for a in args):
                shutil.copytree(template, os.path.join(work, name))
        before = set(os.listdir(work))
        tree = _snapshot(work)
        stdout = open("/dev/full", "w") if stdout_to_full else subprocess.PIPE
        try:
            proc = subprocess.run([ICL] + args, cwd=work, stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=120)
        finally:
            if stdout_to_full:
                stdout.close()
        problems = []
        if proc.returncode != code:
            problems.append(f"exit {proc.returncode}, expected {code}")
        err = proc.stderr
        if not re.search(pattern, err):
            problems.append(f"stderr lacks /{pattern}/")
        if not stdout_to_full and proc.stdout.strip():
            problems.append("printed a result on stdout")
        if tuple(args) in ONE_LINE and (len(err.splitlines()) != 1 or not err.startswith("error: ")):
            problems.append("not one line 'error: ...'")
        messages = [line for line in err.splitlines() if line.lower().startswith("error")]
        if len(messages) != 1:
            problems.append(f"{len(messages)} error lines, expected one")
        if re.search(r"Fatal error|runtime failure|Backtrac", err):
            problems.append("trapped")
        now = _snapshot(work)
        changed = sorted(k for k in set(tree) | set(now) if tree.get(k) != now.get(k) and k.split(os.sep)[0] in before)
        if changed:
            problems.append(f"changed: {changed[:5]}")
        after = set(os.listdir(work))
        left = after - before
        if left:
            problems.append(f"left behind: {sorted(left)}")
        return problems, err
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    passed = failed = 0
    all_cases = [(a, c, p, False) for a, c, p in cases]
    all_cases += [(a, 1, r"cannot write the result to standard output", True) for a in STDOUT_FULL]
    for args, code, pattern, full in all_cases:
        problems, err = run_case(args, code, pattern, full)
        if problems:
            failed += 1
            print(f"FAIL: icl {' '.join(repr(a) if not a or ' ' in a else a for a in args)}: {'; '.join(problems)}\n  stderr: {err.strip()[:300]}")
        else:
            passed += 1
    print(f"bad-inputs: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
