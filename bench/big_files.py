"""The big files bench/run.py times bptrack reading, made here from text of our own (a fixed
random seed): a team's tracker workbook of 10,000 rows, and a 60-page PDF outcome statement.

    python bench/big_files.py tracker FILE.xlsx [ROWS]
    python bench/big_files.py statement FILE.pdf [PAGES]
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

from generate import COUNTRIES, TOPICS, VERBS  # the words of the generated trackers

GROUPS = ["The Working Group on Trafficking in Persons", "The Regional Support Office",
          "The Task Force on Planning and Preparedness", "The Government and Business Forum",
          "The Technical Experts Group on Returns and Reintegration",
          "The Working Group on the Disruption of People Smuggling and Trafficking in Persons "
          "Networks"]
CODES = ["WGTIP", "RSO", "TFPP", "GABF", "TEGRR", "WGDPSTIP"]
CITIES = ["Bali", "Bangkok", "Colombo", "Dhaka", "Jakarta", "Kuala Lumpur", "Manila", "Suva",
          "Wellington", "Canberra", "Islamabad", "Hanoi"]
ORDINALS = ["second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
MONTHS = ["January", "March", "May", "July", "September", "November"]
STATUSES = ["Open", "In progress", "Completed", "Delayed", "Not started"]


def tracker(path: Path, rows: int = 10_000) -> None:
    """A tracker as a secretariat keeps one: a header, then a commitment a row."""
    from openpyxl import Workbook

    rng = random.Random(26)
    book = Workbook(write_only=True)
    ws = book.create_sheet("Tracker")
    ws.append(["Ref", "Action", "Lead", "Deadline", "Status", "Focal point", "Remarks"])
    for n in range(1, rows + 1):
        ws.append([f"TRK-{n:05d}", f"{rng.choice(VERBS)} {rng.choice(TOPICS)} "
                   f"({n})", rng.choice(CODES),
                   dt.date(2027, 1, 1) + dt.timedelta(days=rng.randrange(1400)),
                   rng.choice(STATUSES), f"Focal Point {rng.randrange(170):03d}",
                   rng.choice([None, "Survey sent to members", "Waiting for funds"])])
    book.save(path)


def statement(path: Path, pages: int = 60) -> None:
    """An outcome statement of `pages` A4 pages: the meeting's opening paragraph, then group
    after group of what each did and will do, with a running header and page numbers."""
    from fpdf import FPDF

    class Statement(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", size=8)
            self.cell(0, 6, "Co-Chairs' statement - as agreed", align="C")
            self.ln(8)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("Helvetica", size=8)
            self.cell(0, 6, f"Page {self.page_no()}", align="C")

    rng = random.Random(60)
    pdf = Statement()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.multi_cell(0, 5, "On 6 December 2030, the Co-Chairs of the Bali Process on People "
                   "Smuggling, Trafficking in Persons and Related Transnational Crime hosted "
                   "the twenty-fourth Meeting of the Ad Hoc Group Senior Officials in Bangkok, "
                   "Thailand.")
    pdf.ln(2)
    pdf.multi_cell(0, 5, "Outcomes:")
    def full() -> bool:  # the last page filled, short of its footer
        return pdf.page_no() > pages or (pdf.page_no() == pages and pdf.get_y() > pdf.h - 40)

    while not full():
        group = rng.randrange(len(GROUPS))
        pdf.ln(2)
        pdf.multi_cell(0, 5, f"- {GROUPS[group]}:")
        for _ in range(rng.randrange(3, 8)):
            if full():
                break
            year = rng.randrange(2031, 2036)
            topic = rng.choice(TOPICS)
            first, second = rng.sample(COUNTRIES, 2)
            if rng.random() < 0.6:
                line = (f"Will {rng.choice(VERBS).lower()} {topic} with {first} and {second} by "
                        f"{rng.choice(MONTHS)} {year}, as agreed at the "
                        f"{rng.choice(ORDINALS)} meeting of senior officials in "
                        f"{rng.choice(CITIES)}.")
            else:
                line = (f"Held a workshop on {topic} in {rng.choice(CITIES)} in "
                        f"{rng.choice(MONTHS)} 2030 with officials of {first} and {second}, "
                        f"its {rng.choice(ORDINALS)} on the subject since the last meeting.")
            pdf.set_x(pdf.l_margin + 6)
            pdf.multi_cell(0, 5, f"- {line}")
    pdf.output(str(path))


if __name__ == "__main__":
    what, target = sys.argv[1], Path(sys.argv[2])
    size = [int(sys.argv[3])] if len(sys.argv) > 3 else []
    {"tracker": tracker, "statement": statement}[what](target, *size)
