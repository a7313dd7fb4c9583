"""The chart's "Home exercises" tab: reading, adding, changing and stopping."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.accounts.tests.factories import StaffFactory
from painrehab.common.testing import sign_in
from painrehab.homeprogram import services
from painrehab.homeprogram.models import HomeExercise
from painrehab.homeprogram.tests.support import assign, days_ago, fields, on_team, today
from painrehab.portal.tests.support import Family, family

pytestmark = pytest.mark.django_db


@pytest.fixture
def fam() -> Family:
    return family(age=9)


@pytest.fixture
def pt(fam: Family) -> User:
    return on_team(fam.child)


def _list(fam: Family) -> str:
    return reverse("homeprogram:exercise_list", args=[fam.child.pk])


def _edit(exercise: HomeExercise) -> str:
    return reverse(
        "homeprogram:exercise_edit", args=[exercise.episode.patient_id, exercise.pk]
    )


def _stop(exercise: HomeExercise) -> str:
    return reverse(
        "homeprogram:exercise_stop", args=[exercise.episode.patient_id, exercise.pk]
    )


def _form(**changes: str) -> dict[str, str]:
    data = {
        "title": "Walking",
        "instructions": "Walk to the end of the street and back.",
        "repetitions": "15 minutes",
        "times_per_day": "1",
        "days_per_week": "7",
        "starts_on": str(today()),
        "form_token": str(uuid.uuid4()),
    }
    return {**data, **changes}


def test_the_tab_shows_each_exercise_and_the_familys_ticks(
    fam: Family, pt: User
) -> None:
    exercise = assign(fam.child, pt, starts_on=days_ago(2))
    services.tick_record(exercise=exercise, by=fam.guardian_user, done_on=days_ago(1))

    response = sign_in(Client(), pt).get(_list(fam))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Walk up and down the stairs at home" in page
    assert "Pat Therapist" in page
    assert 'class="mark mark-done"' in page
    assert '<span class="visually-hidden">done</span>' in page
    assert 'href="/patients/' in page and "Home exercises" in page


def test_the_tab_is_in_the_charts_tabs(fam: Family, pt: User) -> None:
    response = sign_in(Client(), pt).get(_list(fam))

    assert f'href="{_list(fam)}" aria-current="page"' in response.content.decode()


def test_a_nurse_on_the_team_reads_but_cannot_add(fam: Family, pt: User) -> None:
    assign(fam.child, pt)
    nurse = on_team(fam.child, Role.NURSE, username="nina.nurse")
    client = sign_in(Client(), nurse)

    page = client.get(_list(fam)).content.decode()
    refused = client.post(_list(fam), _form())

    assert "Stairs" in page
    assert "Add an exercise" not in page
    assert refused.status_code == 403
    assert HomeExercise.objects.count() == 1


def test_a_therapist_adds_an_exercise_from_the_tab(fam: Family, pt: User) -> None:
    response = sign_in(Client(), pt).post(_list(fam), _form())

    assert response.status_code == 302
    assert response["Location"] == _list(fam)
    exercise = HomeExercise.objects.get()
    assert (exercise.title, exercise.repetitions) == ("Walking", "15 minutes")


def test_a_double_click_on_add_makes_one_exercise(fam: Family, pt: User) -> None:
    client = sign_in(Client(), pt)
    data = _form()

    client.post(_list(fam), data)
    client.post(_list(fam), data)

    assert HomeExercise.objects.count() == 1


def test_bad_input_is_shown_next_to_the_field(fam: Family, pt: User) -> None:
    response = sign_in(Client(), pt).post(
        _list(fam), _form(title="", times_per_day="9")
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_title_error"' in page
    assert 'id="id_times_per_day_error"' in page
    assert not HomeExercise.objects.exists()


def test_a_therapist_changes_an_exercise(fam: Family, pt: User) -> None:
    exercise = assign(fam.child, pt)
    client = sign_in(Client(), pt)

    form = client.get(_edit(exercise))
    response = client.post(
        _edit(exercise), {**_form(title="Stairs, two at a time"), "version": "1"}
    )

    assert form.status_code == 200
    assert 'name="version" value="1"' in form.content.decode()
    assert response.status_code == 302
    exercise.refresh_from_db()
    assert (exercise.title, exercise.version) == ("Stairs, two at a time", 2)


def test_a_stale_change_is_refused_and_shows_what_is_saved(
    fam: Family, pt: User
) -> None:
    exercise = assign(fam.child, pt)
    services.exercise_change(
        exercise=exercise, by=pt, version=1, fields=fields(title="Saved by someone")
    )

    response = sign_in(Client(), pt).post(
        _edit(exercise), {**_form(title="Mine"), "version": "1"}
    )

    page = response.content.decode()
    assert response.status_code == 409
    assert "someone else changed this exercise" in page
    assert "Saved by someone" in page
    assert 'name="version" value="2"' in page
    exercise.refresh_from_db()
    assert exercise.title == "Saved by someone"


def test_a_therapist_stops_an_exercise(fam: Family, pt: User) -> None:
    exercise = assign(fam.child, pt)

    response = sign_in(Client(), pt).post(_stop(exercise), {"version": "1"})

    assert response.status_code == 302
    exercise.refresh_from_db()
    assert exercise.stopped_on == today()


def test_a_stale_stop_is_refused(fam: Family, pt: User) -> None:
    exercise = assign(fam.child, pt)
    services.exercise_change(
        exercise=exercise, by=pt, version=1, fields=fields(title="Changed")
    )

    response = sign_in(Client(), pt).post(_stop(exercise), {"version": "1"})

    assert response.status_code == 409
    assert "stop it again if that is still right" in response.content.decode()
    exercise.refresh_from_db()
    assert exercise.stopped_on is None


def test_a_bad_stop_day_is_shown_next_to_the_field(fam: Family, pt: User) -> None:
    exercise = assign(fam.child, pt)

    response = sign_in(Client(), pt).post(
        _stop(exercise), {"version": "1", "stopped_on": str(days_ago(3))}
    )

    assert response.status_code == 400
    assert 'id="id_stopped_on_error"' in response.content.decode()


def test_off_team_clinicians_get_404_on_every_page(fam: Family, pt: User) -> None:
    exercise = assign(fam.child, pt)
    client = sign_in(Client(), StaffFactory(role=Role.PHYSICAL_THERAPIST))

    assert client.get(_list(fam)).status_code == 404
    assert client.get(_edit(exercise)).status_code == 404
    assert client.post(_stop(exercise), {"version": "1"}).status_code == 404
    assert client.post(_list(fam), _form()).status_code == 404


def test_another_childs_exercise_id_is_a_404(fam: Family, pt: User) -> None:
    other = family(name="Kim", surname="Otherfamily", parent="Lee")
    theirs = assign(other.child, on_team(other.child, username="oth.pt"))
    url = reverse("homeprogram:exercise_edit", args=[fam.child.pk, theirs.pk])

    assert sign_in(Client(), pt).get(url).status_code == 404
