#!/usr/bin/env python3
"""`icl validate` and `--junit` end to end, on models trained by other tools and by `icl` itself:

- a model `icl reproduce von-oswald` trained and saved: `icl validate` of its model.safetensors
  prints the numbers the reproduction printed (eta*, GD loss, trained loss, preds diff, model cos,
  model diff), to the last digit, on the same tasks (same seed);
- von Oswald et al.'s own Haiku code, trained 4000 Adam steps (Fixtures/validate/vonoswald), in
  .npz, compressed .npz and safetensors: model cos above 0.99, trained loss within 1% of the
  least-squares GD loss, the same numbers from all three files, `--require` holds (exit 0);
- random weights: low model cos, loss far from GD's, `--require modelCos>=0.99` exits 1 and
  names the requirement, the JUnit file (read by xml.etree) has one failure;
- `icl verify --junit`: one test case per theorem, none failed;
- `--out`: report.html holds one heatmap per learned/constructed pair (2 per layer and head),
  summary.json equals the --json output.

Usage: python3 Tests/cli/validate.py ICL   (prints 'validate: N passed, M failed')
"""
import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_runs import Tally  # noqa: E402

ICL = os.path.abspath(sys.argv[1])
FIX = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Fixtures", "validate")
tally = Tally()
check = tally.check


def icl(*args, code=0):
    p = subprocess.run([ICL, *args], capture_output=True, text=True, timeout=600)
    if p.returncode != code:
        sys.exit(f"icl {' '.join(args)} exited {p.returncode}, expected {code}: {p.stderr}")
    return p


work = tempfile.mkdtemp(prefix="icl-validate-")

# 1. icl's own model: validate reproduces the reproduction's numbers exactly.
run = os.path.join(work, "vo")
rep = json.loads(icl("reproduce", "von-oswald", "--steps", "300", "--seed", "3", "--out", run, "--json").stdout)
val = json.loads(icl("validate", "--weights", os.path.join(run, "model.safetensors"), "--seed", "3", "--json").stdout)
for ours, theirs in [("etaStar", "etaStar"), ("constructionLoss", "gdLoss"), ("trainedLoss", "trainedLoss"), ("predsDiff", "predsDiff"),
                     ("modelCos", "modelCos"), ("modelDiff", "modelDiff"), ("zeroLoss", "zeroLoss")]:
    check(val[ours] == rep[theirs], f"validate {ours} {val[ours]!r} == reproduce {theirs} {rep[theirs]!r}")
check(val["layout"] == "documented" and val["format"] == "safetensors" and val["N"] == 10 and val["d"] == 10, f"icl model read as {val['layout']}")
# Another seed draws other tasks: the numbers differ (the comparison above has teeth).
other = json.loads(icl("validate", "--weights", os.path.join(run, "model.safetensors"), "--seed", "4", "--json").stdout)
check(other["trainedLoss"] != rep["trainedLoss"], "another seed gives another trained loss")

# 2. von Oswald et al.'s code, three files.
reports = []
for f in ["params.npz", "params_compressed.npz", "params.safetensors"]:
    p = icl("validate", "--weights", os.path.join(FIX, "vonoswald", f), "--json", "--require", "modelCos>=0.99",
            "--require", "trainedLoss<=1.01*constructionLoss")
    r = json.loads(p.stdout)
    reports.append(r)
    check(r["layout"] == "von-oswald-haiku", f"{f}: layout {r['layout']}")
    check(r["modelCos"] > 0.99, f"{f}: model cos {r['modelCos']} > 0.99")
    check(abs(r["trainedLoss"] / r["constructionLoss"] - 1) < 0.01, f"{f}: trained {r['trainedLoss']} within 1% of GD {r['constructionLoss']}")
    check(r["matches"] and r["verdict"].startswith("implements one GD step at eta*"), f"{f}: verdict {r['verdict']}")
    check(all(q["holds"] for q in r["requirements"]) and len(r["requirements"]) == 2, f"{f}: requirements {r['requirements']}")
    check(r["preconditionerError"] < 0.1, f"{f}: Gamma_eff within 10% of eta* I ({r['preconditionerError']})")
keys = ["trainedLoss", "constructionLoss", "modelCos", "predsDiff", "modelDiff"]
check(all([r[k] for k in keys] == [reports[0][k] for k in keys] for r in reports), "the three files give the same numbers")

# 3. random weights: the gate fails, named, exit 1; JUnit shows the failure.
junit = os.path.join(work, "random.xml")
p = icl("validate", "--weights", os.path.join(FIX, "torch", "random_f32.safetensors"), "--json", "--require", "modelCos>=0.99",
        "--require", "zeroLoss>0", "--junit", junit, code=1)
r = json.loads(p.stdout)
check(r["modelCos"] < 0.5 and r["trainedLoss"] > 1.5 * r["constructionLoss"], f"random: cos {r['modelCos']}, loss {r['trainedLoss']}")
check(not r["matches"] and "has not learned" in r["verdict"] or "does not implement" in r["verdict"], f"random verdict: {r['verdict']}")
check(p.stderr.strip().splitlines()[-1].startswith("error: requirements failed: modelCos>=0.99"), f"stderr names the requirement: {p.stderr!r}")
suite = ET.parse(junit).getroot().find("testsuite")
cases = suite.findall("testcase")
check(suite.get("tests") == "2" and suite.get("failures") == "1", f"junit counts {suite.attrib}")
check([c.get("name") for c in cases if c.find("failure") is not None] == ["modelCos>=0.99"], "junit: the failed case is modelCos>=0.99")

# 4. verify --junit: one case per theorem.
vj = os.path.join(work, "verify.xml")
v = json.loads(icl("verify", "--instances", "3", "--json", "--junit", vj).stdout)
vs = ET.parse(vj).getroot().find("testsuite")
check(sorted(c.get("name") for c in vs.findall("testcase")) == sorted(t["theorem"] for t in v["results"]), "verify junit: one case per theorem")
check(vs.get("failures") == "0" and len(v["results"]) >= 7, f"verify junit: {vs.attrib}")

# 5. --out: the page and the summary.
out = os.path.join(work, "page")
p = icl("validate", "--weights", os.path.join(FIX, "torch", "two_layer_two_head.safetensors"), "--heads", "2", "--N", "5", "--tasks", "500",
        "--out", out, "--json")
r = json.loads(p.stdout)
html = open(os.path.join(out, "report.html")).read()
check(html.count("<svg") == 2 * 2 * 2 and r["layers"] == 2 and r["heads"] == 2, f"report.html: {html.count('<svg')} figures for 2 layers x 2 heads")
check(json.load(open(os.path.join(out, "summary.json"))) == r, "summary.json equals --json")
check(r["readOffEtas"] is not None and len(r["readOffEtas"]) == 2, "two layers: read-off steps")

# 6. Gaussian inputs: Gamma_eff read off the file against Gamma_0 is the number gaussian-optimum reported for that model.
go = os.path.join(work, "go")
g = json.loads(icl("reproduce", "gaussian-optimum", "--steps", "100", "--out", go, "--json").stdout)
iso = next(c for c in g["cases"] if c["name"] == "isotropic")
r = json.loads(icl("validate", "--weights", os.path.join(go, "model-isotropic.safetensors"), "--input", "gaussian", "--json").stdout)
check(r["preconditionerError"] == iso["gammaRelativeError"] and r["d"] == 5 and r["N"] == 20,
      f"gaussian: {r['preconditionerError']!r} == {iso['gammaRelativeError']!r} (d {r['d']}, N {r['N']} from the metadata)")
check(r["preconditionerReference"] == iso["gamma0"], "gaussian: the reference is Gamma_0")

# 7. Layout flags change what is read: --layers repeats Haiku's shared block, --query-in-context makes the query a key.
vo_npz = os.path.join(FIX, "vonoswald", "params.npz")
two = json.loads(icl("validate", "--weights", vo_npz, "--layers", "2", "--tasks", "1000", "--json").stdout)
check(two["layers"] == 2 and len(two["readOffEtas"]) == 2 and two["readOffEtas"][0] == two["readOffEtas"][1], f"--layers 2: {two['layers']} layers")
one = json.loads(icl("validate", "--weights", vo_npz, "--tasks", "1000", "--json").stdout)
qic = json.loads(icl("validate", "--weights", vo_npz, "--tasks", "1000", "--query-in-context", "--json").stdout)
check(qic["queryInContext"] and qic["trainedLoss"] != one["trainedLoss"] and qic["constructionLoss"] == one["constructionLoss"],
      "--query-in-context changes the model's loss, not the construction's")

# 8. One-character output names (Foundation's deletingLastPathComponent traps on them; icl must not).
p = subprocess.run([ICL, "validate", "--weights", vo_npz, "--tasks", "100", "--out", "q", "--junit", "j"], cwd=work, capture_output=True, text=True)
check(p.returncode == 0 and os.path.exists(os.path.join(work, "q", "report.html")) and os.path.exists(os.path.join(work, "j")),
      f"--out q --junit j: exit {p.returncode} {p.stderr[-200:]!r}")

tally.finish("validate")
