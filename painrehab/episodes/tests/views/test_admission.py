"""Waitlisting, admission and changing the planned discharge."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.common.testing import sign_in, staff
from painrehab.episodes import services
from painrehab.episodes.choices import Phase
from painrehab.episodes.models import Bed, Episode, PhaseChange, Stay, WaitlistEntry
from painrehab.episodes.tests import stays
from painrehab.patients.models import CareTeamMember, Patient
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db


def _url(name: str, episode: Episode) -> str:
    return reverse(f"episodes:{name}", args=[episode.pk])


def _iso(days: int = 0) -> str:
    return (stays.today() + dt.timedelta(days=days)).isoformat()


def _admission(episode: Episode, bed: Bed, **overrides: object) -> dict[str, object]:
    """A complete admission form: the evaluators stay on as the primary team."""
    team = CareTeamMember.objects.filter(patient=episode.patient_id)
    data: dict[str, object] = {
        "bed": bed.pk,
        "admitted_on": _iso(),
        "planned_discharge_on": _iso(28),
        "age_override_reason": "",
        **{f"team_{m.team_role}": m.member_id for m in team},
    }
    return {**data, **overrides}


# Access


@pytest.mark.parametrize("page", ["waitlist_add", "admit"])
def test_only_the_coordinator_waitlists_and_admits(
    client_for, child: Patient, coordinator: User, page: str
) -> None:
    episode = journey.accepted(child)
    assert client_for(coordinator).get(_url(page, episode)).status_code == 200
    physician = stays.on_team(child, Role.PHYSICIAN)
    assert client_for(physician).get(_url(page, episode)).status_code == 403


@pytest.mark.parametrize("page", ["waitlist_add", "admit", "extend"])
def test_guardians_are_refused_and_visitors_sent_to_sign_in(
    client: Client,
    client_for,
    child: Patient,
    guardian: User,
    other_guardian: User,
    page: str,
) -> None:
    episode = journey.accepted(child)
    assert client_for(guardian).get(_url(page, episode)).status_code == 403
    assert client_for(other_guardian).get(_url(page, episode)).status_code == 403
    assert client.get(_url(page, episode))["Location"].startswith(
        reverse("accounts:login")
    )


@pytest.mark.parametrize("page", ["waitlist_add", "admit", "extend"])
def test_a_missing_episode_looks_like_a_refused_one(
    client: Client, coordinator: User, page: str
) -> None:
    response = sign_in(client, coordinator).get(reverse(f"episodes:{page}", args=[999]))
    assert response.status_code == 404


def test_extend_is_for_the_coordinator_and_physicians_on_the_team(
    client_for, child: Patient, coordinator: User
) -> None:
    episode = stays.admit(child)
    on_team = stays.on_team(child, Role.PHYSICIAN)
    off_team = staff(Role.PHYSICIAN)
    assert client_for(coordinator).get(_url("extend", episode)).status_code == 200
    assert client_for(on_team).get(_url("extend", episode)).status_code == 200
    assert client_for(off_team).get(_url("extend", episode)).status_code == 404
    assert (
        client_for(stays.on_team(child, Role.NURSE))
        .get(_url("extend", episode))
        .status_code
        == 403
    )


# Waitlist


def test_waitlisting_an_accepted_child(
    client: Client, coordinator: User, child: Patient
) -> None:
    episode = journey.accepted(child)
    data = {"priority": 2, "accepted_on": _iso(), "preferred_start": _iso(10)}
    response = sign_in(client, coordinator).post(_url("waitlist_add", episode), data)
    assert response.status_code == 302
    entry = WaitlistEntry.objects.get(episode=episode)
    assert (entry.priority, entry.preferred_start) == (
        2,
        stays.today() + dt.timedelta(days=10),
    )
    assert "Added to the waitlist." in client.get(response["Location"]).content.decode()


def test_waitlisting_defaults_the_accepted_date_to_today(
    client: Client, coordinator: User, child: Patient
) -> None:
    page = sign_in(client, coordinator).get(
        _url("waitlist_add", journey.accepted(child))
    )
    assert f'value="{_iso()}"' in page.content.decode()


def test_waitlisting_refuses_a_child_not_yet_accepted(
    client: Client, coordinator: User, child: Patient
) -> None:
    episode = journey.in_evaluation(child)
    data = {"priority": 3, "accepted_on": _iso()}
    page = sign_in(client, coordinator).post(_url("waitlist_add", episode), data)
    expected = services.WRONG_PHASE.format(
        phase="evaluation", action="added to the waitlist"
    )
    assert expected in page.content.decode() and "disabled" in page.content.decode()
    assert not WaitlistEntry.objects.filter(episode=episode).exists()


def test_waitlisting_puts_the_services_message_next_to_the_field(
    client: Client, coordinator: User, child: Patient
) -> None:
    episode = journey.accepted(child)
    data = {"priority": 3, "accepted_on": _iso(), "preferred_start": _iso(-3)}
    page = sign_in(client, coordinator).post(_url("waitlist_add", episode), data)
    assert page.context["form"].errors["preferred_start"] == [
        "The preferred start is before the date accepted."
    ]
    assert not WaitlistEntry.objects.filter(episode=episode).exists()


# Admission


def test_admission_happy_path(
    client: Client, coordinator: User, child: Patient
) -> None:
    episode = journey.waitlisted(child)
    bed, teacher = Bed.objects.get(number=4), staff(Role.TEACHER)
    data = _admission(episode, bed, team_teacher=teacher.pk)
    response = sign_in(client, coordinator).post(_url("admit", episode), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("episodes:journey", args=[child.pk])
    stay = Stay.objects.get(episode=episode)
    assert (stay.bed, stay.planned_discharge_on) == (
        bed,
        stays.today() + dt.timedelta(days=28),
    )
    assert CareTeamMember.objects.filter(
        patient=child, member=teacher, team_role="teacher"
    ).exists()
    assert not WaitlistEntry.objects.filter(episode=episode).exists()
    assert PhaseChange.objects.filter(
        episode=episode, transition="admit", by=coordinator
    ).exists()


def test_admission_form_offers_free_beds_and_the_default_stay(
    client: Client, coordinator: User, child: Patient
) -> None:
    stays.admit(bed=Bed.objects.get(number=1))
    page = sign_in(client, coordinator).get(_url("admit", journey.waitlisted(child)))
    html = page.content.decode()
    assert ">Bed 2<" in html and ">Bed 1<" not in html
    assert f'value="{_iso(28)}"' in html and "28 days" in html
    form = page.context["form"]
    attending = child.care_team.get(team_role="attending").member_id
    assert form["team_attending"].initial == attending


def test_admission_shows_the_stay_length_as_dates_change(
    client: Client, coordinator: User, child: Patient
) -> None:
    episode = journey.waitlisted(child)
    response = sign_in(client, coordinator).post(
        _url("admit", episode),
        {"admitted_on": _iso(), "planned_discharge_on": _iso(21)},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="stay-length",
    )
    html = response.content.decode().strip()
    assert html.startswith('<p id="stay-length"') and "21 days" in html
    assert not Stay.objects.filter(episode=episode).exists()


def test_admission_when_the_unit_is_full_disables_the_form(
    client: Client, coordinator: User, child: Patient
) -> None:
    services.beds_configure(count=1, by=coordinator)
    stays.admit(bed=Bed.objects.get(number=1))
    page = sign_in(client, coordinator).get(_url("admit", journey.waitlisted(child)))
    html = page.content.decode()
    assert "The unit is full" in html and "<fieldset disabled>" in html


def test_admission_into_a_bed_taken_meanwhile_says_so_next_to_the_bed(
    client: Client, coordinator: User, child: Patient
) -> None:
    episode, bed = journey.waitlisted(child), Bed.objects.get(number=7)
    sign_in(client, coordinator).get(_url("admit", episode))
    stays.admit(bed=bed)  # another coordinator admits first
    page = client.post(_url("admit", episode), _admission(episode, bed))
    assert page.status_code == 200
    assert page.context["form"].errors["bed"] == [services.BED_TAKEN.format(bed=bed)]
    assert 'id="id_bed_error"' in page.content.decode()
    assert not Stay.objects.filter(episode=episode).exists()
    episode.refresh_from_db()
    assert episode.phase == Phase.WAITLISTED


def test_admission_outside_the_age_range_needs_a_reason(
    client: Client, coordinator: User
) -> None:
    seventh_birthday = stays.today() - dt.timedelta(days=10)
    patient = journey.PatientFactory(
        date_of_birth=seventh_birthday.replace(year=seventh_birthday.year - 7)
    )
    episode = journey.waitlisted(patient, received_days_ago=30)
    data = _admission(episode, Bed.objects.get(number=1), admitted_on=_iso(-20))
    page = sign_in(client, coordinator).post(_url("admit", episode), data)
    errors = page.context["form"].errors["age_override_reason"]
    assert errors and "will be 6 on the admission date" in errors[0]
    assert not Stay.objects.filter(episode=episode).exists()
    data["age_override_reason"] = "Turns 7 during the stay; team agrees."
    assert client.post(_url("admit", episode), data).status_code == 302


def test_admission_date_in_the_future_is_refused(
    client: Client, coordinator: User, child: Patient
) -> None:
    episode = journey.waitlisted(child)
    data = _admission(episode, Bed.objects.get(number=1), admitted_on=_iso(1))
    page = sign_in(client, coordinator).post(_url("admit", episode), data)
    assert page.context["form"].errors["admitted_on"] == [services.NOT_IN_FUTURE]
    assert not Stay.objects.filter(episode=episode).exists()


def test_admission_needs_the_four_primary_team_members(
    client: Client, coordinator: User, child: Patient
) -> None:
    episode = journey.waitlisted(child)
    data = _admission(episode, Bed.objects.get(number=1), team_primary_ot="")
    page = sign_in(client, coordinator).post(_url("admit", episode), data)
    assert "team_primary_ot" in page.context["form"].errors
    assert not Stay.objects.filter(episode=episode).exists()


def test_admission_submitted_twice_admits_once(
    client: Client, coordinator: User, child: Patient
) -> None:
    episode = journey.waitlisted(child)
    data = _admission(episode, Bed.objects.get(number=1))
    sign_in(client, coordinator)
    assert client.post(_url("admit", episode), data).status_code == 302
    again = client.post(_url("admit", episode), data)
    expected = services.WRONG_PHASE.format(phase="inpatient", action="admitted")
    assert again.status_code == 200 and expected in again.content.decode()
    assert Stay.objects.filter(episode__patient=child).count() == 1


# Planned discharge


def test_extending_a_stay_keeps_its_history(
    client: Client, coordinator: User, child: Patient
) -> None:
    episode = stays.admit(child, days_ago=20)
    data = {"planned_discharge_on": _iso(14), "reason": "Goals for stairs not met."}
    response = sign_in(client, coordinator).post(_url("extend", episode), data)
    assert response.status_code == 302
    page = client.get(_url("extend", episode)).content.decode()
    assert "Goals for stairs not met." in page and "Day 21 of 34" in page


def test_extending_without_a_reason_is_refused(
    client: Client, coordinator: User, child: Patient
) -> None:
    episode = stays.admit(child)
    data = {"planned_discharge_on": _iso(35), "reason": ""}
    page = sign_in(client, coordinator).post(_url("extend", episode), data)
    assert page.context["form"].errors["reason"] == [services.REASON_REQUIRED]
    assert Stay.objects.get(
        episode=episode
    ).planned_discharge_on == stays.today() + dt.timedelta(days=28)


def test_extending_before_admission_shows_the_services_message(
    client: Client, coordinator: User, child: Patient
) -> None:
    episode = stays.admit(child)
    data = {"planned_discharge_on": _iso(-1), "reason": "Typo"}
    page = sign_in(client, coordinator).post(_url("extend", episode), data)
    expected = services.NOT_BEFORE_ADMISSION.format(admitted=stays.today())
    assert page.context["form"].errors["planned_discharge_on"] == [expected]


def test_extending_is_refused_once_the_child_has_gone_home(
    client: Client, coordinator: User, child: Patient
) -> None:
    episode = journey.discharged(child)
    data = {"planned_discharge_on": _iso(5), "reason": "Late"}
    page = sign_in(client, coordinator).post(_url("extend", episode), data)
    assert "it cannot be extended now" in page.content.decode()
    assert not Stay.objects.get(episode=episode).extensions.exists()
