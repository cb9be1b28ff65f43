#!/usr/bin/env python3
"""Every option of every `icl` command has its effect: each case runs a command on small
settings with an option at its default and changed, and checks that the output changes as the
help says (more --steps a lower loss on a fixed seed, --count that many lines, --max-iter that
many iterations, ...), or, for options that must not change the result (--json against text,
--out against stdout alone, --repeats, --max-time, --force, --checkpoint-every), that the
numbers do not change. Where a closed form or a plain recomputation exists the value itself is
checked: Reddy's loss from its formula, GD's prediction from its update, DFA tables and member
counts against Python's `re`, the zero predictor's loss from the input distribution, the
parameter counts, the learning-rate schedule, Student's t interval of `aggregate`.

Options whose effect cannot be seen in a run of a second are listed in UNSEEN with the reason.

Usage: python3 Tests/cli/options_effect.py ICL   (prints 'options-effect: N passed, M failed')
"""
import itertools
import json
import math
import os
import re
import shutil
import struct
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_runs import Tally, mask_timing, run  # noqa: E402

ICL = os.path.abspath(sys.argv[1])
WORK = tempfile.mkdtemp(prefix="icl-options-")

# Options with no case here, and why.
UNSEEN = {
    "train --checkpoint-every": "only when the checkpoints are written; the final one is the same (checked: no change)",
    "phen steppers --repeats": "only the timings (checked: no change in the accuracies)",
    "bench --repeats": "only the timing (checked: same scenario and flop count)",
}

tally = Tally()
check = tally.check
_cache = {}



def icl(*args, files=None):
    """Runs `icl args` (cached) in its own directory, after writing `files` there; returns the Run
    with `.json` (stdout parsed when it is JSON) and `.dir`."""
    key = (args, tuple(sorted((files or {}).items())))
    if key not in _cache:
        directory = os.path.join(WORK, str(len(_cache)))
        os.makedirs(directory)
        for name, text in (files or {}).items():
            with open(os.path.join(directory, name), "w") as handle:
                handle.write(text)
        before = {name for name in (files or {})}
        result = run(ICL, list(args), directory, keep=True)
        for name in before:
            result.files.pop(name, None)
        result.dir = directory
        try:
            result.json = json.loads(result.stdout)
        except ValueError:
            result.json = None
        if result.code != 0:
            print(f"note: icl {' '.join(args)}: exit {result.code}: {result.stderr.decode(errors='replace').strip()[:300]}")
        _cache[key] = result
    return _cache[key]


def numbers(text):
    """The numbers in a text, in order (for text output against JSON)."""
    return [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?", text if isinstance(text, str) else text.decode())]


def close(a, b, rel=1e-10):
    return abs(a - b) <= rel * max(abs(a), abs(b), 1e-300)


def text_has(text_run, value, digits):
    """The text output shows `value` rounded to `digits` significant digits somewhere."""
    shown = numbers(text_run.stdout)
    return any(abs(x - value) <= 0.51 * 10 ** (math.floor(math.log10(abs(value))) - digits + 1) if value else x == 0
               for x in shown)


# ---------------------------------------------------------------------------------------------
# Reddy's phenomenological loss, from the formula in `icl phen --help`.

def reddy_loss(N, L, beta, alpha, xi, direct=False):
    y = beta if direct else math.exp(beta) / (math.exp(beta) + 2 * N)
    e = math.exp(alpha * y)
    u = xi * (e - 1) / (e + 2 * N)
    u2 = xi * e / (e + 2 * N)
    return math.log(1 + (N - 1) * math.exp(-u) + (L - N) * math.exp(-u2))


def phen_loss():
    base_args = ("phen", "loss", "--beta", "1", "--alpha", "2", "--xi", "3", "--json")
    point = dict(N=8, L=32, beta=1, alpha=2, xi=3)
    variants = {
        "default": (base_args, point),
        "--N": (base_args + ("--N", "4"), dict(point, N=4)),
        "--L": (base_args + ("--L", "64"), dict(point, L=64)),
        "--beta": (("phen", "loss", "--beta", "-1", "--alpha", "2", "--xi", "3", "--json"), dict(point, beta=-1)),
        "--alpha": (("phen", "loss", "--beta", "1", "--alpha", "0.5", "--xi", "3", "--json"), dict(point, alpha=0.5)),
        "--xi": (("phen", "loss", "--beta", "1", "--alpha", "2", "--xi", "5", "--json"), dict(point, xi=5)),
        "--y-map": (("phen", "loss", "--y-map", "direct", "--beta", "0.3", "--alpha", "2", "--xi", "3", "--json"),
                    dict(point, beta=0.3, direct=True)),
        "--y": (("phen", "loss", "--y", "0.3", "--alpha", "2", "--xi", "3", "--json"), dict(point, beta=0.3, direct=True)),
    }
    for option, (args, at) in variants.items():
        out = icl(*args).json
        expected = reddy_loss(**at)
        check(out is not None and close(out["loss"], expected), f"phen loss {option}: loss {out and out['loss']}, formula {expected}")
    # xi larger at u, u' > 0: a lower loss (the formula's direction).
    check(icl("phen", "loss", "--beta", "1", "--alpha", "2", "--xi", "5", "--json").json["loss"]
          < icl(*base_args).json["loss"], "phen loss: a larger --xi must lower the loss (u, u' > 0)")
    text = icl(*base_args[:-1])
    check(text_has(text, icl(*base_args).json["loss"], 6), "phen loss: the text output does not show the JSON loss")


def phen_xi_star():
    base = ("phen", "xi-star", "--alpha", "-1", "--beta", "0.5")
    cases = {"default": ((), 8, 32, 0.5, -1, False), "--N": (("--N", "4"), 4, 32, 0.5, -1, False),
             "--L": (("--L", "64"), 8, 64, 0.5, -1, False), "--beta": (("--beta", "2"), 8, 32, 2, -1, False),
             "--alpha": (("--alpha", "-3"), 8, 32, 0.5, -3, False),
             "--y-map": (("--y-map", "direct", "--beta", "0.4"), 8, 32, 0.4, -1, True)}
    values = {}
    for option, (extra, N, L, beta, alpha, direct) in cases.items():
        given = dict(zip(extra[::2], extra[1::2]))
        args = ("phen", "xi-star", "--alpha", given.pop("--alpha", "-1"), "--beta", given.pop("--beta", "0.5"))
        args += tuple(x for pair in given.items() for x in pair)
        out = icl(*(args + ("--json",))).json
        if not check(out is not None and out.get("exists") is True, f"phen xi-star {option}: no minimizer reported: {out}"):
            continue
        xi = out["xi"]
        values[option] = xi
        h = 1e-4 * max(1, abs(xi))
        slope = (reddy_loss(N, L, beta, alpha, xi + h, direct) - reddy_loss(N, L, beta, alpha, xi - h, direct)) / (2 * h)
        curvature = (reddy_loss(N, L, beta, alpha, xi + h, direct) - 2 * reddy_loss(N, L, beta, alpha, xi, direct)
                     + reddy_loss(N, L, beta, alpha, xi - h, direct)) / h ** 2
        check(abs(slope) <= 1e-6 and curvature > 0, f"phen xi-star {option}: xi = {xi} is not a minimum of the formula "
              f"(slope {slope}, curvature {curvature})")
        check(close(out["loss"], reddy_loss(N, L, beta, alpha, xi, direct), 1e-9), f"phen xi-star {option}: loss is not the formula's at xi")
        if option != "default":
            check(xi != values.get("default"), f"phen xi-star {option}: xi did not change")
    text = icl(*base)
    check(text_has(text, values.get("default", 0), 6), "phen xi-star: the text output does not show the JSON xi")


def phen_minimize():
    base = ("phen", "minimize", "--json")
    b = icl(*base).json

    def at_formula(out, N=8, L=32, direct=False):
        p = out["point"]
        first = p.get("y", p.get("beta")) if direct else p["beta"]
        return close(out["loss"], reddy_loss(N, L, first, p["alpha"], p["xi"], direct), 1e-9)

    check(at_formula(b) and b["stop"] == "loss-tolerance" and b["loss"] <= 1e-4, f"phen minimize: default run {b}")
    for option, extra, N, L in [("--N", ("--N", "4"), 4, 32), ("--L", ("--L", "64"), 8, 64)]:
        out = icl(*(base + extra)).json
        check(at_formula(out, N, L) and out["point"] != b["point"], f"phen minimize {option}: point or loss not the formula's")
    out = icl(*(base + ("--y-map", "direct", "--init", "beta=0.5"))).json
    check(out["yMap"] == "direct" and at_formula(out, direct=True), f"phen minimize --y-map direct: {out.get('yMap')}")
    out = icl(*(base + ("--method", "simplex", "--init", "alpha=1,xi=1"))).json
    check(out["method"] == "simplex" and out["gslMethod"] != b["gslMethod"], "phen minimize --method: the method did not change")
    out = icl(*(base + ("--init", "alpha=1,xi=2"))).json
    check(out["initial"] == {"alpha": 1, "beta": 0, "xi": 2} and out["point"] != b["point"], f"phen minimize --init: {out['initial']}")
    out = icl(*(base + ("--box", "-0.5:0.5"))).json
    check(out["stop"] == "box", f"phen minimize --box: stop {out['stop']}")
    out = icl(*(base + ("--loss-tol", "1"))).json
    check(out["stop"] == "loss-tolerance" and out["loss"] <= 1 and out["iterations"] <= b["iterations"] and out["loss"] > b["loss"],
          f"phen minimize --loss-tol 1: loss {out['loss']}, iterations {out['iterations']}")
    out = icl(*(base + ("--grad-tol", "0.1", "--loss-tol", "0"))).json
    check(out["stop"] == "gradient-tolerance" and out["gradientNorm"] <= 0.1, f"phen minimize --grad-tol: {out['stop']}")
    simplex = ("phen", "minimize", "--method", "simplex", "--init", "alpha=1,xi=1", "--loss-tol", "0", "--max-iter", "200", "--json")
    s0, s1 = icl(*simplex).json, icl(*(simplex + ("--size-tol", "0.5"))).json
    check(s1["stop"] == "simplex-size" and s1["iterations"] < s0["iterations"], f"phen minimize --size-tol: {s1['stop']} {s1['iterations']}")
    out = icl(*(base + ("--max-iter", "1", "--loss-tol", "0"))).json
    check(out["iterations"] == 1 and out["stop"] == "max-iterations", f"phen minimize --max-iter 1: {out['iterations']} {out['stop']}")
    out = icl(*(base + ("--step", "0.5"))).json
    check(out["point"] != b["point"] and at_formula(out), "phen minimize --step: the same iterates")
    check(text_has(icl("phen", "minimize"), b["loss"], 4), "phen minimize: the text output does not show the JSON loss")


def phen_flow():
    base = ("phen", "flow", "--json")
    b = icl(*base).json
    check(close(b["initialLoss"], math.log(32)), f"phen flow: the loss at the origin is log L, got {b['initialLoss']}")
    for option, extra, L in [("--N", ("--N", "4"), 32), ("--L", ("--L", "64"), 64)]:
        out = icl(*(base + extra)).json
        check(close(out["initialLoss"], math.log(L)) and out["cliffTime"] != b["cliffTime"], f"phen flow {option}: no effect")
    out = icl(*(base + ("--y-map", "direct", "--init", "beta=0.2"))).json
    check(out["yMap"] == "direct" and close(out["initialLoss"], reddy_loss(8, 32, 0.2, 0, 0, True)), "phen flow --y-map direct")
    out = icl(*(base + ("--init", "alpha=0.5,xi=0.5"))).json
    check(close(out["initialLoss"], reddy_loss(8, 32, 0, 0.5, 0.5)), f"phen flow --init: initial loss {out['initialLoss']}")
    out = icl(*(base + ("--ode", "rk8pd"))).json
    check("rk8pd" in out["dynamics"] and out["cliffTime"] != b["cliffTime"] and close(out["cliffTime"], b["cliffTime"], 1e-3),
          f"phen flow --ode rk8pd: {out['dynamics']}, cliff {out['cliffTime']} against {b['cliffTime']}")
    out = icl(*(base + ("--lr", "0.5"))).json
    check("gradient descent" in out["dynamics"] and out["cliffTime"] != b["cliffTime"], f"phen flow --lr: {out['dynamics']}")
    out = icl(*(base + ("--threshold", "1"))).json
    check(out["threshold"] == 1 and all(out["firstExceeds"][k] > b["firstExceeds"][k] for k in b["firstExceeds"]),
          "phen flow --threshold 1: the first-exceed times must come later than at 0.5")
    out = icl(*(base + ("--t-max", "50"))).json
    check(out["finalTime"] <= 50 and out["stop"] == "time-limit", f"phen flow --t-max 50: {out['finalTime']} {out['stop']}")
    out = icl(*(base + ("--stop-loss", "1"))).json
    check(out["finalLoss"] <= 1 and out["finalTime"] < b["finalTime"], f"phen flow --stop-loss 1: final loss {out['finalLoss']}")
    for option in ("--rtol", "--atol"):
        out = icl(*(base + (option, "1e-4"))).json
        check(out["evaluations"] < b["evaluations"] and close(out["cliffTime"], b["cliffTime"], 1e-2),
              f"phen flow {option} 1e-4: {out['evaluations']} evaluations against {b['evaluations']}")
    with_out = icl(*(base + ("--out", "flow")))
    check(mask_timing(with_out.stdout) == mask_timing(icl(*base).stdout) and {"flow/trajectory.csv", "flow/flow.svg", "flow/summary.json"}
          <= set(with_out.files), f"phen flow --out: stdout changed or files missing: {sorted(with_out.files)}")
    check(text_has(icl("phen", "flow"), b["cliffTime"], 4), "phen flow: the text output does not show the JSON cliff time")


def landscape_rows(result):
    lines = result.files["land/landscape.csv"].decode().split()
    header = lines[0].split(",")
    return header, [dict(zip(header, map(float, line.split(",")))) for line in lines[1:]]


def phen_landscape():
    base = ("phen", "landscape", "--grid", "5", "--out", "land", "--json")

    def formula_holds(result, N=8, L=32, direct=False):
        _, rows = landscape_rows(result)
        first = "y" if direct else "beta"
        return all(close(r["loss"], reddy_loss(N, L, r[first], r["alpha"], r["xi"], direct), 1e-9) for r in rows)

    b = icl(*base)
    check(b.json["points"] == 25 and len(landscape_rows(b)[1]) == 25 and formula_holds(b), "phen landscape: 5 x 5 grid of the formula")
    out = icl(*(base[:2] + ("--grid", "7") + base[4:]))
    check(out.json["points"] == 49 and len(landscape_rows(out)[1]) == 49, "phen landscape --grid 7: not 49 points")
    for option, extra, N, L in [("--N", ("--N", "4"), 4, 32), ("--L", ("--L", "64"), 8, 64)]:
        out = icl(*(base + extra))
        check(formula_holds(out, N, L) and landscape_rows(out)[1] != landscape_rows(b)[1], f"phen landscape {option}: no effect")
    out = icl(*(base + ("--axes", "beta,xi", "--fix", "alpha=1")))
    header, rows = landscape_rows(out)
    check(header[:2] == ["beta", "xi"] and all(r["alpha"] == 1 for r in rows) and formula_holds(out),
          f"phen landscape --axes beta,xi --fix alpha=1: header {header}")
    out = icl(*(base + ("--fix", "beta=2")))
    check(all(r["beta"] == 2 for r in landscape_rows(out)[1]) and formula_holds(out), "phen landscape --fix beta=2")
    out = icl(*(base + ("--y-map", "direct", "--fix", "beta=0.3")))
    check(formula_holds(out, direct=True) or all(close(r["loss"], reddy_loss(8, 32, 0.3, r["alpha"], r["xi"], True), 1e-9)
                                                  for r in landscape_rows(out)[1]), "phen landscape --y-map direct")
    out = icl(*(base + ("--minimize", "beta=-2:8")))
    check(all(r["loss"] <= reddy_loss(8, 32, 0, r["alpha"], r["xi"]) * (1 + 1e-12) and -2 <= r["beta"] <= 8
              for r in landscape_rows(out)[1]) and formula_holds(out),
          "phen landscape --minimize beta=-2:8: a minimum over beta must be at most the value at beta = 0")
    out = icl(*(base + ("--range", "alpha=0:1,xi=3:4")))
    rows = landscape_rows(out)[1]
    check({r["alpha"] for r in rows} == {0, 0.25, 0.5, 0.75, 1} and {r["xi"] for r in rows} == {3, 3.25, 3.5, 3.75, 4},
          "phen landscape --range alpha=0:1,xi=3:4: the grid is not those ranges")
    svg = lambda r: r.files["land/landscape.svg"].decode()  # noqa: E731
    paths = lambda r: len(re.findall(r"<path|<polyline", svg(r)))  # noqa: E731
    none = icl(*(base + ("--contours", "0")))
    check(paths(none) < paths(b) and landscape_rows(none) == landscape_rows(b), "phen landscape --contours 0: no fewer lines")
    traced = icl(*(base + ("--trajectory",)))
    check(paths(traced) == paths(b) + 1 and landscape_rows(traced) == landscape_rows(b), "phen landscape --trajectory: no curve added")
    moved = icl(*(base + ("--trajectory", "--init", "alpha=3,xi=3")))
    check(svg(moved) != svg(traced), "phen landscape --init: the trajectory did not move")
    check(text_has(icl(*base[:-1]), b.json["minLoss"], 4), "phen landscape: the text output does not show the JSON minimum")


def phen_sweep():
    base = ("phen", "sweep", "--N", "2,4", "--L", "8", "--json")
    b = icl(*base).json
    check([(r["N"], r["L"]) for r in b] == [(2, 8), (4, 8)] and all(close(r["initialLoss"], math.log(r["L"])) for r in b),
          "phen sweep: rows or initial losses wrong")
    out = icl("phen", "sweep", "--N", "2", "--L", "8,16", "--json").json
    check(sorted((r["N"], r["L"]) for r in out) == [(2, 8), (2, 16)], "phen sweep --N 2 --L 8,16: rows")
    out = icl("phen", "sweep", "--N", "2,4", "--ratio", "3", "--json").json
    check([(r["N"], r["L"]) for r in out] == [(2, 6), (4, 12)], f"phen sweep --ratio 3: {[(r['N'], r['L']) for r in out]}")
    out = icl(*(base + ("--threshold", "1"))).json
    check(all(o["firstExceeds"][k] > r["firstExceeds"][k] for o, r in zip(out, b) for k in r["firstExceeds"]),
          "phen sweep --threshold 1: first-exceed times not later")
    with_out = icl(*(base + ("--out", "sw")))
    csv = with_out.files.get("sw/sweep.csv", b"").decode().split()
    check(mask_timing(with_out.stdout) == mask_timing(icl(*base).stdout) and len(csv) == 3, "phen sweep --out: stdout changed or csv rows")
    check(text_has(icl(*base[:-1]), b[0]["cliffTime"], 4), "phen sweep: the text output does not show the JSON cliff time")


def phen_steppers():
    base = ("phen", "steppers", "--tolerances", "1e-6", "--repeats", "1", "--json")
    b = icl(*base).json
    untimed = lambda out: [{k: v for k, v in r.items() if k != "seconds"} for r in out["rows"]]  # noqa: E731
    # 7 steppers, each with and without the cliff refinement, per tolerance.
    check(len(b["rows"]) == 14 and b["cheapest"]["cliffTimeError"] <= 1e-6, f"phen steppers: {len(b['rows'])} rows")
    out = icl("phen", "steppers", "--tolerances", "1e-6,1e-8", "--repeats", "1", "--json").json
    check(len(out["rows"]) == 28 and {r["tolerance"] for r in out["rows"]} == {1e-6, 1e-8}, "phen steppers --tolerances: rows")
    out = icl("phen", "steppers", "--tolerances", "1e-6", "--repeats", "3", "--json").json
    check(untimed(out) == untimed(b), "phen steppers --repeats: the accuracies changed")
    out = icl(*(base + ("--target", "1e-2"))).json
    check(out["cheapest"]["cliffTimeError"] <= 1e-2, "phen steppers --target: the cheapest misses the target")
    for option, extra in [("--N", ("--N", "4")), ("--L", ("--L", "64"))]:
        out = icl(*(base + extra))
        check(out.json["referenceCliffTime"] != b["referenceCliffTime"], f"phen steppers {option}: no effect")
    # Under the direct map the origin has y = 0: no attention, so no cliff (the softmax map has y = 1/17).
    out = icl(*(base + ("--y-map", "direct")))
    check(out.code == 2 and b"no cliff" in out.stderr, "phen steppers --y-map direct: the flow from y = 0 must have no cliff")
    check(text_has(icl(*base[:-1]), b["referenceCliffTime"], 4), "phen steppers: the text output does not show the reference")


# ---------------------------------------------------------------------------------------------
# Formal languages, against Python's `re`.

def members(regex, alphabet, length):
    pattern = re.compile(regex.replace("[", "(").replace("]", ")?"))
    return [s for s in map("".join, itertools.product(alphabet, repeat=length)) if pattern.fullmatch(s)]


def lang():
    dfa = icl("lang", "dfa", "--regex", "a*bc*", "--json").json
    wide = icl("lang", "dfa", "--regex", "a*bc*", "--alphabet", "abcd", "--json").json

    def accepts(table, s):
        state = table["start"]
        for letter in s:
            state = table["transitions"][state][letter]
        return state in table["accepting"]

    for name, table in [("default", dfa), ("--alphabet abcd", wide)]:
        agree = all(accepts(table, s) == bool(re.fullmatch("a*bc*", s))
                    for n in range(6) for s in map("".join, itertools.product(table["alphabet"], repeat=n)))
        check(agree, f"lang dfa {name}: the table disagrees with re on strings up to length 5")
    check(wide["alphabet"] == "abcd" and dfa["alphabet"] == "abc", "lang dfa --alphabet: alphabet not widened")
    other = icl("lang", "dfa", "--regex", "(ab[c])*", "--json").json
    check(other["states"] != dfa["states"] or other["transitions"] != dfa["transitions"], "lang dfa --regex: no effect")
    dot = icl("lang", "dfa", "--regex", "a*bc*", "--dot").stdout.decode()
    text = icl("lang", "dfa", "--regex", "a*bc*").stdout.decode()
    check(dot.startswith("digraph") and f"{dfa['states']} states" in text, "lang dfa --dot / text: not the same DFA")

    count = icl("lang", "count", "--regex", "(a|b)*c[a]", "--max-length", "6", "--json").json
    check(count["counts"] == [len(members("(a|b)*c[a]", "abc", n)) for n in range(7)], "lang count: counts differ from brute force")
    more = icl("lang", "count", "--regex", "(a|b)*c[a]", "--max-length", "8", "--json").json
    check(len(more["counts"]) == 9 and more["counts"][:7] == count["counts"], "lang count --max-length 8: not 9 counts")
    wider = icl("lang", "count", "--regex", "(a|b)*c[a]", "--alphabet", "abcd", "--max-length", "6", "--json").json
    check(wider["counts"] == count["counts"] and wider["alphabet"] == "abcd", "lang count --alphabet: members changed")
    check(numbers(icl("lang", "count", "--regex", "(a|b)*c[a]", "--max-length", "6").stdout)[-1] == count["counts"][-1],
          "lang count: the text output's last count is not the JSON's")

    base = ("lang", "sample", "--regex", "a*bc*", "--lengths", "1..8", "--count", "40", "--json")
    pattern = re.compile("a*bc*")

    def lines(*extra):
        out = icl(*(base + extra))
        return [json.loads(line) for line in out.stdout.decode().split("\n") if line] if out.code == 0 else []

    def labelled(rows):
        return all(bool(pattern.fullmatch(r["string"])) == r["member"] for r in rows)

    b = lines()
    check(len(b) == 40 and all(r["member"] for r in b) and labelled(b), "lang sample: 40 members")
    rows = lines("--count", "7")
    check(len(rows) == 7, f"lang sample --count 7: {len(rows)} lines")
    rows = lines("--negatives", "uniform")
    check(len(rows) == 80 and sum(not r["member"] for r in rows) == 40 and labelled(rows), "lang sample --negatives uniform")
    rows = lines("--negatives", "hard")
    check(len(rows) == 80 and labelled(rows) and all("edit" in r for r in rows if not r["member"]), "lang sample --negatives hard")
    rows = lines("--negatives", "hard", "--edits", "substitution")
    check(labelled(rows) and {r["edit"] for r in rows if not r["member"]} == {"substitution"}, "lang sample --edits substitution")
    rows = lines("--negatives", "uniform", "--alphabet", "abcd")
    check(labelled(rows) and any("d" in r["string"] for r in rows), "lang sample --alphabet abcd: no d in 40 non-members")
    rows = [json.loads(x) for x in icl("lang", "sample", "--regex", "a*bc*", "--length", "5", "--count", "20", "--json")
            .stdout.decode().split()]
    check({len(r["string"]) for r in rows} == {5}, "lang sample --length 5: other lengths")
    rows = lines("--lengths", "3..4")
    check({len(r["string"]) for r in rows} == {3, 4}, "lang sample --lengths 3..4: other lengths")
    # uniform-string weighs length n by its n members (a*bc*), so the mean length grows (8 s.d. apart).
    mean = lambda rows: sum(len(r["string"]) for r in rows) / len(rows)  # noqa: E731
    big = ("lang", "sample", "--regex", "a*bc*", "--lengths", "1..8", "--count", "2000", "--json")
    uniform_length = [json.loads(x) for x in icl(*big).stdout.decode().split()]
    uniform_string = [json.loads(x) for x in icl(*(big + ("--length-distribution", "uniform-string"))).stdout.decode().split()]
    check(mean(uniform_length) < 4.8 < mean(uniform_string),
          f"lang sample --length-distribution: mean lengths {mean(uniform_length)} and {mean(uniform_string)} (expected 4.5 and 6)")
    check(lines("--seed", "2") != b, "lang sample --seed: no effect")
    text = icl(*base[:-1]).stdout.decode().split("\n")
    check([t.split()[0] for t in text if t] == [r["string"] for r in b], "lang sample: the text strings are not the JSON's")


# ---------------------------------------------------------------------------------------------
# construct: GD's prediction recomputed, W1 = W0 - eta (1/N) sum_i (W x_i - y_i) x_i^T Gamma.

TASK = {"x": [[1, 0.5], [-0.25, 2], [0.75, -1]], "y": [[1], [-2], [0.5]], "xQuery": [0.3, -0.7], "W0": [[0.5, -0.25]],
        "preconditioner": [[2, 0.5], [0.5, 1]], "gamma": 0.1}


def gd_prediction(eta, layers, preconditioned=True):
    x, y, w = TASK["x"], TASK["y"], [row[:] for row in TASK["W0"]]
    gamma = TASK["preconditioner"] if preconditioned else [[1, 0], [0, 1]]
    n = len(x)
    for _ in range(layers):
        residual = [sum(w[0][j] * xi[j] for j in range(2)) - yi[0] for xi, yi in zip(x, y)]
        gradient = [sum(residual[i] * x[i][j] for i in range(n)) / n for j in range(2)]
        step = [sum(gradient[k] * gamma[k][j] for k in range(2)) for j in range(2)]
        w = [[w[0][j] - eta * step[j] for j in range(2)]]
    return sum(w[0][j] * TASK["xQuery"][j] for j in range(2))


def construct():
    files = {"task.json": json.dumps(TASK)}
    base = ("construct", "--instance", "task.json", "--json")

    def out(*extra):
        return icl(*(base + extra), files=files).json

    for option, extra, eta, layers, preconditioned in [("default", (), 0.1, 1, True), ("--eta", ("--eta", "0.5"), 0.5, 1, True),
                                                       ("--layers", ("--layers", "3"), 0.1, 3, True),
                                                       ("--no-preconditioner", ("--no-preconditioner",), 0.1, 1, False)]:
        o = out(*extra)
        expected = gd_prediction(eta, layers, preconditioned)
        check(len(o["weights"]) == layers and close(o["prediction"]["gd"][0], expected, 1e-12)
              and close(o["prediction"]["lsa"][0], expected, 1e-12), f"construct {option}: predictions {o['prediction']}, GD {expected}")
    b = out()
    check(b["weights"][0]["P"][0][0] * 3 == 0.1 or close(b["weights"][0]["P"][0][0], 0.1 / 3), "construct: P = (eta/N) I")
    plus = out("--gd-plus-plus")
    gamma = out("--gamma", "0.1")
    check(plus == gamma and plus["prediction"] != b["prediction"] and plus["weights"] != b["weights"],
          "construct --gd-plus-plus (the file's gamma) must equal --gamma 0.1 and differ from GD")
    other = out("--gamma", "0.3")
    check(other["weights"] != gamma["weights"], "construct --gamma: no effect on the weights")
    exact = out("--exact")
    fraction = lambda s: (lambda p, q=1: int(p) / int(q))(*str(s).split("/"))  # noqa: E731
    check(all(isinstance(v, str) for v in exact["prediction"]["gd"]) and close(fraction(exact["prediction"]["gd"][0]), b["prediction"]["gd"][0], 1e-12),
          "construct --exact: not the same prediction as p/q strings")
    for extra in (("--force",), ("--max-time", "1000")):
        check(out(*extra) == b, f"construct {extra[0]}: the result changed")
    text = icl(*base[:-1], files=files)
    check(text_has(text, b["prediction"]["gd"][0], 12), "construct: the text output does not show the JSON prediction")


# ---------------------------------------------------------------------------------------------
# verify and verify merge.

def verify():
    base = ("verify", "--instances", "2", "--json")
    b = icl(*base).json
    check(len(b["results"]) == 7 and all(r["instances"] == 2 for r in b["results"]), "verify: 7 theorems x 2 instances")
    out = icl(*(base + ("--theorem", "lsa-gd", "--theorem", "dual-form"))).json
    check([r["theorem"] for r in out["results"]] == ["lsa-gd", "dual-form"], "verify --theorem: not those theorems")
    out = icl("verify", "--instances", "3", "--json").json
    check(all(r["instances"] == 3 for r in out["results"]), "verify --instances 3")
    out = icl(*(base + ("--seed", "2"))).json
    check([r["maxError"] for r in out["results"]] != [r["maxError"] for r in b["results"]], "verify --seed: no effect")
    out = icl(*(base + ("--exact", "--theorem", "lsa-gd"))).json
    check(out["exact"] is True and out["results"][0]["maxError"] == 0, f"verify --exact: {out['results'][0]['maxError']}")
    four = icl("verify", "--instances", "4", "--json")
    shards = [icl("verify", "--instances", "4", "--shard", f"{i}/2", "--json") for i in range(2)]
    check(all(r["instances"] == 2 for s in shards for r in s.json["results"]), "verify --shard i/2: not half the instances")
    check(icl(*(base + ("--max-time", "1000"))).json == b, "verify --max-time 1000: the result changed")
    refused = icl(*(base + ("--max-time", "1e-9")))
    check(refused.code == 2, f"verify --max-time 1e-9: exit {refused.code}, not refused")
    files = {f"s{i}.json": s.stdout.decode() for i, s in enumerate(shards)}
    merged = icl("verify", "merge", "s0.json", "s1.json", "--json", files=files).json
    key = lambda r: (r["theorem"], r["instances"], r["maxError"], r["maxBound"], r["passed"])  # noqa: E731
    check([key(r) for r in merged["results"]] == [key(r) for r in four.json["results"]],
          "verify merge: the merged shards differ from the unsharded run")
    text = icl("verify", "merge", "s0.json", "s1.json", files=files)
    check(text_has(text, four.json["results"][0]["maxBound"], 3), "verify merge: the text output does not show the JSON")
    check(text_has(icl(*base[:-1]), b["results"][0]["maxBound"], 3), "verify: the text output does not show the JSON maxBound")


# ---------------------------------------------------------------------------------------------
# train.

def safetensors_names(data):
    size = struct.unpack("<Q", data[:8])[0]
    return sorted(k for k in json.loads(data[8:8 + size]) if k != "__metadata__")


def tensors(data):
    """Every F64 value of a safetensors file, tensors in name order."""
    size = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + size])
    values = []
    for name in sorted(k for k in header if k != "__metadata__"):
        begin, end = header[name]["data_offsets"]
        values += struct.unpack(f"<{(end - begin) // 8}d", data[8 + size + begin:8 + size + end])
    return values


def zero_loss_bounds(d, dy, width=1.0, noise=0.0, gaussian=False, tasks=10_000):
    """The zero predictor's loss (half the squared error, averaged over tasks and the dy outputs)
    E y^2 / 2 and 6 standard deviations of its mean over `tasks` tasks (at most one output's, by
    Cauchy-Schwarz), for y = W x + noise, W ~ N(0, I): E y^2 = E|x|^2 + s^2 per output."""
    if gaussian:
        m2, m4 = d, 3 * (d * d + 2 * d)
    else:
        m2 = d * width ** 2 / 12
        m4 = d * 3 * width ** 4 / 80 + 3 * d * (d - 1) * (width ** 2 / 12) ** 2
    second = m2 + noise ** 2
    fourth = m4 + 6 * m2 * noise ** 2 + 3 * noise ** 4
    sd = math.sqrt(fourth - second ** 2) / 2 / math.sqrt(tasks)
    return second / 2, 6 * sd


def train():
    base = ("train", "--d", "3", "--N", "4", "--batch", "64", "--steps", "20", "--out", "run", "--json")

    def t(*extra, drop=()):
        args = list(base)
        for option in drop:
            i = args.index(option)
            del args[i:i + 2]
        return icl(*(tuple(args) + extra))

    def summary(r):
        return r.json

    def metrics(r):
        return [json.loads(x) for x in r.files["run/metrics.jsonl"].decode().split()]

    b = t()
    s = summary(b)
    expected, tolerance = zero_loss_bounds(3, 1)
    check(abs(s["zeroPredictorLoss"] - expected) <= tolerance and s["parameterCount"] == 4 * 4 ** 2,
          f"train: zero loss {s['zeroPredictorLoss']} (closed form {expected} +- {tolerance}), {s['parameterCount']} parameters")
    for option, extra, kw in [("--input", ("--input", "gaussian"), dict(d=3, dy=1, gaussian=True)),
                              ("--width", ("--width", "2"), dict(d=3, dy=1, width=2)),
                              ("--noise", ("--noise", "0.5"), dict(d=3, dy=1, noise=0.5)),
                              ("--dy", ("--dy", "2"), dict(d=3, dy=2)),
                              ("--d", ("--d", "5"), dict(d=5, dy=1))]:
        r = t(*extra, drop=("--d",) if option == "--d" else ())
        expected, tolerance = zero_loss_bounds(**kw)
        check(abs(summary(r)["zeroPredictorLoss"] - expected) <= tolerance,
              f"train {option}: zero loss {summary(r)['zeroPredictorLoss']}, closed form {expected} +- {tolerance}")
    check(summary(t("--dy", "2"))["parameterCount"] == 4 * 5 ** 2 and summary(t("--d", "5", drop=("--d",)))["parameterCount"] == 4 * 6 ** 2,
          "train --dy / --d: parameter count is not 4 (d + dy)^2")
    r = t("--layers", "2")
    names = safetensors_names(r.files["run/checkpoint/model.safetensors"])
    check(summary(r)["parameterCount"] == 2 * 64 and len(names) == 8 and any(n.startswith("layers.1.") for n in names),
          f"train --layers 2: {summary(r)['parameterCount']} parameters, tensors {names}")
    r = t("--heads", "2")
    names = safetensors_names(r.files["run/checkpoint/model.safetensors"])
    check(summary(r)["parameterCount"] == 2 * 64 and any(".heads.1." in n for n in names), f"train --heads 2: tensors {names}")
    r = t("--layers", "2", "--shared")
    check(summary(r)["parameterCount"] == 64 and summary(r)["validationLoss"] != summary(t("--layers", "2"))["validationLoss"],
          "train --shared: one layer's parameters")
    r = t("--parameterization", "gd-plus-plus")
    check(summary(r)["parameterCount"] == 2 * 3 * 3 + 1, f"train --parameterization gd-plus-plus: {summary(r)['parameterCount']} (Gamma, Omega, rho)")
    for option, extra in [("--N", ("--N", "8")), ("--query-in-context", ("--query-in-context",)),
                          ("--beta1", ("--beta1", "0.5")), ("--beta2", ("--beta2", "0.9")), ("--batch", ("--batch", "32")),
                          ("--optimizer", ("--optimizer", "adamw"))]:
        r = t(*extra, drop=("--N",) if option == "--N" else ("--batch",) if option == "--batch" else ())
        check(summary(r)["validationLoss"] != s["validationLoss"], f"train {option}: no effect on the trained model")
    sgd = t("--optimizer", "sgd", "--lr", "0.5")
    check(summary(sgd)["validationLoss"] != s["validationLoss"], "train --optimizer sgd: no effect")
    for option, extra, reference in [("--momentum", ("--momentum", "0.9"), ("--optimizer", "sgd", "--lr", "0.5")),
                                     ("--weight-decay", ("--weight-decay", "0.5"), ("--optimizer", "adamw")),
                                     ("--weight-decay (sgd)", ("--weight-decay", "0.5"), ("--optimizer", "sgd", "--lr", "0.5"))]:
        check(summary(t(*(reference + extra)))["validationLoss"] != summary(t(*reference))["validationLoss"], f"train {option}: no effect")
    # One SGD step moves the weights by lr min(|g|, clip): theta_0 from a step of rate 1e-300.
    def one_step(*extra):
        r = t("--optimizer", "sgd", "--steps", "1", *extra, drop=("--steps",))
        return tensors(r.files["run/checkpoint/model.safetensors"]), metrics(r)[0]["gradientNorm"]

    start, _ = one_step("--lr", "1e-300")
    for extra, bound in [(("--lr", "0.5"), None), (("--lr", "0.5", "--clip", "1e-6"), 1e-6)]:
        moved, gradient = one_step(*extra)
        distance = math.sqrt(sum((a - c) ** 2 for a, c in zip(moved, start)))
        expected = 0.5 * (gradient if bound is None else min(gradient, bound))
        check(close(distance, expected, 1e-6) and (bound is None or gradient > bound),
              f"train {' '.join(extra)}: one SGD step moved {distance}, expected lr min(|g|, clip) = {expected} (|g| = {gradient})")
    lr = t("--lr", "0.01")
    check(all(m["learningRate"] == 0.01 for m in metrics(lr)) and summary(lr)["validationLoss"] < s["validationLoss"],
          "train --lr 0.01: the logged rate or the progress")
    cosine = t("--schedule", "cosine", "--warmup", "5", "--lr", "0.01", "--log-every", "1")
    for m in metrics(cosine):
        step = m["step"]
        if step < 5:
            rate = 0.01 * step / 5
        else:
            c = (1 + math.cos(math.pi * (step - 5) / 15)) / 2
            rate = c * 0.01 + (1 - c) * 0.0001
        if not check(close(m["learningRate"], rate, 1e-12), f"train --schedule cosine --warmup 5: step {step} rate {m['learningRate']}, formula {rate}"):
            break
    check(len(metrics(cosine)) == 20 and metrics(cosine)[0]["learningRate"] == 0, "train --schedule cosine: 20 lines, rate 0 at step 0")
    longer = t("--steps", "60", drop=("--steps",))
    check(summary(longer)["validationLoss"] < s["validationLoss"] and summary(longer)["steps"] == 60, "train --steps 60: no lower loss")
    r = t("--log-every", "5")
    check([m["step"] for m in metrics(r)] == [0, 5, 10, 15, 19], f"train --log-every 5 (and the last step): steps {[m['step'] for m in metrics(r)]}")
    r = t("--checkpoint-every", "7")
    check(r.files["run/checkpoint/model.safetensors"] == b.files["run/checkpoint/model.safetensors"]
          and mask_timing(r.stdout) == mask_timing(b.stdout), "train --checkpoint-every: the result changed")
    check(t("--seed", "2").files["run/checkpoint/model.safetensors"] != b.files["run/checkpoint/model.safetensors"], "train --seed: no effect")
    # --resume: 10 steps then 20 = 20 steps at once, bit for bit.
    half = os.path.join(WORK, "resume")
    first = run(ICL, ["train", "--d", "3", "--N", "4", "--batch", "64", "--steps", "10", "--out", "run", "--json"], half)
    resumed = run(ICL, ["train", "--out", "run", "--resume", "--steps", "20", "--json"], half, keep=True)
    check(first.code == 0 and resumed.code == 0 and resumed.files["run/checkpoint/model.safetensors"] == b.files["run/checkpoint/model.safetensors"]
          and json.loads(resumed.stdout)["validationLoss"] == s["validationLoss"], "train --resume: not the 20-step run bit for bit")
    check(text_has(icl(*base[:-1]), s["validationLoss"], 4), "train: the text output does not show the JSON validation loss")


# ---------------------------------------------------------------------------------------------
# reproduce and bench.

def multilayer():
    """`reproduce multilayer --batch/--lr/--token-clip/--fit-under-clip`, each on K = 3."""
    base = ("reproduce", "multilayer", "--layers", "3", "--steps", "3", "--batch", "64", "--json")
    b = icl(*base).json
    row = b["rows"][0]
    check(row["tokenClip"] == 10 and row["learningRate"] == 1e-3 and b["setting"]["batchSize"] == 64,
          f"reproduce multilayer defaults for K = 3: clip {row['tokenClip']}, rate {row['learningRate']}")
    out = icl(*(base[:-3] + ("--batch", "32", "--json"))).json
    check(out["setting"]["batchSize"] == 32 and out["rows"][0]["trainedLoss"] != row["trainedLoss"], "reproduce multilayer --batch 32")
    out = icl(*(base + ("--lr", "0.01"))).json
    check(out["rows"][0]["learningRate"] == 0.01 and out["rows"][0]["trainedLoss"] != row["trainedLoss"], "reproduce multilayer --lr 0.01")
    off = icl(*(base + ("--token-clip", "0"))).json["rows"][0]
    check(off.get("tokenClip") is None and off["gdEtas"] == row["gdEtas"], "reproduce multilayer --token-clip 0: no clip, the same fit")
    # A clip that binds on many tasks: GD with the same (unclipped) fit loses less on the tasks it caps.
    tight = icl(*(base + ("--token-clip", "1"))).json["rows"][0]
    check(tight["tokenClip"] == 1 and tight["gdEtas"] == row["gdEtas"] and tight["gd"]["mean"] != row["gd"]["mean"]
          and tight["gdPlusPlusEtas"] == row["gdPlusPlusEtas"] and tight["gdPlusPlus"]["mean"] != row["gdPlusPlus"]["mean"],
          "reproduce multilayer --token-clip 1: the clip changes GD's and GD++'s test losses, not their fits")
    few = ("--validation-tasks", "256", "--test-tasks", "500")
    small = icl(*(base + few)).json
    check(small["validationTasks"] == 256 and small["testTasks"] == 500 and small["rows"][0]["gd"]["tasks"] == 500
          and small["rows"][0]["gdEtas"] != row["gdEtas"], "reproduce multilayer --validation-tasks / --test-tasks")
    tested = icl(*(base + ("--test-tasks", "500"))).json["rows"][0]
    check(tested["gdEtas"] == row["gdEtas"] and tested["gd"]["tasks"] == 500, "reproduce multilayer --test-tasks: the fits use the validation tasks only")
    clipped = icl(*(base + few + ("--token-clip", "1"))).json["rows"][0]
    under = icl(*(base + few + ("--token-clip", "1", "--fit-under-clip"))).json["rows"][0]
    check(clipped["gdEtas"] == small["rows"][0]["gdEtas"] and under["gdEtas"] != clipped["gdEtas"],
          "reproduce multilayer --fit-under-clip: the fit under the clip differs")


def reproduce():
    for name, field, extra in [("von-oswald", "trainedLoss", ()), ("gaussian-optimum", "trainedTestError", ()),
                               ("multilayer", None, ("--layers", "1"))]:
        base = ("reproduce", name) + extra + ("--steps", "1", "--json")
        one = icl(*base).json
        more = icl(*(("reproduce", name) + extra + ("--steps", "6", "--json"))).json
        value = (lambda o: o["rows"][0]["trainedLoss"]) if field is None else (lambda o: o[field])  # noqa: E731
        check(more["steps"] == 6 and value(more) < value(one), f"reproduce {name} --steps 6: {value(more)} not below {value(one)} at 1 step")
        with_out = icl(*(base + ("--out", "out")))
        check(mask_timing(with_out.stdout) == mask_timing(icl(*base).stdout) and "out/summary.json" in with_out.files
              and mask_timing(with_out.files["out/summary.json"]).strip() == mask_timing(with_out.stdout).strip(),
              f"reproduce {name} --out: stdout changed, or summary.json is not the JSON")
        check(text_has(icl(*base[:-1]), value(one), 4), f"reproduce {name}: the text output does not show the JSON")
        if name == "multilayer":
            check([r["layers"] for r in one["rows"]] == [1] and len(one["rows"][0]["gdEtas"]) == 1, "reproduce multilayer --layers 1")
    multilayer()
    # aggregate: mean and Student's t interval (t_{0.975, 1} = 12.7062047361747) over two seeds.
    runs = [icl("reproduce", "von-oswald", "--steps", "1", "--seed", str(seed), "--json") for seed in (1, 2)]
    files = {f"s{i}.json": r.stdout.decode() for i, r in enumerate(runs)}
    agg = icl("reproduce", "aggregate", "s0.json", "s1.json", "--json", files=files).json
    a, c = (r.json["gdLoss"] for r in runs)
    mean, sd = (a + c) / 2, abs(a - c) / math.sqrt(2)
    g = agg["metrics"]["gdLoss"]
    check(agg["files"] == 2 and close(g["mean"], mean, 1e-12) and close(g["upper"] - g["mean"], 12.7062047361747 * sd / math.sqrt(2), 1e-9),
          f"reproduce aggregate: gdLoss {g}, expected mean {mean}, half-width {12.7062047361747 * sd / math.sqrt(2)}")
    text = icl("reproduce", "aggregate", "s0.json", "s1.json", files=files)
    check(text_has(text, g["upper"], 6), "reproduce aggregate: the text output does not show the JSON interval")


def bench():
    listed = icl("bench", "--list").stdout.decode().split("\n")
    names = [line.split("\t")[0] for line in listed if line]
    check("train-tasks-von-oswald" in names and len(names) >= 10, "bench --list: scenarios missing")
    one = icl("bench", "--scenario", "train-tasks-von-oswald", "--repeats", "1", "--json").json
    three = icl("bench", "--scenario", "train-tasks-von-oswald", "--repeats", "3", "--json").json
    other = icl("bench", "--scenario", "lsa-forward-batched", "--repeats", "1", "--json").json
    check(one["name"] == three["name"] == "train-tasks-von-oswald" and one["flops"] == three["flops"] and other["name"] == "lsa-forward-batched"
          and other["flops"] != one["flops"], "bench --scenario / --repeats: name or flops")


try:
    for suite in (phen_loss, phen_xi_star, phen_minimize, phen_flow, phen_landscape, phen_sweep, phen_steppers, lang, construct,
                  verify, train, reproduce, bench):
        try:
            suite()
        except Exception as error:  # a missing field or a failed run: the suite fails, the others still run
            check(False, f"{suite.__name__}: {type(error).__name__}: {error}")
finally:
    shutil.rmtree(WORK, ignore_errors=True)

print("options-effect: not seen in a short run: " + "; ".join(f"{k} ({v})" for k, v in UNSEEN.items()))
tally.finish("options-effect")
