"""Reads of referrals go through the funnel and are audited, refusals included."""

import pytest

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.audit.models import AuditEvent
from painrehab.episodes.models import Episode
from painrehab.patients.access import PatientNotFound
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import PatientFactory
from painrehab.referrals import selectors, services
from painrehab.referrals.choices import DecisionOutcome, EvaluationDiscipline
from painrehab.referrals.tests import journey
from painrehab.referrals.tests.support import attach, clinician, refer

pytestmark = pytest.mark.django_db


def test_the_queue_is_longest_waiting_first(coordinator: User) -> None:
    refer(days_ago=1)
    refer(days_ago=40)
    refer(days_ago=12)
    rows = selectors.referral_queue(user=coordinator)
    assert [r.days_waiting for r in rows] == [40, 12, 1]


def test_the_queue_holds_referred_and_evaluating_episodes_only(
    coordinator: User, evaluating: Episode
) -> None:
    referred = refer()
    journey.accepted()
    rows = selectors.referral_queue(user=coordinator)
    assert {r.episode_id for r in rows} == {evaluating.pk, referred.pk}
    row = next(r for r in rows if r.episode_id == evaluating.pk)
    assert row.phase == "Evaluation" and row.evaluation_on == journey.today()
    assert row.primary_diagnosis.startswith("G90.521 ")
    assert row.is_new and not row.deferred


def test_a_row_computes_age_today_from_the_birth_date(coordinator: User) -> None:
    born = journey.today().replace(year=journey.today().year - 9)
    refer(PatientFactory(date_of_birth=born))
    (row,) = selectors.referral_queue(user=coordinator)
    assert row.age == 9


def test_a_deferred_decision_is_flagged(coordinator: User, evaluating: Episode) -> None:
    services.decision_record(
        episode=evaluating,
        by=coordinator,
        outcome=DecisionOutcome.DEFER,
        rationale="Waiting for records.",
    )
    (row,) = selectors.referral_queue(user=coordinator)
    assert row.deferred


def test_the_queue_is_limited_to_the_care_team(
    referred: Episode, child: Patient
) -> None:
    refer()
    physician = clinician(Role.PHYSICIAN, child)
    rows = selectors.referral_queue(user=physician)
    assert [r.episode_id for r in rows] == [referred.pk]
    event = AuditEvent.objects.get(action="referral.queue_viewed")
    assert event.action_type == "Q" and event.changes == {"rows": 1}


def test_referral_get_is_audited(pt_on_team: User, referred: Episode) -> None:
    referral = selectors.referral_get(user=pt_on_team, episode_id=referred.pk)
    assert referral.episode == referred
    event = AuditEvent.objects.get(action="referral.viewed")
    assert event.outcome == "success" and event.object_id == str(referral.pk)


def test_referral_get_refuses_off_team_like_missing(
    pt_off_team: User, referred: Episode
) -> None:
    with pytest.raises(PatientNotFound):
        selectors.referral_get(user=pt_off_team, episode_id=referred.pk)
    with pytest.raises(PatientNotFound):
        selectors.referral_get(user=pt_off_team, episode_id=referred.pk + 50)
    failures = AuditEvent.objects.filter(action="referral.viewed", outcome="failure")
    assert sorted(failures.values_list("patient_id", flat=True), key=str) == [
        referred.patient_id,
        None,
    ]


def test_an_attachment_is_named_by_number_not_by_its_upload_name(
    coordinator: User, referred: Episode
) -> None:
    attach(referred, "Robin Testchild MRI.pdf")
    download = selectors.attachment_get(
        user=coordinator,
        episode_id=referred.pk,
        attachment_id=attach(referred, "Robin Testchild notes.pdf"),
    )
    assert download.filename == f"referral-{referred.pk}-2.pdf"
    event = AuditEvent.objects.get(action="referral.attachment_downloaded")
    assert event.action_type == "X" and event.data_category == "referral"


def test_an_attachment_of_another_referral_is_refused(
    coordinator: User, referred: Episode
) -> None:
    elsewhere = attach(refer())
    with pytest.raises(PatientNotFound):
        selectors.attachment_get(
            user=coordinator, episode_id=referred.pk, attachment_id=elsewhere
        )


def test_evaluation_get_finds_one_discipline(
    coordinator: User, evaluating: Episode
) -> None:
    found = selectors.evaluation_get(
        user=coordinator, episode_id=evaluating.pk, discipline="PT"
    )
    assert found.discipline == "PT" and found.visit.episode == evaluating
    event = AuditEvent.objects.get(object_type="referrals.Evaluation")
    assert (event.action, event.data_category) == ("referral.viewed", "evaluation")
    with pytest.raises(PatientNotFound):
        selectors.evaluation_get(
            user=coordinator, episode_id=evaluating.pk, discipline="CL"
        )


def test_patient_find_goes_through_the_funnel(
    pt_off_team: User, coordinator: User, child: Patient
) -> None:
    assert (
        selectors.patient_find(user=coordinator, mrn=f" {child.mrn.lower()} ") == child
    )
    assert selectors.patient_find(user=pt_off_team, mrn=child.mrn) is None
    assert AuditEvent.objects.filter(action="patient.searched").count() == 2


def test_evaluators_are_active_staff_of_the_discipline_by_last_name() -> None:
    clinician(Role.SOCIAL_WORKER, last_name="Young")
    clinician(Role.SOCIAL_WORKER, last_name="Adams")
    clinician(Role.SOCIAL_WORKER, last_name="Gone", is_active=False)
    clinician(Role.PSYCHOLOGIST, last_name="Baker")
    chosen = selectors.evaluator_choices(discipline=EvaluationDiscipline.SW)
    assert [u.last_name for u in chosen] == ["Adams", "Young"]
