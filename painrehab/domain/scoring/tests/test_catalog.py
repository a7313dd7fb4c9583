"""Worked examples for every shipped instrument and scale.

Expected numbers are computed by hand in each case's comment. instruments.md
gives no published worked examples from the manuals, so the examples are
constructed; the arithmetic is shown.
"""

import pytest

from painrehab.domain.scoring import CATALOG, get, score
from painrehab.domain.scoring.catalog.promis import PROMIS_FORMS
from painrehab.domain.scoring.definitions import InstrumentDefinition


def _answers(*values: int | None) -> dict[str, int | None]:
    """Answers in form order: the first value is item "1"."""
    return {str(n): v for n, v in enumerate(values, start=1)}


def test_catalog_is_keyed_by_code_and_get_finds_each() -> None:
    for code, definition in CATALOG.items():
        assert definition.code == code
        assert get(code) is definition


def test_get_names_an_unknown_code() -> None:
    with pytest.raises(KeyError, match="NOPE"):
        get("NOPE")


def test_every_definition_cites_a_source() -> None:
    for definition in CATALOG.values():
        assert definition.citation
        assert definition.meaningful_change_source


def test_nrs_is_its_single_answer_with_loinc() -> None:
    # One item: the score is the answer itself.
    result = score(get("NRS"), _answers(7))
    assert result.total == 7
    assert get("NRS").loinc == "72514-3"
    assert get("NRS").meaningful_change == 1.0


@pytest.mark.parametrize(
    ("total", "band"),
    [
        pytest.param(0, "No/minimal disability", id="fdi_floor_case"),
        pytest.param(12, "No/minimal disability", id="fdi_12_case"),
        pytest.param(13, "Moderate disability", id="fdi_13_case"),
        pytest.param(29, "Moderate disability", id="fdi_29_case"),
        pytest.param(30, "Severe disability", id="fdi_30_case"),
        pytest.param(60, "Severe disability", id="fdi_ceiling_case"),
    ],
)
@pytest.mark.parametrize("code", ["FDI-C", "FDI-P"])
def test_fdi_band_boundaries(code: str, total: int, band: str) -> None:
    # Spread the total over 15 items of at most 4: as many 4s as fit, then the rest.
    fours, rest = divmod(total, 4)
    values = [4] * fours + ([rest] if rest else [])
    values += [0] * (15 - len(values))
    result = score(get(code), _answers(*values))
    assert result.total == total
    assert result.band == band
    assert any("Kashikar-Zuck" in note for note in get(code).unverified)


def test_fdi_worked_example_sums_fifteen_items() -> None:
    # 1+2+3+4+0+1+2+3+4+0+1+2+3+4+0 = 3 x (1+2+3+4+0) = 30 → severe.
    result = score(get("FDI-C"), _answers(*[1, 2, 3, 4, 0] * 3))
    assert result.total == 30
    assert result.band == "Severe disability"


def test_fdi_with_any_missing_item_is_not_scored() -> None:
    values: list[int | None] = [2] * 15
    values[4] = None
    result = score(get("FDI-P"), _answers(*values))
    assert not result.scorable
    assert result.total is None
    assert result.missing == ("5",)
    assert "item 5" in result.reasons[0]
    assert "no missing-data rule is published" in result.reasons[0]


@pytest.mark.parametrize("code", ["PCS-C", "PCS-P"])
def test_pcs_worked_example_every_subscale(code: str) -> None:
    # Item n answered (n mod 5): 1,2,3,4,0,1,2,3,4,0,1,2,3.
    # Rumination 8,9,10,11 → 3+4+0+1 = 8.
    # Magnification 6,7,13 → 1+2+3 = 6.
    # Helplessness 1-5,12 → 1+2+3+4+0+2 = 12.
    # Total = 8 + 6 + 12 = 26 (every item is in exactly one subscale).
    result = score(get(code), _answers(*[n % 5 for n in range(1, 14)]))
    values = {key: s.value for key, s in result.scales.items()}
    assert values == {
        "rumination": 8,
        "magnification": 6,
        "helplessness": 12,
        "total": 26,
    }


@pytest.mark.parametrize(
    ("total", "band"),
    [
        pytest.param(14, "Low", id="pcs_c_14_case"),
        pytest.param(15, "Moderate", id="pcs_c_15_case"),
        pytest.param(25, "Moderate", id="pcs_c_25_case"),
        pytest.param(26, "High", id="pcs_c_26_case"),
    ],
)
def test_pcs_c_band_boundaries(total: int, band: str) -> None:
    fours, rest = divmod(total, 4)
    values = [4] * fours + ([rest] if rest else [])
    values += [0] * (13 - len(values))
    result = score(get("PCS-C"), _answers(*values))
    assert (result.total, result.band) == (total, band)


def test_pcs_p_ships_no_bands() -> None:
    result = score(get("PCS-P"), _answers(*[4] * 13))
    assert result.total == 52
    assert result.band is None


def test_pcs_missing_item_spoils_its_subscale_and_the_total_only() -> None:
    # Item 9 is rumination: rumination and total unscored; the others stand.
    values: list[int | None] = [1] * 13
    values[8] = None
    result = score(get("PCS-C"), _answers(*values))
    assert result.scales["rumination"].value is None
    assert result.scales["total"].value is None
    assert result.scales["magnification"].value == 3  # 1 + 1 + 1
    assert result.scales["helplessness"].value == 6  # six items of 1
    assert "CHOIR requires all 13 items" in result.scales["rumination"].reasons[0]


def test_fopq_worked_example() -> None:
    # Answers 1..10 → 0,1,2,3,4,0,1,2,3,4 (n - 1 mod 5).
    # Fear 1,2,3,5,6 → 0+1+2+4+0 = 7; avoidance 4,7,8,9,10 → 3+1+2+3+4 = 13.
    # Total 20 → "Elevated" and flagged (≥ 16).
    result = score(get("FOPQ-C-SF"), _answers(*[(n - 1) % 5 for n in range(1, 11)]))
    assert result.scales["fear"].value == 7
    assert result.scales["avoidance"].value == 13
    assert result.total == 20
    assert result.band == "Elevated"
    assert result.scales["total"].flagged


@pytest.mark.parametrize(
    ("total", "band", "flagged"),
    [
        pytest.param(15, "Below at-risk", False, id="fopq_15_case"),
        pytest.param(16, "At-Risk", True, id="fopq_16_case"),
        pytest.param(19, "At-Risk", True, id="fopq_19_case"),
        pytest.param(20, "Elevated", True, id="fopq_20_case"),
    ],
)
def test_fopq_cut_offs(total: int, band: str, flagged: bool) -> None:
    fours, rest = divmod(total, 4)
    values = [4] * fours + ([rest] if rest else [])
    values += [0] * (10 - len(values))
    result = score(get("FOPQ-C-SF"), _answers(*values))
    assert (result.total, result.band) == (total, band)
    assert result.scales["total"].flagged is flagged


def test_fopq_subscale_needs_all_five_items() -> None:
    values: list[int | None] = [2] * 10
    values[0] = None  # item 1 is a fear item
    result = score(get("FOPQ-C-SF"), _answers(*values))
    assert result.scales["fear"].value is None
    assert result.scales["avoidance"].value == 10  # 5 x 2
    assert "all 5 items" in result.scales["fear"].reasons[0]


def test_ces_dc_reverses_items_4_8_12_16() -> None:
    # All answers 0: items 4, 8, 12, 16 score 3 + 0 - 0 = 3 each → total 12.
    assert score(get("CES-DC"), _answers(*[0] * 20)).total == 12
    # All answers 3: the reversed items score 0; the other 16 score 3 → 48.
    assert score(get("CES-DC"), _answers(*[3] * 20)).total == 48


@pytest.mark.parametrize(
    ("item_1", "total", "flagged"),
    [
        pytest.param(2, 14, False, id="ces_dc_14_case"),
        pytest.param(3, 15, True, id="ces_dc_15_case"),
    ],
)
def test_ces_dc_cut_off_at_15(item_1: int, total: int, flagged: bool) -> None:
    # Reversed items 4, 8, 12, 16 answered 3 score 3 + 0 - 3 = 0.
    # Items 2, 3, 5, 6 answered 3 → 12; item 1 answered 2 or 3.
    # Total = 12 + item_1 → 14 (not flagged) or 15 (flagged: cut-off 15).
    values = [0] * 20
    for item in (4, 8, 12, 16, 2, 3, 5, 6):
        values[item - 1] = 3
    values[0] = item_1
    result = score(get("CES-DC"), _answers(*values))
    assert result.total == total
    assert result.scales["total"].flagged is flagged


def test_ces_dc_mixed_worked_example() -> None:
    # Items 1-20 answered n mod 4: 1,2,3,0,1,2,3,0,1,2,3,0,1,2,3,0,1,2,3,0.
    # Forward items: five each of 1, 2, 3 except the four 0s at 4, 8, 12, 16,
    # which are the reversed items and score 3 - 0 = 3 each.
    # Forward sum = 5 x (1 + 2 + 3) = 30; reversed = 4 x 3 = 12; total 42.
    result = score(get("CES-DC"), _answers(*[n % 4 for n in range(1, 21)]))
    assert result.total == 42


def _arcs(protect: int, minimize: int, distract: int) -> dict[str, int | None]:
    definition = get("ARCS")
    by_scale = {"protect": protect, "minimize": minimize, "distract": distract}
    answers: dict[str, int | None] = dict.fromkeys(definition.item_keys, 0)
    for key, value in by_scale.items():
        for item in definition.scale(key).items:
            answers[item] = value
    return answers


def test_arcs_worked_example_means() -> None:
    # Protect items all 3 → 3.0; minimize all 1 → 1.0; distract all 2 → 2.0.
    # Total = (3 + 1 + 2) / 3 = 2.0.
    result = score(get("ARCS"), _arcs(3, 1, 2))
    assert result.scales["protect"].value == 3.0
    assert result.scales["minimize"].value == 1.0
    assert result.scales["distract"].value == 2.0
    assert result.total == 2.0


def test_arcs_unscored_items_do_not_count() -> None:
    answers = _arcs(1, 1, 1)
    for item in ("4", "23", "28", "30"):
        answers[item] = 4
    assert score(get("ARCS"), answers).total == 1.0


def test_arcs_protect_mean_of_answered_items_at_minimum() -> None:
    # Protect has 15 items, needs ≥ 12. Leave 3 missing: 12 answered.
    # Answered values: six 4s and six 0s → 24 / 12 = 2.0.
    answers = _arcs(0, 0, 0)
    protect = get("ARCS").scale("protect").items
    for item in protect[:6]:
        answers[item] = 4
    for item in protect[12:]:
        answers[item] = None
    result = score(get("ARCS"), answers)
    assert result.scales["protect"].value == 2.0
    assert result.scales["protect"].missing == protect[12:]
    assert "at least 12 needed" in result.scales["protect"].reasons[0]


@pytest.mark.parametrize(
    ("scale", "minimum"),
    [
        pytest.param("protect", 12, id="protect_12_case"),
        pytest.param("minimize", 4, id="minimize_4_case"),
        pytest.param("distract", 6, id="distract_6_case"),
    ],
)
def test_arcs_below_minimum_answered_is_not_scored(scale: str, minimum: int) -> None:
    answers = _arcs(2, 2, 2)
    items = get("ARCS").scale(scale).items
    for item in items[minimum - 1 :]:  # leaves minimum - 1 answered
        answers[item] = None
    result = score(get("ARCS"), answers)
    assert result.scales[scale].value is None
    assert f"at least {minimum} are needed" in result.scales[scale].reasons[0]
    assert result.total is None
    assert scale in result.scales["total"].reasons[0]


@pytest.mark.parametrize(
    "definition", [pytest.param(d, id=f"{d.code}_case") for d in PROMIS_FORMS]
)
def test_promis_raw_sum_and_no_table(definition: InstrumentDefinition) -> None:
    # All items answered 2: raw = 2 x items.
    n = len(definition.items)
    result = score(definition, _answers(*[2] * n))
    assert result.total == 2 * n
    assert result.t_score is None
    assert result.t_score_reason == (
        f"No official conversion table loaded for {definition.code}"
    )


@pytest.mark.parametrize(
    "definition", [pytest.param(d, id=f"{d.code}_case") for d in PROMIS_FORMS]
)
def test_promis_prorates_down_to_four_answered(
    definition: InstrumentDefinition,
) -> None:
    # Four answered items of 3 (sum 12) on an n-item form: round(12 x n / 4) = 3n.
    n = len(definition.items)
    values: list[int | None] = [3, 3, 3, 3] + [None] * (n - 4)
    result = score(definition, _answers(*values))
    assert result.prorated
    assert result.total == 3 * n
    # Three answered: below the HealthMeasures minimum of 4.
    values = [3, 3, 3] + [None] * (n - 3)
    assert score(definition, _answers(*values)).total is None


def test_promis_mobility_is_higher_is_better() -> None:
    assert not get("PROMIS-PED-MOB-8A").higher_is_worse
    assert not get("PROMIS-PP-MOB-8A").higher_is_worse
    assert get("PROMIS-PED-PAININT-8A").higher_is_worse
