import contextlib
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bptrack.dates import parse_date
from bptrack.errors import InvalidValue

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
    ],
)
def test_user_dates(text: str, expected: date) -> None:
    assert parse_date(text, base=BASE) == expected


@pytest.mark.parametrize("text", ["", "soon", "2023-13", "2023-02-30", "2023-Q5", "+3y",
                                  "31/12/2023", "-1d", "20231", "+99999d"])
def test_bad_dates_say_what_is_accepted(text: str) -> None:
    with pytest.raises(InvalidValue, match="YYYY-MM-DD"):
        parse_date(text, base=BASE)


@given(st.text(max_size=30))
def test_any_text_is_a_date_or_a_clear_error(text: str) -> None:
    with contextlib.suppress(InvalidValue):
        assert isinstance(parse_date(text, base=BASE), date)
