from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from painrehab.domain.dates import add_months


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        pytest.param(date(2026, 1, 15), 1, date(2026, 2, 15), id="plain_case"),
        pytest.param(date(2026, 1, 31), 1, date(2026, 2, 28), id="short_month_case"),
        pytest.param(date(2028, 1, 31), 1, date(2028, 2, 29), id="leap_year_case"),
        pytest.param(date(2026, 11, 30), 3, date(2027, 2, 28), id="year_end_case"),
        pytest.param(date(2026, 6, 1), 12, date(2027, 6, 1), id="one_year_case"),
        pytest.param(date(2026, 6, 1), 0, date(2026, 6, 1), id="zero_case"),
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)), st.integers(0, 24)
)
def test_add_months_lands_in_the_right_month(start: date, months: int) -> None:
    result = add_months(start, months)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    assert result.day <= start.day
