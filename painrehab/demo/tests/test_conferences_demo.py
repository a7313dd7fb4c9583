"""The demo's team conferences, on two admitted children (not the whole build)."""

import datetime as dt
import random

import pytest

from painrehab.audit.selectors import audit_chain_verify
from painrehab.careplans.choices import ConferenceStatus, DecisionKind
from painrehab.careplans.models import (
    ConferenceDecision,
    DisciplineUpdate,
    PlanChange,
    TeamConference,
)
from painrehab.careplans.selectors_conference import family_summaries_for
from painrehab.demo.careplans_demo import careplans_populate
from painrehab.demo.conferences_demo import conferences_populate
from painrehab.episodes.models import Episode
from painrehab.patients.tests.factories import PatientFactory
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db


@pytest.fixture
def children() -> list[Episode]:
    first = journey.admitted(PatientFactory(mrn="T0000001"), days_ago=23)
    second = journey.admitted(PatientFactory(mrn="T0000002"), days_ago=10)
    careplans_populate(rng=random.Random(7), today=journey.today())
    conferences_populate(rng=random.Random(7), today=journey.today())
    return [first, second]


def test_last_weeks_conference_is_closed_with_its_record(
    children: list[Episode],
) -> None:
    past = TeamConference.objects.get(held_on=journey.today() - dt.timedelta(days=7))
    assert past.status == ConferenceStatus.CLOSED
    items = list(past.items.order_by("episode__patient__mrn"))
    assert [i.episode for i in items] == children
    assert all(i.snapshot is not None for i in items)
    assert DisciplineUpdate.objects.filter(item__conference=past).count() >= 4
    kinds = [i.decisions.get().kind for i in items]
    assert kinds == [DecisionKind.CHANGE_PRESCRIPTION, DecisionKind.NEW_GOAL]
    applied = ConferenceDecision.objects.filter(plan_change__isnull=False)
    assert applied.count() == 2
    reasons = PlanChange.objects.filter(reason__startswith="Team conference")
    assert reasons.count() == 2


def test_the_first_childs_family_summary_is_released(
    children: list[Episode],
) -> None:
    (summary,) = family_summaries_for(children[0].patient)
    assert "Physical therapy will now be" in summary.text
    assert family_summaries_for(children[1].patient) == []


def test_todays_conference_is_in_progress_for_the_inpatients(
    children: list[Episode],
) -> None:
    today = TeamConference.objects.get(held_on=journey.today())
    assert today.status == ConferenceStatus.IN_PROGRESS
    assert {i.episode for i in today.items.all()} == set(children)
    assert not ConferenceDecision.objects.filter(item__conference=today).exists()
    assert DisciplineUpdate.objects.filter(item__conference=today).exists()
    assert audit_chain_verify() is None
