"""The conference's life: planned, started (the agenda for every inpatient),
updates by discipline, the family summary, closed (a record that never changes)."""

import datetime as dt
import uuid
from dataclasses import replace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from painrehab.accounts.choices import Role
from painrehab.audit.models import AuditEvent
from painrehab.careplans import services
from painrehab.careplans.agenda import Agenda, agenda_of
from painrehab.careplans.choices import ConferenceStatus
from painrehab.careplans.choices import DecisionKind as K
from painrehab.careplans.inputs import PrescriptionFields
from painrehab.careplans.models import (
    CONFERENCE_CLOSED,
    SUMMARY_RELEASED,
    CarePlan,
    ConferenceDecision,
    ConferenceItem,
    DisciplineUpdate,
    FamilySummary,
    TeamConference,
)
from painrehab.careplans.selectors_conference import family_summaries_for
from painrehab.careplans.services import STALE
from painrehab.careplans.services import conferences as conf
from painrehab.careplans.tests.conference_support import (
    decide,
    item_of,
    planned,
    scored,
    started,
)
from painrehab.careplans.tests.support import admitted_plan, on_team, template_row
from painrehab.common.testing import staff
from painrehab.episodes.services import stay_extend
from painrehab.instruments.choices import TimePoint
from painrehab.patients.access import PatientNotFound
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db


# --- Planning and starting ---------------------------------------------------------


def test_a_double_clicked_new_conference_plans_one() -> None:
    token = uuid.uuid4()
    coordinator = journey.coordinator()
    for _ in range(2):
        conf.conference_create(
            by=coordinator,
            held_on=journey.today(),
            chaired_by=coordinator,
            form_token=token,
        )
    assert TeamConference.objects.count() == 1
    assert AuditEvent.objects.filter(action="conference.created").count() == 1


def test_one_conference_a_day() -> None:
    planned()
    with pytest.raises(ValidationError) as refused:
        planned()
    message = conf.CONFERENCE_EXISTS.format(day=journey.today())
    assert refused.value.message_dict == {"held_on": [message]}


def test_the_chair_is_the_coordinator_or_a_physician() -> None:
    with pytest.raises(ValidationError) as refused:
        conf.conference_create(
            by=journey.coordinator(),
            held_on=journey.today(),
            chaired_by=staff(Role.PHYSICAL_THERAPIST),
            form_token=uuid.uuid4(),
        )
    assert refused.value.message_dict == {"chaired_by": [conf.NOT_A_CHAIR]}
    physician = staff(Role.PHYSICIAN)
    with pytest.raises(PermissionDenied):
        planned(by=physician)


def test_starting_puts_every_inpatient_of_the_day_on_the_agenda() -> None:
    first, second = admitted_plan(days_ago=3), admitted_plan(days_ago=12)
    gone = journey.discharged()
    conference = started()
    episodes = set(conference.items.values_list("episode_id", flat=True))
    assert episodes == {first.episode_id, second.episode_id}
    assert gone.pk not in episodes
    assert conference.status == ConferenceStatus.IN_PROGRESS
    added = AuditEvent.objects.filter(action="conference.child_added")
    assert {e.patient_id for e in added} == {
        first.episode.patient_id,
        second.episode.patient_id,
    }
    again = conf.conference_start(conference=conference, by=journey.coordinator())
    assert again.items.count() == 2


def test_a_conference_starts_on_its_day() -> None:
    conference = planned(journey.today() + dt.timedelta(days=2))
    with pytest.raises(ValidationError):
        conf.conference_start(conference=conference, by=journey.coordinator())
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.PLANNED


def test_a_child_admitted_later_can_be_added() -> None:
    admitted_plan(days_ago=3)
    conference = started()
    later = admitted_plan(days_ago=0)  # admitted after the conference started
    assert not conference.items.filter(episode=later.episode).exists()
    conf.conference_item_add(
        conference=conference, by=journey.coordinator(), episode=later.episode
    )
    with pytest.raises(ValidationError) as refused:
        conf.conference_item_add(
            conference=conference, by=journey.coordinator(), episode=later.episode
        )
    assert refused.value.message_dict == {"episode": [conf.ALREADY_ON_AGENDA]}
    assert conference.items.filter(episode=later.episode).count() == 1


# --- Updates -----------------------------------------------------------------------


@pytest.fixture
def plan() -> CarePlan:
    return admitted_plan(days_ago=8)


@pytest.fixture
def item(plan: CarePlan) -> ConferenceItem:
    return item_of(started(), plan)


def test_each_discipline_writes_its_own_versioned_update(
    plan: CarePlan, item: ConferenceItem
) -> None:
    pt, psy = on_team(plan, Role.PHYSICAL_THERAPIST), on_team(plan, Role.PSYCHOLOGIST)
    first = conf.discipline_update_save(item=item, by=pt, version=0, text="Walks 300 m")
    conf.discipline_update_save(item=item, by=psy, version=0, text="Less worried")
    second = conf.discipline_update_save(
        item=item, by=pt, version=first.version, text="Walks 350 m"
    )
    assert (second.pk, second.version, second.text) == (first.pk, 2, "Walks 350 m")
    assert set(item.updates.values_list("discipline", flat=True)) == {"PT", "PSY"}
    saves = AuditEvent.objects.filter(action="conference.update_saved")
    event = saves.order_by("seq").last()
    assert event is not None and event.changes == {"discipline": "PT", "version": 2}


def test_a_stale_update_is_refused_and_the_saved_text_is_kept(
    plan: CarePlan, item: ConferenceItem
) -> None:
    alice, bob = (on_team(plan, Role.PHYSICAL_THERAPIST) for _ in range(2))
    conf.discipline_update_save(item=item, by=alice, version=0, text="Alice's words")
    with pytest.raises(ValidationError) as refused:
        conf.discipline_update_save(item=item, by=bob, version=0, text="Bob's words")
    assert refused.value.message_dict == {"version": [STALE]}
    assert DisciplineUpdate.objects.get().text == "Alice's words"


def test_someone_elses_child_is_not_found(item: ConferenceItem) -> None:
    with pytest.raises(PatientNotFound):
        conf.discipline_update_save(
            item=item, by=staff(Role.PHYSICAL_THERAPIST), version=0, text="Hello"
        )


# --- The family summary ---------------------------------------------------------------


def test_a_released_summary_reaches_family_summaries_for(
    plan: CarePlan, item: ConferenceItem
) -> None:
    patient = plan.episode.patient
    coordinator = journey.coordinator()
    saved = conf.family_summary_save(
        item=item, by=coordinator, version=0, text="Robin walks further every day."
    )
    assert family_summaries_for(patient) == []
    released = conf.family_summary_release(
        item=item, by=coordinator, version=saved.version
    )
    assert released.released_by == coordinator
    (shown,) = family_summaries_for(patient)
    assert (shown.held_on, shown.text) == (
        item.conference.held_on,
        "Robin walks further every day.",
    )
    assert family_summaries_for(admitted_plan(days_ago=2).episode.patient) == []
    with pytest.raises(ValidationError) as refused:
        conf.family_summary_save(item=item, by=coordinator, version=1, text="Edited")
    assert refused.value.messages == [SUMMARY_RELEASED]
    assert AuditEvent.objects.filter(
        action="conference.family_summary_released", patient_id=patient.pk
    ).exists()


def test_a_summary_changed_since_it_was_read_is_not_released(
    item: ConferenceItem,
) -> None:
    coordinator = journey.coordinator()
    conf.family_summary_save(item=item, by=coordinator, version=0, text="First")
    conf.family_summary_save(item=item, by=coordinator, version=1, text="Second")
    with pytest.raises(ValidationError):
        conf.family_summary_release(item=item, by=coordinator, version=1)
    assert FamilySummary.objects.get().released_at is None


# --- Closing ---------------------------------------------------------------------


def _close(item: ConferenceItem) -> None:
    conf.conference_close(conference=item.conference, by=journey.coordinator())
    item.refresh_from_db()


def test_the_snapshot_never_changes_after_later_plan_changes(
    plan: CarePlan, item: ConferenceItem
) -> None:
    scored(plan.episode, "NRS", 7)
    before = agenda_of(item)
    _close(item)
    assert item.snapshot is not None
    assert Agenda.from_json(item.snapshot).prescriptions == before.prescriptions
    pt = template_row(plan, "pt")
    services.prescription_change(
        prescription=pt,
        by=journey.coordinator(),
        version=pt.version,
        reason="After the conference",
        fields=replace(PrescriptionFields.of(pt), minutes=30),
    )
    scored(plan.episode, "NRS", 2, time_point=TimePoint.WEEKLY, index=1)
    stay = plan.episode.stay
    stay_extend(
        stay=stay,
        planned_discharge_on=stay.planned_discharge_on + dt.timedelta(days=7),
        reason="Later",
        by=journey.coordinator(),
    )
    after = agenda_of(ConferenceItem.objects.get(pk=item.pk))
    assert after.as_json() == item.snapshot
    assert "1× 60 min a day" in [p.frequency for p in after.prescriptions]
    assert after.scores[0].latest == 7
    assert after.planned_discharge_on == before.planned_discharge_on


def test_a_closed_conference_is_read_only(plan: CarePlan, item: ConferenceItem) -> None:
    coordinator = journey.coordinator()
    update = conf.discipline_update_save(
        item=item, by=coordinator, version=0, text="Before close"
    )
    decision = decide(item, coordinator, K.NO_CHANGE)
    _close(item)
    conference = TeamConference.objects.get()
    for refused_write in (
        lambda: conf.discipline_update_save(
            item=item, by=coordinator, version=1, text="After"
        ),
        lambda: conf.family_summary_save(
            item=item, by=coordinator, version=0, text="x"
        ),
        lambda: decide(item, coordinator, K.NO_CHANGE),
    ):
        with pytest.raises(ValidationError) as refused:
            refused_write()
        assert CONFERENCE_CLOSED in refused.value.messages
    # The models refuse too, whoever calls them.
    update.text = "Rewritten"
    conference.chaired_by = staff(Role.PHYSICIAN)
    for row in (update, conference, item):
        with pytest.raises(PermissionError):
            row.save()
    with pytest.raises(PermissionError):
        decision.save()
    with pytest.raises(PermissionError):
        DisciplineUpdate.objects.filter(pk=update.pk).update(text="Bulk")
    with pytest.raises(PermissionError):
        ConferenceDecision.objects.all().delete()
    with pytest.raises(PermissionError):
        TeamConference.objects.update(status=ConferenceStatus.IN_PROGRESS)
    update.refresh_from_db()
    assert update.text == "Before close"
    assert AuditEvent.objects.filter(action="conference.closed").count() == 1


def test_closing_needs_the_lead(item: ConferenceItem, plan: CarePlan) -> None:
    with pytest.raises(PermissionDenied):
        conf.conference_close(
            conference=item.conference, by=on_team(plan, Role.PHYSICAL_THERAPIST)
        )
    assert TeamConference.objects.get().status == ConferenceStatus.IN_PROGRESS
