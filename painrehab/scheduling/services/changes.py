"""Manual changes to the timetable: move, swap or lock a session (the coordinator).

Every move and swap is checked with the solver's own rules (``change_check``:
the day with the change applied, judged by ``domain.timetable.check``); a broken
rule refuses it with the reason in words.

A moved or swapped session becomes the coordinator's (source MANUAL) and locked,
so later solves and repairs keep it where it was put. A session that has started
or has attendance recorded stays where it was.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import Final, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory
from painrehab.audit.services import record
from painrehab.episodes.models import Episode
from painrehab.scheduling.builder import minutes_of, room_key, staff_key
from painrehab.scheduling.choices import SessionSource
from painrehab.scheduling.models import Room, Session
from painrehab.scheduling.services.attendance import session_starts_at
from painrehab.scheduling.services.change_check import (
    Placement,
    broken_rules,
    refuse_if_broken,
)

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

SLOT = 15
KEEP: Final = "keep"


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
        refuse_if_broken(reasons)
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
        refuse_if_broken(reasons, field="other")
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
