#!/usr/bin/env python3
"""Evaluate the weight constructions of the Coq proofs on a concrete instance.

The constructions are PARSED from the Coq source (Proofs/LSA.v), from the
one-line Definitions

    Definition lsa_gd_WV : 'M[F]_(d + dy) := block_mx 0 0 W0 (-1%:M).
    Definition lsa_gd_P : 'M[F]_(d + dy) := (eta / N%:R)%:M.
    ...

so that what is compared with the Swift tool is exactly what the theorems are
about (the theorems are stated with these very Definitions).  Nothing here is
a copy of the constructions.

Usage:
    python3 Proofs/extract_constructions.py INSTANCE.json [--source LSA.v]
        [--eta P/Q] [--gamma P/Q] [--self-test]

INSTANCE.json:
    {"x": [[..], ..]          N rows, each a d-vector (context inputs)
     "y": [[..], ..]          N rows, each a dy-vector (context targets)
     "xQuery": [..]           d-vector
     "W0": [[..], ..]         dy x d (optional; 0 if absent)
     "preconditioner": [[..]] d x d (optional; identity if absent)
     "eta": "3/4", "gamma": "1/5",     (or --eta/--gamma; gamma only for GD++)
     "layers": [{"eta": .., "preconditioner": [[..]]}, ..]   (optional)}
Numbers may be JSON numbers or strings "p/q".

Output (stdout): JSON
    {"lsa-gd": {"WK": [[..]], "WQ": .., "WV": .., "P": ..},
     "lsa-pgd": {...}, "gd-plus-plus": {...}}
plus "lsa-multistep": [{"WK",..}, ..] (one per layer) when "layers" is given.
Every entry is an exact rational string "p/q" or "p" in lowest terms; matrices
are lists of rows of size (d+dy) x (d+dy).

--self-test additionally runs the parsed layers on the instance in exact
arithmetic and checks the theorems' conclusions (lsa-gd, lsa-pgd,
gd-plus-plus, lsa-multistep readout); it reports on stderr and exits 1 on a
mismatch.

Python 3 standard library only.
"""

import argparse
import json
import os
import re
import sys
from fractions import Fraction

THEOREMS = {            # Coq name prefix -> theorem id
    "lsa_gd": "lsa-gd",
    "lsa_pgd": "lsa-pgd",
    "gd_plus_plus": "gd-plus-plus",
    "lsa_multistep": "lsa-multistep",
}
PARTS = ("WK", "WQ", "WV", "P")


class ParseError(Exception):
    pass


# --------------------------------------------------------------------------
# Reading the Definitions out of the Coq source
# --------------------------------------------------------------------------

DEF_RE = re.compile(
    r"^Definition\s+(?P<name>(?:%s)_(?:%s))\s*(?P<args>(?:\([^)]*\)\s*)*)"
    r":\s*'M\[\w+\]_\((?P<split>[^)]*)\)\s*:=\s*(?P<body>.*?)\.\s*$"
    % ("|".join(sorted(THEOREMS, key=len, reverse=True)), "|".join(PARTS)),
    re.MULTILINE,
)


def strip_comments(src):
    """Remove (nested) Coq comments."""
    out, depth, i = [], 0, 0
    while i < len(src):
        if src.startswith("(*", i):
            depth += 1
            i += 2
        elif depth and src.startswith("*)", i):
            depth -= 1
            i += 2
        else:
            if not depth:
                out.append(src[i])
            i += 1
    return "".join(out)


def read_definitions(path):
    with open(path, encoding="utf-8") as f:
        src = strip_comments(f.read())
    defs = {}
    for m in DEF_RE.finditer(src):
        name = m.group("name")
        if name in defs:
            raise ParseError("definition %s appears twice in %s" % (name, path))
        split = [s.strip() for s in m.group("split").split("+")]
        if len(split) != 2:
            raise ParseError("%s: expected a type 'M[F]_(a + b), got %r"
                             % (name, m.group("split")))
        params = re.findall(r"\(\s*(\w+)\s*:\s*nat\s*\)", m.group("args"))
        defs[name] = {"split": split, "params": params,
                      "ast": parse(m.group("body"), name)}
    return defs


# --------------------------------------------------------------------------
# A parser for the restricted expression syntax
#   e ::= e + e | e - e | e * e | e / e | - e | f a1 .. an | a %:M | a %:R
#       | ident | numeral | ( e )
# with Coq's precedences: postfix %:M/%:R > application > unary minus >
# * / > + -  (all binary operators left-associative).
# --------------------------------------------------------------------------

TOKEN_RE = re.compile(r"\s*(?:(%:M|%:R)|([A-Za-z_][A-Za-z0-9_']*)|(\d+)|([-+*/()]))")


def tokenize(text, where):
    toks, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = TOKEN_RE.match(text, pos)
        if not m or m.end() == pos:
            raise ParseError("%s: cannot tokenize at %r" % (where, text[pos:pos + 20]))
        post, ident, num, sym = m.groups()
        if post:
            toks.append(("post", post))
        elif ident:
            toks.append(("id", ident))
        elif num:
            toks.append(("num", int(num)))
        else:
            toks.append(("sym", sym))
        pos = m.end()
    return toks


def parse(text, where):
    toks = tokenize(text, where)
    pos = [0]

    def peek():
        return toks[pos[0]] if pos[0] < len(toks) else (None, None)

    def take(kind=None, val=None):
        t = peek()
        if t[0] is None or (kind and t[0] != kind) or (val is not None and t[1] != val):
            raise ParseError("%s: expected %s %s, got %r" % (where, kind, val, t))
        pos[0] += 1
        return t

    def starts_atom(t):
        return t[0] in ("id", "num") or t == ("sym", "(")

    def primary():
        t = peek()
        if t[0] == "num":
            take()
            return ("num", t[1])
        if t[0] == "id":
            take()
            return ("id", t[1])
        if t == ("sym", "("):
            take()
            e = additive()
            take("sym", ")")
            return e
        raise ParseError("%s: unexpected token %r" % (where, t))

    def postfix():
        e = primary()
        while peek()[0] == "post":
            e = ("scalar_mx" if take()[1] == "%:M" else "nat_r", e)
        return e

    def application():
        head = postfix()
        args = []
        while starts_atom(peek()):
            args.append(postfix())
        if args:
            if head[0] != "id":
                raise ParseError("%s: only identifiers can be applied" % where)
            return ("app", head[1], args)
        return head

    def unary():
        if peek() == ("sym", "-"):
            take()
            return ("neg", unary())
        return application()

    def multiplicative():
        e = unary()
        while peek() in (("sym", "*"), ("sym", "/")):
            op = take()[1]
            e = (op, e, unary())
        return e

    def additive():
        e = multiplicative()
        while peek() in (("sym", "+"), ("sym", "-")):
            op = take()[1]
            e = (op, e, multiplicative())
        return e

    e = additive()
    if pos[0] != len(toks):
        raise ParseError("%s: trailing tokens %r" % (where, toks[pos[0]:]))
    return e


# --------------------------------------------------------------------------
# Exact matrices and evaluation
# --------------------------------------------------------------------------

def zeros(r, c):
    return [[Fraction(0)] * c for _ in range(r)]


def eye(n, s=Fraction(1)):
    return [[s if i == j else Fraction(0) for j in range(n)] for i in range(n)]


def mat_add(a, b, sign=1):
    return [[x + sign * y for x, y in zip(ra, rb)] for ra, rb in zip(a, b)]


def mat_scale(s, a):
    return [[s * x for x in r] for r in a]


def mat_mul(a, b):
    bt = list(zip(*b))
    return [[sum((x * y for x, y in zip(r, c)), Fraction(0)) for c in bt] for r in a]


def transpose(a):
    return [list(c) for c in zip(*a)]


def shape(a):
    return (len(a), len(a[0]) if a else 0)


class Env:
    """Values of the identifiers that may appear in a construction."""

    def __init__(self, dims, scalars, matrices, nats, layer_scalars=None,
                 layer_matrices=None):
        self.dims = dims                      # {"d": .., "dy": ..}
        self.scalars = scalars                # {"eta": Fraction, "gamma": ..}
        self.matrices = matrices              # {"W0": .., "Gamma": ..}
        self.nats = nats                      # {"N": int}
        self.layer_scalars = layer_scalars or {}    # {"eta": [..]}
        self.layer_matrices = layer_matrices or {}  # {"Gam": [..]}
        self.params = {}                      # {"k": int}


def eval_scalar(e, env, where):
    kind = e[0]
    if kind == "num":
        return Fraction(e[1])
    if kind == "id":
        if e[1] in env.scalars:
            return env.scalars[e[1]]
        raise ParseError("%s: unknown scalar %r" % (where, e[1]))
    if kind == "nat_r":
        inner = e[1]
        if inner[0] == "num":
            return Fraction(inner[1])
        if inner[0] == "id" and inner[1] in env.nats:
            return Fraction(env.nats[inner[1]])
        raise ParseError("%s: cannot read %r as a nat" % (where, inner))
    if kind == "app":
        name, args = e[1], e[2]
        if name in env.layer_scalars and len(args) == 1 and args[0][0] == "id" \
                and args[0][1] in env.params:
            return env.layer_scalars[name][env.params[args[0][1]]]
        raise ParseError("%s: unknown scalar application %r" % (where, e))
    if kind == "neg":
        return -eval_scalar(e[1], env, where)
    if kind in "+-*/":
        a, b = eval_scalar(e[1], env, where), eval_scalar(e[2], env, where)
        if kind == "+":
            return a + b
        if kind == "-":
            return a - b
        if kind == "*":
            return a * b
        # mathcomp: x / y = x * y^-1 with 0^-1 = 0.
        return a / b if b != 0 else Fraction(0)
    raise ParseError("%s: %r is not a scalar expression" % (where, e))


def eval_matrix(e, rows, cols, env, where, split=None):
    kind = e[0]
    if kind == "num":
        if e[1] == 0:
            return zeros(rows, cols)
        if rows != cols:
            raise ParseError("%s: numeral %d as a non-square matrix" % (where, e[1]))
        return eye(rows, Fraction(e[1]))
    if kind == "scalar_mx":
        if rows != cols:
            raise ParseError("%s: scalar matrix of non-square shape" % where)
        return eye(rows, eval_scalar(e[1], env, where))
    if kind == "id":
        if e[1] in env.matrices:
            m = env.matrices[e[1]]
        else:
            raise ParseError("%s: unknown matrix %r" % (where, e[1]))
        if shape(m) != (rows, cols):
            raise ParseError("%s: %s has shape %s, block needs %s"
                             % (where, e[1], shape(m), (rows, cols)))
        return m
    if kind == "app":
        name, args = e[1], e[2]
        if name == "block_mx":
            if len(args) != 4 or split is None:
                raise ParseError("%s: block_mx needs 4 blocks and a d + dy type" % where)
            r1, r2 = split
            c1, c2 = split
            if r1 + r2 != rows or c1 + c2 != cols:
                raise ParseError("%s: block sizes do not add up" % where)
            ul = eval_matrix(args[0], r1, c1, env, where)
            ur = eval_matrix(args[1], r1, c2, env, where)
            dl = eval_matrix(args[2], r2, c1, env, where)
            dr = eval_matrix(args[3], r2, c2, env, where)
            return [a + b for a, b in zip(ul, ur)] + [a + b for a, b in zip(dl, dr)]
        if name in env.layer_matrices and len(args) == 1 and args[0][0] == "id" \
                and args[0][1] in env.params:
            m = env.layer_matrices[name][env.params[args[0][1]]]
            if shape(m) != (rows, cols):
                raise ParseError("%s: %s has shape %s, block needs %s"
                                 % (where, name, shape(m), (rows, cols)))
            return m
        raise ParseError("%s: unknown matrix application %r" % (where, e))
    if kind == "neg":
        return mat_scale(Fraction(-1), eval_matrix(e[1], rows, cols, env, where, split))
    if kind in ("+", "-"):
        a = eval_matrix(e[1], rows, cols, env, where, split)
        b = eval_matrix(e[2], rows, cols, env, where, split)
        return mat_add(a, b, 1 if kind == "+" else -1)
    raise ParseError("%s: %r is not a matrix expression" % (where, e))


def evaluate(defs, prefix, env):
    """The four matrices of one theorem, each (d+dy) x (d+dy)."""
    out = {}
    for part in PARTS:
        name = "%s_%s" % (prefix, part)
        if name not in defs:
            raise ParseError("definition %s not found in the Coq source" % name)
        info = defs[name]
        try:
            split = tuple(env.dims[s] for s in info["split"])
        except KeyError as exc:
            raise ParseError("%s: unknown dimension %s" % (name, exc))
        n = sum(split)
        out[part] = eval_matrix(info["ast"], n, n, env, name, split)
    return out


# --------------------------------------------------------------------------
# Instance input, JSON output
# --------------------------------------------------------------------------

def num(v, what):
    if isinstance(v, bool):
        raise ValueError("%s: booleans are not numbers" % what)
    if isinstance(v, int):
        return Fraction(v)
    if isinstance(v, float):
        return Fraction(repr(v))
    if isinstance(v, str):
        return Fraction(v.strip())
    raise ValueError("%s: expected a number or a string 'p/q', got %r" % (what, v))


def matrix(v, what, rows=None, cols=None):
    if not isinstance(v, list) or not v or not all(isinstance(r, list) for r in v):
        raise ValueError("%s: expected a non-empty list of rows" % what)
    m = [[num(x, what) for x in r] for r in v]
    if len({len(r) for r in m}) != 1:
        raise ValueError("%s: rows of different lengths" % what)
    if rows is not None and len(m) != rows or cols is not None and len(m[0]) != cols:
        raise ValueError("%s: expected %s x %s, got %d x %d"
                         % (what, rows, cols, len(m), len(m[0])))
    return m


def fmt(q):
    return str(q)   # Fraction prints "p/q" in lowest terms, or "p"


def fmt_matrix(m):
    return [[fmt(x) for x in r] for r in m]


def dump(obj, indent=0):
    """JSON with one matrix row per line."""
    pad = "  " * indent
    if isinstance(obj, dict):
        items = ['%s  %s: %s' % (pad, json.dumps(k), dump(v, indent + 1))
                 for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list) and obj and isinstance(obj[0], list):
        rows = ['%s  %s' % (pad, json.dumps(r)) for r in obj]
        return "[\n" + ",\n".join(rows) + "\n" + pad + "]"
    if isinstance(obj, list) and obj and isinstance(obj[0], dict):
        items = ['%s  %s' % (pad, dump(v, indent + 1)) for v in obj]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(obj)


def load_instance(path, overrides):
    with open(path, encoding="utf-8") as f:
        inst = json.load(f)
    X_rows = matrix(inst["x"], "x")
    N, d = len(X_rows), len(X_rows[0])
    Y_rows = matrix(inst["y"], "y", rows=N)
    dy = len(Y_rows[0])
    if inst.get("W0") is not None:
        W0 = matrix(inst["W0"], "W0", rows=dy, cols=d)
    else:
        print("note: no W0 given; W0 = 0", file=sys.stderr)
        W0 = zeros(dy, d)
    xq = [num(v, "xQuery") for v in inst["xQuery"]]
    if len(xq) != d:
        raise ValueError("xQuery: expected %d entries" % d)
    if "preconditioner" in inst and inst["preconditioner"] is not None:
        Gamma = matrix(inst["preconditioner"], "preconditioner", rows=d, cols=d)
    else:
        print("note: no preconditioner given; lsa-pgd uses Gamma = I", file=sys.stderr)
        Gamma = eye(d)
    if overrides.get("eta") is not None:
        inst["eta"] = overrides["eta"]
    if overrides.get("gamma") is not None:
        inst["gamma"] = overrides["gamma"]
    if "eta" not in inst:
        raise ValueError("eta: give it in the instance or with --eta")
    eta = num(inst["eta"], "eta")
    gamma = num(inst["gamma"], "gamma") if "gamma" in inst else None
    layers = None
    if inst.get("layers"):
        layers = []
        for i, L in enumerate(inst["layers"]):
            layers.append({
                "eta": num(L["eta"], "layers[%d].eta" % i),
                "Gamma": matrix(L["preconditioner"], "layers[%d].preconditioner" % i,
                                rows=d, cols=d) if L.get("preconditioner") else eye(d),
            })
    return dict(X=transpose(X_rows), Y=transpose(Y_rows), N=N, d=d, dy=dy, W0=W0,
                xq=[[v] for v in xq], Gamma=Gamma, eta=eta, gamma=gamma, layers=layers)


def build(defs, I):
    dims = {"d": I["d"], "dy": I["dy"]}
    nats = {"N": I["N"]}
    result = {}
    scal = {"eta": I["eta"]}
    if I["gamma"] is not None:
        scal["gamma"] = I["gamma"]
    env = Env(dims, scal, {"W0": I["W0"], "Gamma": I["Gamma"]}, nats)
    for prefix in ("lsa_gd", "lsa_pgd", "gd_plus_plus"):
        if prefix == "gd_plus_plus" and I["gamma"] is None:
            print("note: no gamma given; gd-plus-plus omitted", file=sys.stderr)
            continue
        result[THEOREMS[prefix]] = evaluate(defs, prefix, env)
    if I["layers"]:
        lenv = Env(dims, {}, {"W0": I["W0"]}, nats,
                   layer_scalars={"eta": [L["eta"] for L in I["layers"]]},
                   layer_matrices={"Gam": [L["Gamma"] for L in I["layers"]]})
        per_layer = []
        for k in range(len(I["layers"])):
            for part in PARTS:
                params = defs.get("lsa_multistep_" + part, {}).get("params", [])
                if params != ["k"]:
                    raise ParseError("lsa_multistep_%s: expected one parameter (k : nat)" % part)
            lenv.params = {"k": k}
            per_layer.append(evaluate(defs, "lsa_multistep", lenv))
        result["lsa-multistep"] = per_layer
    return result


# --------------------------------------------------------------------------
# Self-test: run the parsed layers exactly and check the theorems' claims
# --------------------------------------------------------------------------

def lsa(W, E, Z):
    """Z + P WV E (E^T WK^T WQ Z)  (REFERENCE.md section 1)."""
    A = mat_mul(mat_mul(W["P"], W["WV"]), E)
    S = mat_mul(mat_mul(transpose(E), transpose(W["WK"])), mat_mul(W["WQ"], Z))
    return mat_add(Z, mat_mul(A, S))


def col_mx(a, b):
    return [list(r) for r in a] + [list(r) for r in b]


def grad(I, W):
    """grad L(W) = (1/N) (W X - Y) X^T."""
    R = mat_add(mat_mul(W, I["X"]), I["Y"], -1)
    return mat_scale(Fraction(1, I["N"]), mat_mul(R, transpose(I["X"])))


def self_test(I, res):
    d, X, Y, W0, xq = I["d"], I["X"], I["Y"], I["W0"], I["xq"]
    E = col_mx(X, Y)
    Zq = col_mx(xq, mat_scale(Fraction(-1), mat_mul(W0, xq)))
    Zall = [rE + rq for rE, rq in zip(E, Zq)]          # context + query columns
    checks = []
    for tid, G in (("lsa-gd", eye(d)), ("lsa-pgd", I["Gamma"])):
        if tid not in res:
            continue
        dW = mat_scale(-I["eta"], mat_mul(grad(I, W0), G))
        out = lsa(res[tid], E, Zall)
        Xz = [r for r in Zall[:d]]
        Yz = [r for r in Zall[d:]]
        want = col_mx(Xz, mat_add(Yz, mat_mul(dW, Xz), -1))
        checks.append((tid, out == want))
    if "gd-plus-plus" in res:
        dW = mat_scale(-I["eta"], grad(I, W0))
        out = lsa(res["gd-plus-plus"], E, Zall)
        Xz, Yz = Zall[:d], Zall[d:]
        Mx = mat_add(eye(d), mat_scale(I["gamma"], mat_mul(X, transpose(X))), -1)
        want = col_mx(mat_mul(Mx, Xz), mat_add(Yz, mat_mul(dW, Xz), -1))
        checks.append(("gd-plus-plus", out == want))
    if "lsa-multistep" in res:
        ctx, q, W = E, Zq, W0
        for k, Wk in enumerate(res["lsa-multistep"]):
            ctx, q = lsa(Wk, ctx, ctx), lsa(Wk, ctx, q)
            W = mat_add(W, mat_scale(I["layers"][k]["eta"],
                                     mat_mul(grad(I, W), I["layers"][k]["Gamma"])), -1)
        pred = mat_scale(Fraction(-1), q[d:])
        checks.append(("lsa-multistep", pred == mat_mul(W, xq)))
    ok = True
    for tid, good in checks:
        print("self-test %-14s %s" % (tid, "OK" if good else "MISMATCH"), file=sys.stderr)
        ok = ok and good
    return ok


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("instance", help="instance JSON file")
    ap.add_argument("--source", default=os.path.join(here, "LSA.v"),
                    help="Coq file with the constructions (default: LSA.v beside this script)")
    ap.add_argument("--eta", help="learning rate (overrides the instance's eta), e.g. 3/4")
    ap.add_argument("--gamma", help="GD++ gamma (overrides the instance's gamma)")
    ap.add_argument("--self-test", action="store_true",
                    help="also check the theorems' conclusions on the instance")
    args = ap.parse_args(argv)
    try:
        defs = read_definitions(args.source)
        I = load_instance(args.instance, {"eta": args.eta, "gamma": args.gamma})
        res = build(defs, I)
    except (ParseError, ValueError, KeyError, OSError, json.JSONDecodeError) as exc:
        print("extract_constructions: error: %s" % exc, file=sys.stderr)
        return 2
    out = {}
    for tid, W in res.items():
        if tid == "lsa-multistep":
            out[tid] = [{p: fmt_matrix(L[p]) for p in PARTS} for L in W]
        else:
            out[tid] = {p: fmt_matrix(W[p]) for p in PARTS}
    sys.stdout.write(dump(out) + "\n")
    if args.self_test and not self_test(I, res):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
