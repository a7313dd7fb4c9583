"""Reading a child's home programme: the ticks grid, adherence, and lookups."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from painrehab.accounts.choices import Role
from painrehab.accounts.tests.factories import StaffFactory
from painrehab.audit.actions import AuditAction
from painrehab.audit.models import AuditEvent
from painrehab.homeprogram import selectors, services
from painrehab.homeprogram.selectors import Adherence, Mark
from painrehab.homeprogram.tests.support import assign, days_ago, on_team, today
from painrehab.patients.access import PatientNotFound
from painrehab.portal.tests.support import Family, family

pytestmark = pytest.mark.django_db


@pytest.fixture
def fam() -> Family:
    return family(age=9)


def _tick(fam: Family, exercise: object, *days: int) -> None:
    for n in days:
        services.tick_record(
            exercise=exercise,  # type: ignore[arg-type]
            by=fam.guardian_user,
            done_on=days_ago(n),
        )


def test_the_grid_marks_each_day_done_not_done_off_or_pending(fam: Family) -> None:
    exercise = assign(fam.child, on_team(fam.child), starts_on=days_ago(3))
    _tick(fam, exercise, 3, 1)

    _patient, programme = selectors.programme_get(
        user=exercise.assigned_by, patient_id=fam.child.pk
    )

    [line] = programme.active
    assert len(line.marks) == selectors.STAFF_WINDOW
    assert [m.mark for m in line.marks[-5:]] == [
        Mark.OFF,
        Mark.DONE,
        Mark.NOT_DONE,
        Mark.DONE,
        Mark.PENDING,
    ]
    assert line.marks[-1].day == today()


def test_adherence_counts_the_days_that_are_over(fam: Family) -> None:
    exercise = assign(fam.child, on_team(fam.child), starts_on=days_ago(4))
    _tick(fam, exercise, 4, 3, 1)

    _patient, programme = selectors.programme_get(
        user=exercise.assigned_by, patient_id=fam.child.pk
    )

    [line] = programme.active
    assert line.recent == Adherence(ticked=3, expected=4)
    assert line.overall == Adherence(ticked=3, expected=4)
    assert line.recent.percent == 75


def test_todays_tick_counts_once_it_is_there(fam: Family) -> None:
    exercise = assign(fam.child, on_team(fam.child), starts_on=days_ago(1))
    _tick(fam, exercise, 1, 0)

    programme = selectors.family_programme(patient=fam.child)

    [line] = programme.active
    assert line.done_today
    assert line.overall == Adherence(ticked=2, expected=2)


def test_fewer_days_a_week_expect_fewer_days(fam: Family) -> None:
    assign(
        fam.child,
        on_team(fam.child),
        starts_on=days_ago(7),
        days_per_week=3,
    )

    programme = selectors.family_programme(patient=fam.child)

    assert programme.active[0].overall == Adherence(ticked=0, expected=3)


def test_stopped_exercises_are_listed_apart(fam: Family) -> None:
    therapist = on_team(fam.child)
    kept = assign(fam.child, therapist, title="Walking")
    stopped = assign(fam.child, therapist, title="Stairs")
    services.exercise_stop(exercise=stopped, by=therapist, version=1)

    _patient, programme = selectors.programme_get(
        user=therapist, patient_id=fam.child.pk
    )

    assert [line.exercise for line in programme.active] == [kept]
    assert [line.exercise for line in programme.stopped] == [stopped]


def test_the_programme_takes_the_same_queries_for_one_or_many_exercises(
    fam: Family,
) -> None:
    therapist = on_team(fam.child)
    first = assign(fam.child, therapist, starts_on=days_ago(2))
    _tick(fam, first, 2, 1)

    with CaptureQueriesContext(connection) as one:
        selectors.programme_build(episode=fam.episode, window=14)
    for title in ("Walking", "Textures", "Core"):
        extra = assign(fam.child, therapist, title=title, starts_on=days_ago(2))
        _tick(fam, extra, 2, 1)
    with CaptureQueriesContext(connection) as many:
        programme = selectors.programme_build(episode=fam.episode, window=14)

    assert len(one.captured_queries) == len(many.captured_queries) == 2
    assert len(programme.active) == 4


def test_the_staff_read_is_audited(fam: Family) -> None:
    exercise = assign(fam.child, on_team(fam.child))

    selectors.programme_get(user=exercise.assigned_by, patient_id=fam.child.pk)

    event = AuditEvent.objects.filter(action=AuditAction.HOME_EXERCISES_VIEWED).get()
    assert event.patient_id == fam.child.pk
    assert event.changes == {"exercises": [exercise.pk]}


def test_an_off_team_clinician_gets_the_funnels_404(fam: Family) -> None:
    assign(fam.child, on_team(fam.child))
    stranger = StaffFactory(role=Role.PHYSICAL_THERAPIST, username="bob")

    with pytest.raises(PatientNotFound):
        selectors.programme_get(user=stranger, patient_id=fam.child.pk)


def test_an_exercise_of_another_child_is_a_404(fam: Family) -> None:
    other = family(name="Kim", surname="Otherfamily", parent="Lee")
    theirs = assign(other.child, on_team(other.child, username="oth.pt"))
    therapist = on_team(fam.child)

    with pytest.raises(PatientNotFound):
        selectors.exercise_get(
            user=therapist, patient_id=fam.child.pk, exercise_id=theirs.pk
        )
    with pytest.raises(PatientNotFound):
        selectors.family_exercise_get(patient=fam.child, exercise_id=theirs.pk)


def test_a_child_without_an_episode_has_an_empty_programme() -> None:
    fam = family(stage="none")

    programme = selectors.family_programme(patient=fam.child)

    assert programme.episode is None
    assert programme.active == programme.stopped == ()
    assert programme.days[-1] == today()
    assert programme.days[0] == today() - dt.timedelta(days=6)
