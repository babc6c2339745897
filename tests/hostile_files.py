"""Hostile inputs, made on the spot: the files of the adversarial pass that once hung bptrack,
exhausted its memory or ran for minutes. tests/test_hostile_inputs.py runs each through the
installed console script; bench/hostile.py times them and records their peak memory.

Each maker writes its file(s) under a folder and returns the command line to run there (and
the environment to add), and what the one `Error:` line must say.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

KILL_AFTER = 120  # seconds: a case still running then has hung


@dataclass(frozen=True)
class Case:
    args: list[str]
    says: str  # a fragment of the Error: line, in lower case
    env: dict[str, str] = field(default_factory=dict)


def run_bounded(args: list[str], folder: Path, env: dict[str, str] | None = None
                ) -> tuple[int, str, float, float]:
    """(exit code, stderr, seconds, peak MB) of the installed bptrack run on `args`: the peak
    is the process's own (wait4), so each case is measured alone."""
    import threading

    home = folder / "home"
    home.mkdir(exist_ok=True)
    environment = {k: v for k, v in os.environ.items() if not k.startswith("BPTRACK_")}
    environment.update({"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
                        "XDG_DATA_HOME": str(home / ".local" / "share"),
                        "BPTRACK_DB": str(folder / "tracker.db"), "BPTRACK_ACTOR": "tester",
                        **(env or {})})
    started = time.monotonic()
    proc = subprocess.Popen([str(Path(sys.executable).parent / "bptrack"), *args],
                            cwd=folder, env=environment, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    killer = threading.Timer(KILL_AFTER, proc.kill)
    killer.start()
    try:
        assert proc.stderr is not None
        stderr = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        killer.cancel()
        proc.stderr and proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    return proc.returncode, stderr.decode(errors="replace"), seconds, usage.ru_maxrss / 1024


def fifo(folder: Path, command: list[str]) -> Case:
    path = folder / "pipe"
    os.mkfifo(path)
    return Case([*command, str(path)], "fifo")


def fifo_config(folder: Path) -> Case:
    path = folder / "config.toml"
    os.mkfifo(path)
    return Case(["list"], "fifo", {"BPTRACK_CONFIG": str(path)})


def sparse_zeros(folder: Path) -> Case:
    """/dev/zero's twin on disk: an 8 GB file of zeros that takes no space."""
    path = folder / "zeros.txt"
    with open(path, "wb") as fh:
        fh.truncate(8 * 1024**3)
    return Case(["meeting", "import", str(path)], "at most")


def nested_html(folder: Path) -> Case:
    path = folder / "nested.html"
    path.write_text("<html><body><main>" + "<ul><li>Will act" * 40_000 + "</main></body></html>")
    return Case(["meeting", "import", str(path)], "nests lists")


_COMMITMENT = ("The Working Group on Trafficking in Persons will hold a regional workshop on "
               "victim identification in 2027 and the Regional Support Office agreed to publish "
               "a report, ")


def one_line(folder: Path, megabytes: int) -> Case:
    """A statement of one line without a full stop, dense with commitments."""
    path = folder / f"one-line-{megabytes}mb.txt"
    size = megabytes * 1024 * 1024
    path.write_text((_COMMITMENT * (size // len(_COMMITMENT) + 1))[:size])
    return Case(["meeting", "import", str(path)], "more than 2,000 items")


def prose(folder: Path, megabytes: int) -> Path:
    """One line of running prose, with commas and no full stop: the reader reads all of it."""
    rng = random.Random(megabytes)
    words = ("the delegates weather was pleasant and seated in hall with lunch coffee talks "
             "long day of meetings for all regional partners members offices records").split()
    out, size = [], 0
    while size < megabytes * 1024 * 1024:
        word = rng.choice(words) + ("," if rng.random() < 0.05 else "")
        out.append(word)
        size += len(word) + 1
    path = folder / f"prose-{megabytes}mb.txt"
    path.write_text(" ".join(out))
    return path


def web_page(folder: Path) -> Path:
    """A saved web page of 4.9 MB: paragraph after paragraph of prose (once 89 s to read)."""
    rng = random.Random(3)
    words = ("the delegates weather was pleasant and seated in hall with lunch coffee talks "
             "long day of meetings for all regional partners members offices records").split()
    out, size = ["<html><body><main>"], 0
    while size < 4.9 * 1024 * 1024:
        paragraph = "<p>" + " ".join(rng.choice(words) for _ in range(60)) + ".</p>\n"
        out.append(paragraph)
        size += len(paragraph)
    path = folder / "page.html"
    path.write_text("".join(out) + "</main></body></html>")
    return path


def _xlsx(path: Path, sheet_xml: bytes | None = None, strings: Callable[[zipfile.ZipFile],
                                                                        None] | None = None
          ) -> None:
    """A minimal workbook, its parts written straight into the zip."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        book.writestr("[Content_Types].xml", (
            f'<?xml version="1.0"?><Types xmlns="{pkg}/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats'
            '-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets'
            '/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
            'sharedStrings+xml"/></Types>'))
        book.writestr("_rels/.rels", (
            f'<?xml version="1.0"?><Relationships xmlns="{pkg}/relationships"><Relationship '
            f'Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>'))
        book.writestr("xl/workbook.xml", (
            f'<?xml version="1.0"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets><sheet '
            'name="Tracker" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        book.writestr("xl/_rels/workbook.xml.rels", (
            f'<?xml version="1.0"?><Relationships xmlns="{pkg}/relationships"><Relationship '
            f'Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship '
            f'Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
            '</Relationships>'))
        book.writestr("xl/worksheets/sheet1.xml", sheet_xml or (
            f'<?xml version="1.0"?><worksheet xmlns="{main}"><sheetData><row r="1"><c r="A1" '
            't="s"><v>0</v></c></row></sheetData></worksheet>').encode())
        if strings is not None:
            strings(book)
        else:
            book.writestr("xl/sharedStrings.xml", (
                f'<?xml version="1.0"?><sst xmlns="{main}"><si><t>Action</t></si></sst>'))


def xfd_xlsx(folder: Path) -> Case:
    """200,000 rows of one cell each at column XFD, the last one (about 1 MB)."""
    path = folder / "xfd.xlsx"
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rows = "".join(f'<row r="{n}"><c r="XFD{n}" t="n"><v>1</v></c></row>'
                   for n in range(1, 200_001))
    _xlsx(path, (f'<?xml version="1.0"?><worksheet xmlns="{main}"><dimension '
                 f'ref="A1:XFD200000"/><sheetData>{rows}</sheetData></worksheet>').encode())
    return Case(["import", str(path)], "beyond column")


def shared_string_bomb(folder: Path) -> Case:
    """One shared string of 3 GB, deflated to a few MB."""
    path = folder / "bomb.xlsx"
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

    def strings(book: zipfile.ZipFile) -> None:
        with book.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(f'<?xml version="1.0"?><sst xmlns="{main}"><si><t>'.encode())
            chunk = b"A" * (64 * 1024 * 1024)
            for _ in range(48):  # 3 GB
                part.write(chunk)
            part.write(b"</t></si></sst>")

    _xlsx(path, strings=strings)
    return Case(["import", str(path)], "unzips")


def big_csv(folder: Path) -> Case:
    path = folder / "big.csv"
    with open(path, "w") as fh:
        fh.write("Ref,Action,Lead,Deadline,Status\n")
        for n in range(1, 260_001):
            fh.write(f"BIG-{n},Hold workshop number {n},RSO,2027-06-30,Open\n")
    return Case(["import", str(path)], "more than 100,000 rows")


def huge_cell_csv(folder: Path) -> Case:
    path = folder / "cell.csv"
    path.write_text("Action,Lead\n" + "x" * 140_000 + ",RSO\n")
    return Case(["import", str(path)], "at most 32,767")


def nul_csv(folder: Path) -> Case:
    path = folder / "nul.csv"
    path.write_text("Action,Lead\nHold a workshop,RSO\nHold a\x00 second one,RSO\n")
    return Case(["import", str(path)], "line 3 holds a nul")


def deep_json(folder: Path, command: list[str]) -> Case:
    path = folder / "deep.json"
    path.write_text("[" * 200_000)
    return Case([*command, str(path)], "levels deep")


def huge_integer_items(folder: Path, statement: Path) -> Case:
    path = folder / "items.json"
    path.write_text(json.dumps({"meeting": {"ref": "X1"}, "items": [{"kind": "action"}]})
                    .replace('"X1"}', '"X1", "ordinal": ' + "9" * 5000 + "}"))
    return Case(["meeting", "import", str(statement), "--items", str(path)], "digits")


def binary_config(folder: Path) -> Case:
    path = folder / "config.toml"
    path.write_bytes(bytes(range(256)) * 4)
    return Case(["list"], "not utf-8", {"BPTRACK_CONFIG": str(path)})


def statement_file(folder: Path) -> Path:
    """A small statement the --items case names (its items come from the items file)."""
    path = folder / "statement.txt"
    path.write_text("On 1 May 2026 the Co-Chairs hosted the Twenty-first Meeting of the Ad Hoc "
                    "Group Senior Officials in Bali, Indonesia.\n\nThe Regional Support Office "
                    "will publish a report in 2027.\n")
    return path


# name → maker(folder): every case of the suite, in the order the issue lists them.
CASES: dict[str, Callable[[Path], Case]] = {
    "fifo statement": lambda d: fifo(d, ["meeting", "import"]),
    "fifo spreadsheet": lambda d: fifo(d, ["import"]),
    "fifo export": lambda d: fifo(d, ["db", "load"]),
    "fifo config": fifo_config,
    "/dev/zero": lambda d: Case(["meeting", "import", "/dev/zero"], "device"),
    "/dev/zero twin (8 GB sparse)": sparse_zeros,
    "nested html (40,000 lists)": nested_html,
    "one-line text 1 MB": lambda d: one_line(d, 1),
    "one-line text 2 MB": lambda d: one_line(d, 2),
    "xlsx at column XFD": xfd_xlsx,
    "xlsx shared-string bomb (3 GB)": shared_string_bomb,
    "csv of 260,000 rows": big_csv,
    "csv cell over 131,072 characters": huge_cell_csv,
    "csv with a NUL": nul_csv,
    "deep json as db load": lambda d: deep_json(d, ["db", "load"]),
    "deep json as --items": lambda d: deep_json(d, ["meeting", "import",
                                                    str(statement_file(d)), "--items"]),
    "5,000-digit integer in --items": lambda d: huge_integer_items(d, statement_file(d)),
    "binary config": binary_config,
}
