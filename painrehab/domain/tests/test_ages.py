from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from painrehab.domain.ages import age_on, is_adolescent


@pytest.mark.parametrize(
    ("born", "on", "expected"),
    [
        pytest.param(
            date(2014, 6, 15), date(2026, 6, 14), 11, id="day_before_birthday"
        ),
        pytest.param(date(2014, 6, 15), date(2026, 6, 15), 12, id="on_birthday"),
        pytest.param(date(2012, 2, 29), date(2026, 2, 28), 13, id="leap_day_before"),
        pytest.param(date(2012, 2, 29), date(2026, 3, 1), 14, id="leap_day_after"),
        pytest.param(date(2012, 2, 29), date(2028, 2, 29), 16, id="leap_day_in_leap"),
        pytest.param(date(2020, 1, 1), date(2020, 1, 1), 0, id="day_of_birth"),
    ],
)
def test_age_counts_completed_years(born: date, on: date, expected: int) -> None:
    assert age_on(born, on) == expected


def test_age_refuses_a_date_before_birth() -> None:
    with pytest.raises(ValueError, match="before the date of birth"):
        age_on(date(2015, 5, 1), date(2015, 4, 30))


def test_adolescence_starts_on_the_twelfth_birthday() -> None:
    born = date(2014, 9, 1)
    assert not is_adolescent(born, date(2026, 8, 31))
    assert is_adolescent(born, date(2026, 9, 1))


dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31))


@given(born=dates, days=st.integers(min_value=0, max_value=40 * 366))
def test_age_never_decreases_and_grows_by_at_most_one_a_day(
    born: date, days: int
) -> None:
    on = born + timedelta(days=days)
    assert age_on(born, on + timedelta(days=1)) - age_on(born, on) in (0, 1)
    assert 0 <= age_on(born, on) <= days // 365
