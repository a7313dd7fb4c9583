"""Stored sessions in and out of the problem.

A stored session is kept as it is (the problem's ``fixed``) when it is locked,
began before now, or has attendance recorded; the others may be replaced by a
solve (or, in a repair, are its ``previous``). ``range_fingerprint`` tells whether
anything stored in the range changed since a problem was built.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime

from django.utils.translation import gettext as _

from painrehab.domain import timetable as tt
from painrehab.scheduling.builder.context import Build, Source
from painrehab.scheduling.builder.keys import (
    ActivityRef,
    Keys,
    minutes_of,
    patient_key,
    room_key,
    staff_key,
    time_of,
)
from painrehab.scheduling.builder.unit import person_add
from painrehab.scheduling.choices import SessionSource
from painrehab.scheduling.models import Session, SessionPatient, SolveRun

KEPT_PREFIX = "kept/"


def stored_sessions(first_day: date, last_day: date) -> list[Session]:
    return list(
        Session.objects.filter(day__range=(first_day, last_day))
        .select_related("room")
        .prefetch_related("staff", "attendees")
        .order_by("day", "start", "pk")
    )


def is_fixed(row: Session, now: datetime) -> bool:
    """Locked, begun before ``now`` (local, naive) or attendance recorded."""
    if row.locked or datetime.combine(row.day, row.start) < now:
        return True
    return any(a.attendance for a in row.attendees.all())


def range_fingerprint(first_day: date, last_day: date) -> str:
    """A digest of the ids and versions of the range's sessions and attendances:
    it changes when anything stored there is added, moved, removed or recorded."""
    sessions = Session.objects.filter(day__range=(first_day, last_day))
    marks = [f"s{pk}:{v}" for pk, v in sessions.values_list("pk", "version")]
    attendees = SessionPatient.objects.filter(session__in=sessions)
    marks += [f"a{pk}:{v}" for pk, v in attendees.values_list("pk", "version")]
    return hashlib.sha256(";".join(sorted(marks)).encode()).hexdigest()


def sessions_to_domain(rows: Iterable[Session]) -> tuple[tt.Session, ...]:
    """Stored sessions (``staff`` and ``attendees`` prefetched) as the format's;
    people and children in id order, as the builder lists a group's children."""
    return tuple(
        tt.Session(
            day=row.day.isoformat(),
            start=minutes_of(row.start),
            end=minutes_of(row.end),
            activity=row.activity,
            staff=tuple(staff_key(pk) for pk in sorted(u.pk for u in row.staff.all())),
            room=room_key(row.room_id) if row.room_id is not None else None,
            patients=tuple(
                patient_key(pk)
                for pk in sorted(a.episode_id for a in row.attendees.all())
            ),
        )
        for row in rows
    )


def sessions_from_domain(
    sessions: Iterable[tt.Session],
    *,
    keys: Keys,
    run: SolveRun | None,
    source: SessionSource,
) -> list[Session]:
    """Store solved sessions, with their staff and children. Sessions of
    activities the keys do not know (one-offs kept as they are) are skipped:
    they are stored already."""
    placed = [
        s
        for s in sessions
        if s.activity in keys.activities and not s.activity.startswith(KEPT_PREFIX)
    ]
    rows = Session.objects.bulk_create(
        [_row(session, keys, run, source) for session in placed]
    )
    through = Session.staff.through
    through.objects.bulk_create(
        [
            through(session_id=row.pk, user_id=keys.staff[person])
            for row, session in zip(rows, placed, strict=True)
            for person in session.staff
        ]
    )
    SessionPatient.objects.bulk_create(
        [
            SessionPatient(session=row, episode_id=keys.patients[child])
            for row, session in zip(rows, placed, strict=True)
            for child in session.patients
        ]
    )
    return rows


def _row(
    session: tt.Session, keys: Keys, run: SolveRun | None, source: SessionSource
) -> Session:
    ref = keys.activities[session.activity]
    return Session(
        day=date.fromisoformat(session.day),
        start=time_of(session.start),
        end=time_of(session.end),
        activity=session.activity,
        discipline=ref.discipline,
        label=ref.label[:80],
        mode=ref.mode,
        prescription_id=ref.prescription_id,
        group_id=ref.group_id,
        room_id=keys.rooms[session.room] if session.room is not None else None,
        source=source,
        run=run,
    )


# --- Kept sessions in the problem ---------------------------------------------------


def source_of(row: Session) -> Source | None:
    if row.prescription_id is not None:
        return ("p", row.prescription_id)
    if row.group_id is not None:
        return ("g", row.group_id)
    return None


def taken_add(build: Build, fixed_rows: list[Session]) -> None:
    """The days on which a kept session already gives a prescription or group."""
    for row in fixed_rows:
        source = source_of(row)
        if source is not None:
            build.taken.setdefault(source, set()).add(row.day)


def references_add(build: Build, rows: list[Session]) -> None:
    """People, rooms and children of kept sessions that the problem lacks (off
    the rota, a room out of use, a child discharged since): listed, so the
    sessions stay valid, but with no availability, no other use, nothing asked."""
    for row in rows:
        for person in row.staff.all():
            if staff_key(person.pk) not in build.staff:
                person_add(build, person)
        if row.room is not None and room_key(row.room.pk) not in build.rooms:
            key = room_key(row.room.pk)
            build.rooms[key] = tt.Room(key, (key,), row.room.capacity)
            build.labels[key] = row.room.name
        for attendee in row.attendees.all():
            key = patient_key(attendee.episode_id)
            if key not in build.patients:
                build.patients[key] = tt.Patient(key)


def reconcile(build: Build, rows: list[Session]) -> tuple[tt.Session, ...]:
    """The kept sessions as the problem's ``fixed``.

    One that matches an activity (same id and children) counts as one of its
    sessions that day. Any other is a one-off to the solver (a stopped
    prescription, a session added by hand); one whose id is now a group's with
    other children is renamed ``kept/<pk>``. Either way the activities of the
    same prescription or group no longer ask for that day: it was given.
    """
    fixed = []
    for row, session in zip(rows, sessions_to_domain(rows), strict=True):
        activity = build.activities.get(session.activity)
        if activity is not None and activity.patients == session.patients:
            build.with_days(activity.id, {*(activity.days or ()), session.day})
            fixed.append(session)
            continue
        _drop_day(build, source_of(row), session.day)
        if activity is not None:
            session = replace(session, activity=f"{KEPT_PREFIX}{row.pk}")
        fixed.append(session)
    return tuple(fixed)


def _drop_day(build: Build, source: Source | None, day: str) -> None:
    """The prescription or group met already that day: its activity asks no more."""
    if source is None:
        return
    for activity_id, ref in list(build.refs.items()):
        if _ref_source(ref) == source:
            days = set(build.activities[activity_id].days or ())
            build.with_days(activity_id, days - {day})


def _ref_source(ref: ActivityRef) -> Source | None:
    if ref.prescription_id is not None:
        return ("p", ref.prescription_id)
    if ref.group_id is not None:
        return ("g", ref.group_id)
    return None


def locked_notes(build: Build, rows: list[Session]) -> None:
    """Name the locked sessions ahead whose people are away or off shift then."""
    for row in rows:
        if not row.locked or datetime.combine(row.day, row.start) < build.now:
            continue
        span = (minutes_of(row.start), minutes_of(row.end))
        for person in row.staff.all():
            key = staff_key(person.pk)
            free = build.staff[key].available_on(row.day.isoformat())
            if not any(s <= span[0] and span[1] <= e for s, e in free):
                build.notes.append(
                    _(
                        "The locked session %(label)s on %(day)s at %(start)s is "
                        "kept, but %(name)s is away or off shift then."
                    )
                    % {
                        "label": row.label,
                        "day": row.day.isoformat(),
                        "start": row.start.strftime("%H:%M"),
                        "name": build.labels[key],
                    }
                )
