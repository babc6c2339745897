"""The workbook writer at its edges, read back by openpyxl: what XML cannot hold, a cell's
length limit, dates spreadsheets cannot show, a sheet's row limit, a pipe, and the layouts of
the report's several sheets."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from openpyxl import load_workbook

from bptrack.errors import InvalidValue
from bptrack.output import sheet_xml

COLUMNS = [sheet_xml.Column("n", 6, "number"), sheet_xml.Column("text", 40),
           sheet_xml.Column("due", 12, "date"), sheet_xml.Column("at", 20, "datetime"),
           sheet_xml.Column("flag", 8, "boolean")]


def written(rows: list[tuple[list[Any], bool]], name: str = "Actions") -> Any:
    out = io.BytesIO()
    assert sheet_xml.write(out, name, COLUMNS, rows) == len(rows)
    return load_workbook(io.BytesIO(out.getvalue()))[name]


def test_values_come_back_as_they_were_written() -> None:
    ws = written([([1, "first", "2027-06-30", "2026-01-02T03:04:05Z", True], False),
                  ([2, ["B001", "B002"], None, None, False], True)])
    assert [c.value for c in ws[1]] == ["n", "text", "due", "at", "flag"]
    assert [c.value for c in ws[2]] == [1, "first", dt.datetime(2027, 6, 30),
                                        dt.datetime(2026, 1, 2, 3, 4, 5), True]
    assert ws.cell(2, 3).number_format == "yyyy-mm-dd"
    assert [c.value for c in ws[3]] == [2, "B001, B002", None, None, False]
    assert all(c.fill.fgColor.rgb == "FFFDE2E1" for c in ws[3])  # the whole row, blanks too
    assert ws.cell(2, 1).fill.fill_type is None


def test_what_xml_cannot_hold_is_dropped_and_long_text_cut_to_a_cell() -> None:
    ws = written([([1, "bell\x07 \x00nul\ud800 tab\tline\nend", None, None, None], False),
                  ([2, "x" * 40_000, None, None, None], False)])
    assert ws.cell(2, 2).value == "bell nul tab\tline\nend"
    assert len(ws.cell(3, 2).value) == 32_767


def test_dates_a_spreadsheet_cannot_show_stay_text() -> None:
    ws = written([([1, "old", "1899-05-01", "not a time", None], False),
                  ([2, "leap", "1900-03-01", "2024-02-29T23:59:00", None], False)])
    assert ws.cell(2, 3).value == "1899-05-01" and ws.cell(2, 4).value == "not a time"
    assert ws.cell(3, 3).value == dt.datetime(1900, 3, 1)
    assert ws.cell(3, 4).value == dt.datetime(2024, 2, 29, 23, 59)


def test_a_sheet_name_with_quotes_names_its_ranges_right() -> None:
    out = io.BytesIO()
    sheet_xml.write(out, "Bob's & <list>", COLUMNS, [([1, "a", None, None, None], False)])
    book = load_workbook(io.BytesIO(out.getvalue()))
    assert book.sheetnames == ["Bob's & <list>"]
    assert book["Bob's & <list>"].print_title_rows in ("1:1", "$1:$1")


def test_more_rows_than_a_sheet_holds_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheet_xml, "MAX_ROWS", 3)
    with pytest.raises(InvalidValue, match="--format csv"):
        sheet_xml.write(io.BytesIO(), "Actions", COLUMNS,
                        [([n, "a", None, None, None], False) for n in range(5)])


class Pipe(io.RawIOBase):
    """A stream that cannot seek, as stdout piped to another program."""

    def __init__(self) -> None:
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        self.data += bytes(b)
        return len(b)


def test_a_pipe_gets_a_whole_workbook() -> None:
    pipe = Pipe()
    sheet_xml.write(pipe, "Actions", COLUMNS, [([1, "a", None, None, None], False)])
    with zipfile.ZipFile(io.BytesIO(bytes(pipe.data))) as book:
        assert book.testzip() is None
        assert "xl/worksheets/sheet1.xml" in book.namelist()


def test_a_workbook_of_several_sheets_keeps_each_ones_layout() -> None:
    """The report's sheets: a title line above a header, a bold Total row, a percentage,
    wrapped text at the top of a row as tall as its lines, a sheet with no filter."""
    summary = sheet_xml.Sheet(
        "Summary", [sheet_xml.Column("Group", 12),
                    sheet_xml.Column("Total", 8, "number", right=True),
                    sheet_xml.Column("Done %", 9, "percent", right=True)],
        [sheet_xml.Row(["WGDPS", 3, 0.5]), sheet_xml.Row(["Total", 3, 0.5], bold=True)],
        title="Status report as of 2026-12-03", filtered=False)
    actions = sheet_xml.Sheet(
        "WGDPS", [sheet_xml.Column("Ref", 10), sheet_xml.Column("Action", 20, wrap=True),
                  sheet_xml.Column("Due", 12, "date")],
        [sheet_xml.Row(["AHG16-09", "word " * 20, "2023-12-31"], True, False, 39),
         sheet_xml.Row(["AHG16-10", "", None])], top=True)
    ticks: list[int] = []
    out = io.BytesIO()
    sheet_xml.write_workbook(out, [summary, actions], tick=ticks.append)
    assert sum(ticks) == 4 and (summary.written, actions.written) == (2, 2)
    book = load_workbook(io.BytesIO(out.getvalue()))
    assert book.sheetnames == ["Summary", "WGDPS"]
    first = book["Summary"]
    assert first["A1"].value == "Status report as of 2026-12-03" and first["A1"].font.b
    assert [c.value for c in first[2]] == ["Group", "Total", "Done %"]
    assert first["B2"].alignment.horizontal == "right" and first["A2"].font.b
    assert first.freeze_panes == "A3" and first.print_title_rows in ("2:2", "$2:$2")
    assert not first.auto_filter.ref
    assert [c.value for c in first[4]] == ["Total", 3, 0.5] and first["A4"].font.b
    assert first["C3"].number_format == "0%" and not first["A3"].font.b
    second = book["WGDPS"]
    assert second.freeze_panes == "A2" and second.auto_filter.ref == "A1:C3"
    assert second["B2"].alignment.wrap_text and second["A2"].alignment.vertical == "top"
    assert second.row_dimensions[2].height == 39 and not second.row_dimensions[3].height
    assert second["A2"].fill.fgColor.rgb == "FFFDE2E1" and second["A3"].fill.fill_type is None
    assert second["C2"].value == dt.datetime(2023, 12, 31)
    assert second["B3"].value is None  # an empty text is an empty cell
    assert second.page_setup.fitToWidth == 1 and second.page_setup.orientation == "landscape"
