#!/usr/bin/env bash
# The regex parser under libFuzzer (coverage-guided): compiles the FormalLanguages sources the
# parser and the automata need with Tests/fuzz/RegexFuzzHarness.swift (-sanitize=fuzzer,address)
# and runs it for FUZZ_SECONDS (default 300) from the corpus Tests/fuzz/regex-fixtures plus a
# scratch corpus. A crashing input is written to .build/fuzz-regex/crash-*: copy it into
# Tests/fuzz/regex-fixtures (RegexFuzzFixtureTests replays every file there in `make test`).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-300}
out=.build/fuzz-regex
mkdir -p "$out/corpus"
src=Sources/FormalLanguages
swiftc -O -parse-as-library -sanitize=fuzzer,address -module-name RegexFuzz \
    "$src/Regex.swift" "$src/RegexParser.swift" "$src/FormalLanguageError.swift" "$src/Alphabet.swift" \
    "$src/NFA.swift" "$src/SubsetConstruction.swift" "$src/Bitset.swift" "$src/DFA.swift" "$src/Minimization.swift" \
    Tests/fuzz/RegexFuzzHarness.swift -o "$out/fuzz-regex"
echo "fuzzing the regex parser for ${seconds} s" >&2
"$out/fuzz-regex" -max_total_time="$seconds" -max_len=4200 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$out/" "$out/corpus" Tests/fuzz/regex-fixtures
