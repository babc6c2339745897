#!/usr/bin/env bash
# Render the HTML status report to a PNG with headless Chromium, so a person can look at it.
# Not part of CI. Needs Debian's chromium (apt-get install chromium). WINDOW=W,H sets the size;
# scripts/demo-tracker.sh makes a tracker with reasons and resolutions to show.
#   scripts/screenshot-report.sh [OUT.png] [extra `bptrack report` options…]
set -euo pipefail
out=${1:-docs/report-screenshot.png}
shift || true
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "Error: no chromium on PATH (apt-get install chromium)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bptrack report --format html --output "$work/report.html" "$@"
# The flags keep Chromium off the network: the page must need nothing from outside.
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$work/profile" --hide-scrollbars --window-size="${WINDOW:-1280,2200}" \
  --screenshot="$work/shot.png" "file://$work/report.html" >/dev/null 2>&1
mv "$work/shot.png" "$out"
echo "Wrote $out" >&2
