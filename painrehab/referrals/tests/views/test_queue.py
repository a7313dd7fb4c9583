"""The triage queue."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.episodes.models import Episode
from painrehab.patients.models import Patient
from painrehab.referrals import services
from painrehab.referrals.choices import DecisionOutcome
from painrehab.referrals.tests import journey
from painrehab.referrals.tests.support import client_as, clinician, refer

pytestmark = pytest.mark.django_db
QUEUE = reverse("referrals:triage")


def _queries(client: Client) -> int:
    client.get(QUEUE)  # warm up: the first audit event creates the chain head
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(QUEUE).status_code == 200
    return len(ctx)


def _refer_many(count: int) -> None:
    for n in range(count):
        episode = refer(days_ago=n)
        if n % 2 == 0:  # half with a visit booked, so both phases are in the count
            services.evaluation_schedule(
                episode=episode,
                by=journey.coordinator(),
                scheduled_for=journey.today(),
                evaluators=journey.evaluators(),
            )


def test_queue_queries_do_not_grow_with_the_number_of_referrals(
    coordinator: User,
) -> None:
    client = client_as(coordinator)
    _refer_many(3)
    few = _queries(client)
    _refer_many(12)
    assert _queries(client) == few


def test_the_longest_waiting_referral_comes_first(coordinator: User) -> None:
    recent = refer(days_ago=2).patient
    oldest = refer(days_ago=30).patient
    middle = refer(days_ago=9).patient
    page = client_as(coordinator).get(QUEUE).content.decode()
    positions = [page.index(p.mrn) for p in (oldest, middle, recent)]
    assert positions == sorted(positions)
    assert "30 days" in page and "2 days" in page


def test_a_row_shows_age_phase_evaluation_date_and_primary_diagnosis(
    coordinator: User, evaluating: Episode, child: Patient
) -> None:
    page = client_as(coordinator).get(QUEUE).content.decode()
    assert f"{child.family_name}, {child.given_name}" in page
    assert f'<td data-label="Age">{child.age()}</td>' in page
    assert "Evaluation" in page and journey.today().isoformat() in page
    assert "G90.521" in page
    assert reverse("referrals:referral_detail", args=[evaluating.pk]) in page


def test_a_deferred_decision_stays_in_the_queue_marked_deferred(
    coordinator: User, evaluating: Episode
) -> None:
    services.decision_record(
        episode=evaluating,
        by=journey.coordinator(),
        outcome=DecisionOutcome.DEFER,
        rationale="Waiting for the neurology letter.",
    )
    page = client_as(coordinator).get(QUEUE).content.decode()
    assert "Decision deferred" in page


def test_accepted_and_declined_referrals_leave_the_queue(coordinator: User) -> None:
    accepted = journey.accepted()
    page = client_as(coordinator).get(QUEUE).content.decode()
    assert accepted.patient.mrn not in page
    assert "No referral is waiting." in page


@pytest.mark.parametrize("role", [Role.PHYSICIAN, Role.PSYCHOLOGIST], ids=str)
def test_clinicians_see_only_their_care_team_referrals(
    role: Role, referred: Episode, child: Patient
) -> None:
    stranger = refer().patient
    page = client_as(clinician(role, child)).get(QUEUE).content.decode()
    assert child.mrn in page and stranger.mrn not in page
    assert "New referral" not in page


def test_the_coordinator_gets_the_new_referral_button(coordinator: User) -> None:
    page = client_as(coordinator).get(QUEUE).content.decode()
    assert reverse("referrals:intake") in page


@pytest.mark.parametrize(
    "role", [Role.PHYSICAL_THERAPIST, Role.TEACHER, Role.NURSE], ids=str
)
def test_other_clinicians_are_refused(role: Role, child: Patient) -> None:
    response = client_as(clinician(role, child)).get(QUEUE)
    assert response.status_code == 403


def test_guardians_are_refused(guardian: User, other_guardian: User) -> None:
    assert client_as(guardian).get(QUEUE).status_code == 403
    assert client_as(other_guardian).get(QUEUE).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
