#!/usr/bin/env bash
# Installs the Debian packages the project needs, if any is missing:
# GSL, OpenBLAS and SLEEF (always), and Coq with mathcomp + Coquelicot (Proofs/apt-packages.txt) unless
# called with --no-proofs. Safe to re-run; does nothing when everything is present.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
packages=(libgsl-dev libopenblas-dev libsleef-dev)
if [ "${1:-}" != "--no-proofs" ]; then
  mapfile -t proofs < <(grep -v '^\s*$' "$here/Proofs/apt-packages.txt")
  packages+=("${proofs[@]}")
fi
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
