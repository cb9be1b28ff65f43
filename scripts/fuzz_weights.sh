#!/usr/bin/env bash
# The weights and checkpoint readers under libFuzzer (coverage-guided), three targets, each run
# for FUZZ_SECONDS (default 300) from its fixtures (the corpus the fuzzer started from and the
# inputs it found) plus a scratch corpus in .build/fuzz-weights/<target>-corpus:
#   safetensors  SafeTensors.decode: Sources/Weights/SafeTensors.swift, ElementType.swift, JSONStyle.swift
#                and MessageText.swift compiled with Tests/fuzz/SafeTensorsFuzzHarness.swift;
#                Tests/fuzz/safetensors-fixtures.
#   checkpoint   Checkpoint(weightsFile:stateFile:), state.json and model.safetensors read back
#                (what RunDirectory does on --resume): the Training module and its dependencies
#                built by SwiftPM with -sanitize=fuzzer,address into .build/fuzz-libs, linked with
#                Tests/fuzz/CheckpointFuzzHarness.swift; Tests/fuzz/checkpoint-fixtures (an input is a
#                4-byte little-endian length n, n bytes of state.json, then model.safetensors).
#   tensorfile   TensorFile(bytes:), the reader `icl validate` uses (.npy, .npz through ZIPFoundation,
#                safetensors, told by the first bytes): the Weights module and its dependencies built
#                by SwiftPM as for checkpoint, linked with Tests/fuzz/TensorFileFuzzHarness.swift (and
#                zlib, for ZIPFoundation's CZLib and Weights' CZlibSystem); Tests/fuzz/tensorfile-fixtures.
# FUZZ_TARGETS="safetensors" (or "checkpoint", "tensorfile", or several) runs those. A failing input
# is written to .build/fuzz-weights/<target>-crash-* (-leak-*, -timeout-*, -oom-*): copy it into the
# target's fixtures (SafeTensorsFuzzFixtureTests, CheckpointFuzzFixtureTests and
# TensorFileFuzzFixtureTests replay every file there in `make test`).
set -euo pipefail
export SWIFT_BACKTRACE=enable=no   # libFuzzer reports a crash and writes the input; no Swift backtracer
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-300}
targets=${FUZZ_TARGETS:-safetensors checkpoint tensorfile}
out=.build/fuzz-weights
mkdir -p "$out"
flags=(-O -parse-as-library -sanitize=fuzzer,address)
# No input justifies more than a few times its size in memory; 64 KiB inputs, 10 s each at most.
run=(-max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=256 -print_final_stats=1)

for target in $targets; do
    case "$target" in
    safetensors)
        swiftc "${flags[@]}" -module-name SafeTensorsFuzz Sources/Weights/SafeTensors.swift Sources/Weights/ElementType.swift Sources/Weights/JSONStyle.swift Sources/Weights/MessageText.swift \
            Tests/fuzz/FuzzMessageCheck.swift Tests/fuzz/SafeTensorsFuzzHarness.swift -o "$out/fuzz-safetensors"
        ;;
    checkpoint)
        lib=.build/fuzz-libs
        swift build -c release --build-path "$lib" --target Training -Xswiftc -sanitize=fuzzer,address
        objects=()
        for module in Training Weights ZIPFoundation Optim Constructions Linalg Random BigInt CVectorMath; do
            objects+=("$lib"/release/"$module".build/*.o)
        done
        swiftc "${flags[@]}" -module-name CheckpointFuzz -I "$lib/release/Modules" -I Sources/CGSL -I Sources/CZlibSystem \
            -Xcc -fmodule-map-file="$lib/release/CVectorMath.build/module.modulemap" -I Sources/CVectorMath/include \
            Tests/fuzz/FuzzMessageCheck.swift Tests/fuzz/CheckpointFuzzHarness.swift "${objects[@]}" \
            -Xcc -fmodule-map-file="$lib/checkouts/ZIPFoundation/Sources/CZLib/module.modulemap" \
            -lopenblas -lgsl -lsleef -lz -lm -o "$out/fuzz-checkpoint"
        ;;
    tensorfile)
        lib=.build/fuzz-libs
        swift build -c release --build-path "$lib" --target Weights -Xswiftc -sanitize=fuzzer,address
        objects=()
        for module in Weights ZIPFoundation Linalg Random BigInt CVectorMath; do
            objects+=("$lib"/release/"$module".build/*.o)
        done
        swiftc "${flags[@]}" -module-name TensorFileFuzz -I "$lib/release/Modules" -I Sources/CGSL -I Sources/CZlibSystem \
            -Xcc -fmodule-map-file="$lib/release/CVectorMath.build/module.modulemap" -I Sources/CVectorMath/include \
            -Xcc -fmodule-map-file="$lib/checkouts/ZIPFoundation/Sources/CZLib/module.modulemap" \
            Tests/fuzz/FuzzMessageCheck.swift Tests/fuzz/TensorFileFuzzHarness.swift "${objects[@]}" \
            -lopenblas -lgsl -lsleef -lz -lm -o "$out/fuzz-tensorfile"
        ;;
    *) echo "unknown fuzz target '$target' (safetensors, checkpoint, tensorfile)" >&2; exit 2 ;;
    esac
    mkdir -p "$out/$target-corpus"
    echo "fuzzing the $target reader for ${seconds} s" >&2
    "$out/fuzz-$target" "${run[@]}" -artifact_prefix="$out/$target-" "$out/$target-corpus" "Tests/fuzz/$target-fixtures"
done
