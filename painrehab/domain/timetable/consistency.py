"""Contradictions a problem's JSON Schema cannot express.

Unknown or duplicate ids, days outside the problem, intervals that end before they
start, overlapping availability, a window shorter than the session, more people
required than may deliver the activity. Each raises ``ProblemError`` with the path.
"""

from datetime import date
from itertools import pairwise

from painrehab.domain.timetable.errors import ProblemError
from painrehab.domain.timetable.problem import (
    EVERY_DAY,
    Activity,
    Interval,
    Kind,
    Patient,
    Problem,
    Staff,
    clock,
)


def check_consistency(problem: Problem) -> None:
    """Raise ``ProblemError`` at the first contradiction."""
    for index, day in enumerate(problem.days):
        try:
            date.fromisoformat(day)
        except ValueError as error:
            raise ProblemError(f"days[{index}]", f"{day!r} is not a date") from error
    for kind, items in (
        ("staff", problem.staff),
        ("rooms", problem.rooms),
        ("patients", problem.patients),
        ("activities", problem.activities),
    ):
        _unique(kind, [item.id for item in items])
    for index, staff in enumerate(problem.staff):
        _check_staff(problem, index, staff)
    for index, patient in enumerate(problem.patients):
        _check_patient(problem, index, patient)
    for index, activity in enumerate(problem.activities):
        _check_activity(problem, index, activity)
    for index, session in enumerate(problem.previous or ()):
        if session.end <= session.start:
            raise ProblemError(f"previous[{index}].end", "ends before it starts")


def _unique(kind: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for index, item_id in enumerate(ids):
        if item_id in seen:
            raise ProblemError(f"{kind}[{index}].id", f"duplicate id {item_id!r}")
        seen.add(item_id)


def _check_interval(path: str, interval: Interval) -> None:
    if interval[1] <= interval[0]:
        raise ProblemError(path, f"ends ({clock(interval[1])}) before it starts")


def _check_staff(problem: Problem, index: int, staff: Staff) -> None:
    for day, intervals in staff.availability:
        path = f"staff[{index}].availability.{day}"
        if day not in problem.days:
            raise ProblemError(path, "not one of the problem's days")
        for number, interval in enumerate(intervals):
            _check_interval(f"{path}[{number}]", interval)
        for before, after in pairwise(sorted(intervals)):
            if after[0] < before[1]:
                number = intervals.index(after)
                raise ProblemError(f"{path}[{number}]", "overlaps another interval")


def _check_patient(problem: Problem, index: int, patient: Patient) -> None:
    path = f"patients[{index}]"
    if (
        patient.earliest is not None
        and patient.latest is not None
        and patient.latest <= patient.earliest
    ):
        raise ProblemError(f"{path}.latest", "is not after earliest")
    for number, block in enumerate(patient.blocked):
        if block.day != EVERY_DAY and block.day not in problem.days:
            raise ProblemError(
                f"{path}.blocked[{number}].day", "not one of the problem's days"
            )
        _check_interval(f"{path}.blocked[{number}]", (block.start, block.end))


def _check_activity(problem: Problem, index: int, activity: Activity) -> None:
    path = f"activities[{index}]"
    _check_references(problem, path, activity)
    for key in ("window", "preferred_window"):
        interval = getattr(activity, key)
        if interval is not None:
            _check_interval(f"{path}.{key}", interval)
    window = activity.window
    if window is not None and window[1] - window[0] < activity.minutes:
        raise ProblemError(
            f"{path}.window", f"shorter than the session's {activity.minutes} minutes"
        )
    eligible = activity.eligible_staff or [
        person.id
        for person in problem.staff
        if person.discipline == activity.discipline
    ]
    if activity.staff_required > len(eligible):
        raise ProblemError(
            f"{path}.staff_required",
            f"needs {activity.staff_required} staff; only {len(eligible)} can deliver "
            f"{activity.discipline}",
        )


def _check_references(problem: Problem, path: str, activity: Activity) -> None:
    for number, patient_id in enumerate(activity.patients):
        if patient_id not in problem.patient_by_id:
            raise ProblemError(f"{path}.patients[{number}]", f"unknown {patient_id!r}")
    if activity.kind is Kind.INDIVIDUAL and len(activity.patients) != 1:
        raise ProblemError(f"{path}.patients", "an individual activity has 1 patient")
    for number, day in enumerate(activity.days or ()):
        if day not in problem.days:
            raise ProblemError(
                f"{path}.days[{number}]", "not one of the problem's days"
            )
    for key in ("eligible_staff", "preferred_staff"):
        for number, staff_id in enumerate(getattr(activity, key) or ()):
            if staff_id not in problem.staff_by_id:
                raise ProblemError(f"{path}.{key}[{number}]", f"unknown {staff_id!r}")
