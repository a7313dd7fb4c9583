"""Manual changes to the timetable: move, swap or lock a session (the coordinator).

Every move and swap is checked with the solver's own rules: the day's problem is
built (``builder.build_problem``), the day's stored sessions become the format's
sessions with the change applied, and ``domain.timetable.check`` judges them. A
change is refused when a broken rule involves a changed session or is new with the
change; rules already broken elsewhere that day, and counts of unscheduled
sessions, are not the change's doing. The reason names people, rooms and children,
never format ids.

A moved or swapped session becomes the coordinator's (source MANUAL) and locked,
so later solves and repairs keep it where it was put. A session that has started
or has attendance recorded stays where it was.
"""

import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Final, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory
from painrehab.audit.services import record
from painrehab.domain import timetable as tt
from painrehab.episodes.models import Episode
from painrehab.scheduling.builder import (
    KEPT_PREFIX,
    Keys,
    build_problem,
    minutes_of,
    room_key,
    sessions_to_domain,
    staff_key,
)
from painrehab.scheduling.choices import SessionSource
from painrehab.scheduling.models import Room, Session
from painrehab.scheduling.services.attendance import session_starts_at

ONLY_COORDINATOR = _("Only the coordinator changes the timetable.")
STALE = _(
    "Someone changed this session since you opened it; here it is as it is now. "
    "Nothing was changed."
)
STARTED = _("This session has started or is over; it stays where it was.")
ATTENDED = _("Attendance has been recorded for this session; it stays where it was.")
TO_THE_PAST = _("Choose a time that has not passed yet.")
NOT_ON_GRID = _("Start on the quarter hour (:00, :15, :30 or :45).")
PAST_MIDNIGHT = _("The session would end after midnight.")
NO_STAFF = _("Choose who gives the session.")
UNKNOWN_STAFF = _("Choose people from the list.")
UNKNOWN_ROOM = _("Choose a room from the list.")
NOT_SAME_DAY = _("Only sessions of the same day swap times.")
SAME_SESSION = _("Choose another session to swap with.")
SAME_TIME = _("Both sessions start at the same time; there is nothing to swap.")
BROKEN = _("Not possible: {reasons}")

SLOT = 15
KEEP: Final = "keep"
ID = re.compile(r"\b[uer]\d+\b")


@dataclass(frozen=True)
class Placement:
    """Where and when a session is: its day, times, people and room."""

    day: dt.date
    start: dt.time
    end: dt.time
    staff: tuple[int, ...]
    room: int | None

    @classmethod
    def of(cls, row: Session) -> "Placement":
        staff = tuple(sorted(person.pk for person in row.staff.all()))
        return cls(row.day, row.start, row.end, staff, row.room_id)

    def text(self, names: Mapping[str, str]) -> str:
        people = ", ".join(names.get(staff_key(pk), "") for pk in self.staff)
        room = names.get(room_key(self.room), "") if self.room else ""
        parts = [f"{self.day:%a %d %b} {self.start:%H:%M}–{self.end:%H:%M}", people]
        return ", ".join(p for p in [*parts, room] if p)


def check_coordinator(by: User) -> None:
    if by.role != Role.COORDINATOR:
        raise PermissionDenied(ONLY_COORDINATOR)


def _locked_row(session: Session, version: int, field: str = "version") -> Session:
    row = (
        Session.objects.select_for_update()
        .prefetch_related("staff", "attendees")
        .get(pk=session.pk)
    )
    if row.version != version:
        raise ValidationError({field: STALE})
    return row


def _check_movable(row: Session, now: dt.datetime, field: str = "start") -> None:
    if session_starts_at(row) <= now:
        raise ValidationError({field: STARTED})
    if any(a.attendance for a in row.attendees.all()):
        raise ValidationError({field: ATTENDED})


def _shifted(start: dt.time, row: Session, day: dt.date) -> tuple[dt.time, dt.time]:
    """``start`` with the session's own length; refused off the grid or at midnight."""
    if start.minute % SLOT or start.second or start.microsecond:
        raise ValidationError({"start": NOT_ON_GRID})
    length = minutes_of(row.end) - minutes_of(row.start)
    end_minutes = minutes_of(start) + length
    if end_minutes >= 24 * 60:
        raise ValidationError({"start": PAST_MIDNIGHT})
    return start, dt.time(end_minutes // 60, end_minutes % 60)


def _not_past(day: dt.date, start: dt.time, now: dt.datetime) -> None:
    if timezone.make_aware(dt.datetime.combine(day, start)) <= now:
        raise ValidationError({"start": TO_THE_PAST})


# --- The rules -------------------------------------------------------------------


def _day_rows(day: dt.date, leaving: Sequence[int] = ()) -> list[Session]:
    rows: QuerySet[Session] = (
        Session.objects.filter(day=day)
        .exclude(pk__in=list(leaving))
        .select_related("room")
        .prefetch_related("staff", "attendees")
        .order_by("start", "pk")
    )
    return list(rows)


def _names(keys: Keys, sessions: Sequence[tt.Session]) -> dict[str, str]:
    """Words for the format's ids: people, rooms and children by name."""
    names = dict(keys.labels)
    people = {int(s[1:]) for session in sessions for s in session.staff}
    for user in User.objects.filter(pk__in=people):
        names[staff_key(user.pk)] = user.get_full_name() or user.get_username()
    rooms = {int(s.room[1:]) for s in sessions if s.room}
    for room in Room.objects.filter(pk__in=rooms):
        names[room_key(room.pk)] = room.name
    children = {int(p[1:]) for s in sessions for p in s.patients}
    for episode in Episode.objects.filter(pk__in=children).select_related("patient"):
        names[f"e{episode.pk}"] = episode.patient.display_name
    for activity_id, ref in keys.activities.items():
        names[activity_id] = ref.label
    return names


def in_words(message: str, names: Mapping[str, str]) -> str:
    """A validator message with every format id replaced by its name."""
    for activity_id in sorted((k for k in names if "/" in k), key=len, reverse=True):
        message = message.replace(activity_id, names[activity_id])
    return ID.sub(lambda m: names.get(m.group(0), m.group(0)), message)


def broken_rules(
    *,
    day: dt.date,
    changed: Mapping[int, Placement],
    moved_in: Sequence[Session] = (),
) -> list[str]:
    """What the solver's rules say against ``changed`` (session pk → placement)
    on ``day``, in words; empty when the change is allowed.

    ``moved_in`` are sessions coming to ``day`` from another day.
    """
    built = build_problem(first_day=day, last_day=day)
    problem = built.problem
    rows = _day_rows(day, leaving=[r.pk for r in moved_in])
    everyone = [*rows, *moved_in]
    current = _as_problem_has_them(problem, everyone)
    before = current[: len(rows)]
    after = list(current)
    touched = set()
    for index, row in enumerate(everyone):
        if row.pk in changed:
            after[index] = _placed(after[index], changed[row.pk])
            touched.add(index)
    found = _new_violations(problem, before, tuple(after), touched)
    names = _names(built.keys, after)
    return list(dict.fromkeys(in_words(v.message, names) for v in found))


def _as_problem_has_them(
    problem: tt.Problem, rows: Sequence[Session]
) -> tuple[tt.Session, ...]:
    """The rows as the format's sessions, under the ids the problem knows them by
    (a kept session whose group changed is ``kept/<pk>``)."""
    renamed = {s.activity for s in problem.fixed if s.activity.startswith(KEPT_PREFIX)}
    sessions = []
    for row, session in zip(rows, sessions_to_domain(rows), strict=True):
        kept = f"{KEPT_PREFIX}{row.pk}"
        sessions.append(replace(session, activity=kept) if kept in renamed else session)
    return tuple(sessions)


def _placed(session: tt.Session, where: Placement) -> tt.Session:
    return replace(
        session,
        day=where.day.isoformat(),
        start=minutes_of(where.start),
        end=minutes_of(where.end),
        staff=tuple(staff_key(pk) for pk in where.staff),
        room=room_key(where.room) if where.room is not None else None,
    )


# Not the change's doing: what is left unplaced, and a kept session that moved
# (the coordinator moves it on purpose).
IGNORED = frozenset({tt.Rule.UNSCHEDULED, tt.Rule.FIXED_MISSING})


def _report(
    problem: tt.Problem, sessions: tuple[tt.Session, ...]
) -> list[tt.Violation]:
    """Broken rules of ``sessions``; one-offs (activities the problem does not
    ask for: a stopped prescription, a session added by hand) are checked as the
    solver treats them, as fixed sessions."""
    one_offs = tuple(s for s in sessions if s.activity not in problem.activity_by_id)
    checked = replace(problem, fixed=(*problem.fixed, *one_offs))
    solution = tt.Solution(status=tt.Status.FEASIBLE, sessions=sessions)
    violations = tt.check(checked, solution).violations
    return [v for v in violations if v.rule not in IGNORED]


def _new_violations(
    problem: tt.Problem,
    before: tuple[tt.Session, ...],
    after: tuple[tt.Session, ...],
    touched: set[int],
) -> list[tt.Violation]:
    """Violations of ``after`` that involve a changed session or were not there
    before the change."""
    earlier = Counter(v.message for v in _report(problem, before))
    found = []
    for violation in _report(problem, after):
        if violation.session in touched or earlier[violation.message] == 0:
            found.append(violation)
        else:
            earlier[violation.message] -= 1
    return found


def _refuse_if_broken(reasons: list[str], field: str = "start") -> None:
    if reasons:
        raise ValidationError({field: BROKEN.format(reasons="; ".join(reasons))})


# --- Audit ---------------------------------------------------------------------


def audit_session(
    by: User,
    row: Session,
    changes: dict[str, object],
    *,
    old: Placement | None = None,
    new: Placement | None = None,
) -> None:
    """One event per change of a session, with where it was and where it went in
    words; the child when there is one, else the children's ids."""
    episodes = sorted({a.episode_id for a in row.attendees.all()})
    patients = sorted(
        Episode.objects.filter(pk__in=episodes).values_list("patient_id", flat=True)
    )
    shown = [p for p in (old, new) if p is not None]
    names = _placement_names(shown)
    for key, placement in (("old", old), ("new", new)):
        if placement is not None:
            changes[key] = placement.text(names)
    record(
        action=AuditAction.SCHEDULE_SESSION_CHANGED,
        action_type=ActionType.UPDATE,
        actor=by,
        patient_id=patients[0] if len(patients) == 1 else None,
        data_category=DataCategory.SCHEDULE,
        obj=row,
        changes={**changes, "patients": patients},
    )


def _store(row: Session, where: Placement) -> None:
    row.day, row.start, row.end, row.room_id = (
        where.day,
        where.start,
        where.end,
        where.room,
    )
    row.locked, row.source = True, SessionSource.MANUAL
    row.version += 1
    row.save(
        update_fields=["day", "start", "end", "room", "locked", "source", "version"]
    )
    row.staff.set(where.staff)


def _placement_names(placements: Sequence[Placement]) -> dict[str, str]:
    people = {pk for p in placements for pk in p.staff}
    names = {
        staff_key(u.pk): u.get_full_name() or u.get_username()
        for u in User.objects.filter(pk__in=people)
    }
    rooms = {p.room for p in placements if p.room}
    names.update({room_key(r.pk): r.name for r in Room.objects.filter(pk__in=rooms)})
    return names


# --- Move, swap, lock ---------------------------------------------------------------


def _target(
    row: Session,
    *,
    day: dt.date | None,
    start: dt.time,
    staff_ids: Sequence[int] | None,
    room_id: int | Literal["keep"] | None,
) -> Placement:
    day = day or row.day
    begin, end = _shifted(start, row, day)
    staff = (
        tuple(sorted(set(staff_ids)))
        if staff_ids is not None
        else Placement.of(row).staff
    )
    if not staff:
        raise ValidationError({"staff": NO_STAFF})
    if User.objects.filter(pk__in=staff, is_active=True).count() != len(staff):
        raise ValidationError({"staff": UNKNOWN_STAFF})
    room = row.room_id if isinstance(room_id, str) else room_id
    if room is not None and not Room.objects.filter(pk=room).exists():
        raise ValidationError({"room": UNKNOWN_ROOM})
    return Placement(day, begin, end, staff, room)


def session_move(
    *,
    session: Session,
    by: User,
    version: int,
    start: dt.time,
    day: dt.date | None = None,
    staff_ids: Sequence[int] | None = None,
    room_id: int | Literal["keep"] | None = KEEP,
) -> Session:
    """Move a session to ``start`` (on ``day``; with other people or another room;
    ``None`` staff or ``KEEP`` room leave them as they are).

    Refused, with nothing changed: not the coordinator, a stale version, a session
    that has started or has attendance, a time in the past, and any broken rule
    of the solver's (the reason in words).
    """
    check_coordinator(by)
    now = timezone.now()
    with transaction.atomic():
        row = _locked_row(session, version)
        _check_movable(row, now)
        target = _target(
            row, day=day, start=start, staff_ids=staff_ids, room_id=room_id
        )
        _not_past(target.day, target.start, now)
        old = Placement.of(row)
        moved_in = [row] if target.day != row.day else []
        reasons = broken_rules(
            day=target.day, changed={row.pk: target}, moved_in=moved_in
        )
        _refuse_if_broken(reasons)
        _store(row, target)
        audit_session(by, row, {"kind": "moved"}, old=old, new=target)
    return row


def session_swap(
    *, first: Session, second: Session, by: User, versions: tuple[int, int]
) -> tuple[Session, Session]:
    """Exchange the start times of two sessions of the same day (each keeps its
    length, people and room); both become the coordinator's and locked."""
    check_coordinator(by)
    now = timezone.now()
    if first.pk == second.pk:
        raise ValidationError({"other": SAME_SESSION})
    with transaction.atomic():
        one = _locked_row(first, versions[0])
        two = _locked_row(second, versions[1], field="other")
        if one.day != two.day:
            raise ValidationError({"other": NOT_SAME_DAY})
        if one.start == two.start:
            raise ValidationError({"other": SAME_TIME})
        _check_movable(one, now, field="other")
        _check_movable(two, now, field="other")
        old = (Placement.of(one), Placement.of(two))
        new = (
            replace(old[0], start=two.start, end=_shifted(two.start, one, one.day)[1]),
            replace(old[1], start=one.start, end=_shifted(one.start, two, two.day)[1]),
        )
        reasons = broken_rules(day=one.day, changed={one.pk: new[0], two.pk: new[1]})
        _refuse_if_broken(reasons, field="other")
        pairs = ((one, old[0], new[0], two), (two, old[1], new[1], one))
        for row, before, after, other in pairs:
            _store(row, after)
            changes = {"kind": "swapped", "with": other.pk}
            audit_session(by, row, changes, old=before, new=after)
    return one, two


def session_lock(*, session: Session, by: User, version: int, locked: bool) -> Session:
    """Lock a session where it is (later solves keep it) or unlock it."""
    check_coordinator(by)
    with transaction.atomic():
        row = _locked_row(session, version)
        if row.locked == locked:
            return row
        row.locked = locked
        row.version += 1
        row.save(update_fields=["locked", "version"])
        audit_session(by, row, {"kind": "locked" if locked else "unlocked"})
    return row
