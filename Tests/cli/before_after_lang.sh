#!/usr/bin/env bash
# Before/after check for the move of `icl lang`'s work into Experiments and of `merge` and
# `aggregate` under `verify` and `reproduce`: every case is run by both binaries (the new one
# also under the new name), and standard output and the exit code must be byte-identical.
# Standard error is compared too and printed when it differs (messages may have been
# reworded on purpose; the exit code may not change).
# Usage: before_after_lang.sh OLD_ICL NEW_ICL
set -u
OLD=$1 NEW=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
same=0 differ=0 stderr_changed=0

# compare "old argv" ["new argv"]: argv as one string, split by the shell (quote with '').
compare() {
  local old_args=$1 new_args=${2:-$1}
  eval "\"$OLD\" $old_args" > "$tmp/o.out" 2> "$tmp/o.err"; local oc=$?
  eval "\"$NEW\" $new_args" > "$tmp/n.out" 2> "$tmp/n.err"; local nc=$?
  if [ "$oc" -ne "$nc" ] || ! cmp -s "$tmp/o.out" "$tmp/n.out"; then
    differ=$((differ + 1)); echo "DIFF  (exit $oc -> $nc, $(wc -c < "$tmp/o.out") -> $(wc -c < "$tmp/n.out") bytes)  icl $new_args"
    diff "$tmp/o.out" "$tmp/n.out" | head -5
    return
  fi
  same=$((same + 1))
  # Usage lines name the command as typed, so compare the messages without them.
  if ! diff -q <(grep -v '^Usage: \|^  See ' "$tmp/o.err") <(grep -v '^Usage: \|^  See ' "$tmp/n.err") > /dev/null; then
    stderr_changed=$((stderr_changed + 1))
    echo "same stdout and exit $oc, stderr reworded:  icl $new_args"
    sed 's/^/    before: /' "$tmp/o.err" | head -3; sed 's/^/    after:  /' "$tmp/n.err" | head -3
  fi
}

# lang: the cases of cli_tests.sh
compare "lang count --regex '(ab[c])*' --max-length 20 --json"
compare "lang count --regex '((a|b)c)*' --max-length 200 --json"
compare "lang count --regex 'a*bc*' --max-length 20"
compare "lang dfa --regex '(ab[c])*' --json"
compare "lang dfa --regex 'a*bc*'"
compare "lang dfa --regex '(a|b)*a(a|b)(a|b)(a|b)(a|b)(a|b)(a|b)(a|b)'"
compare "lang dfa --regex '((a|b)c)*' --dot"
compare "lang sample --regex 'a*bc*' --lengths 1..20 --count 200 --negatives hard --seed 5 --json"
compare "lang sample --regex '(ab[c])*' --length 12 --count 50 --negatives uniform --seed 9 --json"
compare "lang dfa --regex 'a(b|'"
compare "lang count --regex 'ab' --alphabet '' --max-length 3"
compare "lang dfa --regex 'abd' --alphabet abc"
compare "lang sample --regex '((a|b)c)*' --length 3 --count 5"
compare "lang sample --regex '(a|b)*' --length 3 --count 5 --negatives uniform"
compare "lang sample --regex 'a*bc*' --length 3 --count 0"
compare "lang count --regex 'a' --max-length 20000"
compare "lang sample --regex 'a' --count 1"
# lang: more cases (each output format, larger alphabets, seeds, chunk boundaries)
compare "lang dfa --regex 'a*bc*' --alphabet abcd --json"
compare "lang dfa --regex 'a*bc*' --alphabet dcba --dot"
compare "lang dfa --regex '(a|b)*' --alphabet abc"
compare "lang dfa --regex '(a|b)*' --alphabet abc --json"
compare "lang dfa --regex '0(0|1)*1' --json"
compare "lang dfa --regex '(ab|ba)*' --dot"
compare "lang dfa --regex '(a|b)*a(a|b)(a|b)(a|b)(a|b)(a|b)(a|b)(a|b)' --json"
compare "lang count --regex '(a|b)*a(a|b)(a|b)' --max-length 1000 --json"
compare "lang count --regex '(a|b|c)*(ab|c)' --max-length 120"
compare "lang count --regex 'ab' --alphabet abc --max-length 0 --json"
compare "lang count --regex 'a+b?c[d]' --alphabet dcbaz --max-length 10 --json"
compare "lang sample --regex '(ab[c])*' --length 12 --count 5"
compare "lang sample --regex 'a*bc*' --lengths 1..20 --count 1000 --negatives hard --seed 3 --json"
compare "lang sample --regex 'a*bc*' --lengths 1..20 --count 1000 --negatives hard --seed 3"
compare "lang sample --regex '((a|b)c)*' --alphabet abc --length 8 --count 10 --negatives uniform"
compare "lang sample --regex 'a*bc*' --lengths 0..30 --length-distribution uniform-string --count 300 --seed 11"
compare "lang sample --regex 'a*bc*' --lengths 2...9 --count 100 --negatives hard --edits deletion,insertion --seed 4 --json"
compare "lang sample --regex '(a|b)*' --alphabet abc --length 0 --count 3 --negatives uniform"
compare "lang sample --regex 'a*bc*' --lengths 1..40 --count 25000 --seed 2 --json"
compare "lang sample --regex '(ab[c])*' --lengths 0..60 --count 12000 --negatives uniform --seed 8"
compare "lang sample --regex 'a*bc*' --length 4 --count 5 --negatives hard --edits substitution --seed 6"
compare "lang sample --regex 'a' --length 2 --count 1 --negatives hard --edits deletion"
compare "lang sample --regex 'ab' --lengths 3..1 --count 2"
compare "lang sample --regex 'ab' --length 2 --count 2 --negatives some"
compare "lang dfa --regex 'ab' --json --dot"
compare "lang count --regex 'ab' --alphabet a --max-length 3"
compare "lang dfa --regex 'a**)'"
compare "lang dfa --regex ''"
compare "lang dfa --regex 'ab' --alphabet 'abca'"
compare "lang dfa --regex 'ab' --alphabet 'a b'"

# merge (old name; the new binary also as `verify merge`), on shards written by the old binary
for i in 0 1 2; do "$OLD" verify --instances 30 --shard $i/3 --json > "$tmp/s$i.json"; done
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); del r["instanceDraws"]; json.dump(r, open(sys.argv[2], "w"))' "$tmp/s2.json" "$tmp/s2-old.json"
echo '{"x": [[1, 0.5]], "y": [[1]], "xQuery": [0.3, -0.7]}' > "$tmp/task.json"
for args in "'$tmp/s0.json' '$tmp/s1.json' '$tmp/s2.json' --json" "'$tmp/s0.json' '$tmp/s1.json' '$tmp/s2.json'" \
            "'$tmp/s0.json' '$tmp/s1.json'" "'$tmp/s0.json' '$tmp/s1.json' '$tmp/s2-old.json'" "'$tmp/s0.json' '$tmp/s0.json' '$tmp/s1.json' '$tmp/s2.json'" \
            "'$tmp/task.json'" "'$tmp/none.json'" ""; do
  compare "merge $args"
  compare "merge $args" "verify merge $args"
done

# aggregate (old name; the new binary also as `reproduce aggregate`), on runs of the old binary
for s in 1 2 3; do "$OLD" train --d 2 --N 6 --batch 32 --steps 20 --seed $s --out "$tmp/t$s" --json > /dev/null 2>&1; done
for args in "'$tmp/t1/summary.json' '$tmp/t2/summary.json' '$tmp/t3/summary.json'" "'$tmp/t1/summary.json' '$tmp/t2/summary.json' --json" \
            "'$tmp/t1/summary.json'" "'$tmp/t1/metrics.jsonl'" "'$tmp/none.json'" "'$tmp/task.json'" ""; do
  compare "aggregate $args"
  compare "aggregate $args" "reproduce aggregate $args"
done

echo "before/after: $same identical (stdout bytes and exit code), $differ different; $stderr_changed with reworded stderr"
[ "$differ" -eq 0 ]
