"""The family-portal visibility matrix (reference/security.md §3b) as data."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from painrehab.domain.proxy import (
    DEFAULT_LIMITED,
    Category,
    Decision,
    Tier,
    Withhold,
    decide,
    guardian_tier,
)

BORN = date(2010, 6, 15)


@pytest.mark.parametrize(
    ("on", "granted", "tier"),
    [
        pytest.param(date(2022, 6, 14), False, Tier.FULL, id="11y364d"),
        pytest.param(date(2022, 6, 15), False, Tier.LIMITED, id="12y0d"),
        pytest.param(date(2028, 6, 14), False, Tier.LIMITED, id="17y364d"),
        pytest.param(date(2028, 6, 15), False, Tier.NONE, id="18y0d"),
        pytest.param(date(2028, 6, 15), True, Tier.GRANTED, id="18y0d_granted"),
        pytest.param(date(2022, 6, 15), True, Tier.LIMITED, id="grant_only_at_18"),
    ],
)
def test_the_guardian_tier_follows_the_birthdays(
    on: date, granted: bool, tier: Tier
) -> None:
    assert guardian_tier(BORN, on, adult_granted=granted) is tier


def test_a_leap_day_child_turns_twelve_on_the_first_of_march() -> None:
    born = date(2012, 2, 29)
    assert guardian_tier(born, date(2024, 2, 28), adult_granted=False) is Tier.FULL
    assert guardian_tier(born, date(2024, 2, 29), adult_granted=False) is Tier.LIMITED
    assert guardian_tier(born, date(2025, 2, 28), adult_granted=False) is Tier.LIMITED


# (category, guardian of a child under 12, guardian of a 12-17, the teen): §3b.
MATRIX = [
    (Category.SCHEDULE, True, True, True),
    (Category.MESSAGES, True, True, True),
    (Category.HOME_PROGRAMME, True, True, True),
    (Category.DISCHARGE, True, True, True),
    (Category.GOALS, True, True, True),
    (Category.FAMILY_SUMMARY, True, True, True),
    (Category.OUTCOMES, True, True, True),
    (Category.QUESTIONNAIRES, True, True, True),
    (Category.NOTES_MEDICAL, True, True, True),
    (Category.NOTES_PSYCHOSOCIAL, True, False, True),
    (Category.CHECKIN, False, False, True),
    (Category.CONFIDENTIAL, False, False, True),
    (Category.PSYCHOTHERAPY, False, False, False),
]


@pytest.mark.parametrize(("category", "young", "teen_parent", "teen"), MATRIX)
def test_the_default_matrix(
    category: Category, young: bool, teen_parent: bool, teen: bool
) -> None:
    assert decide(Tier.FULL, category).shown is young
    assert decide(Tier.LIMITED, category).shown is teen_parent
    assert decide(Tier.OWN, category).shown is teen


def test_every_category_is_in_the_matrix() -> None:
    assert {row[0] for row in MATRIX} == set(Category)


def test_an_adult_without_a_grant_shares_nothing_with_a_guardian() -> None:
    for category in Category:
        decision = decide(Tier.NONE, category)
        assert not decision.shown
        expected = (
            Withhold.PN_UNREVIEWABLE
            if category is Category.PSYCHOTHERAPY
            else Withhold.ADULT_PATIENT
        )
        assert decision.reason is expected


def test_the_reasons_name_the_basis() -> None:
    assert decide(Tier.LIMITED, Category.NOTES_PSYCHOSOCIAL).reason is (
        Withhold.PRIVACY_171_202_B
    )
    assert decide(Tier.FULL, Category.CONFIDENTIAL).reason is (
        Withhold.ENTRY_CONFIDENTIAL
    )
    assert decide(Tier.OWN, Category.PSYCHOTHERAPY).reason is Withhold.PN_UNREVIEWABLE


def test_a_decision_cannot_hide_without_a_reason() -> None:
    with pytest.raises(ValueError, match="reason"):
        Decision(False)
    with pytest.raises(ValueError, match="reason"):
        Decision(True, Withhold.ADULT_PATIENT)


@given(
    limited=st.frozensets(st.sampled_from(list(Category))),
    tier=st.sampled_from([Tier.FULL, Tier.LIMITED, Tier.GRANTED, Tier.NONE]),
    category=st.sampled_from(list(Category)),
)
def test_no_setting_shows_a_guardian_what_is_never_theirs(
    limited: frozenset[Category], tier: Tier, category: Category
) -> None:
    decision = decide(tier, category, limited=limited)
    if category in {Category.PSYCHOTHERAPY, Category.CONFIDENTIAL, Category.CHECKIN}:
        assert not decision.shown
    if tier is Tier.LIMITED and category not in limited:
        assert not decision.shown
    # Whatever is hidden says why.
    assert decision.shown or decision.reason is not None


def test_the_default_limited_list_has_no_confidential_category() -> None:
    assert not DEFAULT_LIMITED & {
        Category.PSYCHOTHERAPY,
        Category.CONFIDENTIAL,
        Category.CHECKIN,
        Category.NOTES_PSYCHOSOCIAL,
    }
