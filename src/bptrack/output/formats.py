"""Data for scripts and files, one writer per format: json, csv, tsv, md, ids and plain text
lines, and whole files (a workbook, a document) written whole or not at all."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import IO, TYPE_CHECKING, Any, TypeVar

from bptrack.output.cells import csv_cells, md_cell, one_line
from bptrack.output.terminal import table

if TYPE_CHECKING:
    from pathlib import Path


JSON = json.JSONEncoder(ensure_ascii=False)  # the C encoder: microseconds an object


BOM = "\ufeff"  # what Excel needs to read a CSV file as UTF-8


def data_line(text: str, out: IO[str] | None = None) -> None:
    print(text, file=out or sys.stdout)


def data_text(text: str, out: IO[str] | None = None) -> None:
    (out or sys.stdout).write(text)


# --- generic records ----------------------------------------------------------------------

def write_document(value: Any, out: IO[str]) -> None:
    """One JSON document (an object, for `show` and the like), indented for people."""
    out.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def write_json(records: Iterable[Any], out: IO[str]) -> int:
    """A JSON array, one object a line, written as the records arrive (a long list streams)."""
    count = 0
    out.write("[")
    for record in records:
        out.write("\n" if count == 0 else ",\n")
        out.write(JSON.encode(record))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def write_delimited(records: Iterable[dict[str, Any]], fields: Sequence[str], out: IO[str],
                     delimiter: str) -> int:
    count = 0
    pick = _picker(fields)
    if delimiter == "\t":
        out.write("\t".join(fields) + "\n")
        for record in records:
            out.write("\t".join([one_line(v) for v in csv_cells(pick(record))]) + "\n")
            count += 1
        return count
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fields)
    for record in records:
        writer.writerow(csv_cells(pick(record)))
        count += 1
    return count


def _picker(fields: Sequence[str]) -> Callable[[dict[str, Any]], Sequence[Any]]:
    """The fields' values of a record, in order (None for a missing one): itemgetter's C,
    for the 100,000 rows of a long list, and dict.get where a record lacks a field."""
    from operator import itemgetter

    get = itemgetter(*fields) if len(fields) > 1 else None

    def pick(record: dict[str, Any]) -> Sequence[Any]:
        if get is not None:
            try:
                return get(record)  # type: ignore[no-any-return]
            except KeyError:
                pass
        return [record.get(f) for f in fields]

    return pick


def records(rows: Iterable[dict[str, Any]], columns: Sequence[tuple[str, str]], fmt: str,
            out: IO[str] | None = None, *, highlight: str | None = None) -> int:
    """Any list of flat records (bodies, members, history) in any output format."""
    out = out or sys.stdout
    fields = [f for f, _ in columns]
    if fmt == "json":
        return write_json(rows, out)
    if fmt == "csv":
        return write_delimited(rows, fields, out, ",")
    if fmt == "tsv":
        return write_delimited(rows, fields, out, "\t")
    count = 0
    if fmt == "md":
        out.write("| " + " | ".join(h for _, h in columns) + " |\n")
        out.write("|" + "|".join("---" for _ in columns) + "|\n")
        for row in rows:
            out.write("| " + " | ".join(md_cell(row.get(f)) for f, _ in columns) + " |\n")
            count += 1
        return count
    if fmt == "ids":
        for row in rows:
            out.write(f"{one_line(row.get(fields[0]))}\n")
            count += 1
        return count
    listed = list(rows)
    table(listed, columns, out, highlight=highlight)
    return len(listed)


def write_json_lines(items: Iterable[Any], out: IO[str], indent: str) -> int:
    count = 0
    for item in items:
        out.write(("\n" if count == 0 else ",\n") + indent + JSON.encode(item))
        count += 1
    return count


def write_workbook(path: str | None, produce: Callable[[IO[bytes]], object], *,
                   database: Path | None = None, force: bool = False) -> None:
    """A workbook to FILE, or to stdout (`-`) when that is not a terminal: never binary to a
    terminal."""
    from bptrack.errors import InvalidValue
    from bptrack.output.files import writing

    if path is None:
        raise InvalidValue("--format xlsx writes a workbook: give --output FILE.xlsx")
    if path == "-":
        if sys.stdout.isatty():
            raise InvalidValue("a workbook is binary: not written to a terminal; give "
                               "--output FILE.xlsx or redirect stdout")
        sys.stdout.flush()
        produce(sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return
    with writing(path, binary=True, database=database, force=force, shared=True) as fh:
        produce(fh)


def write_file(path: str, text: str, *, database: Path | None = None,
               force: bool = False) -> None:
    """Write a whole file or nothing, never over the database (see files.writing). Reports
    and calendars are for sharing: a new one follows the umask."""
    from bptrack.output.files import replacing

    with replacing(path, database=database, force=force, shared=True) as fh:
        fh.write(text)


T = TypeVar("T")


def emit(fmt: str, output: str | None, writer: Callable[[IO[Any]], T], *, what: str,
         database: Path | None = None, force: bool = False, bom: bool = False,
         private: bool = False) -> T:
    """Every document a command writes, one way: `writer` writes it into the stream it is
    given. `output` None or `-` is stdout (a workbook never to a terminal); a file is written
    whole or not at all, never over the database, and then named on stderr. A csv starts
    with a byte-order mark when `bom` says so (for Excel). A file is made to be handed on
    (it follows the umask) unless it is `private` (an export: 0600)."""
    from bptrack.errors import InvalidValue
    from bptrack.output.files import writing
    from bptrack.output.messages import message

    binary = fmt in ("xlsx", "docx")
    if output in (None, "-"):
        if binary:
            kind = "a workbook" if fmt == "xlsx" else "a Word document"
            if output is None:
                raise InvalidValue(f"--format {fmt} writes {kind}: give --output FILE.{fmt}")
            if sys.stdout.isatty():
                raise InvalidValue(f"{kind} is binary: not written to a terminal; give "
                                   f"--output FILE.{fmt} or redirect stdout")
            sys.stdout.flush()
            result = writer(sys.stdout.buffer)
            sys.stdout.buffer.flush()
            return result
        if fmt == "csv" and bom:
            sys.stdout.write(BOM)
        return writer(sys.stdout)
    assert output is not None
    with writing(output, binary=binary, database=database, force=force, shared=not private,
                 private=private) as fh:
        if fmt == "csv" and bom:
            fh.write(BOM)
        result = writer(fh)
    message(f"Wrote the {what} to {output}.")
    return result
