#!/usr/bin/env bash
# What bptrack looks like in a real terminal: tmux panes at 80 and 120 columns, captured as
# text into docs/terminal-80.txt and docs/terminal-120.txt. Not part of CI; needs tmux.
#   scripts/capture-panes.sh
set -euo pipefail
command -v tmux >/dev/null || { echo "Error: tmux is not installed" >&2; exit 1; }
work=$(mktemp -d)
trap 'tmux kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
"$(dirname "$0")/demo-tracker.sh" "$work"
for cols in 80 120; do
  out="docs/terminal-$cols.txt"
  : >"$out"
  for cmd in "bptrack list" "bptrack show 12" "bptrack remind" "bptrack report --since 2026-11-01"; do
    tmux -L bptrack-panes kill-server 2>/dev/null || true
    tmux -L bptrack-panes new-session -d -x "$cols" -y 60 \
      "env HOME=$work/home BPTRACK_DB=$work/tracker.db TERM=xterm-256color bash --norc"
    tmux -L bptrack-panes send-keys "PS1='$ '; clear; $cmd" Enter
    sleep 2
    {
      printf '%s\n' "── $cmd  ($cols columns) " 
      tmux -L bptrack-panes capture-pane -p -S - | sed -e '/^\$ PS1=/d' -e :a -e '/^\n*$/{$d;N;ba' -e '}'
      printf '\n'
    } >>"$out"
    tmux -L bptrack-panes kill-server
  done
  echo "Wrote $out" >&2
done
