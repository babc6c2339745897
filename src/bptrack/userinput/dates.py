"""Dates as users type them, and the end-of-period rules they share with statements."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from bptrack.clock import end_of_month, end_of_quarter, today
from bptrack.errors import InvalidValue

DATE_HELP = ("YYYY-MM-DD, YYYY-MM, YYYY, YYYY-Qn, YYYY-Hn, D Month YYYY, Month D, YYYY, "
             "D/M/YYYY, today, tomorrow, +Nd, +Nw, +Nm, or a statement's phrase such as "
             "'in 2025', 'mid-2025', 'late 2025', 'Q3 2025', 'end 2025', 'June 2025'")
EARLIEST, LATEST = 1900, 2999  # the years a user could mean

_RELATIVE = re.compile(r"^\+(\d+)([dwm])$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_HALF = re.compile(r"^(\d{4})-h([12])$")
_SLASHED = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_MONTHS = {m: n for n, m in enumerate(calendar.month_name) if m} | {
    m: n for n, m in enumerate(calendar.month_abbr) if m}
_DAY_MONTH = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$")
_MONTH_DAY = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if not 1 <= year <= 9999:
        raise OverflowError("date value out of range")
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def parse_date(text: str, *, base: date | None = None, dayfirst: bool = True) -> date:
    """Read a user's date; a period means its last day ("2023" is 2023-12-31). One grammar
    with the statement reader: what a statement's deadline says, a user may type."""
    day = _parse(text, base or today(), dayfirst)
    if not EARLIEST <= day.year <= LATEST:
        raise InvalidValue(f"{text!r} is out of range: give a date from {EARLIEST} to {LATEST}")
    return day


def _parse(text: str, base: date, dayfirst: bool) -> date:
    value = " ".join(text.strip().lower().split())
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            year, month = int(m.group(1)), int(m.group(2))
            if 1 <= month <= 12:
                raise InvalidValue(f"{text.strip()} does not exist: {calendar.month_name[month]} "
                                   f"{year} has {calendar.monthrange(year, month)[1]} days"
                                   ) from None
            raise InvalidValue(f"{text.strip()} does not exist: there is no month {month}"
                               ) from None
    try:
        if value == "today":
            return base
        if value == "tomorrow":
            return base + timedelta(days=1)
        if m := _RELATIVE.match(value):
            n, unit = int(m.group(1)[:9]), m.group(2)  # 9 digits already pass 2999
            if unit == "d":
                return base + timedelta(days=n)
            if unit == "w":
                return base + timedelta(weeks=n)
            return add_months(base, n)
        if m := _QUARTER.match(value):
            return end_of_quarter(int(m.group(1)), int(m.group(2)))
        if m := _MONTH.match(value):
            return end_of_month(int(m.group(1)), int(m.group(2)))
        if m := _YEAR.match(value):
            return date(int(m.group(1)), 12, 31)
        if m := _HALF.match(value):
            return date(int(m.group(1)), 6, 30) if m.group(2) == "1" else date(
                int(m.group(1)), 12, 31)
        if m := _SLASHED.match(value):
            first, second, year = (int(g) for g in m.groups())
            day, month = (first, second) if dayfirst else (second, first)
            return date(year, month, day)
        if (m := _DAY_MONTH.match(value)) and m.group(2).title() in _MONTHS:
            return date(int(m.group(3)), _MONTHS[m.group(2).title()], int(m.group(1)))
        if (m := _MONTH_DAY.match(value)) and m.group(1).title() in _MONTHS:
            return date(int(m.group(3)), _MONTHS[m.group(1).title()], int(m.group(2)))
    except OverflowError:  # beyond what Python's dates hold: far beyond 2999 too
        raise InvalidValue(f"{text.strip()!r} is out of range: give a date from {EARLIEST} to "
                           f"{LATEST}") from None
    except ValueError:
        pass
    from bptrack.reading.deadlines import deadline_phrase

    for lead in ("", "by ", "in "):  # "mid-2025", "Q3 2025", "in late 2025", "June 2025"
        found = deadline_phrase(lead + value, base.year)
        if found is not None and found[0].lower() == lead + value:
            return found[1]
    raise InvalidValue(f"invalid date {text!r}: use {DATE_HELP}")
