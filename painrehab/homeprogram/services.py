"""Writes: assign, change and stop a home exercise; record or take back a tick.

Exercises are assigned, changed and stopped by a physical or occupational
therapist on the child's care team (the access funnel: ``PatientNotFound``, a 404,
for anyone else's patient; ``PermissionDenied`` for other roles). The exercise's
discipline follows the assigner's role and never changes; any PT or OT on the team
may change or stop any of the child's exercises, since they share the programme.

Ticks are recorded by the family: the child's guardian or the teen's own account.
One tick per exercise per day: a repeat is the same tick (the same row, no new
audit event), so a double click is harmless. A tick is refused for a day that has
not come, a day before the exercise starts, or a stopped exercise (or one of a
closed episode: the programme ends with the episode). ``stopped_on``
is the first day the exercise is no longer part of the programme; once that day
has come the exercise is stopped and takes no more ticks. A tick can be taken back
on the day it is for (a mis-tap), not later: earlier days are the record.

Every write is atomic and audited; bad input raises ``ValidationError`` keyed by
field, with the message constants below, and writes nothing.
"""

import math
import uuid
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.choices import FAMILY_ROLES, Role
from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory
from painrehab.audit.services import record
from painrehab.episodes.models import Episode
from painrehab.episodes.selectors import episode_current
from painrehab.homeprogram.models import ExerciseDiscipline, ExerciseTick, HomeExercise
from painrehab.patients.access import PatientNotFound, patient_get_for_user
from painrehab.patients.models import Patient

THERAPIST_DISCIPLINE: dict[str, ExerciseDiscipline] = {
    Role.PHYSICAL_THERAPIST: ExerciseDiscipline.PHYSICAL_THERAPY,
    Role.OCCUPATIONAL_THERAPIST: ExerciseDiscipline.OCCUPATIONAL_THERAPY,
}
THERAPISTS: frozenset[str] = frozenset(THERAPIST_DISCIPLINE)
TIMES_PER_DAY = (1, 6)
DAYS_PER_WEEK = (1, 7)

THERAPISTS_ONLY = (
    "Only a physical or occupational therapist on the child's care team may "
    "assign, change or stop home exercises."
)
NO_OPEN_EPISODE = (
    "This child has no open episode, so there is no home programme to add to."
)
FORM_REUSED = "This form was already used for another exercise; reload the page."
STALE = (
    "Not saved: someone else changed this exercise since you opened it. What is "
    "saved now is shown; check it, then save again if your version is still right."
)
ALREADY_STOPPED = "This exercise is stopped; assign a new one instead."
REQUIRED = "This is needed."
TIMES_RANGE = "Between 1 and 6 times a day."
DAYS_RANGE = "Between 1 and 7 days a week."
BEFORE_EPISODE = "An exercise cannot start before the episode opened ({opened})."
START_AFTER_TICK = (
    "The family already ticked this exercise on {day}; it cannot start after that."
)
STOP_BEFORE_START = "An exercise cannot stop before it starts ({starts})."
STOP_ON_TICK = (
    "The family ticked this exercise on {day}; stop it from the day after at the "
    "earliest."
)
FAMILY_ONLY = "Only the child's family, or the child, may tick a home exercise."

# Family-facing refusals (shown on the portal), so translated.
TICK_FUTURE = _("That day has not come yet, so it cannot be ticked.")
TICK_BEFORE_START = _(
    "This exercise starts on %(day)s, so days before that cannot be ticked."
)
TICK_STOPPED = _("The team has stopped this exercise, so it cannot be ticked.")
UNTICK_NOT_TODAY = _("Only today's tick can be taken back.")


@dataclass(frozen=True)
class ExerciseFields:
    """What a therapist writes about one exercise (the editable fields)."""

    title: str
    instructions: str
    repetitions: str
    times_per_day: int
    days_per_week: int
    starts_on: date

    @classmethod
    def of(cls, exercise: HomeExercise) -> "ExerciseFields":
        return cls(
            title=exercise.title,
            instructions=exercise.instructions,
            repetitions=exercise.repetitions,
            times_per_day=exercise.times_per_day,
            days_per_week=exercise.days_per_week,
            starts_on=exercise.starts_on,
        )

    def stripped(self) -> "ExerciseFields":
        return ExerciseFields(
            title=self.title.strip(),
            instructions=self.instructions.strip(),
            repetitions=self.repetitions.strip(),
            times_per_day=self.times_per_day,
            days_per_week=self.days_per_week,
            starts_on=self.starts_on,
        )

    def as_stored(self) -> dict[str, Any]:
        values = asdict(self)
        values["starts_on"] = self.starts_on.isoformat()
        return values


def expected_days(active_days: int, days_per_week: int) -> int:
    """Days the family is asked to do it in ``active_days`` days, rounded up."""
    return math.ceil(active_days * days_per_week / 7)


def is_stopped(exercise: HomeExercise, today: date | None = None) -> bool:
    """Whether the exercise has stopped by ``today`` (its stop day has come)."""
    day = today or timezone.localdate()
    return exercise.stopped_on is not None and exercise.stopped_on <= day


def _raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _check_therapist(by: User, patient_id: int) -> Patient:
    if by.role not in THERAPISTS:
        raise PermissionDenied(THERAPISTS_ONLY)
    return patient_get_for_user(user=by, patient_id=patient_id)


def _field_errors(fields: ExerciseFields, episode: Episode) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name in ("title", "instructions", "repetitions"):
        if not getattr(fields, name):
            errors[name] = [REQUIRED]
    if not TIMES_PER_DAY[0] <= fields.times_per_day <= TIMES_PER_DAY[1]:
        errors["times_per_day"] = [TIMES_RANGE]
    if not DAYS_PER_WEEK[0] <= fields.days_per_week <= DAYS_PER_WEEK[1]:
        errors["days_per_week"] = [DAYS_RANGE]
    if fields.starts_on < episode.opened_on:
        errors["starts_on"] = [BEFORE_EPISODE.format(opened=episode.opened_on)]
    return errors


def _audit_saved(exercise: HomeExercise, by: User, kind: ActionType, diff: Any) -> None:
    record(
        action=AuditAction.HOME_EXERCISE_SAVED,
        action_type=kind,
        actor=by,
        patient_id=exercise.episode.patient_id,
        data_category=DataCategory.HOME_PROGRAMME,
        obj=exercise,
        changes={
            "exercise": exercise.pk,
            "discipline": exercise.discipline,
            "version": exercise.version,
            "fields": diff,
        },
    )


def _open_episode(patient: Patient) -> Episode:
    episode = episode_current(patient=patient)
    if episode is None or not episode.is_open:
        raise ValidationError(NO_OPEN_EPISODE)
    return episode


def _same_assignment(existing: HomeExercise, patient: Patient) -> HomeExercise:
    if existing.episode.patient_id != patient.pk:
        raise ValidationError({"form_token": FORM_REUSED})
    return existing


def _inserted(row: HomeExercise) -> bool:
    """Save a new row; ``False`` when its ``form_token`` is already taken."""
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:  # a concurrent double click won the race for the token
        return False
    return True


@transaction.atomic
def exercise_assign(
    *,
    patient: Patient,
    by: User,
    fields: ExerciseFields,
    form_token: uuid.UUID,
) -> HomeExercise:
    """Add an exercise to the child's current (open) episode.

    The same ``form_token`` again returns the first click's exercise.
    """
    patient = _check_therapist(by, patient.pk)
    existing = (
        HomeExercise.objects.select_related("episode")
        .filter(form_token=form_token)
        .first()
    )
    if existing is not None:
        return _same_assignment(existing, patient)
    episode = _open_episode(patient)
    fields = fields.stripped()
    _raise_if(_field_errors(fields, episode))
    row = HomeExercise(
        episode=episode,
        discipline=THERAPIST_DISCIPLINE[by.role],
        assigned_by=by,
        form_token=form_token,
        **asdict(fields),
    )
    row.full_clean(validate_unique=False)
    if not _inserted(row):
        raced = HomeExercise.objects.select_related("episode").get(
            form_token=form_token
        )
        return _same_assignment(raced, patient)
    _audit_saved(row, by, ActionType.CREATE, _diff({}, fields.as_stored()))
    return row


def _diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    return {
        name: {"old": before.get(name), "new": value}
        for name, value in after.items()
        if before.get(name) != value
    }


def _locked(exercise: HomeExercise) -> HomeExercise:
    return (
        HomeExercise.objects.select_for_update(of=("self",))
        .select_related("episode")
        .get(pk=exercise.pk)
    )


def _check_writable(locked: HomeExercise, by: User, version: int) -> None:
    _check_therapist(by, locked.episode.patient_id)
    if locked.version != version:
        raise ValidationError({"version": STALE})
    if locked.stopped_on is not None:
        raise ValidationError(ALREADY_STOPPED)


def _first_tick(exercise: HomeExercise) -> date | None:
    return (
        ExerciseTick.objects.filter(exercise=exercise)
        .order_by("done_on")
        .values_list("done_on", flat=True)
        .first()
    )


def last_tick(exercise: HomeExercise) -> date | None:
    """The latest day the family ticked ``exercise``, if any."""
    return (
        ExerciseTick.objects.filter(exercise=exercise)
        .order_by("-done_on")
        .values_list("done_on", flat=True)
        .first()
    )


@transaction.atomic
def exercise_change(
    *,
    exercise: HomeExercise,
    by: User,
    version: int,
    fields: ExerciseFields,
) -> HomeExercise:
    """Change an exercise seen at ``version`` to ``fields`` (the whole new state).

    A stale ``version`` is refused (``ValidationError`` on ``version``), as is a
    stopped exercise. Nothing changed: the row comes back as it was.
    """
    locked = _locked(exercise)
    _check_writable(locked, by, version)
    fields = fields.stripped()
    errors = _field_errors(fields, locked.episode)
    first = _first_tick(locked)
    if first is not None and fields.starts_on > first:
        errors.setdefault("starts_on", []).append(START_AFTER_TICK.format(day=first))
    _raise_if(errors)
    diff = _diff(ExerciseFields.of(locked).as_stored(), fields.as_stored())
    if not diff:
        return locked
    for name, value in asdict(fields).items():
        setattr(locked, name, value)
    locked.version += 1
    locked.full_clean(validate_unique=False)
    locked.save(update_fields=[*diff, "version", "updated_at"])
    _audit_saved(locked, by, ActionType.UPDATE, diff)
    return locked


def _stop_errors(locked: HomeExercise, stop: date) -> dict[str, list[str]]:
    if stop < locked.starts_on:
        return {"stopped_on": [STOP_BEFORE_START.format(starts=locked.starts_on)]}
    last = last_tick(locked)
    if last is not None and stop <= last:
        return {"stopped_on": [STOP_ON_TICK.format(day=last)]}
    return {}


def stop_default(exercise: HomeExercise, today: date | None = None) -> date:
    """The earliest stop day that keeps every tick: today, or after the last tick."""
    day = max(today or timezone.localdate(), exercise.starts_on)
    last = last_tick(exercise)
    return max(day, last + timedelta(days=1)) if last is not None else day


@transaction.atomic
def exercise_stop(
    *,
    exercise: HomeExercise,
    by: User,
    version: int,
    stopped_on: date | None = None,
) -> HomeExercise:
    """Stop an exercise from ``stopped_on`` (by default ``stop_default``).

    The exercise is kept, with its ticks; from that day the family no longer sees
    it and cannot tick it.
    """
    locked = _locked(exercise)
    _check_writable(locked, by, version)
    stop = stopped_on or stop_default(locked)
    _raise_if(_stop_errors(locked, stop))
    locked.stopped_on = stop
    locked.version += 1
    locked.full_clean(validate_unique=False)
    locked.save(update_fields=["stopped_on", "version", "updated_at"])
    record(
        action=AuditAction.HOME_EXERCISE_STOPPED,
        action_type=ActionType.UPDATE,
        actor=by,
        patient_id=locked.episode.patient_id,
        data_category=DataCategory.HOME_PROGRAMME,
        obj=locked,
        changes={"exercise": locked.pk, "stopped_on": stop.isoformat()},
    )
    return locked


def _check_family(by: User, exercise: HomeExercise) -> None:
    if by.role not in FAMILY_ROLES:
        raise PermissionDenied(FAMILY_ONLY)
    visible = Patient.objects.visible_to(by).filter(pk=exercise.episode.patient_id)
    if not visible.exists():
        raise PatientNotFound


def _tick_errors(exercise: HomeExercise, day: date, today: date) -> list[str]:
    # A day on or after a stop still to come is in the future, so refused too;
    # the programme ends with the episode.
    if is_stopped(exercise, today) or not exercise.episode.is_open:
        return [str(TICK_STOPPED)]
    if day > today:
        return [str(TICK_FUTURE)]
    if day < exercise.starts_on:
        return [str(TICK_BEFORE_START % {"day": date_format(exercise.starts_on)})]
    return []


def _audit_tick(tick: ExerciseTick, by: User, kind: ActionType, done: bool) -> None:
    record(
        action=AuditAction.HOME_EXERCISE_TICKED,
        action_type=kind,
        actor=by,
        patient_id=tick.exercise.episode.patient_id,
        data_category=DataCategory.HOME_PROGRAMME,
        obj=tick.exercise,
        changes={
            "exercise": tick.exercise_id,
            "done_on": tick.done_on.isoformat(),
            "done": done,
        },
        purpose_of_use="PATRQT" if by.role == Role.PATIENT else "FAMRQT",
    )


def _tick_insert(exercise: HomeExercise, day: date, by: User, at: datetime) -> bool:
    try:
        with transaction.atomic():
            ExerciseTick.objects.create(
                exercise=exercise, done_on=day, recorded_by=by, recorded_at=at
            )
    except IntegrityError:  # the same day is already ticked (a concurrent click)
        return False
    return True


@transaction.atomic
def tick_record(
    *,
    exercise: HomeExercise,
    by: User,
    done_on: date,
    recorded_at: datetime | None = None,
) -> ExerciseTick:
    """The family did ``exercise`` on ``done_on``: one tick, whoever clicks twice.

    ``recorded_at`` back-dates the record (the demo generator); pages never pass it.
    """
    locked = _locked(exercise)
    _check_family(by, locked)
    existing = ExerciseTick.objects.filter(exercise=locked, done_on=done_on).first()
    if existing is not None:
        return existing
    errors = _tick_errors(locked, done_on, timezone.localdate())
    if errors:
        raise ValidationError({"done_on": errors})
    if _tick_insert(locked, done_on, by, recorded_at or timezone.now()):
        tick = ExerciseTick.objects.select_related("exercise__episode").get(
            exercise=locked, done_on=done_on
        )
        _audit_tick(tick, by, ActionType.CREATE, done=True)
        return tick
    return ExerciseTick.objects.get(exercise=locked, done_on=done_on)


@transaction.atomic
def tick_remove(*, exercise: HomeExercise, by: User, done_on: date) -> bool:
    """Take back today's tick (a mis-tap); ``False`` when there was none.

    Only the tick for today can be taken back; earlier days are the record the
    therapists read.
    """
    locked = _locked(exercise)
    _check_family(by, locked)
    if done_on != timezone.localdate():
        raise ValidationError({"done_on": [str(UNTICK_NOT_TODAY)]})
    tick = (
        ExerciseTick.objects.select_related("exercise__episode")
        .filter(exercise=locked, done_on=done_on)
        .first()
    )
    if tick is None:
        return False
    _audit_tick(tick, by, ActionType.DELETE, done=False)
    tick.delete()
    return True
