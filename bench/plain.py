"""What a plain Python script does with the same rows, for bench/run.py to time bptrack
against in the same run (never imported by bptrack):

    python bench/plain.py csv|json DB OUT     the actions, the columns of `list --format csv`,
                                              in its order (soonest due first, undated last)
    python bench/plain.py load EXPORT DB      an export's rows into a new database whose
                                              tables exist already, by executemany
    python bench/plain.py xlsx FILE           every cell of a workbook, read by openpyxl
    python bench/plain.py pdf FILE            a PDF's text, page by page, by pypdf
"""

from __future__ import annotations

import csv
import json
import sqlite3
import sys

COLUMNS = ("a.id, a.ref, a.title, a.kind, a.status, b.code, b.name, a.partners, a.assignee, "
           "a.assignee_email, a.due, 0, m.ref, a.source, a.resolution, a.created_at, "
           "a.updated_at, a.closed_at, a.follows, a.followed_by")
NAMES = ("id", "ref", "title", "kind", "status", "owner", "owner_name", "partners", "assignee",
         "assignee_email", "due", "overdue", "meeting", "source", "resolution", "created_at",
         "updated_at", "closed_at", "follows", "followed_by")


def rows(db: str) -> sqlite3.Cursor:
    return sqlite3.connect(db).execute(
        f"SELECT {COLUMNS} FROM action a JOIN body b ON a.owner_id = b.id "
        "LEFT JOIN meeting m ON a.meeting_id = m.id ORDER BY a.due IS NULL, a.due, a.id")


def main(kind: str, source: str, dest: str = "") -> None:
    if kind == "csv":
        with open(dest, "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(NAMES)
            writer.writerows(rows(source))
    elif kind == "json":
        with open(dest, "w", encoding="utf-8") as out:
            out.write("[\n" + ",\n".join(
                json.dumps(dict(zip(NAMES, row, strict=True)), ensure_ascii=False)
                for row in rows(source)) + "\n]\n")
    elif kind == "load":
        with open(source, encoding="utf-8") as fh:
            export = json.load(fh)
        conn = sqlite3.connect(dest)
        for table, records in export["tables"].items():
            if records:
                names = list(records[0])
                conn.executemany(f'INSERT INTO "{table}" ({", ".join(names)}) VALUES '
                                 f'({", ".join("?" for _ in names)})',
                                 [[r.get(n) for n in names] for r in records])
        conn.commit()
    elif kind == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(source, read_only=True, data_only=True)
        for ws in book.worksheets:
            for _ in ws.iter_rows(values_only=True):
                pass
    elif kind == "pdf":
        from pypdf import PdfReader

        for page in PdfReader(source).pages:
            page.extract_text()
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(*sys.argv[1:4])
