"""The program's figures (admissions, occupancy, stays, waitlist, school,
follow-up) and the cohort filters, on episodes built through the services."""

import dataclasses
import datetime as dt
import statistics

import pytest

from painrehab.domain.dates import add_months
from painrehab.episodes.choices import FollowUpStatus
from painrehab.episodes.models import Bed, FollowUp
from painrehab.outcomes.selectors import CohortFilter, cohort_episodes, dashboard_get
from painrehab.outcomes.tests.cohort_support import (
    DX,
    attendance,
    closed_episode,
    follow_up,
    joined_waitlist,
    today,
)
from painrehab.patients.choices import Sex
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db


def _days_ago(n: int) -> dt.date:
    return today() - dt.timedelta(days=n)


def test_each_filter_excludes_the_right_episode() -> None:
    base = closed_episode()
    male = closed_episode(sex=Sex.MALE)
    older = closed_episode(age=16)
    headache = closed_episode(dx=DX["headache"])
    old = closed_episode(admitted_days_ago=430)
    default = CohortFilter.default()

    def ids(**changes: object) -> set[int]:
        filters = dataclasses.replace(default, **changes)
        return {e.episode_id for e in cohort_episodes(filters)}

    recent = {base.pk, male.pk, older.pk, headache.pk}
    assert ids() == recent
    assert ids(sex=Sex.FEMALE) == recent - {male.pk}
    assert ids(age_band="12-14") == recent - {older.pk}
    assert ids(age_band="15-19") == {older.pk}
    assert ids(diagnosis_group="crps") == recent - {headache.pk}
    assert ids(date_from=_days_ago(500), date_to=_days_ago(300)) == {old.pk}


@pytest.fixture
def program() -> dict[str, object]:
    """Three closed episodes and one child still in a bed (see each comment)."""
    # A: 27 days, waited 10, full days at discharge, follow-ups not due yet.
    a = closed_episode(admitted_days_ago=40, stay_days=27)
    joined_waitlist(a, _days_ago(50))
    attendance(a, _days_ago(13), attended=5)
    # B: 20 days, waited 30, part days at discharge; seen at 1 month (full days
    # after the visit), missed at 3 months.
    b = closed_episode(admitted_days_ago=150, stay_days=20)
    joined_waitlist(b, _days_ago(180))
    attendance(b, _days_ago(130), attended=3)
    seen_on = add_months(_days_ago(130), 1)
    follow_up(b, 1, FollowUpStatus.COMPLETED, completed_on=seen_on)
    follow_up(b, 3, FollowUpStatus.MISSED)
    attendance(b, seen_on + dt.timedelta(days=7), attended=5)
    # C: 30 days, waited 5, no school measure; 1-month visit still scheduled.
    c = closed_episode(admitted_days_ago=100, stay_days=30)
    joined_waitlist(c, _days_ago(105))
    # E: admitted 5 days ago, still in; joined the waitlist "today" (services).
    journey.admitted(days_ago=5)
    return {"a": a, "b": b, "c": c}


def test_program_figures_count_what_they_say(program: dict[str, object]) -> None:
    filters = CohortFilter.default()

    figures = dashboard_get(filters=filters).figures

    assert figures.admissions.n == 4
    los = figures.length_of_stay.summary
    assert (los.n, los.median, los.mean) == (3, 27, pytest.approx(77 / 3))
    wait = figures.waitlist
    assert (wait.summary.n, wait.summary.median, wait.excluded) == (3, 10, 1)
    assert wait.summary.mean == pytest.approx(statistics.fmean([10, 30, 5]))
    school = figures.school_discharge
    assert (school.proportion.k, school.proportion.n, school.missing) == (1, 2, 1)
    later = figures.school_follow_up
    assert (later.proportion.k, later.proportion.n) == (1, 1)
    assert (later.missing, later.not_yet_due) == (1, 1)
    visits = figures.follow_up_completion.proportion
    assert (visits.k, visits.n) == (1, 3)


def test_occupancy_counts_nights_in_a_bed(program: dict[str, object]) -> None:
    filters = CohortFilter.default()

    occupancy = dashboard_get(filters=filters).figures.occupancy

    # 27 + 20 + 30 nights, and 6 for the child admitted 5 days ago (tonight too).
    assert occupancy.bed_days == 83
    assert occupancy.beds == Bed.objects.filter(active=True).count()
    assert occupancy.days == filters.days
    assert occupancy.rate == pytest.approx(83 / (occupancy.beds * filters.days))


def test_cancelled_follow_ups_are_left_out_of_completion(
    program: dict[str, object],
) -> None:
    c = program["c"]
    follow_up(c, 1, FollowUpStatus.CANCELLED)  # type: ignore[arg-type]

    visits = dashboard_get(filters=CohortFilter.default()).figures.follow_up_completion

    assert (visits.proportion.k, visits.proportion.n) == (1, 2)
    assert FollowUp.objects.filter(status=FollowUpStatus.CANCELLED).count() == 1


def test_filters_narrow_the_program_figures(program: dict[str, object]) -> None:
    filters = dataclasses.replace(CohortFilter.default(), sex=Sex.MALE)

    dashboard = dashboard_get(filters=filters)

    assert dashboard.cohort_n == 0
    assert dashboard.figures.length_of_stay.summary.n == 0
    assert dashboard.figures.admissions.n == 0
