"""The plan is created at admission from the program template, inside the
admission's transaction; older episodes get theirs on first use."""

import pytest
from django.core.exceptions import ValidationError

from painrehab.audit.models import AuditEvent
from painrehab.careplans import services
from painrehab.careplans.models import CarePlan, Goal, PlanChange, Prescription
from painrehab.careplans.receivers import plan_on_admission
from painrehab.careplans.template import DEFAULT_TEMPLATE, TEMPLATE_KEY
from painrehab.careplans.tests.support import admitted_plan
from painrehab.episodes.choices import Phase
from painrehab.episodes.models import Episode, Stay
from painrehab.episodes.signals import admitted
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db
RECEIVER = "careplans.plan_on_admission"


def test_admission_creates_the_plan_from_the_template() -> None:
    plan = admitted_plan(days_ago=2)
    stay = plan.episode.stay
    assert plan.template == TEMPLATE_KEY
    keys = set(plan.prescriptions.values_list("template_key", flat=True))
    assert keys == {p.key for p in DEFAULT_TEMPLATE.prescriptions}
    assert {p.starts_on for p in plan.prescriptions.all()} == {stay.admitted_on}
    goals = plan.goals.all()
    assert {g.domain for g in goals} == {g.domain for g in DEFAULT_TEMPLATE.goals}
    assert all(g.needs_wording and g.due_on == stay.planned_discharge_on for g in goals)
    assert plan.formulation.version == 1


def test_the_template_follows_the_sample_day() -> None:
    plan = admitted_plan()
    pt = plan.prescriptions.get(template_key="pt")
    assert (pt.discipline, pt.minutes, pt.sessions_per_day) == ("PT", 60, 1)
    assert pt.time_of_day == "morning" and pt.mode == "individual"
    group = plan.prescriptions.get(template_key="group_pt")
    assert (group.mode, group.time_of_day) == ("group", "afternoon")
    acupuncture = plan.prescriptions.get(template_key="acupuncture")
    assert acupuncture.minutes == 30
    assert sum(p.minutes_per_day for p in plan.prescriptions.all()) == 390


def test_admission_records_the_creation_in_history_and_audit() -> None:
    plan = admitted_plan()
    entry = PlanChange.objects.get(care_plan=plan)
    assert entry.action == "care_plan.created"
    assert entry.changes["template"] == {"old": None, "new": TEMPLATE_KEY}
    event = AuditEvent.objects.get(action="care_plan.created", object_id=str(plan.pk))
    assert event.patient_id == plan.episode.patient_id
    assert event.data_category == "care_plan"
    assert len(event.changes["fields"]["prescriptions"]["new"]) == 8


def _refuse(**kwargs: object) -> None:
    raise RuntimeError("a later step of the admission failed")


def test_a_failed_admission_leaves_no_plan() -> None:
    episode = journey.waitlisted()
    admitted.connect(_refuse, dispatch_uid="test.refuse_admission")
    try:
        with pytest.raises(RuntimeError):
            journey.episodes.episode_admit(
                episode=episode,
                by=journey.coordinator(),
                bed=journey.free_bed(),
                admitted_on=journey.today(),
                planned_discharge_on=journey.today().replace(
                    year=journey.today().year + 1
                ),
            )
    finally:
        admitted.disconnect(dispatch_uid="test.refuse_admission")
    assert not Stay.objects.filter(episode=episode).exists()
    assert Episode.objects.get(pk=episode.pk).phase == Phase.WAITLISTED
    assert not CarePlan.objects.exists()
    assert not Goal.objects.exists() and not Prescription.objects.exists()
    assert not AuditEvent.objects.filter(action="care_plan.created").exists()


def _admitted_before_care_plans() -> Episode:
    """An admission as it was before this app listened to it."""
    assert admitted.disconnect(sender=Stay, dispatch_uid=RECEIVER)
    try:
        return journey.admitted(days_ago=5)
    finally:
        admitted.connect(plan_on_admission, sender=Stay, dispatch_uid=RECEIVER)


def test_an_episode_admitted_before_care_plans_gets_its_plan_on_first_use() -> None:
    episode = _admitted_before_care_plans()
    assert not CarePlan.objects.filter(episode=episode).exists()
    first = services.care_plan_get_or_create(episode=episode, by=journey.coordinator())
    again = services.care_plan_get_or_create(episode=episode, by=journey.coordinator())
    assert first.pk == again.pk
    assert first.prescriptions.count() == len(DEFAULT_TEMPLATE.prescriptions)
    assert first.prescriptions.first().starts_on == episode.stay.admitted_on  # type: ignore[union-attr]
    assert AuditEvent.objects.filter(action="care_plan.created").count() == 1


def test_no_plan_before_admission() -> None:
    episode = journey.waitlisted()
    with pytest.raises(ValidationError) as refused:
        services.care_plan_get_or_create(episode=episode, by=journey.coordinator())
    assert refused.value.messages == [services.NOT_ADMITTED]
