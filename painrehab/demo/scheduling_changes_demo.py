"""Attendance and absences for the demo, after this week's timetable is built.

Run after ``scheduling_populate``, through the scheduling services as the team
would:

- ``attendance_populate``: every session that has begun gets each child's
  attendance from the person who gave it (the coordinator when nobody did):
  mostly attended, now and then partly attended, missed or refused, each with a
  reason, so the team conference's agenda card has something to say;
- ``absence_populate``: a therapist off sick on the next day with sessions, whose
  repair is worked out and left for the coordinator to accept or discard; and
  where the week has another day ahead, a colleague away for an afternoon's
  training, whose repair was accepted. With no session ahead this week (a
  Friday), someone's planned leave on the next weekday.

Choices are drawn from ``rng``, so a seed gives the same week every time.
"""

import random
import uuid
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.scheduling.choices import AbsenceReason, AttendanceStatus, RunStatus
from painrehab.scheduling.models import Session, SessionPatient, SolveRun
from painrehab.scheduling.services.absences import (
    absence_record,
    repair_accept,
    repair_request,
)
from painrehab.scheduling.services.attendance import attendance_record
from painrehab.scheduling.services.runs import run_execute

A = AttendanceStatus
# status, chance, reasons
OUTCOMES = (
    (A.PARTIAL, 0.06, ("Left early: pain flare", "Arrived late from school")),
    (A.MISSED, 0.05, ("Sick in bed", "Clinic visit ran over", "Family meeting")),
    (A.REFUSED, 0.04, ("Too tired", "Did not want to go", "Upset after a call")),
)
TRAINING = (time(13, 30), time(16, 30))
WEEKEND = 5  # Saturday


def _coordinator() -> User:
    found = User.objects.filter(role=Role.COORDINATOR, is_active=True).order_by("pk")
    coordinator = found.first()
    if coordinator is None:
        raise LookupError("The demo needs a coordinator to record attendance.")
    return coordinator


def _now(today: date) -> datetime:
    """Now, or the end of ``today`` when the demo is built as of another day."""
    if today == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(today, time(23, 59)))


def _outcome(rng: random.Random) -> tuple[str, str]:
    roll = rng.random()
    for status, chance, reasons in OUTCOMES:
        if roll < chance:
            return status, rng.choice(reasons)
        roll -= chance
    return A.ATTENDED, ""


def attendance_populate(*, rng: random.Random, today: date) -> None:
    """Each child's attendance of every session begun by now (module docstring)."""
    coordinator = _coordinator()
    now = timezone.localtime(_now(today))
    begun = Q(session__day__lt=now.date()) | Q(
        session__day=now.date(), session__start__lte=now.time()
    )
    rows = (
        SessionPatient.objects.filter(begun, attendance="")
        .select_related("session")
        .prefetch_related("session__staff")
        .order_by("session__day", "session__start", "pk")
    )
    for row in rows:
        staff = list(row.session.staff.all())
        status, reason = _outcome(rng)
        attendance_record(
            attendee=row,
            by=staff[0] if staff else coordinator,
            status=status,
            reason=reason,
            version=row.version,
            now=now,
        )


def _days_ahead(today: date) -> list[date]:
    """Days after ``today`` with sessions (absences are recorded for days ahead)."""
    first = max(today, timezone.localdate() - timedelta(days=1))
    days = Session.objects.filter(day__gt=first).values_list("day", flat=True)
    return sorted(set(days))


def _busy(
    day: date,
    rng: random.Random,
    *,
    exclude: set[int],
    within: tuple[time, time] | None = None,
) -> User | None:
    """A therapist with individual sessions that day (``within`` those hours),
    drawn from ``rng``."""
    sessions = Session.objects.filter(day=day, mode="individual")
    if within is not None:
        sessions = sessions.filter(start__lt=within[1], end__gt=within[0])
    people = (
        User.objects.filter(scheduled_sessions__in=sessions)
        .exclude(pk__in=exclude)
        .distinct()
        .order_by("pk")
    )
    found = list(people)
    return rng.choice(found) if found else None


def _absent(
    person: User,
    day: date,
    rng: random.Random,
    *,
    reason: str,
    note: str,
    times: tuple[time, time] | None = None,
) -> SolveRun | None:
    """Record the absence and work out its repair at once (the worker's function)."""
    coordinator = _coordinator()
    start, end = times or (None, None)
    absence = absence_record(
        staff=person,
        day=day,
        start=start,
        end=end,
        reason=reason,
        note=note,
        by=coordinator,
        form_token=uuid.UUID(int=rng.getrandbits(128)),
    )
    run = repair_request(absence=absence, by=coordinator)
    if run is None:
        return None
    run_execute(run.pk)
    run.refresh_from_db()
    return run


def _planned_leave(rng: random.Random, today: date) -> None:
    """With no sessions ahead this week: someone's planned leave next weekday."""
    people = list(
        User.objects.filter(is_active=True, shifts__isnull=False)
        .distinct()
        .order_by("pk")
    )
    if not people:
        return
    day = max(today, timezone.localdate()) + timedelta(days=1)
    while day.weekday() >= WEEKEND:
        day += timedelta(days=1)
    absence_record(
        staff=rng.choice(people),
        day=day,
        reason=AbsenceReason.LEAVE,
        note="Planned leave",
        by=_coordinator(),
        form_token=uuid.UUID(int=rng.getrandbits(128)),
    )


def absence_populate(*, rng: random.Random, today: date) -> None:
    """A repair waiting for the coordinator, and one accepted (module docstring)."""
    days = _days_ahead(today)
    if not days:
        _planned_leave(rng, today)
        return
    sick = _busy(days[0], rng, exclude=set())
    if sick is None:
        return
    _absent(sick, days[0], rng, reason=AbsenceReason.SICK, note="Called in sick")
    if len(days) < 2:
        return
    away = _busy(days[-1], rng, exclude={sick.pk}, within=TRAINING)
    if away is None:
        return
    run = _absent(
        away,
        days[-1],
        rng,
        reason=AbsenceReason.TRAINING,
        note="Pain science course",
        times=TRAINING,
    )
    if run is not None and run.status == RunStatus.PROPOSED:
        repair_accept(run=run, by=_coordinator())
