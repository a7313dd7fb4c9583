"""Reads: a child's home programme with the family's recent ticks, and one exercise.

Staff reads go through the access funnel (``patients.access``): someone else's
patient, or an exercise of another child, is the same 404 as a missing one, and
each read is audited. The family's reads take a child the portal's own door
(``portal.access.child_get``) has already let through; the portal audits its pages.

A programme is built in two queries, whatever the number of exercises: the
exercises (with their total tick count), and their ticks of the window (a
``Prefetch``).

Adherence counts the days that are over plus today once it is ticked, so a
morning view does not count today as missed: ``ticked`` of ``expected``, where
``expected`` is the exercise's days a week over those days, rounded up.
"""

from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory, Outcome
from painrehab.audit.services import record
from painrehab.episodes.models import Episode
from painrehab.episodes.selectors import episode_current
from painrehab.homeprogram.models import ExerciseTick, HomeExercise
from painrehab.homeprogram.services import expected_days, is_stopped
from painrehab.patients.access import PatientNotFound, patient_get_for_user
from painrehab.patients.models import Patient

STAFF_WINDOW = 14
FAMILY_WINDOW = 7
REFUSED = "No such home exercise, or not one of a child on this person's care team."


class Mark(StrEnum):
    DONE = "done"
    NOT_DONE = "not_done"
    PENDING = "pending"  # today, not ticked yet
    OFF = "off"  # not part of the programme that day


@dataclass(frozen=True)
class DayMark:
    day: date
    mark: Mark


@dataclass(frozen=True)
class Adherence:
    """Days ticked of days expected (see the module docstring)."""

    ticked: int
    expected: int

    @property
    def percent(self) -> int | None:
        if self.expected == 0:
            return None
        return min(100, round(100 * self.ticked / self.expected))


@dataclass(frozen=True)
class ExerciseLine:
    exercise: HomeExercise
    marks: tuple[DayMark, ...]  # the window, oldest first
    recent: Adherence  # over the window
    overall: Adherence  # since the exercise started
    stopped: bool
    done_today: bool

    @property
    def not_started(self) -> bool:
        return self.marks[-1].day < self.exercise.starts_on


@dataclass(frozen=True)
class Programme:
    """One episode's home exercises as on ``today``, with a window of ticks."""

    episode: Episode | None
    today: date
    days: tuple[date, ...]  # the window, oldest first
    active: tuple[ExerciseLine, ...]
    stopped: tuple[ExerciseLine, ...]

    @property
    def exercise_ids(self) -> list[int]:
        return [line.exercise.pk for line in (*self.active, *self.stopped)]


def _in_programme(exercise: HomeExercise, day: date) -> bool:
    if day < exercise.starts_on:
        return False
    return exercise.stopped_on is None or day < exercise.stopped_on


def _mark(exercise: HomeExercise, day: date, ticked: set[date], today: date) -> Mark:
    if day in ticked:
        return Mark.DONE
    if not _in_programme(exercise, day):
        return Mark.OFF
    return Mark.PENDING if day == today else Mark.NOT_DONE


def _counted_days(exercise: HomeExercise, start: date, today: date, done: bool) -> int:
    """Days from ``start`` that are over and in the programme, plus today if done."""
    end = today if done else today - timedelta(days=1)
    if exercise.stopped_on is not None:
        end = min(end, exercise.stopped_on - timedelta(days=1))
    first = max(start, exercise.starts_on)
    return max(0, (end - first).days + 1)


def _adherence(
    exercise: HomeExercise, start: date, today: date, ticked: int, done_today: bool
) -> Adherence:
    days = _counted_days(exercise, start, today, done_today)
    return Adherence(
        ticked=ticked, expected=expected_days(days, exercise.days_per_week)
    )


def _line(exercise: HomeExercise, days: tuple[date, ...], today: date) -> ExerciseLine:
    ticked = {t.done_on for t in exercise.recent_ticks}  # type: ignore[attr-defined]
    done_today = today in ticked
    in_window = sum(1 for d in days if d in ticked)
    return ExerciseLine(
        exercise=exercise,
        marks=tuple(DayMark(d, _mark(exercise, d, ticked, today)) for d in days),
        recent=_adherence(exercise, days[0], today, in_window, done_today),
        overall=_adherence(
            exercise,
            exercise.starts_on,
            today,
            exercise.ticked_total,  # type: ignore[attr-defined]
            done_today,
        ),
        stopped=is_stopped(exercise, today),
        done_today=done_today,
    )


def _exercises(episode: Episode, since: date, today: date) -> QuerySet[HomeExercise]:
    recent = ExerciseTick.objects.filter(done_on__gte=since, done_on__lte=today)
    return (
        HomeExercise.objects.filter(episode=episode)
        .select_related("assigned_by")
        .annotate(ticked_total=Count("ticks"))
        .prefetch_related(
            Prefetch(
                "ticks", queryset=recent.order_by("done_on"), to_attr="recent_ticks"
            )
        )
        .order_by("starts_on", "pk")
    )


def programme_build(
    *, episode: Episode | None, window: int, today: date | None = None
) -> Programme:
    """The programme of ``episode`` with ``window`` days of ticks up to ``today``."""
    today = today or timezone.localdate()
    days = tuple(today - timedelta(days=n) for n in range(window - 1, -1, -1))
    if episode is None:
        return Programme(None, today, days, (), ())
    lines = [_line(e, days, today) for e in _exercises(episode, days[0], today)]
    return Programme(
        episode=episode,
        today=today,
        days=days,
        active=tuple(line for line in lines if not line.stopped),
        stopped=tuple(line for line in lines if line.stopped),
    )


def _audit_list(user: User, patient: Patient, programme: Programme) -> None:
    record(
        action=AuditAction.HOME_EXERCISES_VIEWED,
        action_type=ActionType.READ,
        actor=user,
        patient_id=patient.pk,
        data_category=DataCategory.HOME_PROGRAMME,
        changes={"exercises": programme.exercise_ids},
    )


def programme_get(
    *, user: User, patient_id: int, today: date | None = None
) -> tuple[Patient, Programme]:
    """The chart tab: the child's current episode's exercises, with 14 days of
    ticks (an audited read)."""
    patient = patient_get_for_user(user=user, patient_id=patient_id)
    programme = programme_build(
        episode=episode_current(patient=patient), window=STAFF_WINDOW, today=today
    )
    _audit_list(user, patient, programme)
    return patient, programme


def family_programme(*, patient: Patient, today: date | None = None) -> Programme:
    """The portal's page: the child's current episode, with the last 7 days;
    once the episode is closed, every exercise is listed as stopped.

    ``patient`` comes from ``portal.access.child_get``, which is the portal's
    funnel; the portal records the page view.
    """
    programme = programme_build(
        episode=episode_current(patient=patient), window=FAMILY_WINDOW, today=today
    )
    if programme.episode is None or programme.episode.is_open:
        return programme
    # The programme ends with the episode: nothing is left to tick.
    every = (*programme.active, *programme.stopped)
    return replace(programme, active=(), stopped=every)


def _of_patient(patient: Patient) -> QuerySet[HomeExercise]:
    return HomeExercise.objects.filter(episode__patient=patient).select_related(
        "episode", "assigned_by"
    )


def exercise_get(*, user: User, patient_id: int, exercise_id: int) -> HomeExercise:
    """One exercise of a child ``user`` may see; anything else is the funnel's 404."""
    patient = patient_get_for_user(user=user, patient_id=patient_id)
    exercise = _of_patient(patient).filter(pk=exercise_id).first()
    if exercise is None:
        record(
            action=AuditAction.HOME_EXERCISES_VIEWED,
            action_type=ActionType.READ,
            actor=user,
            patient_id=patient.pk,
            data_category=DataCategory.HOME_PROGRAMME,
            outcome=Outcome.FAILURE,
            outcome_reason=REFUSED,
        )
        raise PatientNotFound
    return exercise


def family_exercise_get(*, patient: Patient, exercise_id: int) -> HomeExercise:
    """One exercise of one of ``patient``'s episodes; another child's is a 404."""
    exercise = _of_patient(patient).filter(pk=exercise_id).first()
    if exercise is None:
        raise PatientNotFound
    return exercise
