import datetime as dt

import pytest

from painrehab.domain.scoring import get
from painrehab.instruments.choices import RespondentKind, TimePoint
from painrehab.instruments.protocol import (
    DEFAULT_PROTOCOL,
    ProtocolEntry,
    entries_at,
)

BORN = dt.date(2012, 5, 17)


def test_every_default_entry_names_a_catalog_instrument_and_its_respondent() -> None:
    for entry in DEFAULT_PROTOCOL:
        assert str(get(entry.code).respondent) == entry.respondent


def test_daily_pain_check_in_is_not_part_of_the_protocol() -> None:
    assert "NRS" not in {entry.code for entry in DEFAULT_PROTOCOL}


def test_refuses_an_entry_whose_respondent_contradicts_the_definition() -> None:
    with pytest.raises(ValueError, match="FDI-P"):
        ProtocolEntry("FDI-P", RespondentKind.CHILD, frozenset({TimePoint.ADMISSION}))


def test_refuses_an_unknown_code() -> None:
    with pytest.raises(KeyError):
        ProtocolEntry("NOPE", RespondentKind.CHILD, frozenset({TimePoint.ADMISSION}))


@pytest.mark.parametrize(
    ("code", "on", "expected"),
    [
        pytest.param("FDI-C", dt.date(2020, 5, 16), False, id="fdi_age_7_case"),
        pytest.param("FDI-C", dt.date(2020, 5, 17), True, id="fdi_age_8_case"),
        pytest.param("FDI-C", dt.date(2030, 5, 16), True, id="fdi_age_17_case"),
        pytest.param("FDI-C", dt.date(2030, 5, 17), False, id="fdi_age_18_case"),
        pytest.param(
            "PROMIS-PED-PAININT-8A", dt.date(2030, 5, 17), False, id="promis_18_case"
        ),
        pytest.param("PCS-C", dt.date(2031, 1, 1), True, id="no_band_case"),
        pytest.param("FDI-P", dt.date(2031, 1, 1), True, id="parent_any_age_case"),
    ],
)
def test_child_entries_apply_only_inside_their_age_band(
    code: str, on: dt.date, expected: bool
) -> None:
    entry = next(e for e in DEFAULT_PROTOCOL if e.code == code)

    assert entry.applies(birth_date=BORN, on=on) is expected


def test_weekly_battery_is_function_and_pain_interference() -> None:
    codes = {entry.code for entry in entries_at(DEFAULT_PROTOCOL, TimePoint.WEEKLY)}

    assert codes == {"FDI-C", "FDI-P", "PROMIS-PED-PAININT-8A"}


def test_depression_and_parent_responses_are_only_in_and_out() -> None:
    follow_up = {e.code for e in entries_at(DEFAULT_PROTOCOL, TimePoint.FOLLOW_UP)}

    assert "CES-DC" not in follow_up
    assert "ARCS" not in follow_up
    assert {"FDI-C", "PCS-C", "PCS-P", "FOPQ-C-SF"} <= follow_up
