#!/usr/bin/env bash
# Compile Proofs/Assumptions.v (Print Assumptions for every main theorem) and
# fail (exit 1) unless every report is "Closed under the global context" or
# lists only axioms from the allow-list that this script gives per theorem.
#
#   bash Proofs/check-assumptions.sh        (run by `make -C Proofs`)
set -euo pipefail
cd "$(dirname "$0")"

COQC=${COQC:-coqc}

# The classical axioms of Coq's standard real numbers (Coq.Reals, on which
# Coquelicot is built).  Only the Reddy theorems, which are about real-valued
# functions (exp, ln, derivatives), may use them.  Everything in LSA.v and
# DualForm.v (mathcomp, any comRingType / fieldType) must be axiom-free.
REALS_AXIOMS=(
  ClassicalDedekindReals.sig_not_dec
  ClassicalDedekindReals.sig_forall_dec
  FunctionalExtensionality.functional_extensionality_dep
  Classical_Prop.classic
)

# Per-theorem allow-list: theorem -> name of an axiom set ("reals").
# A theorem not listed here must be "Closed under the global context".
declare -A ALLOW=(
  [reddy_origin_value]=reals
  [reddy_origin_gradient]=reals
  [reddy_dalpha_xi0]=reals
  [reddy_dbeta_xi0]=reals
  [reddy_dbeta_alpha0]=reals
  [reddy_alpha0_limit]=reals
  [reddy_dalpha_alpha0]=reals
  [reddy_dalpha_nonzero]=reals
  [reddy_saddle_stationary]=reals
  [reddy_saddle]=reals
  [reddy_saddle_default]=reals
)

fail() { echo "check-assumptions: FAIL: $*" >&2; exit 1; }

# 0. No proof may be left open or postulated in the proof files.
mapfile -t VFILES < <(grep -E '^[A-Za-z0-9_]+\.v$' _CoqProject)
[ "${#VFILES[@]}" -gt 0 ] || fail "no .v files listed in _CoqProject"
if grep -nE '\b(Admitted|admit|Axiom|Axioms|Parameter|Parameters|Conjecture)\b' \
     "${VFILES[@]}" Assumptions.v; then
  fail "a proof file contains Admitted/admit/Axiom/Parameter/Conjecture (see above)"
fi

# 1. Compile Assumptions.v against the built library.
OUT=$(mktemp)
trap 'rm -f "$OUT" Assumptions.vo Assumptions.vok Assumptions.vos Assumptions.glob .Assumptions.aux' EXIT
if ! "$COQC" -Q . ICL -w none Assumptions.v >"$OUT" 2>&1; then
  cat "$OUT" >&2
  fail "coqc Assumptions.v failed (did the proofs build?)"
fi

# 2. Every `Print Assumptions X.` must be preceded by its marker, and the
#    output must contain one report per theorem, in order.
mapfile -t THMS < <(sed -n 's/^Print Assumptions \([A-Za-z0-9_'"'"']*\)\.$/\1/p' Assumptions.v)
mapfile -t MARKS < <(sed -n 's/^ICL-ASSUMPTIONS \([A-Za-z0-9_'"'"']*\)$/\1/p' "$OUT")
[ "${#THMS[@]}" -gt 0 ] || fail "no Print Assumptions in Assumptions.v"
[ "${THMS[*]}" = "${MARKS[*]}" ] || \
  fail "markers in coqc output (${MARKS[*]}) do not match the theorems (${THMS[*]})"

is_allowed() { # $1 = theorem, $2 = axiom name
  local set=${ALLOW[$1]:-}
  case "$set" in
    reals) local a; for a in "${REALS_AXIOMS[@]}"; do [ "$a" = "$2" ] && return 0; done ;;
  esac
  return 1
}

# 3. Check each report.
status=0
for thm in "${THMS[@]}"; do
  # Lines between this theorem's marker and the next marker (or EOF).
  report=$(awk -v t="ICL-ASSUMPTIONS $thm" '
    $0 == t { on = 1; next }
    on && /^ICL-ASSUMPTIONS / { exit }
    on { print }' "$OUT")
  first=$(printf '%s\n' "$report" | sed -n '/[^[:space:]]/{p;q}')
  if [ "$first" = "Closed under the global context" ]; then
    if [ "$(printf '%s\n' "$report" | grep -c '[^[:space:]]')" -ne 1 ]; then
      echo "  $thm: unexpected extra output:"; printf '%s\n' "$report"; status=1; continue
    fi
    echo "  $thm: Closed under the global context"
    continue
  fi
  if [ "$first" != "Axioms:" ]; then
    echo "  $thm: unrecognised report:"; printf '%s\n' "$report"; status=1; continue
  fi
  # Axiom names: non-indented lines after "Axioms:" (types may continue on
  # indented lines).  Any other non-indented header (e.g. another section of
  # the report) is rejected.
  bad=0; names=()
  while IFS= read -r line; do
    [ -z "${line//[[:space:]]/}" ] && continue
    case "$line" in
      "Axioms:") continue ;;
      [[:space:]]*) continue ;;
    esac
    name=${line%% *}
    case "$name" in *:) echo "  $thm: unexpected section '$line'"; bad=1; continue ;; esac
    names+=("$name")
    if ! is_allowed "$thm" "$name"; then
      echo "  $thm: axiom NOT allowed: $name"; bad=1
    fi
  done <<<"$report"
  if [ "$bad" -ne 0 ]; then status=1; continue; fi
  echo "  $thm: only allowed axioms (${ALLOW[$thm]}): ${names[*]}"
done

if [ "$status" -ne 0 ]; then
  fail "some theorem depends on an axiom outside its allow-list (see above)"
fi
echo "check-assumptions: OK (${#THMS[@]} theorems)"
