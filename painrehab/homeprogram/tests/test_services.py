"""Assigning, changing and stopping home exercises; the family's daily tick."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from painrehab.accounts.choices import Role
from painrehab.accounts.tests.factories import StaffFactory
from painrehab.audit.actions import AuditAction, DataCategory
from painrehab.audit.models import AuditEvent
from painrehab.episodes.services import episode_close
from painrehab.homeprogram import selectors, services
from painrehab.homeprogram.models import ExerciseDiscipline, ExerciseTick, HomeExercise
from painrehab.homeprogram.services import ExerciseFields
from painrehab.homeprogram.tests.support import assign, days_ago, fields, on_team, today
from painrehab.patients.access import PatientNotFound
from painrehab.portal.tests.support import Family, family
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db


@pytest.fixture
def fam() -> Family:
    return family(age=9, name="Robin", surname="Testfamily", parent="Dana")


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


# Assigning ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "discipline"),
    [
        (Role.PHYSICAL_THERAPIST, ExerciseDiscipline.PHYSICAL_THERAPY),
        (Role.OCCUPATIONAL_THERAPIST, ExerciseDiscipline.OCCUPATIONAL_THERAPY),
    ],
    ids=["pt_case", "ot_case"],
)
def test_the_discipline_follows_the_assigners_role(
    fam: Family, role: Role, discipline: ExerciseDiscipline
) -> None:
    therapist = on_team(fam.child, role)

    exercise = assign(fam.child, therapist)

    assert exercise.discipline == discipline
    assert exercise.episode == fam.episode
    assert exercise.assigned_by == therapist


def test_assigning_is_audited_with_the_home_programme_category(fam: Family) -> None:
    exercise = assign(fam.child, on_team(fam.child))

    [event] = _events(AuditAction.HOME_EXERCISE_SAVED)
    assert event.data_category == DataCategory.HOME_PROGRAMME
    assert event.patient_id == fam.child.pk
    assert event.object_id == str(exercise.pk)
    assert event.changes["fields"]["title"] == {"old": None, "new": "Stairs"}


@pytest.mark.parametrize(
    "role", [Role.COORDINATOR, Role.PHYSICIAN, Role.NURSE, Role.PSYCHOLOGIST]
)
def test_only_pt_and_ot_may_assign(fam: Family, role: Role) -> None:
    other = on_team(fam.child, role, username=f"other-{role}")

    with pytest.raises(PermissionDenied):
        assign(fam.child, other)
    assert not HomeExercise.objects.exists()


def test_a_therapist_off_the_care_team_gets_the_funnels_404(fam: Family) -> None:
    stranger = StaffFactory(role=Role.PHYSICAL_THERAPIST, username="bob")

    with pytest.raises(PatientNotFound):
        assign(fam.child, stranger)


def test_a_child_without_an_open_episode_gets_no_exercise() -> None:
    fam = family(stage="none")

    with pytest.raises(ValidationError) as refused:
        assign(fam.child, on_team(fam.child))
    assert services.NO_OPEN_EPISODE in refused.value.messages


def test_the_same_form_token_twice_makes_one_exercise(fam: Family) -> None:
    therapist = on_team(fam.child)
    token = uuid.uuid4()

    first = assign(fam.child, therapist, token=token)
    again = assign(fam.child, therapist, token=token, title="Other")

    assert again.pk == first.pk
    assert HomeExercise.objects.count() == 1
    assert len(_events(AuditAction.HOME_EXERCISE_SAVED)) == 1


def test_bad_input_names_each_field_and_saves_nothing(fam: Family) -> None:
    with pytest.raises(ValidationError) as refused:
        assign(
            fam.child,
            on_team(fam.child),
            title="  ",
            times_per_day=7,
            days_per_week=0,
            starts_on=dt.date(2000, 1, 1),
        )

    errors = refused.value.message_dict
    assert errors["title"] == [services.REQUIRED]
    assert errors["times_per_day"] == [services.TIMES_RANGE]
    assert errors["days_per_week"] == [services.DAYS_RANGE]
    assert "starts_on" in errors
    assert not HomeExercise.objects.exists()


# Changing -----------------------------------------------------------------------


def test_a_change_saves_the_new_values_and_a_new_version(fam: Family) -> None:
    therapist = on_team(fam.child)
    exercise = assign(fam.child, therapist)

    changed = services.exercise_change(
        exercise=exercise,
        by=therapist,
        version=1,
        fields=fields(repetitions="15 times", days_per_week=5),
    )

    assert (changed.repetitions, changed.days_per_week, changed.version) == (
        "15 times",
        5,
        2,
    )
    last = _events(AuditAction.HOME_EXERCISE_SAVED)[-1]
    assert last.changes["fields"] == {
        "repetitions": {"old": "10 times", "new": "15 times"},
        "days_per_week": {"old": 7, "new": 5},
    }


def test_another_pt_or_ot_on_the_team_may_change_it(fam: Family) -> None:
    exercise = assign(fam.child, on_team(fam.child))
    ot = on_team(fam.child, Role.OCCUPATIONAL_THERAPIST, username="olly.ot")

    changed = services.exercise_change(
        exercise=exercise, by=ot, version=1, fields=fields(title="Stairs, slowly")
    )

    assert changed.title == "Stairs, slowly"
    assert changed.discipline == ExerciseDiscipline.PHYSICAL_THERAPY


def test_a_stale_version_is_refused_with_a_clear_message(fam: Family) -> None:
    therapist = on_team(fam.child)
    exercise = assign(fam.child, therapist)
    services.exercise_change(
        exercise=exercise, by=therapist, version=1, fields=fields(title="First")
    )

    with pytest.raises(ValidationError) as refused:
        services.exercise_change(
            exercise=exercise, by=therapist, version=1, fields=fields(title="Second")
        )

    assert refused.value.message_dict == {"version": [services.STALE]}
    exercise.refresh_from_db()
    assert (exercise.title, exercise.version) == ("First", 2)


def test_saving_the_same_values_changes_nothing(fam: Family) -> None:
    therapist = on_team(fam.child)
    exercise = assign(fam.child, therapist)

    same = services.exercise_change(
        exercise=exercise, by=therapist, version=1, fields=ExerciseFields.of(exercise)
    )

    assert same.version == 1
    assert len(_events(AuditAction.HOME_EXERCISE_SAVED)) == 1


def test_a_change_cannot_move_the_start_past_a_ticked_day(fam: Family) -> None:
    therapist = on_team(fam.child)
    exercise = assign(fam.child, therapist, starts_on=days_ago(3))
    services.tick_record(exercise=exercise, by=fam.guardian_user, done_on=days_ago(2))

    with pytest.raises(ValidationError) as refused:
        services.exercise_change(
            exercise=exercise, by=therapist, version=1, fields=fields(starts_on=today())
        )
    assert "starts_on" in refused.value.message_dict


# Stopping -----------------------------------------------------------------------


def test_stopping_sets_the_stop_day_and_is_audited(fam: Family) -> None:
    therapist = on_team(fam.child)
    exercise = assign(fam.child, therapist, starts_on=days_ago(5))

    stopped = services.exercise_stop(exercise=exercise, by=therapist, version=1)

    assert stopped.stopped_on == today()
    assert services.is_stopped(stopped)
    [event] = _events(AuditAction.HOME_EXERCISE_STOPPED)
    assert event.changes == {"exercise": exercise.pk, "stopped_on": str(today())}


def test_a_stopped_exercise_cannot_be_changed_or_stopped_again(fam: Family) -> None:
    therapist = on_team(fam.child)
    exercise = assign(fam.child, therapist)
    services.exercise_stop(exercise=exercise, by=therapist, version=1)

    with pytest.raises(ValidationError, match="stopped"):
        services.exercise_change(
            exercise=exercise, by=therapist, version=2, fields=fields(title="New")
        )
    with pytest.raises(ValidationError, match="stopped"):
        services.exercise_stop(exercise=exercise, by=therapist, version=2)


def test_a_stop_with_a_stale_version_is_refused(fam: Family) -> None:
    therapist = on_team(fam.child)
    exercise = assign(fam.child, therapist)
    services.exercise_change(
        exercise=exercise, by=therapist, version=1, fields=fields(title="First")
    )

    with pytest.raises(ValidationError) as refused:
        services.exercise_stop(exercise=exercise, by=therapist, version=1)

    assert refused.value.message_dict == {"version": [services.STALE]}
    exercise.refresh_from_db()
    assert exercise.stopped_on is None


def test_a_stop_cannot_fall_on_or_before_a_ticked_day(fam: Family) -> None:
    therapist = on_team(fam.child)
    exercise = assign(fam.child, therapist, starts_on=days_ago(4))
    services.tick_record(exercise=exercise, by=fam.guardian_user, done_on=days_ago(1))

    with pytest.raises(ValidationError) as refused:
        services.exercise_stop(
            exercise=exercise, by=therapist, version=1, stopped_on=days_ago(1)
        )

    assert refused.value.message_dict["stopped_on"] == [
        services.STOP_ON_TICK.format(day=days_ago(1))
    ]
    assert services.stop_default(exercise) == today()


def test_a_stop_cannot_fall_before_the_start(fam: Family) -> None:
    therapist = on_team(fam.child)
    exercise = assign(fam.child, therapist, starts_on=today())

    with pytest.raises(ValidationError) as refused:
        services.exercise_stop(
            exercise=exercise, by=therapist, version=1, stopped_on=days_ago(1)
        )
    assert "stopped_on" in refused.value.message_dict


# Ticking ------------------------------------------------------------------------


def test_the_guardian_ticks_a_day_once_and_it_is_audited(fam: Family) -> None:
    exercise = assign(fam.child, on_team(fam.child))

    tick = services.tick_record(
        exercise=exercise, by=fam.guardian_user, done_on=today()
    )

    assert (tick.exercise, tick.done_on, tick.recorded_by) == (
        exercise,
        today(),
        fam.guardian_user,
    )
    [event] = _events(AuditAction.HOME_EXERCISE_TICKED)
    assert event.data_category == DataCategory.HOME_PROGRAMME
    assert event.actor_id == fam.guardian_user.pk
    assert event.changes == {
        "exercise": exercise.pk,
        "done_on": str(today()),
        "done": True,
    }


def test_a_second_tick_on_the_same_day_is_the_same_tick(fam: Family) -> None:
    exercise = assign(fam.child, on_team(fam.child))

    first = services.tick_record(
        exercise=exercise, by=fam.guardian_user, done_on=today()
    )
    again = services.tick_record(
        exercise=exercise, by=fam.guardian_user, done_on=today()
    )

    assert again.pk == first.pk
    assert ExerciseTick.objects.count() == 1
    assert len(_events(AuditAction.HOME_EXERCISE_TICKED)) == 1


def test_the_teen_ticks_their_own_exercise() -> None:
    fam = family(age=14, teen_account=True)
    exercise = assign(fam.child, on_team(fam.child))
    assert fam.teen_user is not None

    tick = services.tick_record(exercise=exercise, by=fam.teen_user, done_on=today())

    assert tick.recorded_by == fam.teen_user
    [event] = _events(AuditAction.HOME_EXERCISE_TICKED)
    assert event.purpose_of_use == "PATRQT"


def test_a_future_day_is_refused(fam: Family) -> None:
    exercise = assign(fam.child, on_team(fam.child))

    with pytest.raises(ValidationError) as refused:
        services.tick_record(
            exercise=exercise,
            by=fam.guardian_user,
            done_on=today() + dt.timedelta(days=1),
        )

    assert refused.value.message_dict == {"done_on": [str(services.TICK_FUTURE)]}
    assert not ExerciseTick.objects.exists()


def test_a_day_before_the_start_is_refused(fam: Family) -> None:
    exercise = assign(fam.child, on_team(fam.child), starts_on=today())

    with pytest.raises(ValidationError, match="starts on"):
        services.tick_record(
            exercise=exercise, by=fam.guardian_user, done_on=days_ago(1)
        )
    assert not ExerciseTick.objects.exists()


def test_a_stopped_exercise_takes_no_tick(fam: Family) -> None:
    therapist = on_team(fam.child)
    exercise = assign(fam.child, therapist, starts_on=days_ago(3))
    services.exercise_stop(exercise=exercise, by=therapist, version=1)

    with pytest.raises(ValidationError) as refused:
        services.tick_record(
            exercise=exercise, by=fam.guardian_user, done_on=days_ago(1)
        )

    assert refused.value.message_dict == {"done_on": [str(services.TICK_STOPPED)]}
    assert not ExerciseTick.objects.exists()


def test_before_a_planned_stop_the_family_still_ticks_today(fam: Family) -> None:
    therapist = on_team(fam.child)
    exercise = assign(fam.child, therapist, starts_on=days_ago(5))
    tomorrow = today() + dt.timedelta(days=1)
    services.exercise_stop(
        exercise=exercise, by=therapist, version=1, stopped_on=tomorrow
    )

    tick = services.tick_record(
        exercise=exercise, by=fam.guardian_user, done_on=today()
    )

    assert tick.done_on == today()
    with pytest.raises(ValidationError):
        services.tick_record(exercise=exercise, by=fam.guardian_user, done_on=tomorrow)


def test_staff_cannot_tick(fam: Family) -> None:
    therapist = on_team(fam.child)
    exercise = assign(fam.child, therapist)

    with pytest.raises(PermissionDenied):
        services.tick_record(exercise=exercise, by=therapist, done_on=today())


def test_another_familys_guardian_cannot_tick(fam: Family) -> None:
    exercise = assign(fam.child, on_team(fam.child))
    other = family(name="Kim", surname="Otherfamily", parent="Lee", stage="none")

    with pytest.raises(PatientNotFound):
        services.tick_record(exercise=exercise, by=other.guardian_user, done_on=today())
    assert not ExerciseTick.objects.exists()


def test_todays_tick_can_be_taken_back(fam: Family) -> None:
    exercise = assign(fam.child, on_team(fam.child))
    services.tick_record(exercise=exercise, by=fam.guardian_user, done_on=today())

    removed = services.tick_remove(
        exercise=exercise, by=fam.guardian_user, done_on=today()
    )

    assert removed is True
    assert not ExerciseTick.objects.exists()
    last = _events(AuditAction.HOME_EXERCISE_TICKED)[-1]
    assert last.changes["done"] is False
    assert last.action_type == "D"


def test_an_earlier_days_tick_stays(fam: Family) -> None:
    exercise = assign(fam.child, on_team(fam.child), starts_on=days_ago(2))
    services.tick_record(exercise=exercise, by=fam.guardian_user, done_on=days_ago(1))

    with pytest.raises(ValidationError) as refused:
        services.tick_remove(
            exercise=exercise, by=fam.guardian_user, done_on=days_ago(1)
        )

    assert refused.value.message_dict == {"done_on": [str(services.UNTICK_NOT_TODAY)]}
    assert ExerciseTick.objects.count() == 1


def test_taking_back_a_missing_tick_is_harmless(fam: Family) -> None:
    exercise = assign(fam.child, on_team(fam.child))

    assert (
        services.tick_remove(exercise=exercise, by=fam.guardian_user, done_on=today())
        is False
    )


def test_expected_days_round_up() -> None:
    assert services.expected_days(14, 7) == 14
    assert services.expected_days(14, 5) == 10
    assert services.expected_days(1, 3) == 1
    assert services.expected_days(0, 7) == 0


def test_the_programme_ends_with_the_episode() -> None:
    fam = family(stage="referred")
    exercise = assign(fam.child, on_team(fam.child))
    assert fam.episode is not None
    episode_close(episode=fam.episode, by=journey.coordinator(), reason="Withdrawn.")

    with pytest.raises(ValidationError) as refused:
        services.tick_record(exercise=exercise, by=fam.guardian_user, done_on=today())

    assert refused.value.message_dict == {"done_on": [str(services.TICK_STOPPED)]}
    programme = selectors.family_programme(patient=fam.child)
    assert programme.active == ()
    assert [line.exercise for line in programme.stopped] == [exercise]
