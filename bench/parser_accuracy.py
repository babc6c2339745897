"""How well the statement reader reads statements the tests never see, scored strictly.

Each file in bench/statements/ has its expected reading in expected.json: its style, the
meeting's ref, date, location and number of attendees, and (kind, owner, due) per item. The
seed statement is scored against its reviewed items too.

Strict: the items read are aligned with the expected ones in order, and each item read may
count for one expected item only; an action or ongoing item read where none is expected (an
invented open item) counts against. Score = matched / (expected + invented open items).
An owner is invented when the statement names it nowhere. Prints per statement, per style
and overall; exits 1 below 95% overall, below 100% on the seed, or on any invented owner.

    python bench/parser_accuracy.py [-v]
"""

from __future__ import annotations

import difflib
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

from bptrack import reading
from bptrack.reading.bodies import core
from bptrack.reading.known import find_entities
from bptrack.reading.words import fold
from bptrack.service import seeding

HERE = Path(__file__).parent / "statements"
OPEN = ("action", "ongoing")
_MEMBER_WORDS = re.compile(r"\b(?:members?|participants|ministers|senior officials|meeting|"
                           r"delegat\w+|we)\b")


def owner_named(text: str, code: str, name: str) -> bool:
    """Does the statement name this owner anywhere (by name, code or a known spelling)?"""
    low = fold(text)
    if code in ("MEMBERS", "PARTICIPANTS") or code.endswith("-MEMBERS"):
        return bool(_MEMBER_WORDS.search(low))  # a forum's members: "We", "Ministers" …
    if code == "CC":
        return "co-chair" in low
    return (core(name) in " ".join(low.split()) or re.search(rf"\b{re.escape(code)}\b", text)
            is not None or any(e.code == code for _, _, e in find_entities(text))
            or all(w in low for w in core(name).split() if len(w) > 3))


def score(got: list[list[object]], expected: list[list[object]]) -> tuple[int, int, int]:
    """(matched, expected, invented open items)."""
    matcher = difflib.SequenceMatcher(a=[tuple(g) for g in got],
                                      b=[tuple(e) for e in expected], autojunk=False)
    matched_got: set[int] = set()
    for block in matcher.get_matching_blocks():
        matched_got.update(range(block.a, block.a + block.size))
    matched = len(matched_got)
    invented = sum(1 for n, g in enumerate(got) if n not in matched_got and g[0] in OPEN
                   and sum(1 for e in expected if e[0] in OPEN) < sum(
                       1 for x in got if x[0] in OPEN))
    return matched, len(expected), invented


def main() -> int:
    verbose = "-v" in sys.argv
    doc, seed_text = seeding.read_seed()
    known = [reading.BodyRef(b["code"], b["name"], b["kind"]) for b in doc["bodies"]]
    cases = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))
    cases = {"(seed) ahg-som-16-outcomes.txt": {
        "style": "seed", "text": seed_text, "meeting": None,
        "items": [[i["kind"], i["owner"], i["due"]] for i in doc["items"]]}, **cases}
    by_style: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    invented_owners = meetings_right = meetings = 0
    for name, case in cases.items():
        text = case.get("text") or (HERE / name).read_text(encoding="utf-8")
        try:
            parsed = reading.parse_statement(text, known)
        except reading.StatementError as exc:
            print(f"{name}: REFUSED ({exc})")
            by_style[case["style"]][1] += len(case["items"])
            continue
        got = [[i.kind, i.owner, i.due.isoformat() if i.due else None] for i in parsed.items]
        matched, expected, invented = score(got, case["items"])
        for n, part in enumerate((matched, expected, invented)):
            by_style[case["style"]][n] += part
        unnamed = sorted({i.owner for i in parsed.items
                          if not owner_named(text, i.owner, i.owner_name)})
        invented_owners += len(unnamed)
        line = f"{name} [{case['style']}]: {matched}/{expected} matched, {invented} invented open"
        if unnamed:
            line += f", owners named nowhere: {', '.join(unnamed)}"
        if case["meeting"]:
            m = parsed.meeting
            read = {"ref": m.ref, "date": m.date.isoformat() if m.date else None,
                    "location": m.location, "attendees": len(m.attendees)}
            meetings += 1
            if read == case["meeting"]:
                meetings_right += 1
            else:
                line += f"; meeting read {read}, expected {case['meeting']}"
        print(line)
        if verbose or matched < expected or invented:
            for row in difflib.ndiff([str(e) for e in case["items"]], [str(g) for g in got]):
                if verbose or row[:1] in "+-":
                    print(f"    {row}")
    print()
    total = [0, 0, 0]
    for style, (matched, expected, invented) in sorted(by_style.items()):
        share = matched / (expected + invented) if expected + invented else 1.0
        print(f"{style:10} {matched:3}/{expected + invented:<3} {share:6.1%}")
        total = [t + p for t, p in zip(total, (matched, expected, invented), strict=True)]
    overall = total[0] / (total[1] + total[2])
    seed = by_style["seed"]
    seed_share = seed[0] / (seed[1] + seed[2])
    print(f"{'overall':10} {total[0]:3}/{total[1] + total[2]:<3} {overall:6.1%}  "
          f"(invented open items {total[2]}, owners named nowhere {invented_owners}, "
          f"meetings read right {meetings_right}/{meetings})")
    return 0 if overall >= 0.95 and seed_share == 1.0 and invented_owners == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
