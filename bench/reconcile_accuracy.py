"""How well `meeting reconcile` matches a new statement to earlier actions: precision and
recall on labelled follow-up statements, at a sweep of thresholds and at the default.

bench/reconcile/ holds statements that follow the AHG16 seed (written for this project, in the
seed's style: work reported done, work carried forward, unrelated work in similar words, and
the next occurrence of a recurring work beside the report of the last) and labels.json, the
true pairs. Each statement is imported into a seeded database through the service, as
`meeting import` does (a step marked fresh starts a new one); its proposals are compared with
the labels; then the labelled `done` pairs are closed, as a secretariat would, before the next
statement. Earlier actions and evidence are named by a phrase of their sentence (or an AHG16
ref), so that the labels hold however the reader numbers items.

A proposal is right when its earlier action, its verdict (done, progress or carried) and its
evidence are all the labelled ones, and, where a label names a successor, the proposal links it. A
proposal for an earlier action the step does not label is wrong. Exits 1 when precision or
recall < 95% at the default.

    python bench/reconcile_accuracy.py
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from bptrack import service
from bptrack.config import Settings
from bptrack.service import meetings, statements
from bptrack.service.reconcile import DEFAULT_MIN_SCORE

HERE = Path(__file__).parent / "reconcile"
THRESHOLDS = [round(0.30 + 0.05 * n, 2) for n in range(11)]


def _plain(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split())


def _named(name: str, action: dict[str, Any]) -> bool:
    """Whether a label's name (an AHG16 ref or a phrase of the sentence) is this action."""
    if name.startswith("AHG16-"):
        return bool(action["ref"] == name)
    return _plain(name) in _plain(action.get("source") or action.get("title") or "")


def main() -> int:
    labels = json.loads((HERE / "labels.json").read_text(encoding="utf-8"))
    found: list[tuple[float, bool]] = []  # (score, right) of every proposal at threshold 0
    expected = 0
    with tempfile.TemporaryDirectory() as folder:
        target = ""
        for number, step in enumerate(labels["steps"]):
            if number == 0 or step.get("fresh"):
                target = str(Path(folder) / f"bench{number}.db")
                service.connect(target, Settings()).store.close()
            tools = service.open_schema_tools(target, Settings()).store
            store = service.connect(target, Settings()).store
            statements.import_statement(store, lambda t=tools: t, "bench",
                                        str(HERE / step["statement"]))
            everything = service.list_actions(store, service.ActionQuery(everything=True)
                                              ).actions
            pairs = step["pairs"]
            expected += len(pairs)
            proposals = meetings.reconcile_meeting(store, step["meeting"], min_score=0.0)
            print(f"{step['meeting']} ({step['statement']}): {len(pairs)} true pairs")
            matched: set[int] = set()
            for p in proposals:
                earlier = next(a for a in everything if a["ref"] == p["ref"])
                label = next((n for n, pair in enumerate(pairs)
                              if _named(pair["earlier"], earlier)), None)
                right = False
                if label is not None:
                    pair = pairs[label]
                    successor = p.get("successor")
                    right = (p["proposed"] == pair["proposed"]
                             and _named(pair["evidence"], p["evidence"])
                             and (("successor" not in pair and successor is None) or (
                                 "successor" in pair and successor is not None
                                 and _named(pair["successor"], successor))))
                    if right:
                        matched.add(label)
                found.append((p["score"], right))
                if p["score"] >= 0.3 or right:
                    print(f"  {'ok ' if right else 'BAD'} {p['score']:.3f} {p['ref']} "
                          f"{p['proposed']:8} <- {' '.join(p['evidence']['source'].split()[:9])}"
                          + (f" (then {p['successor']['ref']})" if p.get("successor") else ""))
            for n, pair in enumerate(pairs):
                if n not in matched:
                    print(f"  MISSED  {pair['earlier']} {pair['proposed']} <- {pair['evidence']}")
            done = [a["ref"] for a in everything for pair in pairs
                    if pair["proposed"] == "done" and _named(pair["earlier"], a)
                    and a["status"] in ("open", "in_progress", "blocked")]
            if done:
                service.set_status(store, "bench", done, "done", note="labelled done")
            tools.close()
            store.close()
    print(f"\n{'threshold':>9} {'proposals':>9} {'right':>5} {'precision':>9} {'recall':>6}")
    result = (0.0, 0.0)
    for threshold in sorted({*THRESHOLDS, DEFAULT_MIN_SCORE}):
        kept = [right for score, right in found if score >= threshold]
        precision = sum(kept) / len(kept) if kept else 1.0
        recall = sum(kept) / expected
        mark = "  <- default" if threshold == DEFAULT_MIN_SCORE else ""
        print(f"{threshold:9.2f} {len(kept):9} {sum(kept):5} {precision:9.0%} {recall:6.0%}{mark}")
        if threshold == DEFAULT_MIN_SCORE:
            result = (precision, recall)
    print(f"\nAt the default threshold {DEFAULT_MIN_SCORE}: precision {result[0]:.0%}, "
          f"recall {result[1]:.0%} ({expected} labelled pairs)")
    return 0 if result[0] >= 0.95 and result[1] >= 0.95 else 1


if __name__ == "__main__":
    sys.exit(main())
