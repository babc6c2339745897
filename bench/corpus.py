"""The reader on real published statements: `../shared/corpus/score.py`, where that folder
exists beside the project, and how often an item the reader marks `high` is right.

The corpus is someone else's text: this script reads it where it lies and commits none of it.
Its figures go in docs/performance.md's reading section (`--markdown FILE` rewrites that
section between its markers).

An item marked high is right when it stands for an expected item (the expected item's key is
in its title or source, as score.py matches) and its kind, owner and due are the expected
ones; a high action or ongoing item that stands for no expected item is wrong (an invented
commitment); a high record or note that stands for none is not counted.

    python bench/corpus.py [--bptrack .venv/bin/bptrack] [--markdown docs/performance.md]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
OPEN = {"action", "ongoing"}
SUFFIXES = (".txt", ".pdf", ".docx", ".html", ".md")
BEGIN, END = "<!-- corpus:begin -->", "<!-- corpus:end -->"


def read(bptrack: str, doc: Path, env: dict[str, str]) -> dict[str, object] | None:
    done = subprocess.run([bptrack, "meeting", "import", str(doc), "--dry-run", "--format",
                           "json"], capture_output=True, text=True, env=env, timeout=120,
                          check=False)
    return json.loads(done.stdout) if done.returncode == 0 else None


def confidence(got: dict[str, object], expected: dict[str, object]) -> tuple[int, int]:
    """(high items right, high items counted) for one statement."""
    items = [i for i in got.get("items", []) if isinstance(i, dict)]  # type: ignore[union-attr]
    used: set[int] = set()
    right = counted = 0
    for e in expected["items"]:  # type: ignore[union-attr]
        key = e["key"].lower()
        it = next((i for f in ("title", "source") for i in items
                   if id(i) not in used and key in str(i.get(f) or "").lower()), None)
        if it is None:
            continue
        used.add(id(it))
        if it.get("confidence") != "high":
            continue
        owner = f"{it.get('owner') or ''} {it.get('owner_name') or ''}".lower()
        counted += 1
        right += (it.get("kind") in e["kind"] and (e["owner"] is None or e["owner"] in owner)
                  and it.get("due") == e["due"])
    for it in items:
        if id(it) not in used and it.get("confidence") == "high" and it.get("kind") in OPEN:
            counted += 1  # an invented commitment marked high
    return right, counted


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bptrack", default=str(ROOT / ".venv" / "bin" / "bptrack"))
    ap.add_argument("--markdown", help="rewrite the reading section of this file")
    args = ap.parse_args()
    if not (CORPUS / "score.py").exists():
        print(f"no corpus at {CORPUS}: nothing to measure")
        return 0
    scored = subprocess.run([sys.executable, str(CORPUS / "score.py"), "--bptrack",
                             args.bptrack], capture_output=True, text=True, check=True).stdout
    print(scored, end="")
    home = tempfile.mkdtemp(prefix="bptrack-corpus-")
    env = dict(os.environ, HOME=home, XDG_DATA_HOME=f"{home}/data",
               XDG_CONFIG_HOME=f"{home}/config", BPTRACK_DB=f"{home}/tracker.db",
               COLUMNS="200")
    env.pop("BPTRACK_ACTOR", None)
    subprocess.run([args.bptrack, "db", "init"], capture_output=True, env=env, check=True)
    right = counted = 0
    rows = []
    for exp_path in sorted((CORPUS / "statements").glob("*-expected.json")):
        stem = exp_path.name.removesuffix("-expected.json")
        doc = next((exp_path.parent / (stem + s) for s in SUFFIXES
                    if (exp_path.parent / (stem + s)).exists()), None)
        got = read(args.bptrack, doc, env) if doc else None
        if got is None:
            continue
        r, c = confidence(got, json.loads(exp_path.read_text(encoding="utf-8")))
        right, counted = right + r, counted + c
        rows.append((stem, r, c))
    share = right / counted if counted else 1.0
    print(f"high confidence right: {right}/{counted} = {share:.1%}")
    if args.markdown:
        write_section(Path(args.markdown), scored, right, counted)
    return 0


def write_section(path: Path, scored: str, right: int, counted: int) -> None:
    lines = [BEGIN, "", "Real published statements (`../shared/corpus`, 22 statements of several "
             "forums, read through the installed console script; figures only, none of their "
             "text is in this repository):", "", "| statement | strict | commitments "
             "(recall) | precision |", "|---|---|---|---|"]
    for line in scored.splitlines():
        m = re.match(r"\s+(\S+): strict (\d+/\d+); commitments (\d+/\d+), precision (\d+/\d+)",
                     line)
        if m:
            lines.append(f"| {m.group(1)} | {m.group(2)} | {m.group(3)} | {m.group(4)} |")
    totals = [line for line in scored.splitlines() if line.startswith(("commitments:",
                                                                       "strict:"))]
    lines += ["", *[f"- {t}" for t in totals],
              f"- items marked `high` that are right: {right}/{counted} = "
              f"{right / max(counted, 1):.1%}", "", END]
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + "\n".join(lines) + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n## Reading real statements\n\n" + "\n".join(lines) + "\n"
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
