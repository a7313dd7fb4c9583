"""Tiny hand-checkable problems for the tests: one day, a few people."""

from dataclasses import replace
from typing import Any

from painrehab.domain.timetable.problem import (
    Activity,
    Block,
    Kind,
    Patient,
    Problem,
    Room,
    Session,
    Solution,
    Staff,
    Stats,
    Status,
    minutes_of,
)
from painrehab.domain.timetable.solver import SolveOptions, SolveResult, solve

DAY = "2026-12-07"
DAY_2 = "2026-12-08"
FAST = SolveOptions(time_limit=5.0, num_workers=2, seed=1)


def t(text: str) -> int:
    return minutes_of(text)


def person(
    staff_id: str = "pt-ana",
    discipline: str = "PT",
    hours: tuple[tuple[str, str], ...] = (("08:00", "17:00"),),
    days: tuple[str, ...] = (DAY,),
    cap: int | None = None,
) -> Staff:
    shift = tuple((t(a), t(b)) for a, b in hours)
    return Staff(staff_id, discipline, tuple((d, shift) for d in days), cap)


def child(patient_id: str = "p-01", **fields: Any) -> Patient:
    fields.setdefault("earliest", t("08:30"))
    fields.setdefault("latest", t("17:00"))
    return Patient(patient_id, **fields)


def lunch(day: str = "*") -> Block:
    return Block(day, t("12:00"), t("13:00"), "Lunch")


def session_of(
    activity_id: str = "p-01/PT",
    patients: tuple[str, ...] = ("p-01",),
    discipline: str = "PT",
    minutes: int = 60,
    **fields: Any,
) -> Activity:
    fields.setdefault("per_day", 1)
    fields.setdefault("days", None)
    kind = Kind.GROUP if len(patients) > 1 else Kind.INDIVIDUAL
    fields.setdefault("kind", kind)
    return Activity(
        id=activity_id,
        patients=patients,
        discipline=discipline,
        minutes=minutes,
        **fields,
    )


def unit(
    staff: tuple[Staff, ...] = (),
    patients: tuple[Patient, ...] = (),
    activities: tuple[Activity, ...] = (),
    rooms: tuple[Room, ...] = (),
    days: tuple[str, ...] = (DAY,),
    previous: tuple[Session, ...] | None = None,
    fixed: tuple[Session, ...] = (),
) -> Problem:
    return Problem(
        slot_minutes=15,
        days=days,
        staff=staff or (person(),),
        rooms=rooms,
        patients=patients or (child(),),
        activities=activities or (session_of(),),
        previous=previous,
        fixed=fixed,
    )


def solved(problem: Problem, options: SolveOptions = FAST) -> SolveResult:
    return solve(problem, options)


def timetable(*sessions: Session) -> Solution:
    return Solution(Status.FEASIBLE, tuple(sessions), (), Stats(0.0, 0, None))


def booked(
    start: str,
    activity: str = "p-01/PT",
    staff: tuple[str, ...] = ("pt-ana",),
    room: str | None = None,
    patients: tuple[str, ...] = ("p-01",),
    minutes: int = 60,
    day: str = DAY,
) -> Session:
    return Session(day, t(start), t(start) + minutes, activity, staff, room, patients)


def with_previous(problem: Problem, solution: Solution) -> Problem:
    return replace(problem, previous=solution.sessions)
