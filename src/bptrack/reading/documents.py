"""Stage 0: a statement file → its text, whatever it was saved as.

Plain text and Markdown are read as they are. A PDF (pypdf) gives its text in reading order;
the text stage then drops its page furniture and joins its hyphenations. A Word file
(python-docx) gets its list numbering and bullets back as markers, with their nesting, its
headings as Markdown headings, and its tables row by row. A saved web page gives its main
content only. The format is told by content (magic bytes), then by the file's suffix.

PDF and Word files are read in a child process with bounded time and memory, so that a hostile
file (deep nesting, a huge stream, a zip bomb) cannot hang or exhaust bptrack.
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
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from bptrack.errors import InvalidValue

MAX_TEXT_BYTES = 5 * 1024 * 1024  # a statement's text
MAX_DOCUMENT_BYTES = 25 * 1024 * 1024  # a PDF or Word file around it
CHILD_SECONDS = 30
CHILD_MEMORY = 768 * 1024 * 1024
MAX_LIST_DEPTH = 50  # a web page's lists within lists; a statement's go three or four deep


class DocumentError(InvalidValue):
    """A file that cannot be read as a statement; nothing was saved."""


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
        [sys.executable, "-c", "from bptrack.reading.documents import child; child()", kind,
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


def child() -> None:
    """The child's side: the file's bytes on stdin; on stdout {"pages"} (a PDF's pages, read
    by as many processes as its second argument says), {"text"} (a Word file's), or
    {"error"}."""
    kind = sys.argv[1]
    readers = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    data = sys.stdin.buffer.read()
    sys.stdout.write(json.dumps(_answered(lambda: {"pages": pdf_pages(data, readers)}
                                          if kind == "pdf" else {"text": docx_text(data)})))


def _answered(read: Any) -> dict[str, Any]:
    """What a reader says: what `read()` returns, or what went wrong as {"error"}."""
    try:
        answer: dict[str, Any] = read()
    except DocumentError as exc:
        answer = {"error": str(exc)}
    except MemoryError:
        answer = {"error": "it needs more memory than a statement may take (a hostile file?)"}
    except Exception as exc:  # any parser failure: a damaged file
        answer = {"error": f"the file is damaged or truncated ({type(exc).__name__}: "
                           f"{str(exc)[:200]})"}
    return answer


def pdf_pages(data: bytes, readers: int = 1) -> list[str]:
    """The text of a PDF's pages, in reading order; with two readers, this process reads the
    even pages while a fork of it reads the odd ones."""
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if b"%%EOF" not in data[-2048:]:
        raise DocumentError("the PDF is truncated (no end-of-file marker): download it again")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception as exc:  # unsupported encryption too
                raise DocumentError("the PDF is encrypted: save an unprotected copy, or "
                                    "export its text") from exc
            if not opened:
                raise DocumentError("the PDF is encrypted with a password: save an "
                                    "unprotected copy, or export its text")
        count = len(reader.pages)
        if readers < 2 or count < 2:
            return [reader.pages[n].extract_text() or "" for n in range(count)]
        return _shared(lambda n: reader.pages[n].extract_text() or "", count)
    except PdfReadError as exc:
        raise DocumentError(f"the PDF is damaged ({exc})") from exc


def _shared(page_text: Any, count: int) -> list[str]:
    """Pages 0, 2, 4 … read here and 1, 3, 5 … by a fork of this process, which answers
    through a pipe as a child answers (its error, if it has one, is this one's)."""
    into, out = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the second reader
        os.close(into)
        answer = _answered(lambda: {"pages": [page_text(n) for n in range(1, count, 2)]})
        with os.fdopen(out, "wb") as pipe:
            pipe.write(json.dumps(answer).encode())
        os._exit(0)
    os.close(out)
    try:
        even = [page_text(n) for n in range(0, count, 2)]
    finally:
        with os.fdopen(into, "rb") as pipe:
            said = pipe.read()
        _, status = os.waitpid(pid, 0)
    try:
        odd: dict[str, Any] = json.loads(said)
    except ValueError as exc:  # it died: killed at its memory or time limit, as a rule
        raise (MemoryError() if status else DocumentError("no answer")) from exc
    if "error" in odd:
        raise DocumentError(odd["error"])
    pages = [""] * count
    pages[0::2], pages[1::2] = even, odd["pages"]
    return pages


def pdf_joined(pages: list[str]) -> str:
    """A PDF's text, page after page; refused when it is a scan with no text to read."""
    text = "\n".join(pages)
    if len(re.findall(r"[A-Za-z]{3,}", text)) < 10:
        raise DocumentError("this PDF is a scan, with no text layer: run OCR first, e.g. "
                            "ocrmypdf statement.pdf statement-ocr.pdf")
    return text


def docx_text(data: bytes) -> str:
    """A Word document's text: list markers restored, headings as '#', tables by row."""
    import io
    import zipfile

    import docx
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DocumentError(f"the Word file is damaged or truncated ({exc})") from exc
    formats = _numbering_formats(document)
    counters: dict[tuple[str, int], int] = {}
    lines: list[str] = []
    body = document.element.body
    for child_element in body.iterchildren():
        if child_element.tag == qn("w:p"):
            paragraph = Paragraph(child_element, document)
            lines.append(_paragraph_line(paragraph, formats, counters))
        elif child_element.tag == qn("w:tbl"):
            table = Table(child_element, document)
            for row in table.rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = " ".join(cell.text.split())
                    if text and (not cells or cells[-1] != text):  # merged cells repeat
                        cells.append(text)
                if cells:
                    lines.append("- " + " – ".join(cells))
            lines.append("")
    return "\n".join(lines)


def _numbering_formats(document: Any) -> dict[tuple[str, int], str]:
    """(numId, level) → numFmt (bullet, decimal, lowerLetter, lowerRoman, …)."""
    from docx.oxml.ns import qn

    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return {}
    abstract: dict[str, dict[int, str]] = {}
    for node in numbering.iterchildren(qn("w:abstractNum")):
        levels = {}
        for lvl in node.iterchildren(qn("w:lvl")):
            fmt = lvl.find(qn("w:numFmt"))
            levels[int(lvl.get(qn("w:ilvl"), "0"))] = (
                fmt.get(qn("w:val")) if fmt is not None else "decimal")
        abstract[node.get(qn("w:abstractNumId"))] = levels
    out: dict[tuple[str, int], str] = {}
    for num in numbering.iterchildren(qn("w:num")):
        ref = num.find(qn("w:abstractNumId"))
        if ref is None:
            continue
        for level, fmt in abstract.get(ref.get(qn("w:val")), {}).items():
            out[(num.get(qn("w:numId")), level)] = fmt
    return out


def _paragraph_line(paragraph: Any, formats: dict[tuple[str, int], str],
                    counters: dict[tuple[str, int], int]) -> str:
    from docx.oxml.ns import qn

    text = " ".join(paragraph.text.split())
    if not text:
        return ""
    style = paragraph.style
    style_name = (style.name or "") if style is not None else ""
    heading = re.match(r"(?:Heading|Title)\s*(\d?)", style_name)
    if heading:
        return "#" * int(heading.group(1) or 1) + " " + text
    num_pr = None
    for holder in (paragraph._p.pPr, style.element.pPr if style is not None else None):
        if holder is not None and holder.find(qn("w:numPr")) is not None:
            num_pr = holder.find(qn("w:numPr"))
            break
    if num_pr is None:
        return text
    num_id_node, level_node = num_pr.find(qn("w:numId")), num_pr.find(qn("w:ilvl"))
    num_id = num_id_node.get(qn("w:val")) if num_id_node is not None else "0"
    level = int(level_node.get(qn("w:val"))) if level_node is not None else 0
    level = max(level, int(m.group(1)) - 1 if (m := re.search(r"(\d)$", style_name)) else 0)
    fmt = formats.get((num_id, level), "bullet" if "Bullet" in style_name else "decimal")
    counters[(num_id, level)] = counters.get((num_id, level), 0) + 1
    for key in [k for k in counters if k[0] == num_id and k[1] > level]:
        del counters[key]  # a deeper list starts again under each item
    n = counters[(num_id, level)]
    marker = {"bullet": "-", "decimal": f"{n}.", "lowerLetter": f"{chr(96 + min(n, 26))})",
              "upperLetter": f"{chr(64 + min(n, 26))}.", "lowerRoman": f"{_roman(n)}.",
              "upperRoman": f"{_roman(n).upper()}."}.get(fmt, "-")
    return "   " * level + f"{marker} {text}"


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + letters, n - value
    return out


# --- web pages -----------------------------------------------------------------------------

_SKIP = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "template",
         "svg", "button", "select", "iframe"}
_BLOCK = {"p", "div", "section", "article", "main", "br", "tr", "table", "ul", "ol", "li",
          "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "dd", "dt", "pre", "hr"}


class _PageText(HTMLParser):
    """Text of the main content: <main> or <article> when the page has one."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.main_lines: list[str] | None = None
        self._current: list[str] = []
        self._skip = 0
        self._main = 0
        self._lists: list[list[int]] = []  # [is_ordered, count] per open list
        self._prefix = ""

    def _flush(self) -> None:
        text = " ".join("".join(self._current).split())
        self._current = []
        if text:
            line = self._prefix + text
            self.lines.append(line)
            if self._main and self.main_lines is not None:
                self.main_lines.append(line)
        self._prefix = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        roles = {value for name, value in attrs if name == "role"}
        if tag in _SKIP or roles & {"navigation", "banner", "contentinfo"}:
            self._skip += 1
            return
        if self._skip:
            return
        if tag in ("main", "article") or "main" in roles:
            self._main += 1
            if self.main_lines is None:
                self.main_lines = []
        if tag in _BLOCK:
            self._flush()
        if tag in ("ul", "ol"):
            if len(self._lists) >= MAX_LIST_DEPTH:
                raise DocumentError(f"the page nests lists more than {MAX_LIST_DEPTH} deep: "
                                    "it is no statement (a hostile page?)")
            self._lists.append([tag == "ol", 0])
        elif tag == "li" and self._lists:
            self._lists[-1][1] += 1
            ordered, count = self._lists[-1]
            indent = "   " * min(len(self._lists) - 1, 8)
            self._prefix = indent + (f"{count}. " if ordered else "- ")
        elif re.fullmatch(r"h[1-6]", tag):
            self._prefix = "#" * int(tag[1]) + " "
        elif tag == "td" or tag == "th":
            self._current.append(" – " if self._current else "")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
            return
        if self._skip:
            return
        if tag in _BLOCK:
            self._flush()
        if tag in ("ul", "ol") and self._lists:
            self._lists.pop()
        if tag in ("main", "article") and self._main:
            self._main -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._current.append(data)


def html_text(page: str) -> str:
    """The main content of a saved web page as lines: paragraphs, list items, headings."""
    parser = _PageText()
    parser.feed(page)
    parser.close()
    parser._flush()
    lines = parser.main_lines if parser.main_lines else parser.lines
    return "\n\n".join(lines)
