#!/usr/bin/env bash
# Page 1 of the Word briefing and of the printed workbook report as PNGs, through LibreOffice
# and poppler, so a person can look at what a secretariat hands on. Not part of CI. Needs
# soffice (apt-get install libreoffice-writer-nogui libreoffice-calc-nogui) and pdftoppm
# (poppler-utils); run with BPTRACK_DB pointing at a tracker (scripts/demo-tracker.sh makes one).
#   scripts/render-documents.sh [DIR]   → DIR/briefing-docx.png, DIR/report-xlsx.png (docs/)
set -euo pipefail
out=${1:-docs}
for tool in soffice pdftoppm; do
  command -v "$tool" >/dev/null || { echo "Error: $tool is not on PATH" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bptrack report --since-meeting AHG16 --output "$work/briefing.docx"
bptrack report --output "$work/report.xlsx"
for doc in briefing.docx report.xlsx; do
  soffice --headless "-env:UserInstallation=file://$work/lo" --convert-to pdf \
    --outdir "$work" "$work/$doc" >/dev/null
done
pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$work/briefing.pdf" "$out/briefing-docx"
pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$work/report.pdf" "$out/report-xlsx"
echo "Wrote $out/briefing-docx.png and $out/report-xlsx.png" >&2
