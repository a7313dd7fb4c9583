"""The chart's Journey tab."""

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import CLINICAL_ROLES, Role
from painrehab.accounts.models import User
from painrehab.audit.models import AuditEvent
from painrehab.common.testing import sign_in
from painrehab.episodes import services
from painrehab.episodes.models import Episode
from painrehab.episodes.tests import stays
from painrehab.patients.models import Patient
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db


def _url(patient: Patient) -> str:
    return reverse("episodes:journey", args=[patient.pk])


@pytest.mark.parametrize("role", sorted(CLINICAL_ROLES - {Role.COORDINATOR}), ids=str)
def test_every_clinical_role_on_the_team_sees_the_journey(
    client: Client, child: Patient, role: Role
) -> None:
    journey.referred(child)
    response = sign_in(client, stays.on_team(child, role)).get(_url(child))
    assert response.status_code == 200


def test_a_therapist_off_the_team_gets_404(
    client: Client, child: Patient, pt_off_team: User
) -> None:
    journey.referred(child)
    response = sign_in(client, pt_off_team).get(_url(child))
    assert response.status_code == 404


def test_guardians_are_refused_and_visitors_sent_to_sign_in(
    client: Client, client_for, child: Patient, guardian: User, other_guardian: User
) -> None:
    assert client_for(guardian).get(_url(child)).status_code == 403
    assert client_for(other_guardian).get(_url(child)).status_code == 403
    login = reverse("accounts:login")
    assert client.get(_url(child))["Location"].startswith(login)


def test_the_timeline_lists_every_transition_in_order_with_who_and_why(
    client: Client, coordinator: User, child: Patient
) -> None:
    episode = stays.discharge(stays.admit(child, days_ago=20))
    services.episode_start_follow_up(episode=episode, by=coordinator)
    services.episode_close(
        episode=episode, by=coordinator, reason="Goals met at 12 months."
    )
    page = sign_in(client, coordinator).get(_url(child)).content.decode()
    labels = [
        "Referral received",
        "Evaluation scheduled",
        "Accepted for admission",
        "Added to the waitlist",
        "Admitted",
        "Discharged to step-down",
        "Step-down completed",
        "Closed",
    ]
    positions = [page.index(f"<strong>{label}</strong>") for label in labels]
    assert positions == sorted(positions)
    assert "Meets criteria; family ready." in page and "Goals met at 12 months." in page
    assert f"by {coordinator.get_full_name()}" in page
    assert "(Inpatient → Step-down)" in page


def test_the_timeline_shows_details_stay_and_aftercare(
    client: Client, coordinator: User, child: Patient
) -> None:
    episode = stays.admit(child, days_ago=20)
    stays.discharge(episode)
    page = sign_in(client, coordinator).get(_url(child)).content.decode()
    stay = episode.stay
    assert f"<dd>{stay.bed.number}</dd>" in page  # the bed in the admission's details
    assert "Planned discharge" in page and "Step-down plan" in page
    assert "Follow-up visits" in page and "Walks 2 km without crutches." in page


def test_the_journey_offers_the_actions_of_the_current_phase_to_whom_may_act(
    client_for, coordinator: User, child: Patient
) -> None:
    episode = stays.admit(child)
    mine = client_for(coordinator).get(_url(child)).content.decode()
    assert reverse("episodes:discharge", args=[episode.pk]) in mine
    assert reverse("episodes:extend", args=[episode.pk]) in mine
    assert reverse("episodes:admit", args=[episode.pk]) not in mine
    nurse = (
        client_for(stays.on_team(child, Role.NURSE)).get(_url(child)).content.decode()
    )
    assert reverse("episodes:discharge", args=[episode.pk]) not in nurse


def test_the_journey_shows_every_episode(
    client: Client, coordinator: User, child: Patient
) -> None:
    first = journey.referred(child)
    services.episode_close(episode=first, by=coordinator, reason="Family declined.")
    second: Episode = journey.referred(child)
    page = sign_in(client, coordinator).get(_url(child)).content.decode()
    assert (
        f'id="h-episode-{first.pk}"' in page and f'id="h-episode-{second.pk}"' in page
    )
    assert "Family declined." in page


def test_the_journey_read_is_audited(
    client: Client, coordinator: User, child: Patient
) -> None:
    journey.referred(child)
    sign_in(client, coordinator).get(_url(child))
    event = AuditEvent.objects.filter(
        action="episode.viewed", patient_id=child.pk
    ).get()
    assert (event.actor_username, event.data_category) == ("alice", "episode")


def test_the_journey_is_a_chart_tab(
    client: Client, coordinator: User, child: Patient
) -> None:
    chart = sign_in(client, coordinator).get(
        reverse("patients:patient_detail", args=[child.pk])
    )
    assert f'href="{_url(child)}"' in chart.content.decode()
    page = client.get(_url(child)).content.decode()
    assert f'href="{_url(child)}" aria-current="page"' in page
