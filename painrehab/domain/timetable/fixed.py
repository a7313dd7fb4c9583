"""Sessions already decided (``Problem.fixed``), and what sessions that cannot move
take from people, rooms and patients.

A fixed session becomes a ``Booking`` of an occurrence with exactly the session's
shape (``Occurrence.fixed`` is the session, returned unchanged by
``Booking.session``). When its activity is in the problem and requested that day,
it takes one of that activity's occurrences (their key), so one fewer is left to
place; otherwise it takes none. Only the ids the problem knows take part: an
unknown person, room or patient is nobody else's concern.

``Held`` is what a set of sessions that cannot move (fixed, pinned, background)
takes, in the form the day model and the LP bound use: merged busy intervals per
person and patient, minutes towards daily caps, and room loads clipped to each
room's capacity. Fixed sessions are trusted and may break a rule (overlap each
other, fill a room beyond capacity, pass a cap); in this form they still keep
everyone else out, without making a model infeasible.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from itertools import pairwise

from painrehab.domain.timetable.board import Booking
from painrehab.domain.timetable.occurrences import Occurrence
from painrehab.domain.timetable.problem import (
    Activity,
    Interval,
    Kind,
    Problem,
    Session,
)


def split(
    problem: Problem, day: str, requested: list[Occurrence]
) -> tuple[list[Booking], list[Occurrence]]:
    """The day's fixed sessions as bookings, and the requested occurrences left."""
    free = list(requested)
    bookings = []
    extra: Counter[str] = Counter()
    mine = [s for s in problem.fixed if s.day == day]
    for session in sorted(mine, key=lambda s: (s.start, s.end, s.activity)):
        taken = next((o for o in free if o.activity.id == session.activity), None)
        if taken is not None:
            free.remove(taken)
            index = taken.index
        else:  # not requested that day, beyond per_day, or a one-off
            extra[session.activity] += 1
            index = -extra[session.activity]
        bookings.append(booking_of(problem, session, index))
    return bookings, free


def booking_of(problem: Problem, session: Session, index: int) -> Booking:
    """A fixed session as a booking of an occurrence of exactly its shape."""
    real = problem.activity_by_id.get(session.activity)
    staff = tuple(dict.fromkeys(s for s in session.staff if s in problem.staff_by_id))
    room = session.room if session.room in problem.room_by_id else None
    patients = tuple(
        dict.fromkeys(p for p in session.patients if p in problem.patient_by_id)
    )
    individual = (
        real is not None and real.kind is Kind.INDIVIDUAL and len(patients) == 1
    )
    minutes = max(0, session.end - session.start)
    base = real or Activity(
        id=session.activity,
        kind=Kind.GROUP,
        patients=patients,
        discipline="",
        minutes=minutes,
        per_day=0,
        days=(session.day,),
    )
    activity = replace(
        base,
        kind=Kind.INDIVIDUAL if individual else Kind.GROUP,
        patients=patients,
        minutes=minutes,
        staff_required=len(staff),
        eligible_staff=staff,
        window=None,
    )
    start = session.start
    occurrence = Occurrence(
        activity,
        session.day,
        index,
        starts=(start,),
        staff_starts=tuple((s, frozenset((start,))) for s in staff),
        rooms=(room,) if room is not None else (),
        fixed=session,
        worth=0 if real is None else real.value,
    )
    return Booking(occurrence, start, staff, room)


def is_fixed(booking: Booking) -> bool:
    return booking.occurrence.fixed is not None


@dataclass
class Held:
    """What sessions that cannot move take from everyone else."""

    staff: dict[str, list[Interval]] = field(default_factory=dict)  # merged
    patients: dict[str, list[Interval]] = field(default_factory=dict)  # merged
    rooms: dict[str, list[tuple[int, int, int]]] = field(default_factory=dict)
    staff_minutes: Counter[str] = field(default_factory=Counter)
    patient_minutes: Counter[str] = field(default_factory=Counter)

    def staff_busy(self, staff_id: str, minute: int) -> bool:
        return any(s <= minute < e for s, e in self.staff.get(staff_id, ()))

    def room_load(self, room_id: str, minute: int) -> int:
        """Patients already in the room at ``minute`` (at most its capacity)."""
        return sum(d for s, e, d in self.rooms.get(room_id, ()) if s <= minute < e)


def hold(problem: Problem, bookings: Iterable[Booking]) -> Held:
    """What ``bookings`` take: busy intervals, cap minutes, room loads."""
    staff: dict[str, list[Interval]] = defaultdict(list)
    patients: dict[str, list[Interval]] = defaultdict(list)
    loads: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    held = Held()
    for booking in bookings:
        interval = (booking.start, booking.end)
        if interval[1] <= interval[0]:
            continue
        for staff_id in booking.staff:
            staff[staff_id].append(interval)
            held.staff_minutes[staff_id] += booking.end - booking.start
        patient_ids = booking.occurrence.activity.patients
        for patient_id in patient_ids:
            patients[patient_id].append(interval)
            held.patient_minutes[patient_id] += booking.end - booking.start
        if booking.room is not None:
            loads[booking.room].append((*interval, len(patient_ids)))
    held.staff = {k: merged(v) for k, v in staff.items()}
    held.patients = {k: merged(v) for k, v in patients.items()}
    held.rooms = {
        room_id: _profile(load, problem.room_by_id[room_id].capacity)
        for room_id, load in loads.items()
        if room_id in problem.room_by_id
    }
    return held


def merged(intervals: Iterable[Interval]) -> list[Interval]:
    """Overlapping or touching intervals joined."""
    result: list[Interval] = []
    for start, end in sorted(intervals):
        if result and start <= result[-1][1]:
            result[-1] = (result[-1][0], max(result[-1][1], end))
        else:
            result.append((start, end))
    return result


def _profile(
    load: list[tuple[int, int, int]], capacity: int
) -> list[tuple[int, int, int]]:
    """A room's load as segments (start, end, patients), each clipped to capacity."""
    moments = sorted({t for s, e, _ in load for t in (s, e)})
    segments = []
    for start, end in pairwise(moments):
        here = sum(d for s, e, d in load if s <= start < e)
        if here > 0:
            segments.append((start, end, min(here, capacity)))
    return segments
