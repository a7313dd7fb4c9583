from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest

from painrehab.domain.scoring import (
    ENGINE_VERSION,
    ScoringInputError,
    UnknownItem,
    ValueOutOfRange,
    WrongType,
    get,
    score,
)
from painrehab.domain.scoring.engine import round_half_up
from painrehab.domain.scoring.norms import TTable, load_t_table

FAKE_TABLE = Path(__file__).parent / "fixtures" / "fake_t_table.json"


def _answers(*values: int | None) -> dict[str, int | None]:
    return {str(n): v for n, v in enumerate(values, start=1)}


@pytest.mark.parametrize(
    ("answers", "error", "item"),
    [
        pytest.param({"16": 1}, UnknownItem, "16", id="unknown_item_case"),
        pytest.param({"0": 1}, UnknownItem, "0", id="zero_key_case"),
        pytest.param({"3": 5}, ValueOutOfRange, "3", id="above_range_case"),
        pytest.param({"3": -1}, ValueOutOfRange, "3", id="below_range_case"),
        pytest.param({"7": "2"}, WrongType, "7", id="string_case"),
        pytest.param({"7": 2.0}, WrongType, "7", id="float_case"),
        pytest.param({"7": True}, WrongType, "7", id="bool_case"),
    ],
)
def test_bad_answers_raise_naming_the_item(
    answers: dict[str, object], error: type[ScoringInputError], item: str
) -> None:
    with pytest.raises(error) as raised:
        score(get("FDI-C"), answers)  # type: ignore[arg-type]
    assert raised.value.item == item
    assert isinstance(raised.value, ValueError)
    assert item in str(raised.value)


def test_out_of_range_lists_the_allowed_values() -> None:
    with pytest.raises(ValueOutOfRange) as raised:
        score(get("CES-DC"), {"1": 4})
    assert raised.value.value == 4
    assert raised.value.allowed == (0, 1, 2, 3)
    assert "0, 1, 2, 3" in str(raised.value)


def test_missing_is_never_zero() -> None:
    # 14 answers of 0 and one missing: a zero-fill would give 0; no score instead.
    values: list[int | None] = [0] * 14 + [None]
    result = score(get("FDI-C"), _answers(*values))
    assert result.total is None
    assert not result.scorable


def test_absent_and_none_both_count_as_missing() -> None:
    answers: dict[str, int | None] = {str(n): 1 for n in range(1, 14)}
    answers["14"] = None  # item 15 absent entirely
    result = score(get("FDI-C"), answers)
    assert result.missing == ("14", "15")
    assert "items 14, 15" in result.reasons[0]


def test_result_carries_engine_and_definition_versions() -> None:
    result = score(get("NRS"), {"1": 3})
    assert result.engine_version == ENGINE_VERSION == "1.0.0"
    assert (result.code, result.version) == ("NRS", "1.0")
    assert result.t_score_reason == "NRS is not scored on a T-score metric."


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(Fraction(29, 2), 15, id="half_rounds_up_odd_case"),
        pytest.param(Fraction(25, 2), 13, id="half_rounds_up_not_to_even_case"),
        pytest.param(Fraction(104, 7), 15, id="14_857_case"),
        pytest.param(Fraction(44, 3), 15, id="14_667_case"),
        pytest.param(Fraction(43, 3), 14, id="14_333_case"),
    ],
)
def test_round_half_up(value: Fraction, expected: int) -> None:
    assert round_half_up(value) == expected


def test_prorating_eight_item_form_seven_answered() -> None:
    # PROMIS rule (instruments.md §3.3): round(sum x 8 / 7).
    # Answers 2,2,2,2,2,2,1 → sum 13; 13 x 8 / 7 = 14.857 → 15.
    values: list[int | None] = [2, 2, 2, 2, 2, 2, 1, None]
    result = score(get("PROMIS-PED-PAININT-8A"), _answers(*values))
    assert result.total == 15
    assert result.prorated
    assert result.scales["total"].prorated
    assert result.missing == ("8",)
    assert "prorated from 7 of 8 items" in result.reasons[0]


def test_prorating_rounds_exact_halves_up() -> None:
    # Fatigue 10a, 4 answered summing 5: 5 x 10 / 4 = 12.5 → 13 (round half up;
    # Python's round() would give 12).
    values: list[int | None] = [2, 1, 1, 1] + [None] * 6
    result = score(get("PROMIS-PED-FAT-10A"), _answers(*values))
    assert result.total == 13


def test_prorating_below_minimum_gives_reason() -> None:
    values: list[int | None] = [4, 4, 4] + [None] * 5
    result = score(get("PROMIS-PED-ANX-8B"), _answers(*values))
    assert result.total is None
    assert not result.prorated
    assert "at most 4 may be missing" in result.reasons[0]
    assert "items 4, 5, 6, 7, 8" in result.reasons[0]


def test_complete_promis_form_is_not_prorated() -> None:
    result = score(get("PROMIS-PED-DEP-8B"), _answers(*[1] * 8))
    assert result.total == 8
    assert not result.prorated
    assert result.reasons == ()


def _fake_tables() -> dict[str, TTable]:
    table = load_t_table(FAKE_TABLE)
    return {table.code: table}


def test_t_score_unavailable_without_a_table() -> None:
    result = score(get("PROMIS-PED-PAININT-8A"), _answers(*[2] * 8))
    assert result.t_score is None
    assert result.t_score_reason == (
        "No official conversion table loaded for PROMIS-PED-PAININT-8A"
    )


def test_t_score_looked_up_in_the_loaded_table() -> None:
    # Raw 8 x 2 = 16; the fake table gives T = 30 + raw = 46, SE 9.99.
    result = score(
        get("PROMIS-PED-PAININT-8A"), _answers(*[2] * 8), t_tables=_fake_tables()
    )
    assert result.t_score == 46.0
    assert result.t_score_se == 9.99
    assert "FAKE TEST TABLE" in result.t_score_reason


def test_t_score_uses_the_prorated_raw_score() -> None:
    # 7 answered, sum 13 → raw 15 (see above) → fake T 45.
    values: list[int | None] = [2, 2, 2, 2, 2, 2, 1, None]
    result = score(
        get("PROMIS-PED-PAININT-8A"), _answers(*values), t_tables=_fake_tables()
    )
    assert (result.total, result.t_score) == (15, 45.0)


def test_t_score_not_taken_from_another_forms_table() -> None:
    result = score(
        get("PROMIS-PP-PAININT-8A"), _answers(*[2] * 8), t_tables=_fake_tables()
    )
    assert result.t_score is None
    assert "PROMIS-PP-PAININT-8A" in result.t_score_reason


def test_t_score_refuses_a_table_for_another_version() -> None:
    table = replace(load_t_table(FAKE_TABLE), version="2.0")
    result = score(
        get("PROMIS-PED-PAININT-8A"), _answers(*[2] * 8), t_tables={table.code: table}
    )
    assert result.t_score is None
    assert "version 2.0" in result.t_score_reason


def test_t_score_needs_a_raw_score() -> None:
    result = score(
        get("PROMIS-PED-PAININT-8A"), _answers(1, 1, 1), t_tables=_fake_tables()
    )
    assert result.t_score is None
    assert "raw score could not be computed" in result.t_score_reason


def test_t_score_raw_outside_the_table() -> None:
    table = load_t_table(FAKE_TABLE)
    short = replace(table, rows={k: v for k, v in table.rows.items() if k < 10})
    result = score(
        get("PROMIS-PED-PAININT-8A"), _answers(*[2] * 8), t_tables={table.code: short}
    )
    assert result.t_score is None
    assert result.t_score_reason == "Raw score 16 is not in the loaded table."
