"""A PDF's and a Word file's text, as the child process of documents.py reads them: pypdf
gives a PDF's pages in reading order (a long one read by this process and a fork of it),
python-docx a Word file's paragraphs with their list numbering and bullets back as markers,
its headings as Markdown headings and its tables row by row."""

from __future__ import annotations

import json
import os
import re
import sys
from typing import Any

from bptrack.errors import DocumentError


def child() -> None:
    """The child's side: the file's bytes on stdin; on stdout {"pages"} (a PDF's pages, read
    by as many processes as its second argument says), {"text"} (a Word file's), or
    {"error"}."""
    kind = sys.argv[1]
    readers = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    data = sys.stdin.buffer.read()
    sys.stdout.write(json.dumps(answered(lambda: {"pages": pdf_pages(data, readers)}
                                         if kind == "pdf" else {"text": docx_text(data)})))


def answered(read: Any) -> dict[str, Any]:
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
        answer = answered(lambda: {"pages": [page_text(n) for n in range(1, count, 2)]})
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
