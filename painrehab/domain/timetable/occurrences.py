"""Requested occurrences and where each could possibly go.

One ``Occurrence`` per requested session (activity, day, index < ``per_day``), with
every start, person and room that the fixed facts allow: the grid, the patients'
day and blocks, the activity's window, each person's availability, a room of a
listed kind with space for the patients. What is left is contention (two sessions
wanting the same person, room or patient), which the baseline and the solver
resolve. An occurrence with no possible start carries the reason.
"""

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from painrehab.domain.timetable.problem import (
    Activity,
    Kind,
    Patient,
    Problem,
    Session,
    Staff,
    clock,
)

DAY_MINUTES = 24 * 60


@dataclass(frozen=True)
class Occurrence:
    """One requested session and its possible starts, staff and rooms.

    A fixed session (``Problem.fixed``, ``fixed.py``) is an occurrence too: its
    ``activity`` has the session's shape, ``fixed`` is the session itself and
    ``worth`` what it adds to the weighted minutes (as ``metrics`` counts them).
    """

    activity: Activity
    day: str
    index: int
    starts: tuple[int, ...]
    staff_starts: tuple[tuple[str, frozenset[int]], ...]
    rooms: tuple[str, ...]
    reason: str = ""
    fixed: Session | None = None
    worth: int | None = None

    @property
    def key(self) -> tuple[str, str, int]:
        return self.activity.id, self.day, self.index

    @property
    def minutes(self) -> int:
        return self.activity.minutes

    @property
    def value(self) -> int:
        """Weighted minutes this occurrence delivers when it takes place."""
        return self.activity.value if self.worth is None else self.worth

    @cached_property
    def staff(self) -> tuple[str, ...]:
        return tuple(staff_id for staff_id, _ in self.staff_starts)

    @cached_property
    def starts_of(self) -> dict[str, frozenset[int]]:
        return dict(self.staff_starts)


def expand(problem: Problem, day: str) -> list[Occurrence]:
    """Every occurrence requested on ``day``, in problem order."""
    result = []
    for activity in problem.activities:
        if activity.requested_on(day):
            template = _occurrence(problem, activity, day)
            for index in range(activity.per_day):
                result.append(
                    Occurrence(
                        activity,
                        day,
                        index,
                        template.starts,
                        template.staff_starts,
                        template.rooms,
                        template.reason,
                    )
                )
    return result


def _occurrence(problem: Problem, activity: Activity, day: str) -> Occurrence:
    def impossible(reason: str) -> Occurrence:
        return Occurrence(activity, day, 0, (), (), (), reason)

    patients = [problem.patient_by_id[p] for p in activity.patients]
    free = patient_starts(problem, activity, patients, day)
    if not free:
        return impossible(_no_patient_time(activity, patients))
    rooms = candidate_rooms(problem, activity)
    if activity.room_kinds and not rooms:
        kinds = "/".join(activity.room_kinds)
        return impossible(f"no {kinds} room holds {len(patients)} patients")
    eligible = problem.eligible(activity)
    by_person = {
        person.id: frozenset(_staff_starts(person, activity, day, free))
        for person in eligible
    }
    per_start: dict[int, int] = defaultdict(int)
    for person_starts in by_person.values():
        for start in person_starts:
            per_start[start] += 1
    needed = activity.staff_required
    starts = tuple(s for s in free if per_start[s] >= needed)
    if not starts:
        return impossible(_no_staff(activity, eligible, day, needed))
    possible = frozenset(starts)
    staff_starts = tuple(
        (staff_id, person_starts & possible)
        for staff_id, person_starts in by_person.items()
        if person_starts & possible
    )
    return Occurrence(activity, day, 0, starts, staff_starts, rooms)


def patient_starts(
    problem: Problem, activity: Activity, patients: list[Patient], day: str
) -> tuple[int, ...]:
    """Grid starts inside the window where every patient of the activity is free."""
    length = activity.minutes
    low, high = activity.window or (0, DAY_MINUTES)
    for patient in patients:
        cap = patient.max_therapy_minutes_per_day
        if cap is not None and cap < length:
            return ()
        low = max(low, patient.earliest or 0)
        high = min(high, DAY_MINUTES if patient.latest is None else patient.latest)
    slot = problem.slot_minutes
    first = -(-low // slot) * slot
    blocks = [
        (block.start, block.end)
        for patient in patients
        for block in patient.blocks_on(day)
    ]
    return tuple(
        start
        for start in range(first, high - length + 1, slot)
        if all(end <= start or start + length <= begin for begin, end in blocks)
    )


def _staff_starts(
    person: Staff, activity: Activity, day: str, starts: tuple[int, ...]
) -> list[int]:
    cap = person.max_minutes_per_day
    if cap is not None and cap < activity.minutes:
        return []
    length = activity.minutes
    possible = {
        start
        for begin, end in person.available_on(day)
        for start in range(begin, end - length + 1)
    }
    return [start for start in starts if start in possible]


def candidate_rooms(problem: Problem, activity: Activity) -> tuple[str, ...]:
    """Rooms of a listed kind with space for all the activity's patients."""
    if not activity.room_kinds:
        return ()
    kinds = set(activity.room_kinds)
    return tuple(
        room.id
        for room in problem.rooms
        if kinds & set(room.kinds) and room.capacity >= len(activity.patients)
    )


def _no_patient_time(activity: Activity, patients: list[Patient]) -> str:
    names = " and ".join(p.id for p in patients)
    where = ""
    if activity.window is not None:
        where = f" in {clock(activity.window[0])}–{clock(activity.window[1])}"
    if activity.kind is Kind.GROUP:
        return f"{names} have no {activity.minutes} free minutes in common{where}"
    return f"{names} has no {activity.minutes} free minutes{where}"


def _no_staff(activity: Activity, eligible: tuple[Staff, ...], day: str, n: int) -> str:
    who = f"{activity.discipline} staff"
    if activity.eligible_staff is not None:
        who = "eligible staff (" + ", ".join(activity.eligible_staff) + ")"
    if not eligible:
        return f"no {who}"
    if not any(person.available_on(day) for person in eligible):
        return f"no {who} available on {day}"
    patients = " and ".join(activity.patients)
    if n > 1:
        return f"never {n} {who} available at once while {patients} free"
    return f"no {who} available while {patients} free"


def anchors(problem: Problem) -> dict[tuple[str, str], tuple[str, ...]]:
    """The usual person for each (patient, discipline) of individual activities.

    ``preferred_staff`` when the activity names them; otherwise a primary picked
    to balance caseloads against the weekly hours each person is available.
    """
    result: dict[tuple[str, str], tuple[str, ...]] = {}
    load: dict[str, float] = defaultdict(float)
    open_minutes = {
        person.id: sum(e - s for _, ivs in person.availability for s, e in ivs)
        for person in problem.staff
    }
    for activity in problem.activities:
        if activity.kind is not Kind.INDIVIDUAL:
            continue
        key = (activity.patients[0], activity.discipline)
        if activity.preferred_staff:
            result[key] = activity.preferred_staff
            continue
        if key in result:
            continue
        eligible = [p.id for p in problem.eligible(activity) if open_minutes[p.id]]
        if not eligible:
            continue
        chosen = min(eligible, key=lambda i: (load[i] / open_minutes[i], i))
        load[chosen] += activity.minutes * activity.per_day
        result[key] = (chosen,)
    return result


def anchor_of(
    table: dict[tuple[str, str], tuple[str, ...]], activity: Activity
) -> tuple[str, ...]:
    """Whom continuity rewards for a session of ``activity``."""
    if activity.preferred_staff:
        return activity.preferred_staff
    if activity.kind is Kind.INDIVIDUAL:
        return table.get((activity.patients[0], activity.discipline), ())
    return ()
