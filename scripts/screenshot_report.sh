#!/usr/bin/env bash
# A page as a person sees it: headless Chromium (Debian's `chromium` package) renders an HTML
# report (e.g. `icl validate --out DIR`'s DIR/report.html) to a PNG, full width, tall enough for
# every figure.  Usage: bash scripts/screenshot_report.sh PAGE.html OUT.png [HEIGHT]
set -euo pipefail
page=$(realpath "$1")
out=$(realpath -m "$2")
height=${3:-4000}
command -v chromium >/dev/null || { echo "chromium not found: apt-get install chromium" >&2; exit 2; }
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,"$height" \
    --screenshot="$out" "file://$page" 2>/dev/null
echo "wrote $out"
