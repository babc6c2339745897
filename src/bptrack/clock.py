"""Today and now, in the forms the tracker stores, and the ends of periods: a module of its
own, so that the everyday commands need not load the date grammar (dates.py) to know what day
it is, and the statement reader can share the period rules without importing that grammar."""

from __future__ import annotations

from datetime import UTC, date, datetime


def today() -> date:
    return date.today()


def utcnow() -> datetime:
    """Now in UTC; stored with microseconds so that --sort updated orders quick changes."""
    return datetime.now(UTC)


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=UTC)


def iso_utc(moment: datetime | None) -> str | None:
    """A timestamp as ISO 8601 UTC with a Z; a naive one is taken to be UTC already."""
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def end_of_month(year: int, month: int) -> date:
    import calendar  # its month names import the locale machinery: only when asked

    return date(year, month, calendar.monthrange(year, month)[1])


def end_of_quarter(year: int, quarter: int) -> date:
    return end_of_month(year, quarter * 3)
