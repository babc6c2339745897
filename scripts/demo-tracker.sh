#!/usr/bin/env bash
# A demo tracker for screenshots and captured panes: the seed, then a few months of follow-up
# (assignees, due dates, a block with its reason, closes with their resolutions).
#   scripts/demo-tracker.sh DIR   → DIR/tracker.db (and DIR/home as HOME)
set -euo pipefail
dir=$1
mkdir -p "$dir/home"
export HOME="$dir/home" BPTRACK_DB="$dir/tracker.db" BPTRACK_ACTOR="rso.secretariat"
rm -f "$BPTRACK_DB" "$BPTRACK_DB"-wal "$BPTRACK_DB"-shm
bptrack db init >/dev/null 2>&1
q=(--quiet)
bptrack assign 9 "Siti Rahman <siti.rahman@example.org>" "${q[@]}"
bptrack assign 5 7 "Indonesia" "${q[@]}"
bptrack assign 11 12 "Mark Ellis <mark.ellis@example.org>" "${q[@]}"
bptrack edit 5 --due 2026-06-30 "${q[@]}"
bptrack edit 7 --due 2026-09-30 "${q[@]}"
bptrack edit 11 --due +10d "${q[@]}"
bptrack edit 12 --due 2026-10-31 "${q[@]}"
bptrack edit 6 --due 2027-03-31 "${q[@]}"
bptrack start 5 7 "${q[@]}"
bptrack block 12 --note "Waiting for the co-chairs to agree the terms of reference <TOR v2>" \
  "${q[@]}"
bptrack close 9 --note "Joint Period of Action held March–May 2023; 14 members took part" \
  "${q[@]}"
bptrack close 8 --note "MoU with the ASEAN Secretariat signed at SOM 17" "${q[@]}"
bptrack note 6 "Literature review commissioned from the RSO research unit" "${q[@]}"
