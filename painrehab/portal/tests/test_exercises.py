"""The portal's home exercises: plain words, "Done today", and who may tick."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.audit.actions import AuditAction
from painrehab.audit.models import AuditEvent
from painrehab.common.testing import sign_in
from painrehab.domain.proxy import DEFAULT_LIMITED, Category
from painrehab.homeprogram import services
from painrehab.homeprogram.models import ExerciseTick, HomeExercise
from painrehab.homeprogram.tests.support import assign, days_ago, on_team, today
from painrehab.portal.tests.support import Family, family

pytestmark = pytest.mark.django_db


@pytest.fixture
def fam() -> Family:
    return family(age=9, name="Robin", surname="Testfamily", parent="Dana")


@pytest.fixture
def exercise(fam: Family) -> HomeExercise:
    return assign(fam.child, on_team(fam.child), starts_on=days_ago(3))


def _page(fam: Family) -> str:
    return reverse("portal:exercises", args=[fam.child.pk])


def _tick_url(fam: Family, exercise: HomeExercise) -> str:
    return reverse("portal:exercise_tick", args=[fam.child.pk, exercise.pk])


def _done(day: dt.date | None = None, done: str = "1") -> dict[str, str]:
    return {"done_on": str(day or today()), "done": done}


def test_the_guardian_reads_the_exercise_in_plain_words(
    fam: Family, exercise: HomeExercise
) -> None:
    response = fam.guardian_client().get(_page(fam))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Stairs" in page
    assert "Walk up and down the stairs at home, holding the rail." in page
    assert "10 times" in page
    assert "Twice a day" in page
    assert "Every day" in page
    assert "Pat, physical therapist" in page
    assert "Pat Therapist" not in page  # first name and role only
    assert ">Done today</button>" in page
    assert f'action="{_tick_url(fam, exercise)}"' in page


def test_a_tick_redirects_back_and_shows_done_today(
    fam: Family, exercise: HomeExercise
) -> None:
    client = fam.guardian_client()

    response = client.post(_tick_url(fam, exercise), _done())
    page = client.get(_page(fam)).content.decode()

    assert response.status_code == 302
    assert response["Location"] == f"{_page(fam)}#exercise-{exercise.pk}"
    tick = ExerciseTick.objects.get()
    assert (tick.exercise, tick.done_on, tick.recorded_by) == (
        exercise,
        today(),
        fam.guardian_user,
    )
    assert 'class="done-today"' in page
    assert ">Undo</button>" in page
    assert "Well done!" in page


def test_a_double_click_is_one_tick(fam: Family, exercise: HomeExercise) -> None:
    client = fam.guardian_client()

    first = client.post(_tick_url(fam, exercise), _done())
    second = client.post(_tick_url(fam, exercise), _done())

    assert first.status_code == second.status_code == 302
    assert ExerciseTick.objects.count() == 1


def test_the_familys_tick_is_on_the_therapists_tab(
    fam: Family, exercise: HomeExercise
) -> None:
    fam.guardian_client().post(_tick_url(fam, exercise), _done())
    staff_url = reverse("homeprogram:exercise_list", args=[fam.child.pk])

    page = sign_in(Client(), exercise.assigned_by).get(staff_url).content.decode()

    # Today is the grid's last day: done, and 1 of the 3 days so far plus today.
    row = page.split(f'href="#exercise-{exercise.pk}"')[1].split("</tr>")[0]
    cells = row.split('<td class="mark mark-')[1:]
    assert cells[-1].startswith("done")
    assert "1 of 4 days" in row


def test_undo_takes_back_todays_tick(fam: Family, exercise: HomeExercise) -> None:
    client = fam.guardian_client()
    client.post(_tick_url(fam, exercise), _done())

    response = client.post(_tick_url(fam, exercise), _done(done="0"))

    assert response.status_code == 302
    assert not ExerciseTick.objects.exists()


def test_a_future_day_is_refused_with_a_message(
    fam: Family, exercise: HomeExercise
) -> None:
    client = fam.guardian_client()

    response = client.post(
        _tick_url(fam, exercise), _done(today() + dt.timedelta(days=1)), follow=True
    )

    assert "That day has not come yet" in response.content.decode()
    assert not ExerciseTick.objects.exists()


def test_a_day_older_than_the_week_is_refused(
    fam: Family, exercise: HomeExercise
) -> None:
    response = fam.guardian_client().post(
        _tick_url(fam, exercise), _done(days_ago(7)), follow=True
    )

    assert "Only the last 7 days can be ticked here." in response.content.decode()
    assert not ExerciseTick.objects.exists()


def test_a_stopped_exercise_is_not_shown_and_takes_no_tick(
    fam: Family, exercise: HomeExercise
) -> None:
    services.exercise_stop(exercise=exercise, by=exercise.assigned_by, version=1)
    client = fam.guardian_client()

    page = client.get(_page(fam)).content.decode()
    response = client.post(_tick_url(fam, exercise), _done(), follow=True)

    assert "Stairs" not in page
    assert "There are no home exercises yet." in page
    assert "The team has stopped this exercise" in response.content.decode()
    assert not ExerciseTick.objects.exists()


def test_another_familys_exercise_id_is_a_404(fam: Family) -> None:
    other = family(name="Kim", surname="Otherfamily", parent="Lee")
    theirs = assign(other.child, on_team(other.child, username="oth.pt"))
    client = fam.guardian_client()

    refused = client.post(_tick_url(fam, theirs), _done())
    made_up = client.post(
        reverse("portal:exercise_tick", args=[fam.child.pk, theirs.pk + 999]), _done()
    )

    assert refused.status_code == made_up.status_code == 404
    assert refused.content == made_up.content
    assert not ExerciseTick.objects.exists()


def test_another_familys_child_id_is_a_404(fam: Family, exercise: HomeExercise) -> None:
    other = family(name="Kim", surname="Otherfamily", parent="Lee", stage="none")
    client = other.guardian_client()

    assert client.get(_page(fam)).status_code == 404
    assert client.post(_tick_url(fam, exercise), _done()).status_code == 404
    assert not ExerciseTick.objects.exists()


def test_the_teen_sees_and_ticks_their_own_exercises() -> None:
    fam = family(age=14, teen_account=True)
    exercise = assign(fam.child, on_team(fam.child))
    client = fam.teen_client()

    page = client.get(_page(fam)).content.decode()
    client.post(_tick_url(fam, exercise), _done())

    assert "your physical and occupational therapists" in page
    assert ExerciseTick.objects.get().recorded_by == fam.teen_user


def test_a_guardian_of_a_teen_sees_the_withheld_notice_when_the_list_leaves_it_out(
    settings: object,
) -> None:
    names = sorted(str(c) for c in DEFAULT_LIMITED - {Category.HOME_PROGRAMME})
    settings.PORTAL_GUARDIAN_TEEN_SEES = names  # type: ignore[attr-defined]
    fam = family(age=14)
    exercise = assign(fam.child, on_team(fam.child))
    client = fam.guardian_client()

    response = client.get(_page(fam))
    refused = client.post(_tick_url(fam, exercise), _done())

    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="withheld"' in page
    assert "From age 12, some of your child" in page
    assert "Stairs" not in page
    assert refused.status_code == 404
    assert not ExerciseTick.objects.exists()


def test_by_default_a_guardian_of_a_teen_sees_the_exercises() -> None:
    fam = family(age=14)
    assign(fam.child, on_team(fam.child))

    page = fam.guardian_client().get(_page(fam)).content.decode()

    assert "Stairs" in page
    assert 'class="withheld"' not in page


def test_the_page_view_is_audited_with_what_it_withheld(settings: object) -> None:
    settings.PORTAL_GUARDIAN_TEEN_SEES = ["schedule"]  # type: ignore[attr-defined]
    fam = family(age=14)

    fam.guardian_client().get(_page(fam))

    event = AuditEvent.objects.filter(action=AuditAction.PORTAL_VIEWED).last()
    assert event is not None
    assert event.patient_id == fam.child.pk
    assert event.changes["page"] == "exercises"
    assert event.changes["withheld"] == {"home_programme": "privacy_171_202_b"}


def test_staff_cannot_open_the_portal_page(fam: Family, exercise: HomeExercise) -> None:
    client = sign_in(Client(), exercise.assigned_by)

    assert client.get(_page(fam)).status_code == 403
    assert client.post(_tick_url(fam, exercise), _done()).status_code == 403


def test_the_tick_only_takes_a_post(fam: Family, exercise: HomeExercise) -> None:
    assert fam.guardian_client().get(_tick_url(fam, exercise)).status_code == 405
