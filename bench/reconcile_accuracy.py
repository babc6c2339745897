"""How well `meeting reconcile` matches a new statement to earlier actions: precision and
recall on labelled follow-up statements, at a sweep of thresholds and at the default.

bench/reconcile/ holds statements that follow the AHG16 seed (written for this project, in the
seed's style: work reported done, work carried forward, and unrelated work in similar words)
and labels.json, the true pairs. Each statement is imported into a fresh seeded database
through the service, as `meeting import` does; its proposals are compared with the labels; then
the labelled `done` pairs are closed, as a secretariat would, before the next statement.

A proposal is right when its earlier action, its verdict (done or progress) and its evidence
are all the labelled ones. Exits 1 when precision < 90% or recall < 80% at the default.

    python bench/reconcile_accuracy.py
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from bptrack import service
from bptrack.config import Settings
from bptrack.service import meetings
from bptrack.service.reconcile import DEFAULT_MIN_SCORE

HERE = Path(__file__).parent / "reconcile"
THRESHOLDS = [round(0.30 + 0.05 * n, 2) for n in range(11)]


def main() -> int:
    labels = json.loads((HERE / "labels.json").read_text(encoding="utf-8"))
    found: list[tuple[float, bool]] = []  # (score, right) of every proposal at threshold 0
    expected = 0
    with tempfile.TemporaryDirectory() as folder:
        store = service.connect(str(Path(folder) / "bench.db"), Settings()).store
        for step in labels["steps"]:
            meetings.import_statement(store, "bench", str(HERE / step["statement"]))
            pairs = {ref: tuple(pair) for ref, pair in step["pairs"].items()}
            expected += len(pairs)
            proposals = meetings.reconcile_meeting(store, step["meeting"], min_score=0.0)
            print(f"{step['meeting']}: {len(pairs)} true pairs")
            for p in proposals:
                right = pairs.get(p["ref"]) == (p["proposed"], p["evidence"]["ref"])
                found.append((p["score"], right))
                if p["score"] >= 0.3 or right:
                    print(f"  {'ok ' if right else 'BAD'} {p['score']:.3f} {p['ref']} "
                          f"{p['proposed']:8} <- {p['evidence']['ref']}")
            shown = {p["ref"] for p in proposals}
            for ref, (verdict, evidence) in pairs.items():
                if ref not in shown:
                    print(f"  MISSED  {ref} {verdict} <- {evidence}")
            done = [ref for ref, (verdict, _) in pairs.items() if verdict == "done"]
            if done:
                service.set_status(store, "bench", done, "done", note="labelled done")
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
    return 0 if result[0] >= 0.9 and result[1] >= 0.8 else 1


if __name__ == "__main__":
    sys.exit(main())
