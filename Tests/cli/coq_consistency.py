#!/usr/bin/env python3
"""The Coq statements and the Swift code build the same matrices.

Proofs/extract_constructions.py parses the weight Definitions out of Proofs/LSA.v and
evaluates them exactly on an instance; `icl construct --exact --json` prints what the Swift
`Constructions` module builds for the same instance. Every block, sign and scaling must match
entry for entry (exact rationals). Usage: coq_consistency.py ICL INSTANCE.json
"""
import json
import os
import subprocess
import sys
import tempfile

icl, instance = sys.argv[1], sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))
extractor = os.path.join(here, "..", "..", "Proofs", "extract_constructions.py")
coq = json.loads(subprocess.run([sys.executable, extractor, instance], check=True, capture_output=True, text=True).stdout)


def swift(*flags):
    out = subprocess.run([icl, "construct", "--instance", instance, "--exact", "--json", *flags],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["weights"][0]


cases = {"lsa-gd": swift("--no-preconditioner"), "lsa-pgd": swift(), "gd-plus-plus": swift("--gd-plus-plus")}
failures = 0
for theorem, weights in cases.items():
    for name in ("WK", "WQ", "WV", "P"):
        if coq[theorem][name] != weights[name]:
            failures += 1
            print(f"MISMATCH {theorem} {name}:\n  Coq   {coq[theorem][name]}\n  Swift {weights[name]}")
checked = 4 * len(cases)
print(f"coq-consistency: {checked - failures} passed, {failures} failed")
sys.exit(1 if failures else 0)
