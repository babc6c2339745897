import contextlib
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bptrack.errors import InvalidValue
from bptrack.userinput.dates import parse_date

BASE = date(2024, 1, 31)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-02-29", date(2024, 2, 29)),
        ("2023-02", date(2023, 2, 28)),
        ("2024-02", date(2024, 2, 29)),
        ("2023", date(2023, 12, 31)),
        ("2023-Q1", date(2023, 3, 31)),
        ("2023-q3", date(2023, 9, 30)),
        ("today", BASE),
        ("Tomorrow", date(2024, 2, 1)),
        ("+3d", date(2024, 2, 3)),
        ("+2w", date(2024, 2, 14)),
        ("+1m", date(2024, 2, 29)),  # the month's last day when the day does not exist
        ("+12m", date(2025, 1, 31)),
        # One grammar with the statement reader, and the usual written forms.
        ("in 2023", date(2023, 12, 31)),
        ("mid-2024", date(2024, 6, 30)),
        ("late 2025", date(2025, 12, 31)),
        ("early 2025", date(2025, 3, 31)),
        ("2024-H1", date(2024, 6, 30)),
        ("Q3 2025", date(2025, 9, 30)),
        ("end 2025", date(2025, 12, 31)),
        ("June 2025", date(2025, 6, 30)),
        ("by the end of the year", date(2024, 12, 31)),
        ("30 June 2024", date(2024, 6, 30)),
        ("June 30, 2024", date(2024, 6, 30)),
        ("31/12/2023", date(2023, 12, 31)),
        ("3/4/2025", date(2025, 4, 3)),  # day first unless the config says otherwise
    ],
)
def test_user_dates(text: str, expected: date) -> None:
    assert parse_date(text, base=BASE) == expected


@pytest.mark.parametrize("text", ["", "soon", "2023-13", "2023-Q5", "+3y", "-1d", "20231",
                                  "next week", "13/13/2025"])
def test_bad_dates_say_what_is_accepted(text: str) -> None:
    with pytest.raises(InvalidValue, match="YYYY-MM-DD"):
        parse_date(text, base=BASE)


def test_month_first_when_asked() -> None:
    assert parse_date("3/4/2025", base=BASE, dayfirst=False) == date(2025, 3, 4)


@pytest.mark.parametrize(("text", "message"), [
    ("2023-02-30", "2023-02-30 does not exist: February 2023 has 28 days"),
    ("9999-12-31", "out of range: give a date from 1900 to 2999"),
    ("+99999999d", "out of range: give a date from 1900 to 2999"),
    ("+400000m", "out of range: give a date from 1900 to 2999"),
])
def test_impossible_dates_are_named(text: str, message: str) -> None:
    with pytest.raises(InvalidValue, match=message):
        parse_date(text, base=BASE)


@given(st.text(max_size=30))
def test_any_text_is_a_date_or_a_clear_error(text: str) -> None:
    with contextlib.suppress(InvalidValue):
        assert isinstance(parse_date(text, base=BASE), date)
