"""The timetable problem and solution as frozen data (spec/timetable-format.md).

Times are whole minutes after midnight (``"10:30"`` is 630); days stay ISO date
strings, as in the exchange format. ``formats.py`` reads and writes the JSON;
nothing here does I/O.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

EVERY_DAY = "*"
Interval = tuple[int, int]


class Kind(StrEnum):
    """Whether an activity is one patient's or a group's."""

    INDIVIDUAL = "individual"
    GROUP = "group"


class Status(StrEnum):
    """The solution's ``status``."""

    OPTIMAL = "OPTIMAL"
    FEASIBLE = "FEASIBLE"
    INFEASIBLE_INPUT = "INFEASIBLE_INPUT"
    ERROR = "ERROR"


def minutes_of(text: str) -> int:
    """``"HH:MM"`` → minutes after midnight."""
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def clock(minutes: int) -> str:
    """Minutes after midnight → ``"HH:MM"``."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True)
class Staff:
    """A person who delivers sessions of one discipline."""

    id: str
    discipline: str
    availability: tuple[tuple[str, tuple[Interval, ...]], ...]
    max_minutes_per_day: int | None = None

    def available_on(self, day: str) -> tuple[Interval, ...]:
        for listed, intervals in self.availability:
            if listed == day:
                return intervals
        return ()


@dataclass(frozen=True)
class Room:
    """A room: the kinds of session it serves and how many patients fit at once."""

    id: str
    kinds: tuple[str, ...]
    capacity: int


@dataclass(frozen=True)
class Block:
    """A time the patient cannot be scheduled (meal, school, family time, visit)."""

    day: str  # an ISO date or EVERY_DAY
    start: int
    end: int
    label: str = ""

    def applies_to(self, day: str) -> bool:
        return self.day in (EVERY_DAY, day)


@dataclass(frozen=True)
class Patient:
    """A child on the unit and the limits of their day. ``None`` = no limit."""

    id: str
    blocked: tuple[Block, ...] = ()
    earliest: int | None = None
    latest: int | None = None
    max_therapy_minutes_per_day: int | None = None
    max_consecutive_minutes: int | None = None
    min_break_minutes: int | None = None

    def blocks_on(self, day: str) -> Iterator[Block]:
        return (block for block in self.blocked if block.applies_to(day))

    @property
    def run_gap(self) -> int:
        """Sessions less than this many minutes apart belong to one run."""
        return max(self.min_break_minutes or 0, 1)


@dataclass(frozen=True)
class Activity:
    """What was prescribed: ``per_day`` sessions of ``minutes`` on each of ``days``.

    ``days`` is ``None`` for every problem day (``"*"`` in the format).
    """

    id: str
    kind: Kind
    patients: tuple[str, ...]
    discipline: str
    minutes: int
    per_day: int
    days: tuple[str, ...] | None
    staff_required: int = 1
    eligible_staff: tuple[str, ...] | None = None
    room_kinds: tuple[str, ...] = ()
    window: Interval | None = None
    preferred_staff: tuple[str, ...] = ()
    preferred_window: Interval | None = None
    weight: int = 1

    def requested_on(self, day: str) -> bool:
        return self.days is None or day in self.days

    @property
    def value(self) -> int:
        """Weighted minutes one session delivers: to each of its patients."""
        return self.weight * self.minutes * len(self.patients)


@dataclass(frozen=True, order=True)
class Session:
    """One scheduled meeting (also the shape of ``previous``)."""

    day: str
    start: int
    end: int
    activity: str
    staff: tuple[str, ...]
    room: str | None
    patients: tuple[str, ...]


@dataclass(frozen=True)
class Problem:
    """One unit's timetable problem over ``days``.

    ``fixed`` (API only, not in the exchange format) holds sessions already decided:
    locked or placed by hand, or earlier in a day under way. Every one of them is in
    every timetable ``solve`` and ``greedy`` return, exactly as given; each takes its
    people, room and patients like any other session, and counts as one of its
    activity's ``per_day`` occurrences when the activity is in the problem and
    requested that day. They are trusted: one that breaks a rule is still kept, and
    ``check`` reports the rule. See docs/timetable.md, "Fixed sessions".
    """

    slot_minutes: int
    days: tuple[str, ...]
    staff: tuple[Staff, ...]
    rooms: tuple[Room, ...]
    patients: tuple[Patient, ...]
    activities: tuple[Activity, ...]
    previous: tuple[Session, ...] | None = None
    fixed: tuple[Session, ...] = ()

    @cached_property
    def activity_by_id(self) -> dict[str, Activity]:
        return {activity.id: activity for activity in self.activities}

    @cached_property
    def staff_by_id(self) -> dict[str, Staff]:
        return {person.id: person for person in self.staff}

    @cached_property
    def room_by_id(self) -> dict[str, Room]:
        return {room.id: room for room in self.rooms}

    @cached_property
    def patient_by_id(self) -> dict[str, Patient]:
        return {patient.id: patient for patient in self.patients}

    def days_of(self, activity: Activity) -> tuple[str, ...]:
        return tuple(day for day in self.days if activity.requested_on(day))

    def eligible(self, activity: Activity) -> tuple[Staff, ...]:
        """Who may deliver the activity: ``eligible_staff``, else its discipline."""
        if activity.eligible_staff is not None:
            return tuple(self.staff_by_id[i] for i in activity.eligible_staff)
        return tuple(s for s in self.staff if s.discipline == activity.discipline)


@dataclass(frozen=True)
class Unscheduled:
    """Requested occurrences of an activity on a day that have no session."""

    activity: str
    day: str
    count: int
    reason: str


@dataclass(frozen=True)
class Stats:
    """``stats``: ``objective`` is the weighted delivered minutes, ``bound`` an
    upper bound on them (``None`` when unknown)."""

    solve_seconds: float
    objective: int
    bound: int | None


@dataclass(frozen=True)
class Solution:
    """A timetable: sessions, what could not be placed and why, and stats."""

    status: Status
    sessions: tuple[Session, ...]
    unscheduled: tuple[Unscheduled, ...] = ()
    stats: Stats = field(default_factory=lambda: Stats(0.0, 0, None))
