"""Statements as published: the same statement as .txt, .pdf, .docx and .html reads the same,
and a bad file gets its message, exit 1 and no change. Every fixture is made here, at test
time: PDFs with fpdf2 (wrapped lines, two pages, page numbers, a running header), Word files
with python-docx (numbered and bulleted lists, a heading, a table), web pages with navigation
around the content. Through the installed console script."""

from __future__ import annotations

import json
import os
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from test_e2e import run_in

# Three statements of our own, in three styles; plain ASCII so the PDF's core font has them.
BULLETS = """\
Co-Chairs' Statement
Twenty-seventh Meeting of the Ad Hoc Group Senior Officials
Nadi, Fiji, 2 May 2030

On 2 May 2030, the Co-Chairs hosted the Twenty-seventh Meeting of the Ad Hoc Group Senior \
Officials in Nadi, Fiji. In attendance were representatives from Australia, Fiji, Indonesia, \
Samoa, Tonga, IOM and UNHCR.

Working Group on Trafficking in Persons:
- Completed a study of labour trafficking in the fishing industry of the Pacific region.
- Will publish practical guidance for labour inspectors on identifying victims by mid-2031.
Regional Support Office:
- Will deliver a training course on document fraud for border officials in 2031 and develop \
an online module on the same subject by the end of 2031.

Members agreed to review the Bali Process Strategy for Cooperation before the next Ministerial \
Conference, scheduled for 2032.
"""

NUMBERED = """\
Eighth Bali Process Senior Officials Meeting
Co-Chairs' Statement

1. The Eighth Bali Process Senior Officials Meeting was held in Bangkok, Thailand, on 4 March \
2031. The meeting was co-chaired by Indonesia and Australia.
2. Senior officials welcomed the progress of the thematic working groups since the last \
meeting and thanked Thailand for hosting.
3. The meeting tasked the Regional Support Office to prepare a regional study on online \
recruitment of migrant workers by December 2031.
4. Members encouraged the Task Force on Planning and Preparedness to hold a regional \
simulation exercise in the second half of 2031.
5. The Co-Chairs will circulate a draft agenda for the next Ministerial Conference in early \
2032.
"""

PROSE = """\
Joint Statement of the Twenty-third ASEAN Ministerial Meeting on Transnational Crime

We, the ASEAN Ministers responsible for transnational crime, gathered in Hanoi, Viet Nam, on \
12 October 2029 for the Twenty-third ASEAN Ministerial Meeting on Transnational Crime.

We reaffirmed our commitment to implementing the ASEAN Plan of Action in Combating \
Transnational Crime. We tasked the SOMTC Lead Shepherds to develop a regional plan against \
online scam operations by the end of 2030.

We welcomed the offer of Malaysia to host the next meeting in 2030. We expressed our \
appreciation to the Government of Viet Nam for its warm hospitality.
"""

STATEMENTS = {"ahg27": BULLETS, "som8": NUMBERED, "ammtc23": PROSE}


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_in(tmp_path, *args)


def paragraphs(text: str) -> list[tuple[str, str]]:
    """(kind, text) per line of a statement: title, para, bullet or number."""
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if line.startswith("- "):
            out.append(("bullet", line[2:]))
        elif re.match(r"\d+\. ", line):
            out.append(("number", line.split(" ", 1)[1]))
        else:
            out.append(("para", line))
    return out


def make_pdf(text: str, path: Path) -> None:
    from fpdf import FPDF

    class Statement(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", size=8)
            self.cell(0, 6, "Bali Process - outcomes as agreed", align="C")
            self.ln(8)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("Helvetica", size=8)
            self.cell(0, 6, f"Page {self.page_no()}", align="C")

    pdf = Statement(format=(148, 210))  # A5, narrow: every paragraph wraps
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    items = paragraphs(text)
    numbers = 0
    for n, (kind, line) in enumerate(items):
        if n == len(items) // 2:
            pdf.add_page()  # two pages: the running header and page numbers repeat
        if kind == "number":
            numbers += 1
            line = f"{numbers}. {line}"
        elif kind == "bullet":
            line = f"- {line}"
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")  # wrapped lines
        if kind == "para" and line.endswith("."):
            pdf.ln(2)
    pdf.output(str(path))


def make_docx(text: str, path: Path) -> None:
    import docx

    document = docx.Document()
    for n, (kind, line) in enumerate(paragraphs(text)):
        if n == 0:
            document.add_heading(line, level=1)  # a heading style, not a marker in the text
        elif kind == "bullet":
            document.add_paragraph(line, style="List Bullet")
        elif kind == "number":
            document.add_paragraph(line, style="List Number")
        else:
            document.add_paragraph(line)
    document.save(str(path))


def make_html(text: str, path: Path) -> None:
    from html import escape

    body = []
    open_list = ""
    for n, (kind, line) in enumerate(paragraphs(text)):
        tag = {"bullet": "ul", "number": "ol"}.get(kind, "")
        if open_list and tag != open_list:
            body.append(f"</{open_list}>")
            open_list = ""
        if tag and not open_list:
            body.append(f"<{tag}>")
            open_list = tag
        if tag:
            body.append(f"<li>{escape(line)}</li>")
        elif n == 0:
            body.append(f"<h1>{escape(line)}</h1>")
        else:
            body.append(f"<p>{escape(line).replace('&#x27;', '&rsquo;')}</p>")
    if open_list:
        body.append(f"</{open_list}>")
    path.write_text(
        "<!DOCTYPE html><html><head><title>Statement</title><script>var menu = 'Will "
        "attack in 2030';</script><style>p{margin:0}</style></head><body>"
        "<nav><ul><li><a href='/'>Home</a></li><li>The Working Group will meet in 2031"
        "</li></ul></nav><header>Bali Process website</header><main>" + "\n".join(body)
        + "</main><footer><p>Members will be notified by 2040.</p></footer></body></html>",
        encoding="utf-8")


MAKERS = {"pdf": make_pdf, "docx": make_docx, "html": make_html}


def reading(tmp_path: Path, path: Path) -> dict[str, object]:
    dry = run(tmp_path, "meeting", "import", str(path), "--dry-run", "--format", "json")
    assert dry.returncode == 0, dry.stderr
    document = json.loads(dry.stdout)
    meeting = {k: v for k, v in document["meeting"].items() if k != "source"}
    return {"meeting": meeting, "format": document["meeting"]["source"]["format"],
            "items": [(i["kind"], i["owner"], i["due"], i["title"])
                      for i in document["items"]]}


@pytest.mark.parametrize("name", sorted(STATEMENTS))
def test_the_same_statement_in_every_format_reads_the_same(tmp_path: Path, name: str) -> None:
    text_file = tmp_path / f"{name}.txt"
    text_file.write_text(STATEMENTS[name], encoding="utf-8")
    expected = reading(tmp_path, text_file)
    assert expected["format"] == "txt" and len(expected["items"]) >= 3  # type: ignore[arg-type]
    for fmt, make in MAKERS.items():
        path = tmp_path / f"{name}.{fmt}"
        make(STATEMENTS[name], path)
        got = reading(tmp_path, path)
        assert got["format"] == fmt
        assert got["meeting"] == expected["meeting"], fmt
        assert got["items"] == expected["items"], fmt


def test_format_is_told_by_content_not_suffix(tmp_path: Path) -> None:
    disguised = tmp_path / "statement.txt"
    make_pdf(BULLETS, disguised)
    assert reading(tmp_path, disguised)["format"] == "pdf"
    word = tmp_path / "statement.bin"
    make_docx(NUMBERED, word)
    assert reading(tmp_path, word)["format"] == "docx"


def test_an_imported_pdf_lands_with_its_items(tmp_path: Path) -> None:
    pdf = tmp_path / "ahg27.pdf"
    make_pdf(BULLETS, pdf)
    done = run(tmp_path, "meeting", "import", str(pdf))
    assert done.returncode == 0, done.stderr
    listed = run(tmp_path, "list", "--meeting", "AHG27", "--all", "--format", "json")
    assert {(i["kind"], i["owner"]) for i in json.loads(listed.stdout)} == {
        ("record", "WGTIP"), ("action", "WGTIP"), ("action", "RSO"), ("action", "MEMBERS")}


def test_word_lists_keep_their_markers_and_nesting() -> None:
    import io

    import docx

    from bptrack.reading.pdf_docx import docx_text

    document = docx.Document()
    document.add_paragraph("Working Group on Trafficking in Persons:")
    document.add_paragraph("Will map shelters in 2031.", style="List Number")
    document.add_paragraph("Will train officers in 2032.", style="List Number")
    document.add_paragraph("In the Pacific first.", style="List Bullet 2")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "RSO"
    table.rows[0].cells[1].text = "Will host a workshop in 2031."
    buffer = io.BytesIO()
    document.save(buffer)
    lines = [line for line in docx_text(buffer.getvalue()).splitlines() if line]
    assert lines == ["Working Group on Trafficking in Persons:", "1. Will map shelters in 2031.",
                     "2. Will train officers in 2032.", "   - In the Pacific first.",
                     "- RSO – Will host a workshop in 2031."]


def test_web_page_main_content_only_with_entities_decoded() -> None:
    from bptrack.reading.webpage import html_text

    text = html_text("<html><body><nav>Menu: will close in 2030</nav><article><h2>Outcomes"
                     "</h2><p>Members&nbsp;agreed to meet &amp; report in 2031.</p><ol><li>"
                     "One</li><li>Two</li></ol></article><footer>(c)</footer></body></html>")
    assert text.split("\n\n") == ["## Outcomes", "Members agreed to meet & report in 2031.",
                                  "1. One", "2. Two"]


# --- bad files: a message, exit 1, nothing saved --------------------------------------------

def scanned_pdf(path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 150, style="F")  # a page that is all picture, no text
    pdf.output(str(path))


def encrypted_pdf(path: Path) -> None:
    from fpdf import FPDF
    from fpdf.enums import EncryptionMethod

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="secret",
                       encryption_method=EncryptionMethod.RC4)
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.multi_cell(0, 5, BULLETS)
    pdf.output(str(path))


def truncated_pdf(path: Path) -> None:
    make_pdf(BULLETS, path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def corrupt_pdf(path: Path) -> None:
    path.write_bytes(b"%PDF-1.7\n" + os.urandom(4000) + b"\n%%EOF\n")


def old_word(path: Path) -> None:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048)


def truncated_docx(path: Path) -> None:
    make_docx(BULLETS, path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def oversized_pdf(path: Path) -> None:
    with path.open("wb") as fh:
        fh.write(b"%PDF-1.4\n")
        fh.truncate(26 * 1024 * 1024)


def raw_pdf(path: Path, content: bytes, stream_filter: bytes = b"") -> None:
    """A one-page PDF, written by hand around the given content stream."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
               b"<< /Length " + str(len(content)).encode() + stream_filter + b" >>\nstream\n"
               + content + b"\nendstream"]
    out = b"%PDF-1.4\n"
    offsets = []
    for n, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Root 1 0 R /Size {len(objects) + 1} >>\nstartxref\n{xref}\n%%EOF\n"\
        .encode()
    path.write_bytes(out)


def nested_pdf(path: Path) -> None:
    """Page content that nests arrays 200,000 deep."""
    depth = 200_000
    raw_pdf(path, b"BT /F1 12 Tf " + b"[" * depth + b"]" * depth + b" TJ ET")


def bomb_pdf(path: Path) -> None:
    """A 512 MB content stream compressed to half a megabyte."""
    import zlib

    packer = zlib.compressobj(9)
    chunk = b"\x00" * (64 * 1024 * 1024)
    data = b"".join(packer.compress(chunk) for _ in range(8)) + packer.flush()
    raw_pdf(path, data, b" /Filter /FlateDecode")


@pytest.mark.parametrize(("name", "make", "message"), [
    ("scan.pdf", scanned_pdf, "this PDF is a scan"),
    ("locked.pdf", encrypted_pdf, "encrypted"),
    ("half.pdf", truncated_pdf, "truncated"),
    ("noise.pdf", corrupt_pdf, "damaged"),
    ("old.doc", old_word, "save it as .docx"),
    ("half.docx", truncated_docx, "damaged or truncated"),
    ("huge.pdf", oversized_pdf, "at most 25 MB"),
    # Hostile files must neither hang nor exhaust bptrack: refused within the time limit.
    ("deep.pdf", nested_pdf, "deep.pdf"),
    ("bomb.pdf", bomb_pdf, "bomb.pdf"),
])
def test_bad_files_are_refused_and_nothing_saved(tmp_path: Path, name: str, make: object,
                                                message: str) -> None:
    assert run(tmp_path, "db", "init").returncode == 0
    before = [run(tmp_path, *args).stdout for args in (
        ["list", "--all", "--format", "json"], ["meeting", "list", "--format", "json"])]
    path = tmp_path / name
    make(path)  # type: ignore[operator]
    done = run(tmp_path, "meeting", "import", str(path))
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith("Error: ") and message in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    after = [run(tmp_path, *args).stdout for args in (
        ["list", "--all", "--format", "json"], ["meeting", "list", "--format", "json"])]
    assert after == before


def test_a_zip_that_is_not_word(tmp_path: Path) -> None:
    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "Members will meet in 2031.")
    done = run(tmp_path, "meeting", "import", str(path))
    assert done.returncode == 1 and "damaged or truncated" in done.stderr, done.stderr


def test_a_long_pdf_read_by_two_readers_keeps_its_pages_in_order(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The child and the reader it forks read every other page each; the text is the one
    process's text."""
    from fpdf import FPDF

    from bptrack.reading import documents, pdf_docx

    pdf = FPDF()
    for n in range(1, 6):  # an odd number: the child has one page more than its fork
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, f"Page {n}. Members agreed to meet again in {2030 + n} and "
                             "asked the Regional Support Office to report on progress.")
    data = bytes(pdf.output())
    monkeypatch.setattr(documents, "SHARED_PDF_BYTES", 0)
    text = documents.read_document(data, "five.pdf").text  # two readers
    assert text == documents.pdf_joined(pdf_docx.pdf_pages(data))  # in one process
    assert [line.split(".")[0] for line in text.splitlines() if line.startswith("Page")] == [
        f"Page {n}" for n in range(1, 6)]
