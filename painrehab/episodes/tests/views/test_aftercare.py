"""Discharge, the step-down plan, follow-ups and closing an episode."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.common.testing import sign_in, staff
from painrehab.domain.dates import add_months
from painrehab.episodes import services
from painrehab.episodes.choices import FollowUpStatus, Phase
from painrehab.episodes.models import Discharge, Episode, FollowUp, StepDownPlan
from painrehab.episodes.tests import stays
from painrehab.patients.models import Patient
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db
FOLLOW_UPS = reverse("episodes:follow_ups")


def _url(name: str, episode: Episode) -> str:
    return reverse(f"episodes:{name}", args=[episode.pk])


def _iso(days: int = 0) -> str:
    return (stays.today() + dt.timedelta(days=days)).isoformat()


def _discharge_form(**overrides: object) -> dict[str, object]:
    return {
        "discharged_on": _iso(),
        "disposition": "home",
        "summary_physical_therapy": "Walks to school.",
        "home_programme": "Daily walks.",
        "step_down_weeks": 4,
        **overrides,
    }


# Access


@pytest.mark.parametrize("page", ["discharge", "step_down", "close"])
def test_guardians_are_refused_and_visitors_sent_to_sign_in(
    client: Client,
    client_for,
    child: Patient,
    guardian: User,
    other_guardian: User,
    page: str,
) -> None:
    episode = journey.discharged(child)
    assert client_for(guardian).get(_url(page, episode)).status_code == 403
    assert client_for(other_guardian).get(_url(page, episode)).status_code == 403
    login = reverse("accounts:login")
    assert client.get(_url(page, episode))["Location"].startswith(login)


def test_discharge_is_for_the_coordinator_and_physicians_on_the_team(
    client_for, child: Patient, coordinator: User, pt_on_team: User
) -> None:
    episode = stays.admit(child)
    assert client_for(coordinator).get(_url("discharge", episode)).status_code == 200
    physician = stays.on_team(child, Role.PHYSICIAN)
    assert client_for(physician).get(_url("discharge", episode)).status_code == 200
    off_team = client_for(staff(Role.PHYSICIAN)).get(_url("discharge", episode))
    assert off_team.status_code == 404
    assert client_for(pt_on_team).get(_url("discharge", episode)).status_code == 403


@pytest.mark.parametrize(
    "role",
    [Role.PSYCHOLOGIST, Role.PHYSICAL_THERAPIST, Role.OCCUPATIONAL_THERAPIST],
    ids=str,
)
def test_therapists_on_the_team_see_the_step_down_plan_and_others_get_404(
    client_for, child: Patient, role: Role
) -> None:
    episode = journey.discharged(child)
    on_team = client_for(stays.on_team(child, role)).get(_url("step_down", episode))
    assert on_team.status_code == 200
    off_team = client_for(staff(role)).get(_url("step_down", episode))
    assert off_team.status_code == 404


def test_follow_up_pages_are_refused_to_guardians_and_therapists(
    client_for,
    child: Patient,
    guardian: User,
    other_guardian: User,
    pt_on_team: User,
) -> None:
    visit = journey.discharged(child).follow_ups.first()
    record = reverse("episodes:follow_up_record", args=[visit.pk])
    for user in (guardian, other_guardian, pt_on_team):
        assert client_for(user).get(FOLLOW_UPS).status_code == 403
        assert client_for(user).post(record, {"status": "missed"}).status_code == 403


def test_follow_up_record_is_404_for_a_physician_off_the_team(
    client_for, child: Patient
) -> None:
    visit = journey.discharged(child).follow_ups.first()
    record = reverse("episodes:follow_up_record", args=[visit.pk])
    assert client_for(staff(Role.PHYSICIAN)).get(record).status_code == 404


# Discharge


def test_discharge_plans_step_down_and_follow_ups_and_shows_them(
    client: Client, coordinator: User, child: Patient
) -> None:
    episode = stays.admit(child, days_ago=27)
    response = sign_in(client, coordinator).post(
        _url("discharge", episode), _discharge_form(step_down_weeks=6)
    )
    assert response["Location"] == _url("discharge", episode)
    episode.refresh_from_db()
    assert episode.phase == Phase.STEP_DOWN
    assert StepDownPlan.objects.get(episode=episode).weeks == 6
    months = list(episode.follow_ups.values_list("months_after", "due_on"))
    assert months == [(m, add_months(stays.today(), m)) for m in (1, 3, 6, 12)]
    page = client.get(response["Location"]).content.decode()
    assert "Step-down plan" in page and "12 months" in page
    assert "Walks to school." in page


def test_discharge_before_admission_is_refused(
    client: Client, coordinator: User, child: Patient
) -> None:
    episode = stays.admit(child, days_ago=5)
    data = _discharge_form(discharged_on=_iso(-6))
    page = sign_in(client, coordinator).post(_url("discharge", episode), data)
    expected = services.NOT_BEFORE_ADMISSION.format(
        admitted=stays.today() - dt.timedelta(days=5)
    )
    assert page.context["form"].errors["discharged_on"] == [expected]
    assert not Discharge.objects.filter(episode=episode).exists()


def test_discharge_in_the_future_is_refused(
    client: Client, coordinator: User, child: Patient
) -> None:
    episode = stays.admit(child, days_ago=5)
    page = sign_in(client, coordinator).post(
        _url("discharge", episode), _discharge_form(discharged_on=_iso(1))
    )
    assert page.context["form"].errors["discharged_on"] == [services.NOT_IN_FUTURE]


def test_discharge_of_a_child_not_admitted_is_refused(
    client: Client, coordinator: User, child: Patient
) -> None:
    episode = journey.waitlisted(child)
    page = sign_in(client, coordinator).post(
        _url("discharge", episode), _discharge_form()
    )
    assert "it cannot be discharged to step-down now" in page.content.decode()
    assert not Discharge.objects.filter(episode=episode).exists()


# Step-down


def test_step_down_plan_changes_are_saved(client: Client, child: Patient) -> None:
    episode = journey.discharged(child)
    psychologist = stays.on_team(child, Role.PSYCHOLOGIST)
    data = {
        "weeks": 6,
        "psychology_per_week": 2,
        "physical_therapy_per_week": 1,
        "occupational_therapy_per_week": 1,
        "notes": "Two sessions while school restarts.",
    }
    response = sign_in(client, psychologist).post(_url("step_down", episode), data)
    assert response.status_code == 302
    plan = StepDownPlan.objects.get(episode=episode)
    assert (plan.weeks, plan.psychology_per_week) == (6, 2)


def test_step_down_plan_with_bad_numbers_saves_nothing(
    client: Client, coordinator: User, child: Patient
) -> None:
    episode = journey.discharged(child)
    data = {
        "weeks": 0,
        "psychology_per_week": 1,
        "physical_therapy_per_week": 1,
        "occupational_therapy_per_week": 1,
    }
    page = sign_in(client, coordinator).post(_url("step_down", episode), data)
    assert "weeks" in page.context["form"].errors
    assert StepDownPlan.objects.get(episode=episode).weeks == 4


def test_step_down_completed_moves_the_child_to_follow_up(
    client: Client, coordinator: User, child: Patient
) -> None:
    episode = journey.discharged(child)
    page = sign_in(client, coordinator).get(_url("step_down", episode)).content.decode()
    assert "Step-down completed" in page
    response = client.post(_url("step_down_complete", episode))
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.phase == Phase.FOLLOW_UP


def test_step_down_completed_is_the_coordinators_button(
    client_for, child: Patient
) -> None:
    episode = journey.discharged(child)
    physician = client_for(stays.on_team(child, Role.PHYSICIAN))
    assert (
        "Step-down completed"
        not in physician.get(_url("step_down", episode)).content.decode()
    )
    assert physician.post(_url("step_down_complete", episode)).status_code == 403


def test_step_down_completed_before_discharge_is_refused(
    client: Client, coordinator: User, child: Patient
) -> None:
    episode = stays.admit(child)
    response = sign_in(client, coordinator).post(
        _url("step_down_complete", episode), follow=True
    )
    assert "it cannot be step-down completed now" in response.content.decode()
    episode.refresh_from_db()
    assert episode.phase == Phase.INPATIENT


# Follow-ups


def _overdue(patient: Patient | None = None, days: int = 20) -> FollowUp:
    episode = stays.discharge(stays.admit(patient, days_ago=90), days_ago=60)
    visit = episode.follow_ups.get(months_after=1)
    FollowUp.objects.filter(pk=visit.pk).update(
        due_on=stays.today() - dt.timedelta(days=days)
    )
    visit.refresh_from_db()
    return visit


def test_follow_up_list_shows_overdue_visits_as_probably_missed(
    client: Client, coordinator: User, child: Patient
) -> None:
    visit = _overdue(child)
    page = sign_in(client, coordinator).get(FOLLOW_UPS).content.decode()
    assert child.display_name in page and "Missed?" in page
    assert reverse("episodes:follow_up_record", args=[visit.pk]) in page


def test_follow_up_list_queries_do_not_grow_with_the_number_of_visits(
    client: Client, coordinator: User
) -> None:
    _overdue()
    sign_in(client, coordinator)
    few = stays.count_queries(client, FOLLOW_UPS)
    _overdue(days=16)
    _overdue(days=30)
    assert stays.count_queries(client, FOLLOW_UPS) == few


def test_recording_a_visit_as_seen_needs_the_date(
    client: Client, coordinator: User, child: Patient
) -> None:
    visit = _overdue(child)
    url = reverse("episodes:follow_up_record", args=[visit.pk])
    page = sign_in(client, coordinator).post(
        url, {"status": "completed", "return_to": "follow_ups"}
    )
    assert page.context["form"].errors["completed_on"] == [
        "Give the date the child was seen."
    ]
    visit.refresh_from_db()
    assert visit.status == FollowUpStatus.SCHEDULED


def test_recording_a_visit_returns_to_the_list(
    client: Client, coordinator: User, child: Patient
) -> None:
    visit = _overdue(child)
    url = reverse("episodes:follow_up_record", args=[visit.pk])
    data = {"status": "completed", "completed_on": _iso(-18), "return_to": "follow_ups"}
    response = sign_in(client, coordinator).post(url, data)
    assert response["Location"] == FOLLOW_UPS
    visit.refresh_from_db()
    assert (visit.status, visit.completed_on) == (
        "completed",
        stays.today() - dt.timedelta(days=18),
    )


def test_a_physician_on_the_team_records_a_missed_visit(
    client: Client, child: Patient
) -> None:
    visit = _overdue(child)
    physician = stays.on_team(child, Role.PHYSICIAN)
    url = reverse("episodes:follow_up_record", args=[visit.pk])
    response = sign_in(client, physician).post(
        url, {"status": "missed", "notes": "No answer."}
    )
    assert response["Location"] == reverse("episodes:journey", args=[child.pk])
    visit.refresh_from_db()
    assert visit.status == FollowUpStatus.MISSED


# Close


def test_closing_is_refused_for_an_inpatient(
    client: Client, coordinator: User, child: Patient
) -> None:
    episode = stays.admit(child)
    page = sign_in(client, coordinator).post(_url("close", episode), {"reason": "Done"})
    expected = services.WRONG_PHASE.format(phase="inpatient", action="closed")
    assert expected in page.content.decode()
    episode.refresh_from_db()
    assert episode.phase == Phase.INPATIENT


def test_closing_needs_a_reason(
    client: Client, coordinator: User, child: Patient
) -> None:
    episode = journey.waitlisted(child)
    page = sign_in(client, coordinator).post(_url("close", episode), {"reason": " "})
    assert page.context["form"].errors["reason"] == [services.REASON_REQUIRED]


def test_closing_a_waitlisted_episode(
    client: Client, coordinator: User, child: Patient
) -> None:
    episode = journey.waitlisted(child)
    response = sign_in(client, coordinator).post(
        _url("close", episode), {"reason": "Family moved away."}
    )
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.phase == Phase.CLOSED
    assert episode.history.last().reason == "Family moved away."
