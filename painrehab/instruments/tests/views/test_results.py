import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.accounts.tests.factories import StaffFactory
from painrehab.audit.models import AuditEvent
from painrehab.common.testing import sign_in
from painrehab.episodes.models import Episode
from painrehab.instruments.choices import TimePoint
from painrehab.instruments.models import Score
from painrehab.instruments.tests.support import all_answers, fill_and_submit, start
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import CareTeamMemberFactory
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db


@pytest.fixture
def episode(child: Patient) -> Episode:
    return journey.admitted(child, days_ago=1)


@pytest.fixture
def psychologist(child: Patient) -> User:
    user: User = StaffFactory(role=Role.PSYCHOLOGIST)
    CareTeamMemberFactory(patient=child, member=user)
    return user


def _measures(child: Patient) -> str:
    return reverse("instruments:measures", args=[child.pk])


def _weekly(episode: Episode, by: User, count: int) -> None:
    for week in range(1, count + 1):
        administration = start(
            episode, by, "FDI-C", time_point=TimePoint.WEEKLY, index=week
        )
        fill_and_submit(administration, by, all_answers("FDI-C", week % 5))


def test_measures_shows_due_list_and_history_with_change_since_admission(
    child: Patient, episode: Episode, coordinator: User
) -> None:
    admission = start(episode, coordinator, "FDI-C")
    fill_and_submit(admission, coordinator, all_answers("FDI-C", 2))
    _weekly(episode, coordinator, 1)
    client = sign_in(Client(), coordinator)

    response = client.get(_measures(child))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Start" in body
    assert "PCS-C" in body  # still due at admission
    assert "Severe disability" in body
    assert "-15" in body  # all 1s (15) minus all 2s (30)
    assert "no published threshold" in body
    assert AuditEvent.objects.filter(action="results.viewed").exists()


def test_change_since_admission_is_judged_against_the_threshold(
    child: Patient, episode: Episode, coordinator: User
) -> None:
    fill_and_submit(start(episode, coordinator, "NRS"), coordinator, {"1": 8})
    weekly = start(episode, coordinator, "NRS", time_point=TimePoint.WEEKLY, index=1)
    fill_and_submit(weekly, coordinator, {"1": 5})
    client = sign_in(Client(), coordinator)

    body = client.get(_measures(child)).content.decode()

    assert "-3 · meaningful (≥ 1)" in body


def test_measures_with_nothing_submitted_says_so(
    child: Patient, episode: Episode, pt_on_team: User
) -> None:
    client = sign_in(Client(), pt_on_team)

    body = client.get(_measures(child)).content.decode()

    assert "No questionnaire has been submitted yet." in body


def test_measures_queries_do_not_grow_with_administrations(
    child: Patient, episode: Episode, coordinator: User
) -> None:
    client = sign_in(Client(), coordinator)
    _weekly(episode, coordinator, 3)
    with CaptureQueriesContext(connection) as few:
        client.get(_measures(child))
    _weekly(episode, coordinator, 9)
    with CaptureQueriesContext(connection) as many:
        client.get(_measures(child))

    assert len(many.captured_queries) == len(few.captured_queries)


def test_measures_refuses_off_team_guardian_and_anonymous(
    child: Patient, pt_off_team: User, guardian: User, client: Client
) -> None:
    anonymous = client.get(_measures(child))

    assert anonymous.status_code == 302
    assert sign_in(Client(), pt_off_team).get(_measures(child)).status_code == 404
    assert sign_in(Client(), guardian).get(_measures(child)).status_code == 403


def _flagged(episode: Episode, psychologist: User) -> Score:
    administration = start(episode, psychologist, "CES-DC")
    return fill_and_submit(administration, psychologist, all_answers("CES-DC", 3))


def test_alerts_list_flagged_scores_and_acknowledge_removes_them(
    child: Patient, episode: Episode, psychologist: User
) -> None:
    score = _flagged(episode, psychologist)
    client = sign_in(Client(), psychologist)

    listed = client.get(reverse("instruments:alerts")).content.decode()
    acknowledged = client.post(
        reverse("instruments:alert_acknowledge", args=[score.pk]), follow=True
    )

    assert child.display_name in listed
    assert "No flagged results wait for review." in acknowledged.content.decode()
    score.refresh_from_db()
    assert score.acknowledged_by == psychologist
    assert AuditEvent.objects.filter(action="alerts.viewed").exists()


def test_off_team_psychologist_sees_no_alert_and_cannot_acknowledge(
    episode: Episode, psychologist: User
) -> None:
    score = _flagged(episode, psychologist)
    outsider = StaffFactory(role=Role.PSYCHOLOGIST)
    client = sign_in(Client(), outsider)

    listed = client.get(reverse("instruments:alerts")).content.decode()
    refused = client.post(reverse("instruments:alert_acknowledge", args=[score.pk]))

    assert "No flagged results wait for review." in listed
    assert refused.status_code == 404
    score.refresh_from_db()
    assert score.acknowledged_at is None


def test_alerts_refuse_other_roles_and_anonymous(
    pt_on_team: User, guardian: User, client: Client
) -> None:
    url = reverse("instruments:alerts")

    assert client.get(url).status_code == 302
    assert sign_in(Client(), pt_on_team).get(url).status_code == 403
    assert sign_in(Client(), guardian).get(url).status_code == 403
