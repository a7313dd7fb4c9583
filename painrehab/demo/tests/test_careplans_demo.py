"""The demo's care plans, on two admitted children (not the whole demo build)."""

import datetime as dt
import random

import pytest

from painrehab.audit.selectors import audit_chain_verify
from painrehab.careplans.choices import GoalStatus
from painrehab.careplans.models import CarePlan, GoalReview, PlanChange
from painrehab.careplans.receivers import plan_on_admission
from painrehab.demo.careplans_demo import careplans_populate
from painrehab.episodes.models import Episode, Stay
from painrehab.episodes.signals import admitted
from painrehab.patients.tests.factories import PatientFactory
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db
RECEIVER = "careplans.plan_on_admission"
TEMPLATE_PSY_WEEK = 300  # 60 minutes, Monday to Friday


def _admitted_before_care_plans(days_ago: int) -> Episode:
    assert admitted.disconnect(sender=Stay, dispatch_uid=RECEIVER)
    try:
        return journey.admitted(PatientFactory(mrn="T0000002"), days_ago=days_ago)
    finally:
        admitted.connect(plan_on_admission, sender=Stay, dispatch_uid=RECEIVER)


@pytest.fixture
def children() -> list[Episode]:
    first = journey.admitted(PatientFactory(mrn="T0000001"), days_ago=23)
    second = _admitted_before_care_plans(days_ago=10)
    journey.discharged(PatientFactory(mrn="T0000003"))  # not an inpatient any more
    careplans_populate(rng=random.Random(7), today=journey.today())
    return [first, second]


def test_every_inpatient_has_a_tailored_plan(children: list[Episode]) -> None:
    for episode in children:
        plan = CarePlan.objects.get(episode=episode)
        worded = plan.goals.exclude(child_words="")
        assert 3 <= worded.count() <= 7  # 3-6 starters, sometimes one new goal
        assert not plan.formulation.is_empty
        assert plan.formulation.summary


def test_the_discharged_child_is_left_alone(children: list[Episode]) -> None:
    discharged = CarePlan.objects.exclude(episode__in=children).get()
    assert not discharged.goals.exclude(child_words="").exists()
    assert (
        not PlanChange.objects.filter(care_plan=discharged)
        .exclude(action="care_plan.created")
        .exists()
    )


def test_reviews_score_the_weeks_of_the_stay(children: list[Episode]) -> None:
    longer = children[0]
    start = longer.stay.admitted_on
    expected_days = {start + dt.timedelta(days=d) for d in (2, 7, 14, 21)}
    for goal in CarePlan.objects.get(episode=longer).goals.exclude(child_words=""):
        reviews = list(goal.reviews.order_by("reviewed_on"))
        assert {r.reviewed_on for r in reviews} == expected_days
        scores = [r.score for r in reviews]
        assert scores == sorted(scores) and all(-2 <= s <= 2 for s in scores)
    assert GoalReview.objects.filter(reviewed_on__gt=journey.today()).count() == 0


def test_unworded_starters_are_discontinued_after_the_first_week(
    children: list[Episode],
) -> None:
    for episode in children:
        plan = CarePlan.objects.get(episode=episode)
        left = plan.goals.filter(child_words="")
        assert all(g.status == GoalStatus.DISCONTINUED for g in left)


def test_prescriptions_are_changed_from_the_template(
    children: list[Episode],
) -> None:
    needles, anxious = (CarePlan.objects.get(episode=e) for e in children)
    acupuncture = needles.prescriptions.get(template_key="acupuncture")
    assert acupuncture.status == "stopped" and "Needle" in acupuncture.stop_reason
    psy_week = sum(
        p.minutes_per_week
        for p in anxious.prescriptions.filter(discipline="PSY", status="active")
    )
    assert psy_week > TEMPLATE_PSY_WEEK
    assert anxious.prescriptions.get(template_key="acupuncture").status == "active"


def test_the_demo_writes_through_the_services(children: list[Episode]) -> None:
    actions = set(PlanChange.objects.values_list("action", flat=True))
    assert {
        "care_plan.created",
        "formulation.changed",
        "goal.changed",
        "goal.reviewed",
        "prescription.ended",
        "prescription.changed",
    } <= actions
    assert audit_chain_verify() is None
