# The README's commands. `make demo` and `make test` install what is missing first.
SWIFT ?= swift
ICL := .build/release/icl

.PHONY: demo test bench proofs deps build clean fuzz mutants

deps:
	@bash scripts/install-deps.sh

build: deps
	$(SWIFT) build -c release

# The main job on its defaults: every theorem over 1000 random instances, with derived bounds.
demo: build
	$(ICL) verify

# The module graph as declared = as imported (scripts/check_imports.py; SwiftPM's own check, also on,
# lets a target import what its dependencies bring along). Unit and property tests (release build:
# the exact checks are BigInt-heavy), the CLI contract,
# every kind of file read back by Python (json, csv, zlib, safetensors when installed),
# the Coq <-> Swift consistency check, and the Coq proofs with their assumption check.
# One compilation serves the tests and the CLI suites: the release build with testable imports
# (what `swift test -c release` would compile anyway; a plain `swift build -c release` after it
# would compile every module again).
test: deps
	python3 scripts/check_imports.py
	$(SWIFT) build -c release --build-tests -Xswiftc -enable-testing --explicit-target-dependency-import-check error
	$(SWIFT) test -c release --skip-build
	bash Tests/cli/cli_tests.sh $(ICL)
	python3 Tests/cli/bad_inputs.py $(ICL)
	python3 Tests/cli/files_read_back.py $(ICL)
	python3 Tests/cli/validate.py $(ICL)
	python3 Tests/cli/fuzz_args.py $(ICL) --count 300
	python3 Tests/cli/seeds.py $(ICL)
	python3 Tests/cli/options_effect.py $(ICL)
	python3 Tests/cli/coq_consistency.py $(ICL) Proofs/consistency-instance.json
	@if command -v coqc >/dev/null; then $(MAKE) --no-print-directory proofs; \
	 else echo "coqc not found: proofs skipped (scripts/install-deps.sh installs Coq)"; fi

# The instance reader under random mutation for a few minutes, the regex parser under libFuzzer
# (FUZZ_SECONDS, default 300), 2000 random argument vectors, and 200 training runs killed
# (SIGKILL/SIGTERM) at random points and resumed (Tests/cli/run_directories.py).
fuzz: build
	ICL_FUZZ_SECONDS=$${ICL_FUZZ_SECONDS:-300} $(SWIFT) test -c release --filter InstanceFileFuzzTests
	bash scripts/fuzz_regex.sh
	bash scripts/fuzz_weights.sh
	python3 Tests/cli/fuzz_args.py $(ICL) --count 2000 --seed $$(date +%s)
	python3 Tests/cli/run_directories.py $(ICL) --kills 200 --seed $$(date +%s)

# Plausible mistakes, each applied alone, the suite run: killed or survived (scripts/mutants.py).
mutants:
	python3 scripts/mutants.py

proofs:
	$(MAKE) -C Proofs

# Every `icl bench` scenario against its NumPy/SciPy/JAX/greenery peer in the same run; writes bench.json.
# run.py unsets OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE for the peers alone (they slow NumPy's own,
# newer OpenBLAS); `icl bench` runs with the caller's environment, those values included.
bench: build
	@python3 -c 'import numpy' 2>/dev/null || pip install numpy scipy
	@python3 -c 'import greenery' 2>/dev/null || pip install greenery
	@python3 -c 'import jax' 2>/dev/null || pip install jax
	@python3 -c 'import safetensors' 2>/dev/null || pip install safetensors
	python3 Benchmarks/run.py

clean:
	rm -rf .build bench.json
	$(MAKE) -C Proofs clean
