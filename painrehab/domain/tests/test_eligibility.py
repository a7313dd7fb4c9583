import json
from collections.abc import Mapping
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from painrehab.domain.ages import age_on
from painrehab.domain.eligibility import (
    DEFAULT_RULES,
    ConditionGroup,
    EligibilityFacts,
    EligibilityResult,
    Exclusion,
    ProgramRules,
    Reason,
    Recommendation,
    Verdict,
    age_at_admission,
    assess,
    reasons_as_dicts,
)

PLANNED = date(2026, 12, 1)
EXCLUSION_KEYS = [exclusion.key for exclusion in DEFAULT_RULES.exclusions]
ALL_CLEAR: Mapping[str, bool | None] = dict.fromkeys(EXCLUSION_KEYS, False)


def _facts(
    *,
    born: date = date(2014, 6, 15),
    planned: date | None = PLANNED,
    groups: frozenset[ConditionGroup] = frozenset({ConditionGroup.CRPS}),
    findings: Mapping[str, bool | None] = ALL_CLEAR,
) -> EligibilityFacts:
    return EligibilityFacts(born, planned, groups, findings)


def _reason(result: EligibilityResult, rule: str) -> Reason:
    (reason,) = [r for r in result.reasons if r.rule == rule]
    return reason


@pytest.mark.parametrize(
    ("born", "planned", "verdict"),
    [
        pytest.param(
            date(2019, 12, 2), PLANNED, Verdict.NOT_MET, id="six_years_364_days_case"
        ),
        pytest.param(
            date(2019, 12, 1), PLANNED, Verdict.MET, id="seventh_birthday_case"
        ),
        pytest.param(
            date(2006, 12, 2), PLANNED, Verdict.MET, id="nineteen_years_364_days_case"
        ),
        pytest.param(
            date(2006, 12, 1), PLANNED, Verdict.NOT_MET, id="twentieth_birthday_case"
        ),
        pytest.param(
            date(2016, 2, 29),
            date(2023, 2, 28),
            Verdict.NOT_MET,
            id="leap_born_day_before_seventh_in_common_year_case",
        ),
        pytest.param(
            date(2016, 2, 29),
            date(2023, 3, 1),
            Verdict.MET,
            id="leap_born_seventh_birthday_is_1_march_case",
        ),
        pytest.param(
            date(2008, 2, 29),
            date(2028, 2, 28),
            Verdict.MET,
            id="leap_born_day_before_twentieth_case",
        ),
        pytest.param(
            date(2008, 2, 29),
            date(2028, 2, 29),
            Verdict.NOT_MET,
            id="leap_born_twentieth_birthday_in_leap_year_case",
        ),
    ],
)
def test_age_boundaries_on_the_planned_admission_date(
    born: date, planned: date, verdict: Verdict
) -> None:
    result = assess(_facts(born=born, planned=planned))
    assert _reason(result, "age").verdict is verdict
    expected = (
        Recommendation.ADMIT if verdict is Verdict.MET else Recommendation.DECLINE
    )
    assert result.recommendation is expected


@pytest.mark.parametrize(
    ("born", "expected"),
    [
        pytest.param(
            date(2019, 12, 2),
            "Age 6 on the planned admission date 2026-12-01 is below the program's "
            "minimum of 7.",
            id="below_minimum_case",
        ),
        pytest.param(
            date(2006, 12, 1),
            "Age 20 on the planned admission date 2026-12-01 is above the program's "
            "maximum of 19.",
            id="above_maximum_case",
        ),
        pytest.param(
            date(2014, 6, 15),
            "Age 12 on the planned admission date 2026-12-01 is within the program's "
            "range of 7–19.",
            id="within_range_case",
        ),
    ],
)
def test_age_text_gives_the_age_date_and_limit(born: date, expected: str) -> None:
    assert _reason(assess(_facts(born=born)), "age").text == expected


def test_planned_date_before_birth_is_not_met_rather_than_an_error() -> None:
    result = assess(_facts(born=date(2020, 5, 1), planned=date(2020, 4, 30)))
    reason = _reason(result, "age")
    assert reason.verdict is Verdict.NOT_MET
    assert "2020-04-30 is before the date of birth 2020-05-01" in reason.text
    assert result.recommendation is Recommendation.DECLINE


def test_no_planned_date_leaves_age_unknown_and_the_result_incomplete() -> None:
    result = assess(_facts(planned=None))
    reason = _reason(result, "age")
    assert reason.verdict is Verdict.UNKNOWN
    assert "7–19" in reason.text
    assert result.recommendation is Recommendation.INCOMPLETE
    assert result.unknown == (reason,)


def test_age_at_admission_counts_completed_years() -> None:
    assert age_at_admission(date(2016, 2, 29), date(2023, 2, 28)) == 6
    assert age_at_admission(date(2016, 2, 29), date(2023, 3, 1)) == 7


@pytest.mark.parametrize(
    "group",
    [
        pytest.param(group, id=f"{group.value}_case")
        for group in ConditionGroup
        if group is not ConditionGroup.OTHER
    ],
)
def test_each_qualifying_group_meets_the_condition_rule(group: ConditionGroup) -> None:
    reason = _reason(assess(_facts(groups=frozenset({group}))), "condition")
    assert reason.verdict is Verdict.MET


@pytest.mark.parametrize(
    ("groups", "verdict", "text_start"),
    [
        pytest.param(
            frozenset({ConditionGroup.HEADACHE, ConditionGroup.OTHER}),
            Verdict.MET,
            "Has a qualifying condition: headache disorder.",
            id="qualifying_plus_other_case",
        ),
        pytest.param(
            frozenset({ConditionGroup.OTHER}),
            Verdict.NOT_MET,
            "None of the diagnoses is one of the program's qualifying conditions",
            id="only_other_case",
        ),
        pytest.param(
            frozenset(),
            Verdict.NOT_MET,
            "No diagnosis recorded",
            id="no_diagnosis_case",
        ),
    ],
)
def test_condition_cases(
    groups: frozenset[ConditionGroup], verdict: Verdict, text_start: str
) -> None:
    result = assess(_facts(groups=groups))
    reason = _reason(result, "condition")
    assert reason.verdict is verdict
    assert reason.text.startswith(text_start)
    assert (result.recommendation is Recommendation.DECLINE) == (
        verdict is Verdict.NOT_MET
    )


def test_only_other_text_lists_the_qualifying_conditions() -> None:
    text = _reason(
        assess(_facts(groups=frozenset({ConditionGroup.OTHER}))), "condition"
    ).text
    assert "complex regional pain syndrome" in text
    assert "other diagnosis" not in text


@pytest.mark.parametrize("exclusion", DEFAULT_RULES.exclusions, ids=lambda e: e.key)
@pytest.mark.parametrize(
    ("finding", "verdict", "recommendation"),
    [
        pytest.param(True, Verdict.NOT_MET, Recommendation.DECLINE, id="present_case"),
        pytest.param(False, Verdict.MET, Recommendation.ADMIT, id="absent_case"),
        pytest.param(
            None, Verdict.UNKNOWN, Recommendation.INCOMPLETE, id="not_assessed_case"
        ),
    ],
)
def test_each_exclusion_verdict(
    exclusion: Exclusion,
    finding: bool | None,
    verdict: Verdict,
    recommendation: Recommendation,
) -> None:
    result = assess(_facts(findings={**ALL_CLEAR, exclusion.key: finding}))
    reason = _reason(result, exclusion.key)
    assert reason.verdict is verdict
    assert result.recommendation is recommendation
    if verdict is Verdict.NOT_MET:
        assert exclusion.label in reason.text
        assert result.failed == (reason,)


@pytest.mark.parametrize(
    ("key", "discipline"),
    [
        pytest.param("medically_unstable", "pain medicine", id="med_case"),
        pytest.param("acute_psychiatric_care", "psychology", id="psy_case"),
        pytest.param("active_substance_use", "psychology", id="psy_substance_case"),
        pytest.param("cannot_participate", "physical therapy", id="pt_case"),
    ],
)
def test_missing_finding_is_unknown_and_names_the_discipline(
    key: str, discipline: str
) -> None:
    findings = {k: v for k, v in ALL_CLEAR.items() if k != key}
    reason = _reason(assess(_facts(findings=findings)), key)
    assert reason.verdict is Verdict.UNKNOWN
    assert reason.text.startswith(f"Not yet assessed by {discipline}:")


def test_unknown_exclusion_keys_in_the_findings_are_ignored() -> None:
    result = assess(_facts(findings={**ALL_CLEAR, "no_such_rule": True}))
    assert result.recommendation is Recommendation.ADMIT
    assert "no_such_rule" not in [r.rule for r in result.reasons]


@pytest.mark.parametrize(
    ("facts", "recommendation"),
    [
        pytest.param(_facts(), Recommendation.ADMIT, id="all_met_case"),
        pytest.param(
            _facts(planned=None, findings={}),
            Recommendation.INCOMPLETE,
            id="only_unknowns_case",
        ),
        pytest.param(
            _facts(planned=None, findings={"medically_unstable": True}),
            Recommendation.DECLINE,
            id="not_met_beats_unknown_case",
        ),
        pytest.param(
            _facts(groups=frozenset(), findings={}),
            Recommendation.DECLINE,
            id="condition_not_met_beats_unassessed_exclusions_case",
        ),
    ],
)
def test_recommendation_precedence(
    facts: EligibilityFacts, recommendation: Recommendation
) -> None:
    assert assess(facts).recommendation is recommendation


def test_failed_and_unknown_partition_the_reasons() -> None:
    result = assess(_facts(planned=None, findings={"medically_unstable": True}))
    assert [r.rule for r in result.failed] == ["medically_unstable"]
    assert [r.rule for r in result.unknown] == ["age", *EXCLUSION_KEYS[1:]]


def test_reasons_come_one_per_rule_in_rules_order() -> None:
    result = assess(_facts(findings={}))
    assert [r.rule for r in result.reasons] == ["age", "condition", *EXCLUSION_KEYS]
    assert result.rules_version == DEFAULT_RULES.version
    reordered = ProgramRules(
        min_age=7,
        max_age=19,
        qualifying_groups=DEFAULT_RULES.qualifying_groups,
        exclusions=DEFAULT_RULES.exclusions[::-1],
        version="reordered",
    )
    rules = [r.rule for r in assess(_facts(findings={}), reordered).reasons]
    assert rules == ["age", "condition", *EXCLUSION_KEYS[::-1]]


def test_default_rules_are_the_seed_programs() -> None:
    assert (DEFAULT_RULES.min_age, DEFAULT_RULES.max_age) == (7, 19)
    assert ConditionGroup.OTHER not in DEFAULT_RULES.qualifying_groups
    assert len(DEFAULT_RULES.qualifying_groups) == 6
    assert {
        "medically_unstable": "MED",
        "not_medically_worked_up": "MED",
        "acute_psychiatric_care": "PSY",
        "active_substance_use": "PSY",
    }.items() <= {e.key: e.assessed_by for e in DEFAULT_RULES.exclusions}.items()
    assert len(DEFAULT_RULES.exclusions) <= 6


CUSTOM = ProgramRules(
    min_age=8,
    max_age=18,
    qualifying_groups=frozenset({ConditionGroup.CRPS}),
    exclusions=(
        Exclusion("home_far", "Lives too far", "Does the family live far?", "SW"),
    ),
    version="custom-1",
)


@pytest.mark.parametrize(
    ("facts", "rule", "verdict", "text_part"),
    [
        pytest.param(
            _facts(born=date(2019, 6, 1), findings={"home_far": False}),
            "age",
            Verdict.NOT_MET,
            "minimum of 8",
            id="seven_is_too_young_case",
        ),
        pytest.param(
            _facts(born=date(2007, 6, 1), findings={"home_far": False}),
            "age",
            Verdict.NOT_MET,
            "maximum of 18",
            id="nineteen_is_too_old_case",
        ),
        pytest.param(
            _facts(groups=frozenset({ConditionGroup.HEADACHE})),
            "condition",
            Verdict.NOT_MET,
            "(complex regional pain syndrome)",
            id="headache_does_not_qualify_case",
        ),
        pytest.param(
            _facts(findings={}),
            "home_far",
            Verdict.UNKNOWN,
            "Not yet assessed by social work",
            id="custom_exclusion_case",
        ),
    ],
)
def test_custom_rules_are_honoured(
    facts: EligibilityFacts, rule: str, verdict: Verdict, text_part: str
) -> None:
    result = assess(facts, CUSTOM)
    assert [r.rule for r in result.reasons] == ["age", "condition", "home_far"]
    assert result.rules_version == "custom-1"
    reason = _reason(result, rule)
    assert reason.verdict is verdict
    assert text_part in reason.text


@pytest.mark.parametrize(
    ("min_age", "max_age", "exclusions", "groups", "message"),
    [
        pytest.param(
            10, 9, (), {ConditionGroup.CRPS}, "min_age", id="min_above_max_case"
        ),
        pytest.param(
            7,
            19,
            DEFAULT_RULES.exclusions[:1] * 2,
            {ConditionGroup.CRPS},
            "unique",
            id="duplicate_key_case",
        ),
        pytest.param(7, 19, (), set(), "qualifying_groups", id="no_groups_case"),
    ],
)
def test_inconsistent_rules_are_refused(
    min_age: int,
    max_age: int,
    exclusions: tuple[Exclusion, ...],
    groups: set[ConditionGroup],
    message: str,
) -> None:
    with pytest.raises(ValueError, match=message):
        ProgramRules(min_age, max_age, frozenset(groups), exclusions, "bad")


def test_reasons_as_dicts_is_a_json_ready_snapshot() -> None:
    result = assess(_facts(planned=None, findings={"medically_unstable": True}))
    rows = reasons_as_dicts(result)
    assert json.loads(json.dumps(rows)) == rows
    assert rows[0] == {
        "rule": "age",
        "verdict": "unknown",
        "text": result.reasons[0].text,
    }
    assert [row["verdict"] for row in rows[2:4]] == ["not_met", "unknown"]
    assert all(type(row["verdict"]) is str for row in rows)


dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31))
findings = st.dictionaries(
    st.sampled_from([*EXCLUSION_KEYS, "no_such_rule"]), st.none() | st.booleans()
)


@given(born=dates, days=st.integers(min_value=0, max_value=30 * 366))
def test_age_met_iff_within_7_to_19(born: date, days: int) -> None:
    planned = born + timedelta(days=days)
    reason = _reason(assess(_facts(born=born, planned=planned)), "age")
    assert (reason.verdict is Verdict.MET) == (7 <= age_on(born, planned) <= 19)


@given(
    born=dates,
    days=st.none() | st.integers(min_value=-30, max_value=30 * 366),
    groups=st.frozensets(st.sampled_from(ConditionGroup)),
    found=findings,
)
def test_admit_iff_every_reason_is_met(
    born: date,
    days: int | None,
    groups: frozenset[ConditionGroup],
    found: dict[str, bool | None],
) -> None:
    planned = None if days is None else born + timedelta(days=days)
    result = assess(_facts(born=born, planned=planned, groups=groups, findings=found))
    verdicts = [r.verdict for r in result.reasons]
    assert len(result.reasons) == 2 + len(EXCLUSION_KEYS)
    assert (result.recommendation is Recommendation.ADMIT) == all(
        v is Verdict.MET for v in verdicts
    )
    assert (result.recommendation is Recommendation.DECLINE) == bool(result.failed)
