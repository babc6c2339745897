"""Dates as users type them, and the end-of-period rules they share with statements."""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, timedelta

from bptrack.errors import InvalidValue

DATE_HELP = "YYYY-MM-DD, YYYY-MM, YYYY, YYYY-Qn, today, tomorrow, +Nd, +Nw or +Nm"

_RELATIVE = re.compile(r"^\+(\d{1,4})([dwm])$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


def today() -> date:
    return date.today()


def utcnow() -> datetime:
    """Now in UTC; stored with microseconds so that --sort updated orders quick changes."""
    return datetime.now(UTC)


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=UTC)


def end_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def end_of_quarter(year: int, quarter: int) -> date:
    return end_of_month(year, quarter * 3)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def parse_date(text: str, *, base: date | None = None) -> date:
    """Read a user's date; a period means its last day ("2023" is 2023-12-31)."""
    value = text.strip().lower()
    base = base or today()
    try:
        if value == "today":
            return base
        if value == "tomorrow":
            return base + timedelta(days=1)
        if m := _RELATIVE.match(value):
            n, unit = int(m.group(1)), m.group(2)
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
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return date.fromisoformat(value)
    except (ValueError, OverflowError):
        pass
    raise InvalidValue(f"invalid date {text!r}: use {DATE_HELP}")


def iso_utc(moment: datetime | None) -> str | None:
    """A timestamp as ISO 8601 UTC with a Z; a naive one is taken to be UTC already."""
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
