#!/usr/bin/env bash
# Command-line contract of `icl`: exit codes (0 held, 1 failed, 2 bad input), one clear
# message on bad input, JSON a program can parse, shards that add up. Usage: cli_tests.sh ICL
set -u
ICL=$1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
ok()   { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

# expect CODE PATTERN -- command...: exit code CODE and stderr+stdout matching PATTERN
expect() {
  local code=$1 pattern=$2; shift 3
  local out; out=$("$@" 2>&1); local got=$?
  if [ "$got" -ne "$code" ]; then fail "$* exited $got, expected $code: $out"; return; fi
  if ! grep -qiE -- "$pattern" <<<"$out"; then fail "$* output lacks /$pattern/: $out"; return; fi
  ok
}

cat > "$tmp/task.json" <<'JSON'
{"x": [[1, 0.5], [-0.25, 2], [0.75, -1]], "y": [[1], [-2], [0.5]], "xQuery": [0.3, -0.7], "W0": [[0.5, -0.25]]}
JSON
echo '{"x": [[1, 2], [3]], "y": [[1], [2]], "xQuery": [1, 2]}' > "$tmp/ragged.json"
echo '{"x": [[1, 2]], "y": [[1], [2]], "xQuery": [1, 2]}' > "$tmp/mismatch.json"
echo '{"x": [], "y": [], "xQuery": []}' > "$tmp/empty.json"
echo '{"x": [[1, "nan"]], "y": [[1]], "xQuery": [1, 2]}' > "$tmp/nan.json"
echo '{"x": [[1, 2]], "y": [[1]], "xQuery": [1, 2], "W0": [[1, 2, 3]]}' > "$tmp/badw0.json"
echo '{"x": [[1, 2]], "y": [[1]], "xQuery": [1]}' > "$tmp/badquery.json"
echo '{"x": [[1, 2]' > "$tmp/malformed.json"

# verify: success, JSON shape, failures of input
expect 0 "all checks held" -- "$ICL" verify --instances 20
expect 0 '"passed" : true' -- "$ICL" verify --instances 5 --theorem lsa-gd --exact --json
expect 2 "instances must be at least 1" -- "$ICL" verify --instances 0
expect 2 "invalid for .--shard <i/n>" -- "$ICL" verify --shard 3/2
expect 2 "invalid for .--shard <i/n>" -- "$ICL" verify --shard abc
expect 2 "invalid for .--theorem <theorem>.. Please provide one of" -- "$ICL" verify --theorem lsa-magic
expect 2 "instances" -- "$ICL" verify --instances many

# shards are disjoint and add up to the whole run
for i in 0 1 2; do "$ICL" verify --instances 30 --shard $i/3 --json > "$tmp/s$i.json"; done
"$ICL" verify --instances 30 --json > "$tmp/whole.json"
if python3 - "$tmp" <<'PY'
import json, subprocess, sys
tmp = sys.argv[1]
whole = json.load(open(f"{tmp}/whole.json"))
shards = [json.load(open(f"{tmp}/s{i}.json")) for i in range(3)]
for k, row in enumerate(whole["results"]):
    parts = [s["results"][k] for s in shards]
    assert sum(p["instances"] for p in parts) == row["instances"] == 30, row
    assert max(p["maxError"] for p in parts) == row["maxError"], (row, parts)
PY
then ok; else fail "shards do not add up to the whole run"; fi
expect 0 '"instances" : 30' -- "$ICL" merge "$tmp/s0.json" "$tmp/s1.json" "$tmp/s2.json" --json
# a shard of an earlier version (no "instanceDraws": polar normals) drew other instances
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); del r["instanceDraws"]; json.dump(r, open(sys.argv[2], "w"))' \
  "$tmp/s2.json" "$tmp/s2-old.json"
expect 2 "drew their instances by different schemes" -- "$ICL" merge "$tmp/s0.json" "$tmp/s1.json" "$tmp/s2-old.json"
expect 2 "is not a verify report in JSON" -- "$ICL" merge "$tmp/task.json"
expect 2 "cannot read" -- "$ICL" merge "$tmp/none.json"
# `icl verify merge` is the command's place; `icl merge`, its former name, prints the same bytes
"$ICL" merge "$tmp/s0.json" "$tmp/s1.json" "$tmp/s2.json" --json > "$tmp/merged-old.json"
"$ICL" verify merge "$tmp/s0.json" "$tmp/s1.json" "$tmp/s2.json" --json > "$tmp/merged.json"
if cmp -s "$tmp/merged.json" "$tmp/merged-old.json" && grep -q '"instances" : 30' "$tmp/merged.json"; then ok; else fail "verify merge --json differs from merge --json"; fi
expect 0 "all checks held" -- "$ICL" verify merge "$tmp/s0.json" "$tmp/s1.json" "$tmp/s2.json"
expect 2 "drew their instances by different schemes" -- "$ICL" verify merge "$tmp/s0.json" "$tmp/s1.json" "$tmp/s2-old.json"
expect 2 "missing|shard" -- "$ICL" verify merge "$tmp/s0.json" "$tmp/s1.json"
expect 2 "takes JSON files and --json; --theorem, --instances, --seed" -- "$ICL" verify merge "$tmp/s0.json" --seed 3
expect 2 "cannot read" -- "$ICL" verify merge "$tmp/none.json"
if ! COLUMNS=400 "$ICL" --help | grep -qE '^ +(merge|aggregate) '; then ok; else fail "icl --help lists the former names merge/aggregate"; fi

# construct: both predictions agree; bad input names the problem
out=$("$ICL" construct --instance "$tmp/task.json" --eta 1/2 --exact --json)
if python3 -c 'import json,sys; p=json.loads(sys.argv[1])["prediction"]; assert p["lsa"]==p["gd"], p' "$out"; then ok; else fail "construct: LSA and GD predictions differ: $out"; fi
expect 0 '"WK"' -- "$ICL" construct --instance "$tmp/task.json" --layers 3 --json
expect 2 "no such file" -- "$ICL" construct --instance "$tmp/missing.json"
expect 2 "not valid JSON" -- "$ICL" construct --instance "$tmp/malformed.json"
expect 2 "ragged" -- "$ICL" construct --instance "$tmp/ragged.json"
expect 2 "y has 2 rows but x has 1" -- "$ICL" construct --instance "$tmp/mismatch.json"
expect 2 "N = 0" -- "$ICL" construct --instance "$tmp/empty.json"
expect 2 "not a number" -- "$ICL" construct --instance "$tmp/nan.json"
expect 2 "W0 is 1 x 3, expected" -- "$ICL" construct --instance "$tmp/badw0.json"
expect 2 "xQuery has 1 entries" -- "$ICL" construct --instance "$tmp/badquery.json"
expect 2 "eta must be a nonzero" -- "$ICL" construct --instance "$tmp/task.json" --eta 0
expect 2 "layers must be in" -- "$ICL" construct --instance "$tmp/task.json" --layers 0
expect 2 "needs gamma" -- "$ICL" construct --instance "$tmp/task.json" --gd-plus-plus
expect 0 "USAGE" -- "$ICL" verify --help

# phen: the loss at the origin is chance; bad input exits 2 and writes nothing
out=$("$ICL" phen loss --N 8 --L 32 --beta 0 --alpha 0 --xi 0 --json)
if python3 -c 'import json,math,sys; r=json.loads(sys.argv[1]); assert abs(r["loss"]-math.log(32))<1e-12, r; assert set(r["gradient"])=={"beta","alpha","xi"}; assert len(r["hessian"])==3' "$out"; then ok; else fail "phen loss JSON: $out"; fi
expect 2 "L must be >= N" -- "$ICL" phen loss --N 8 --L 4
expect 0 '"cliffTime"' -- "$ICL" phen flow --N 4 --L 16 --out "$tmp/flow" --json
if [ -s "$tmp/flow/trajectory.csv" ] && [ -s "$tmp/flow/flow.svg" ] && [ -s "$tmp/flow/summary.json" ]; then ok; else fail "phen flow did not write its three files"; fi
expect 0 "wrote" -- "$ICL" phen landscape --N 8 --L 32 --axes alpha,xi --fix beta=2 --grid 12 --out "$tmp/land"
echo x > "$tmp/afile"
expect 2 "cannot create the output directory" -- "$ICL" phen landscape --N 8 --L 32 --axes alpha,xi --fix beta=2 --grid 12 --out "$tmp/afile/sub"
expect 2 "L must be >= N" -- "$ICL" phen flow --N 8 --L 4 --out "$tmp/never"
if [ ! -e "$tmp/never" ]; then ok; else fail "a rejected phen flow left $tmp/never behind"; fi

# typed options: every form of a number a user types; non-finite or out-of-range values refused
expect 0 '"alpha" : -650' -- "$ICL" phen loss --alpha -650 --json
expect 0 '"beta" : 0.5' -- "$ICL" phen loss --beta .5 --xi 1e-3 --json
for bad in nan inf 1e400 1e-400 abc ""; do
  expect 2 "invalid for '--xi <xi>'" -- "$ICL" phen loss --xi "$bad"
done
expect 0 '"alpha" : 0' -- "$ICL" phen loss --alpha 0.0e0 --json
expect 0 'y +9.99988867' -- "$ICL" phen loss --y 1e-320   # a subnormal input formats (found by Tests/cli/fuzz_args.py)
expect 2 "invalid for '--init" -- "$ICL" phen flow --init alpha=1,alpha=2
expect 2 "invalid for '--axes" -- "$ICL" phen landscape --axes xi,xi --out "$tmp/never2"
expect 2 "invalid for '--box <lo:hi>'" -- "$ICL" phen minimize --box 5:-5
expect 2 "invalid for '--N <2,4,8>'" -- "$ICL" phen sweep --N 2,0
expect 0 '^[0-9]+\.[0-9]+\.[0-9]+$' -- "$ICL" --version
# one vocabulary: under the direct map the first coordinate is y in the CSV header, the SVG and the JSON
expect 0 '"axes" : \[\s*$' -- "$ICL" phen landscape --N 8 --L 32 --y-map direct --axes beta,xi --fix alpha=1 --grid 5 --out "$tmp/direct" --json
if head -1 "$tmp/direct/landscape.csv" | grep -qx 'y,xi,alpha,loss' && grep -q '>y</text>' "$tmp/direct/landscape.svg"; then ok; else fail "direct map: header $(head -1 "$tmp/direct/landscape.csv")"; fi
# lang: minimal DFAs and exact counts of the study's languages, samples with checked labels, bad input exits 2
out=$("$ICL" lang count --regex '(ab[c])*' --max-length 20 --json)
if python3 -c 'import json,sys; c=json.loads(sys.argv[1])["counts"]; assert c[20]==114 and c[:7]==[1,0,1,1,1,2,2], c' "$out"; then ok; else fail "lang count (ab[c])*: $out"; fi
out=$("$ICL" lang count --regex '((a|b)c)*' --max-length 200 --json)
if python3 -c 'import json,sys; c=json.loads(sys.argv[1])["counts"]; assert c[20]==1024 and c[106]==2**53 and c[108]==str(2**54) and c[200]==str(2**100), c[100:110]' "$out"; then ok; else fail "lang count: numbers above 2^53 must be strings: $out"; fi
expect 0 '^20 +20$' -- "$ICL" lang count --regex 'a*bc*' --max-length 20
out=$("$ICL" lang dfa --regex '(ab[c])*' --json)
if python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert (d["states"], d["start"], d["accepting"], d["alphabet"], d["dead"]) == (4, 0, [0, 3], "abc", 2), d; assert d["transitions"][3] == {"a": 1, "b": 2, "c": 0}, d' "$out"; then ok; else fail "lang dfa (ab[c])*: $out"; fi
expect 0 '3 states' -- "$ICL" lang dfa --regex 'a*bc*'
expect 0 '256 states' -- "$ICL" lang dfa --regex '(a|b)*a(a|b)(a|b)(a|b)(a|b)(a|b)(a|b)(a|b)'
expect 0 'digraph' -- "$ICL" lang dfa --regex '((a|b)c)*' --dot
"$ICL" lang sample --regex 'a*bc*' --lengths 1..20 --count 200 --negatives hard --seed 5 --json > "$tmp/hard.jsonl"
if python3 - "$tmp/hard.jsonl" <<'PY'
import json, re, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
assert len(rows) == 400, len(rows)
for i, r in enumerate(rows):
    assert r["member"] == (i % 2 == 0) == bool(re.fullmatch("a*bc*", r["string"])), r
    assert 1 <= len(r["string"]) <= 20, r
    assert r["member"] or r["edit"] in ("substitution", "insertion", "deletion"), r
PY
then ok; else fail "lang sample --negatives hard: labels or lengths wrong"; fi
a=$("$ICL" lang sample --regex '(ab[c])*' --length 12 --count 50 --negatives uniform --seed 9 --json)
b=$("$ICL" lang sample --regex '(ab[c])*' --length 12 --count 50 --negatives uniform --seed 9 --json)
if [ "$a" = "$b" ] && [ "$(wc -l <<<"$a")" -eq 100 ]; then ok; else fail "lang sample is not reproducible from its seed"; fi
expect 2 "position 4: expected a literal or '\\('" -- "$ICL" lang dfa --regex 'a(b|'
expect 2 "invalid for '--alphabet <alphabet>': it is empty" -- "$ICL" lang count --regex 'ab' --alphabet '' --max-length 3
expect 2 "letter 'd' is not in the alphabet abc" -- "$ICL" lang dfa --regex 'abd' --alphabet abc
expect 2 "has no member of that length" -- "$ICL" lang sample --regex '((a|b)c)*' --length 3 --count 5
expect 2 "has no non-member" -- "$ICL" lang sample --regex '(a|b)*' --length 3 --count 5 --negatives uniform
expect 2 "count must be in 1...10000000, got 0" -- "$ICL" lang sample --regex 'a*bc*' --length 3 --count 0
expect 2 "max-length must be in 0...10000, got 20000" -- "$ICL" lang count --regex 'a' --max-length 20000
expect 2 "give --length n or --lengths a..b" -- "$ICL" lang sample --regex 'a' --count 1
expect 2 "invalid for '--edits <edits>'" -- "$ICL" lang sample --regex 'a*bc*' --length 3 --count 2 --negatives hard --edits insertion,insertion

# train: a tiny run learns and writes its files; --resume continues bit for bit; bad input exits 2 and writes nothing
expect 0 '"validationLoss"' -- "$ICL" train --d 2 --N 6 --layers 2 --batch 64 --steps 60 --lr 1e-2 --out "$tmp/t1" --json
for f in config.json metrics.jsonl summary.json checkpoint/model.safetensors checkpoint/state.json; do
  if [ -s "$tmp/t1/$f" ]; then ok; else fail "train did not write $f"; fi
done
if python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert s["validationLoss"] < s["zeroPredictorLoss"], s' "$tmp/t1/summary.json"; then ok; else fail "a tiny run did not beat the zero predictor"; fi
"$ICL" train --d 2 --N 6 --layers 2 --batch 64 --steps 120 --lr 1e-2 --out "$tmp/t2" --json > /dev/null 2>&1
"$ICL" train --d 2 --N 6 --layers 2 --batch 64 --steps 120 --lr 1e-2 --out "$tmp/t1" --resume --json > /dev/null 2>&1
if cmp -s "$tmp/t1/checkpoint/model.safetensors" "$tmp/t2/checkpoint/model.safetensors" && cmp -s "$tmp/t1/checkpoint/state.json" "$tmp/t2/checkpoint/state.json"; then ok; else fail "a resumed run differs from an uninterrupted one"; fi
expect 2 "already holds a run" -- "$ICL" train --d 2 --N 6 --steps 5 --out "$tmp/t1"
expect 2 "layers must be at least 1" -- "$ICL" train --layers 0 --out "$tmp/never3"
expect 2 "N must be at least 1" -- "$ICL" train --N 0 --out "$tmp/never3"
expect 2 "batch must be at least 1" -- "$ICL" train --batch 0 --out "$tmp/never3"
expect 2 "lr must be a positive number" -- "$ICL" train --lr 0 --out "$tmp/never3"
expect 2 "lr must be a positive number" -- "$ICL" train --lr -1e-3 --out "$tmp/never3"
expect 2 "invalid for '--lr" -- "$ICL" train --lr fast --out "$tmp/never3"
expect 2 "invalid for '--lr" -- "$ICL" train --lr nan --out "$tmp/never3"
expect 2 "no checkpoint to resume" -- "$ICL" train --out "$tmp/never3" --resume
if [ ! -e "$tmp/never3" ]; then ok; else fail "a rejected train left $tmp/never3 behind"; fi
expect 2 "cannot create the output directory" -- "$ICL" train --d 2 --N 4 --steps 5 --out "$tmp/afile/sub"
mkdir -p "$tmp/t3/checkpoint"; echo '{"format": "icl-lsa-checkpoint/1"' > "$tmp/t3/checkpoint/state.json"; echo x > "$tmp/t3/checkpoint/model.safetensors"
expect 2 "is corrupt" -- "$ICL" train --out "$tmp/t3" --resume
if [ "$(ls "$tmp/t3")" = "checkpoint" ]; then ok; else fail "a refused resume wrote into $tmp/t3"; fi
expect 1 "non-finite at step [0-9]+.*last finite loss was" -- "$ICL" train --d 2 --N 6 --layers 3 --batch 32 --steps 300 --optimizer sgd --lr 1e4 --out "$tmp/t4"

# reproduce: the JSON contract of each reproduction (tiny runs); aggregate over seeds
out=$("$ICL" reproduce von-oswald --steps 20 --json 2>/dev/null)
if python3 -c 'import json,sys; r=json.loads(sys.argv[1]); assert all(isinstance(r[k], float) for k in ["etaStar","gdLoss","trainedLoss","predsDiff","modelCos","modelDiff"]), r' "$out"; then ok; else fail "reproduce von-oswald JSON: $out"; fi
out=$("$ICL" reproduce gaussian-optimum --steps 5 --json 2>/dev/null)
if python3 -c 'import json,sys; r=json.loads(sys.argv[1]); assert all(isinstance(r[k], float) for k in ["gammaRelativeError","trainedTestError","closedFormTestError"]), r' "$out"; then ok; else fail "reproduce gaussian-optimum JSON: $out"; fi
out=$("$ICL" reproduce multilayer --layers 2 --steps 5 --batch 64 --json 2>/dev/null)
if python3 -c 'import json,sys; r=json.loads(sys.argv[1]); row=r["rows"][0]; assert row["layers"]==2 and all(isinstance(row[k], float) for k in ["trainedLoss","gdLoss","gdPlusPlusLoss"]), r' "$out"; then ok; else fail "reproduce multilayer JSON: $out"; fi
expect 2 "invalid for '--layers" -- "$ICL" reproduce multilayer --layers 2,0
# The fits and rows of one K do not depend on the other K of the invocation (byte-identical rows).
one=$("$ICL" reproduce multilayer --layers 3 --steps 2 --batch 64 --json 2>/dev/null)
two=$("$ICL" reproduce multilayer --layers 2,3 --steps 2 --batch 64 --json 2>/dev/null)
if python3 -c '
import json, sys
a, b = (json.loads(t) for t in sys.argv[1:3])
ra = [json.dumps(r, sort_keys=True) for r in a["rows"] if r["layers"] == 3]
rb = [json.dumps(r, sort_keys=True) for r in b["rows"] if r["layers"] == 3]
assert len(ra) == 1 and ra == rb, (ra, rb)
assert len(b["rows"]) == 2 and b["rows"][0] != b["rows"][1]
' "$one" "$two"; then ok; else fail "reproduce multilayer: the K = 3 row differs between --layers 3 and --layers 2,3"; fi
expect 2 "cannot create the output directory" -- "$ICL" reproduce von-oswald --steps 2 --out "$tmp/afile/sub"
# seed 2 of t2's settings (aggregate refuses runs of different settings)
"$ICL" train --d 2 --N 6 --layers 2 --batch 64 --steps 120 --lr 1e-2 --seed 2 --out "$tmp/s2" --json > /dev/null 2>&1
expect 0 "validationLoss +2 " -- "$ICL" aggregate "$tmp/t2/summary.json" "$tmp/s2/summary.json"
expect 2 "is not a JSON object" -- "$ICL" aggregate "$tmp/t1/metrics.jsonl"
# `icl reproduce aggregate` is the command's place; `icl aggregate`, its former name, prints the same bytes
a=$("$ICL" aggregate "$tmp/t2/summary.json" "$tmp/s2/summary.json" --json); b=$("$ICL" reproduce aggregate "$tmp/t2/summary.json" "$tmp/s2/summary.json" --json)
if [ -n "$a" ] && [ "$a" = "$b" ]; then ok; else fail "reproduce aggregate --json differs from aggregate --json"; fi
expect 0 "validationLoss +2 " -- "$ICL" reproduce aggregate "$tmp/t2/summary.json" "$tmp/s2/summary.json"
expect 2 "is not a JSON object" -- "$ICL" reproduce aggregate "$tmp/t1/metrics.jsonl"

# --help reads well in an 80-column terminal: every line the command text indents (examples)
# fits, so only prose paragraphs, which ArgumentParser wraps at word boundaries, are wrapped.
for c in "" verify "verify merge" merge construct phen "phen loss" "phen minimize" "phen xi-star" "phen flow" \
         "phen landscape" "phen sweep" "phen steppers" lang "lang dfa" "lang count" "lang sample" \
         train reproduce "reproduce von-oswald" "reproduce gaussian-optimum" "reproduce multilayer" "reproduce aggregate" aggregate bench validate; do
  # shellcheck disable=SC2086
  wide=$(COLUMNS=400 "$ICL" $c --help 2>&1 | sed -n '/^OVERVIEW/,/^USAGE/p' | awk '/^  / && length($0) > 79')
  if [ -z "$wide" ]; then ok; else fail "icl $c --help has indented lines over 79 columns: $wide"; fi
done

# --- issue 18: aggregate, phen, bench, one message style ---
# aggregate: two values near the largest double have a finite mean and interval (main printed inf and [nan, inf])
for i in 1 2; do echo "{\"etaStar\": 1, \"gdLoss\": 1, \"trainedLoss\": 1.7e308, \"seed\": $i, \"steps\": 5}" > "$tmp/huge$i.json"; done
out=$("$ICL" aggregate "$tmp/huge1.json" "$tmp/huge2.json" 2>&1); code=$?
if [ $code -eq 0 ] && grep -q "trainedLoss *2 *1.7e308 *\[1.7e308, 1.7e308\]" <<<"$out" && ! grep -qiE "inf|nan" <<<"$out"; then ok; else fail "aggregate of 1.7e308 twice: exit $code: $out"; fi
# aggregate: a summary with an 8-million-element list reads in seconds, the list not a metric (main: minutes, a gigabyte)
python3 -c 'import sys; open(sys.argv[1], "w").write("{\"etaStar\": 1, \"gdLoss\": 1, \"trainedLoss\": 0.5, \"seed\": 1, \"steps\": 5, \"curve\": [" + ",".join(["0.25"] * 8000000) + "]}")' "$tmp/long.json"
start=$(date +%s); out=$(timeout 60 "$ICL" aggregate "$tmp/long.json" --json 2>&1); code=$?; took=$(( $(date +%s) - start ))
if [ $code -eq 0 ] && [ $took -le 20 ] && [ ${#out} -lt 2000 ] && ! grep -q curve <<<"$out"; then ok; else fail "aggregate of an 8M-element list: exit $code in $took s, ${#out} bytes"; fi
expect 2 "long.json. has more than 100000 metrics" -- "$ICL" aggregate "$tmp/long.json" --elements
# aggregate --elements: each element of a list of numbers, by index
for i in 1 2; do echo "{\"etaStar\": 1, \"gdLoss\": 1, \"trainedLoss\": $i, \"seed\": $i, \"steps\": 5, \"curve\": [$i, 3]}" > "$tmp/el$i.json"; done
expect 0 "curve\.0 +2 +1\.5 " -- "$ICL" aggregate "$tmp/el1.json" "$tmp/el2.json" --elements
out=$("$ICL" aggregate "$tmp/el1.json" "$tmp/el2.json"); if ! grep -q curve <<<"$out"; then ok; else fail "aggregate without --elements aggregated a list: $out"; fi
# phen flow / landscape: a set of files is replaced whole or not at all when a later rename fails
for cmd in flow landscape; do
  d="$tmp/set-$cmd"; mkdir -p "$d"
  if [ $cmd = flow ]; then first=trajectory.csv; blocked=flow.svg; args=(phen flow); else first=landscape.csv; blocked=landscape.svg; args=(phen landscape --grid 5); fi
  echo old > "$d/$first"; mkdir "$d/$blocked"
  "$ICL" "${args[@]}" --out "$d" > /dev/null 2> "$tmp/set.err"; code=$?
  left=$(find "$d" -name '.*' | wc -l)
  if [ $code -eq 1 ] && [ "$(cat "$d/$first")" = old ] && [ "$left" -eq 0 ] && [ ! -e "$d/summary.json" ]; then ok
  else fail "phen $cmd --out with $blocked in the way: exit $code, $first now '$(head -c 40 "$d/$first")', $left temporaries: $(cat "$tmp/set.err")"; fi
done
# bench: --force runs past --max-time; the JSON keys are unchanged
out=$("$ICL" bench --scenario phen-minimize --repeats 3 --max-time 1e-9 --force --json 2>/dev/null)
if python3 -c 'import json,sys; r=json.loads(sys.argv[1]); assert sorted(r) == ["flops", "gflops", "name", "seconds"], r' "$out"; then ok; else fail "bench --force --json: $out"; fi
# one message style: every refusal of the command line is one line `error: ...`, exit 2
for args in "verify --seed 18446744073709551616" "phen loss --N x" "bench --repeats" "lang dfa --regex ab --nope" "train --out r --steps x" \
            "reproduce gaussian-optimum --seed -3" "aggregate" "verify merge" "phen flow --init q=1" "construct --instance"; do
  # shellcheck disable=SC2086
  err=$("$ICL" $args 2>&1 >/dev/null); code=$?
  if [ $code -eq 2 ] && [ "$(wc -l <<<"$err")" -eq 1 ] && [[ $err == "error: "* ]]; then ok; else fail "icl $args: exit $code, not one line 'error: ': $err"; fi
done
# no Swift type names in a message (a verify merge of a file that is not a report leaked DecodingError)
echo '{"passed": 1}' > "$tmp/notreport.json"
err=$("$ICL" verify merge "$tmp/notreport.json" 2>&1)
if [[ $err == *"passed: expected true or false"* ]] && ! grep -qE "DecodingError|CodingKeys|Swift\.|Optional\(" <<<"$err"; then ok; else fail "verify merge of a non-report: $err"; fi
# --- end of issue 18: aggregate, phen, bench, one message style ---
# --- issue 18: lang (regex limits, linear long regexes) ---
stars="a$(printf '%*s' 100000 '' | tr ' ' '*')"
expect 0 "minimal complete DFA, 1 states" -- timeout 20 "$ICL" lang dfa --regex "$stars"
letters=$(printf '%*s' 60000 '' | sed 's/ /ab/g')
expect 0 "minimal complete DFA, 120002 states" -- timeout 60 "$ICL" lang dfa --regex "$letters" --max-states 200000
deep="$(printf '%*s' 1000 '' | tr ' ' '(')a$(printf '%*s' 1000 '' | tr ' ' ')')"
expect 0 "minimal complete DFA, 3 states" -- timeout 20 "$ICL" lang dfa --regex "$deep"
alternations="$(printf '%*s' 1000 '' | sed 's/ /(b|/g')a$(printf '%*s' 1000 '' | tr ' ' ')')"
expect 0 '"members" : 2|members' -- timeout 20 "$ICL" lang count --regex "$alternations" --max-length 1
expect 0 "member" -- "$ICL" lang sample --regex 'a*bc*' --length 3 --count 2 --negatives hard --edits deletion
# --- issue 18: run directories and checkpoints (train, reproduce) ---
# Kill points (SIGKILL/SIGTERM at random moments, resumed: consistent directory, bytes of an
# uninterrupted run), two writers into one --out, a full disk on a small tmpfs (skipped where
# mounting is not permitted). `make fuzz` runs hundreds of kill points.
if python3 "$(dirname "$0")/run_directories.py" "$ICL" --kills 4; then ok; else fail "run_directories.py (kill points, concurrent writers, full disk)"; fi
# --resume restores the run's --log-every (run.json): extended from 10 to 20 steps without the option,
# the log keeps every third step (the default for 20 steps would log every step).
"$ICL" train --d 2 --N 3 --batch 4 --steps 10 --log-every 3 --out "$tmp/logevery" > /dev/null 2>&1
"$ICL" train --steps 20 --resume --out "$tmp/logevery" > /dev/null 2>&1
steps=$(python3 -c 'import json,sys; print(" ".join(str(json.loads(l)["step"]) for l in open(sys.argv[1])))' "$tmp/logevery/metrics.jsonl" 2>&1)
if [ "$steps" = "0 3 6 9 12 15 18 19" ]; then ok; else fail "resume restores --log-every 3: logged steps $steps"; fi
# A reproduction's --out is published whole: a rerun replaces the previous result as one directory.
"$ICL" reproduce multilayer --layers 2,3 --steps 3 --batch 64 --out "$tmp/ml" > /dev/null 2>&1
"$ICL" reproduce multilayer --layers 2 --steps 3 --batch 64 --out "$tmp/ml" > /dev/null 2>&1
if [ "$(ls "$tmp/ml" | tr '\n' ' ')" = "config-K2.json losses.csv losses.svg model-K2.safetensors summary.json training.csv " ] && ! ls -a "$tmp" | grep -q '\.tmp-'; then ok
else fail "a rerun of reproduce multilayer left $(ls -a "$tmp/ml" | tr '\n' ' ')"; fi
# --help names the settings --resume keeps and the modes an option belongs to.
if "$ICL" train --help | grep -q "only with sgd" && "$ICL" train --help | grep -q "kept by --resume"; then ok; else fail "train --help lacks the option modes"; fi

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
