"""How well the statement parser reads statements the tests never see.

Each file in bench/statements/ has its expected reading (kind, owner, due per item) in
expected.json. Prints per-item results and the share read right; exits 1 below 90% or when an
invented open item (an action or ongoing item where the reading has none) appears.

    python bench/parser_accuracy.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bptrack import reading as statements
from bptrack import seeding

HERE = Path(__file__).parent / "statements"


def main() -> int:
    doc, _ = seeding.read_seed()
    known = [statements.BodyRef(b["code"], b["name"], b["kind"]) for b in doc["bodies"]]
    expected = json.loads((HERE / "expected.json").read_text())
    right = total = invented = 0
    for name, items in expected.items():
        parsed = statements.parse_statement((HERE / name).read_text(encoding="utf-8"), known)
        got = [[i.kind, i.owner, i.due.isoformat() if i.due else None] for i in parsed.items]
        print(f"{name}: {len(got)} items read, {len(items)} expected")
        for n in range(max(len(got), len(items))):
            g = got[n] if n < len(got) else None
            e = items[n] if n < len(items) else None
            ok = g == e
            right += ok
            total += 1
            if g and g[0] in ("action", "ongoing") and (e is None or e[0] not in
                                                          ("action", "ongoing")):
                invented += 1
            print(f"  {'ok ' if ok else 'BAD'} got={g} expected={e}")
    share = right / total if total else 0.0
    print(f"\n{right}/{total} items right ({share:.0%}); invented open items: {invented}")
    return 0 if share >= 0.9 and invented == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
