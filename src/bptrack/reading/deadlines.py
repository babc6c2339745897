"""Deadlines: the phrases a statement (and a user) gives a date by, as the period's last day.

| phrase | date |
|---|---|
| in / by / during / within YYYY, by the end of YYYY, by end-YYYY, in late YYYY | YYYY-12-31 |
| in early YYYY | YYYY-03-31 |
| by mid-YYYY, in the first half of YYYY, YYYY-H1 | YYYY-06-30 |
| in the second half of YYYY, YYYY-H2 | YYYY-12-31 |
| in Qn YYYY, in the third quarter of YYYY | the quarter's last day |
| by / in / before (the end of) Month YYYY | the month's last day |
| by D Month YYYY, by Month D, YYYY | that day |
| scheduled for (Month) YYYY | that month's or year's last day |
| by the end of the year, during the year, later this year / next year | from the meeting's year |
| no later than YYYY, at the end of YYYY, in advance of the YYYY Summit | YYYY-12-31 |
| on / from D Month YYYY (also a span: on 21-22 June 2023) | that (last) day |
| on D Month (no year) | that day in the meeting's year, when after the meeting |
| within N months / years | N months / years after the meeting |

A date at or before the meeting's own date is when something happened, never a deadline.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from bptrack.clock import end_of_month, end_of_quarter
from bptrack.reading.words import MONTH_RE, MONTHS, fold

_QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3,
             "4th": 4}
_BY = r"(?:by|before|on or before|no later than|not later than)"
_ON = r"(?:on|from|commencing|effective|starting|as of|as from)"
_DATE_ENDS = (r"(?=\s*$|\s*[.,;:)–—-]|\s+(?:in|at|to|and|or|with|for|when|as|by|which|the|"
              r"onwards?|until|through)\b)")
_DEADLINES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"\b{_BY} (\d{{1,2}})(?:st|nd|rd|th)? "
                rf"{MONTH_RE},? (\d{{4}})\b"), "day"),
    # "will enter into force on 5 February 2023", "the Conference on 21-22 June 2023 in
    # London"; not "a meeting on 5 December 2022 results" (a date that names a topic)
    (re.compile(rf"\b{_ON} (?:\d{{1,2}}(?:st|nd|rd|th)?\s*(?:-|to|and)\s*)?(\d{{1,2}})"
                rf"(?:st|nd|rd|th)? {MONTH_RE},? (\d{{4}})\b{_DATE_ENDS}"), "day"),
    (re.compile(rf"\b{_ON} {MONTH_RE} (?:\d{{1,2}}\s*(?:-|to|and)\s*)?(\d{{1,2}}),? "
                rf"(\d{{4}})\b{_DATE_ENDS}"), "mdy"),
    (re.compile(rf"\b(?:on|by) (\d{{1,2}})(?:st|nd|rd|th)? {MONTH_RE}\b(?!,? \d)"),
     "day-this-year"),
    (re.compile(r"\b(?:no|not) later than (?:the end of )?(\d{4})\b(?![-/])"), "year"),
    (re.compile(rf"\b(?:no|not) later than (?:the end of )?{MONTH_RE},? (\d{{4}})\b"), "month"),
    (re.compile(r"\bat the end of (\d{4})\b"), "year"),
    (re.compile(r"\b(?:in advance of|ahead of|before|prior to|in the lead-up to|in the "
                r"lead up to) (?:the|their|our|its) (\d{4}) (?=[a-z]*\s*[a-z'’]*\s*"
                r"(?:meeting|summit|conference|session|forum|ministerial|leaders))"), "year"),
    (re.compile(r"\bwithin (?:the next )?(\d{1,2}|one|two|three|four|five|six|nine|twelve|"
                r"eighteen) (months?|years?|weeks?)\b"), "within"),
    (re.compile(r"\b(?:during|within|over|in the course of) (?:the|this) (?:current )?year\b|"
                r"\bthis year\b"), "this-year"),
    (re.compile(rf"\b(?:by|before|on or before|no later than) {MONTH_RE} (\d{{1,2}}),? "
                rf"(\d{{4}})\b"), "mdy"),
    (re.compile(rf"\b(?:by|before) the end of {MONTH_RE},? (\d{{4}})\b"), "month"),
    (re.compile(r"\bby the end of (\d{4})\b"), "year"),
    (re.compile(r"\b(?:by|in|before) (?:mid|the middle of)[- ](\d{4})\b"), "mid"),
    (re.compile(r"\b(?:in|during|by the end of|by) the first half of (\d{4})\b"), "mid"),
    (re.compile(r"\b(?:in|during|by the end of|by) the second half of (\d{4})\b"), "year"),
    (re.compile(r"\b(?:in|by|during|by the end of) q([1-4])[ ,]+(\d{4})\b"), "quarter"),
    (re.compile(r"\b(?:in|by|during|by the end of) the (first|second|third|fourth|1st|2nd|3rd|"
                r"4th) quarter of (\d{4})\b"), "quarter-word"),
    (re.compile(r"\b(?:in|by|during) (\d{4})-h([12])\b"), "half"),
    (re.compile(r"\b(?:in|by|during|before) (?:the )?late[- ](\d{4})\b"), "year"),
    (re.compile(r"\b(?:in|by|during) (?:the )?early[- ](\d{4})\b"), "early"),
    (re.compile(rf"\b(?:by|in|before|during) {MONTH_RE},? (\d{{4}})\b"), "month"),
    (re.compile(rf"\bscheduled (?:for|in) {MONTH_RE},? (\d{{4}})\b"), "month"),
    (re.compile(r"\bscheduled (?:for|in) (?:late |early )?(\d{4})\b"), "year"),
    (re.compile(r"\b(?:in|by|during|before the end of|within) (\d{4})\b(?![-/])"), "year"),
    (re.compile(r"\bby (?:the )?end[- ](?:of )?(\d{4})\b"), "year"),
    (re.compile(rf"\bby (?:the )?end[- ](?:of )?{MONTH_RE},? (\d{{4}})\b"), "month"),
    # Relative to the meeting's own year, when the statement gives one.
    (re.compile(r"\b(?:by|before) (?:the )?(?:end of (?:the|this) year|year[- ]end)\b|"
                r"\blater (?:this|in the) year\b"), "this-year"),
    (re.compile(r"\b(?:(?:in|during|by the end of) (?:the )?)?(?:next|coming) year\b"),
     "next-year"),
]


_EVERY_DEADLINE = re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _ in _DEADLINES))
_ANY_DEADLINE = re.compile(rf"\d|\b(?:year|month|week|{MONTH_RE[1:-1]})")
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "nine": 9,
            "twelve": 12, "eighteen": 18}


def _day(shape: str, m: re.Match[str], year: int | None,
         meeting: dt.date | None = None) -> dt.date | None:
    if shape in ("this-year", "next-year"):
        return None if year is None else dt.date(year + (shape == "next-year"), 12, 31)
    if shape == "day-this-year":
        if meeting is None:
            return None
        day = dt.date(meeting.year, MONTHS[m.group(2)], int(m.group(1)))
        return day if day > meeting else None
    if shape == "within":
        if meeting is None:
            return None
        count = int(m.group(1)) if m.group(1).isdigit() else _NUMBERS[m.group(1)]
        unit = m.group(2)
        if unit.startswith("week"):
            return meeting + dt.timedelta(weeks=count)
        months = meeting.month - 1 + count * (12 if unit.startswith("year") else 1)
        later, month = meeting.year + months // 12, months % 12 + 1
        return dt.date(later, month, min(meeting.day, calendar.monthrange(later, month)[1]))
    if shape == "day":
        return dt.date(int(m.group(3)), MONTHS[m.group(2)], int(m.group(1)))
    if shape == "mdy":
        return dt.date(int(m.group(3)), MONTHS[m.group(1)], int(m.group(2)))
    if shape == "month":
        return end_of_month(int(m.group(2)), MONTHS[m.group(1)])
    if shape == "year":
        return dt.date(int(m.group(1)), 12, 31)
    if shape == "mid":
        return dt.date(int(m.group(1)), 6, 30)
    if shape == "early":
        return dt.date(int(m.group(1)), 3, 31)
    if shape == "half":
        return dt.date(int(m.group(1)), 6 if m.group(2) == "1" else 12, 30 + (m.group(2) == "2"))
    if shape == "quarter":
        return end_of_quarter(int(m.group(2)), int(m.group(1)))
    return end_of_quarter(int(m.group(2)), _QUARTERS[m.group(1)])


def find_deadline(text: str, year: int | None = None, *, after: dt.date | None = None,
                  meeting: dt.date | None = None) -> dt.date | None:
    """The earliest-mentioned deadline phrase in a sentence, as its period's last day.

    `year` is the meeting's, for "by the end of the year" and "next year"; a date at or
    before `after` (the meeting's date) is not a deadline; `meeting` dates "within six
    months" and a day without a year."""
    found = deadline_phrase(text, year, after=after, meeting=meeting)
    return found[1] if found else None


def deadline_phrase(text: str, year: int | None = None, *,
                    after: dt.date | None = None,
                    meeting: dt.date | None = None) -> tuple[str, dt.date] | None:
    """(the phrase as written, its date) for the earliest deadline phrase, or None.

    `meeting` is the meeting's date, for a day without a year ("on 13 December") and
    "within six months"."""
    low = fold(text)
    if not _ANY_DEADLINE.search(low):
        return None  # no digit, month or word of time: no pattern can match
    # The earliest place any pattern matches, found in one pass (thirty passes, one a
    # pattern, took ten times as long); there the first pattern whose date holds wins, else
    # the search goes on from the next character.
    start = 0
    while found := _EVERY_DEADLINE.search(low, start):
        at = found.start()
        for pattern, shape in _DEADLINES:
            m = pattern.match(low, at)
            if m is None:
                continue
            try:
                day = _day(shape, m, year, meeting)
            except ValueError:
                continue
            if day is None or not 1900 < day.year < 2200:
                continue
            if after is not None and day <= after:
                continue
            return text[at:m.end()], day
        start = at + 1
    return None
