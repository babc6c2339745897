"""Stage 0: a statement file → its text, whatever it was saved as.

Plain text and Markdown are read as they are. A PDF (pypdf) gives its text in reading order;
the text stage then drops its page furniture and joins its hyphenations. A Word file
(python-docx) gets its list numbering and bullets back as markers, with their nesting, its
headings as Markdown headings, and its tables row by row. A saved web page gives its main
content only. The format is told by content (magic bytes), then by the file's suffix.

PDF and Word files are read in a child process with bounded time and memory, so that a hostile
file (deep nesting, a huge stream, a zip bomb) cannot hang or exhaust bptrack: this module
tells the format, starts the child and reads its answer; `pdf_docx` is the child's side, and
`webpage` reads a saved web page.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bptrack.errors import DocumentError

MAX_TEXT_BYTES = 5 * 1024 * 1024  # a statement's text
MAX_DOCUMENT_BYTES = 25 * 1024 * 1024  # a PDF or Word file around it
CHILD_SECONDS = 30
CHILD_MEMORY = 768 * 1024 * 1024


@dataclass(frozen=True)
class Document:
    text: str
    format: str  # txt, md, pdf, docx or html


def kind_of_file(data: bytes, name: str) -> str:
    """The file's format, by its first bytes, then by its suffix."""
    head = data[:2048]
    suffix = Path(name).suffix.lower()
    if head.lstrip()[:5] == b"%PDF-" or head[:1024].find(b"%PDF-") >= 0:
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if head.startswith(b"PK\x03\x04"):
        return "docx" if b"word/" in data[:65536] or suffix == ".docx" else "zip"
    probe = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if probe.startswith((b"<!doctype html", b"<html", b"<?xml")) and (
            b"<html" in head.lower() or suffix in (".html", ".htm", ".xhtml")):
        return "html"
    if suffix in (".html", ".htm", ".xhtml") and b"<" in head:
        return "html"
    return "md" if suffix in (".md", ".markdown") else "txt"


def read_document(data: bytes, name: str) -> Document:
    """The statement's text from a file's bytes, or a clear DocumentError."""
    return start_reading(data, name).result()


class Reading:
    """A statement file being read: a PDF or Word file by a child process, which works while
    this one goes on (importing the reader, say) until `result()` is asked for."""

    def __init__(self, name: str, kind: str, text: str | None = None,
                 child: subprocess.Popen[bytes] | None = None) -> None:
        self.name, self.kind, self._text, self._child = name, kind, text, child

    def result(self) -> Document:
        """The file's text, or a clear DocumentError."""
        text = self._child_text(self._child) if self._child is not None else self._text or ""
        if not text.strip():
            raise DocumentError(f"{self.name} is empty" if self.kind in ("txt", "md") else
                                f"{self.name} has no text")
        if len(text.encode()) > MAX_TEXT_BYTES:
            raise DocumentError(f"{self.name} holds more than 5 MB of text; a statement is at "
                                "most 5 MB")
        return Document(text, self.kind)

    def _child_text(self, child: subprocess.Popen[bytes]) -> str:
        # While the child reads, this process loads the reader that will read its text: on
        # the other core, the 0.05 s of imports and compiled patterns cost nothing.
        importlib.import_module("bptrack.reading.statement")
        try:
            out, _ = child.communicate(timeout=CHILD_SECONDS)
        except subprocess.TimeoutExpired as exc:
            raise DocumentError(f"{self.name} took more than {CHILD_SECONDS} s to read: "
                                "refused (a damaged or hostile file?)") from exc
        finally:
            if child.poll() is None or child.returncode:  # stopped, or stopped short: it
                with suppress(ProcessLookupError):       # and the reader it forked, if any
                    os.killpg(child.pid, signal.SIGKILL)
            child.wait()
        answer = _answer(out, child.returncode, self.name)
        if self.kind != "pdf":
            return str(answer["text"])
        try:
            return pdf_joined(answer["pages"])
        except DocumentError as exc:  # said as the child says what it cannot read
            raise DocumentError(f"cannot read {self.name}: {exc}") from exc


def start_reading(data: bytes, name: str) -> Reading:
    """Begin reading a statement file's bytes: a PDF or Word file is handed to a child
    process at once; any other is read here. Errors that the bytes show are raised now."""
    kind = kind_of_file(data, name)
    if kind == "doc":
        raise DocumentError(f"{name} is an old Word (.doc) file: save it as .docx (Word, "
                            "LibreOffice: File › Save As) and import that")
    if kind == "zip":
        raise DocumentError(f"{name} is a zip archive, not a Word (.docx) document")
    if kind in ("pdf", "docx"):
        if len(data) > MAX_DOCUMENT_BYTES:
            raise DocumentError(f"{name} is {len(data):,} bytes; a {kind.upper()} statement is "
                                f"at most {MAX_DOCUMENT_BYTES // 1024 // 1024} MB")
        return Reading(name, kind, child=_start_child(kind, data))
    if len(data) > MAX_TEXT_BYTES:
        raise DocumentError(f"{name} is {len(data):,} bytes; a statement is at most 5 MB")
    if b"\x00" in data:
        raise DocumentError(f"{name} is a binary file, not a statement's plain text, PDF, "
                            "Word (.docx) or web page")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        declared = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", data[:4096], re.I)
        if kind != "html" or not declared:
            raise DocumentError(f"{name} is not UTF-8 text (byte {exc.start}): save it as "
                                "UTF-8") from exc
        try:
            text = data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError) as again:
            raise DocumentError(f"{name} is not valid {declared.group(1).decode()} text"
                                ) from again
    if kind == "html":
        from bptrack.reading.webpage import html_text

        text = html_text(text)
    return Reading(name, kind, text=text)


# --- PDF and Word, in a child process ------------------------------------------------------

def _limits() -> None:  # pragma: no cover - runs in the child
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY, CHILD_MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (CHILD_SECONDS, CHILD_SECONDS + 1))


# A long PDF's pages are read by two processes, every other page each: the child, once it has
# loaded pypdf and opened the file, forks a second reader (which loads and opens nothing
# again). On two cores sixty pages take 0.23 s instead of 0.27 s with two children of their
# own. Below this size the child reads them all.
PDF_READERS = 2
SHARED_PDF_BYTES = 50_000


def _start_child(kind: str, data: bytes) -> subprocess.Popen[bytes]:
    """The child that reads a PDF or Word file, given its bytes. In a session of its own, so
    that it and the second reader it may fork are stopped together (Ctrl-C here stops it)."""
    readers = PDF_READERS if kind == "pdf" and len(data) >= SHARED_PDF_BYTES else 1
    child = subprocess.Popen(
        [sys.executable, "-c", "from bptrack.reading.pdf_docx import child; child()", kind,
         str(readers)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL, preexec_fn=_limits, start_new_session=True)
    stdin, child.stdin = child.stdin, None  # fed here, not by communicate()
    assert stdin is not None

    def feed() -> None:
        with suppress(BrokenPipeError):  # it died at once: its answer says so
            stdin.write(data)
        with suppress(BrokenPipeError):
            stdin.close()

    # A pipe holds 64 KB: a longer file would keep this process waiting until the child has
    # started up and reads it, instead of going on with its own work.
    threading.Thread(target=feed, daemon=True).start()
    return child


def _answer(out: bytes, returncode: int | None, name: str) -> dict[str, Any]:
    try:
        answer: dict[str, Any] = json.loads(out)
    except ValueError:
        answer = {"error": "it used too much memory or time, or is damaged"
                  if returncode else "no answer"}
    if "error" in answer:
        raise DocumentError(f"cannot read {name}: {answer['error']}")
    return answer


def pdf_joined(pages: list[str]) -> str:
    """A PDF's text, page after page; refused when it is a scan with no text to read."""
    text = "\n".join(pages)
    if len(re.findall(r"[A-Za-z]{3,}", text)) < 10:
        raise DocumentError("this PDF is a scan, with no text layer: run OCR first, e.g. "
                            "ocrmypdf statement.pdf statement-ocr.pdf")
    return text
