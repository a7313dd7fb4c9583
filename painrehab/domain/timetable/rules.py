"""The hard rules a validator names, and those a session breaks on its own.

Part of the validator (``check.py``): it shares no code with the solver or the
baseline, only the problem's data classes.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from painrehab.domain.timetable.problem import (
    Activity,
    Problem,
    Session,
    clock,
)


class Rule(StrEnum):
    """The hard rules; a violation names one."""

    UNKNOWN_ACTIVITY = "unknown-activity"
    DAY = "day"
    GRID = "grid"
    DURATION = "duration"
    PATIENTS = "patients"
    STAFF_COUNT = "staff-count"
    STAFF_UNKNOWN = "staff-unknown"
    STAFF_ELIGIBLE = "staff-eligible"
    STAFF_AVAILABILITY = "staff-availability"
    STAFF_OVERLAP = "staff-overlap"
    STAFF_CAP = "staff-cap"
    ROOM_MISSING = "room-missing"
    ROOM_UNKNOWN = "room-unknown"
    ROOM_KIND = "room-kind"
    ROOM_UNNEEDED = "room-unneeded"
    ROOM_CAPACITY = "room-capacity"
    PATIENT_UNKNOWN = "patient-unknown"
    PATIENT_HOURS = "patient-hours"
    PATIENT_BLOCKED = "patient-blocked"
    PATIENT_OVERLAP = "patient-overlap"
    PATIENT_CAP = "patient-cap"
    CONSECUTIVE = "consecutive"
    WINDOW = "window"
    PER_DAY = "per-day"
    UNSCHEDULED = "unscheduled"
    FIXED_MISSING = "fixed-missing"


@dataclass(frozen=True)
class Violation:
    rule: Rule
    message: str
    session: int | None = None  # index in solution.sessions


def when(session: Session) -> str:
    return f"{session.day} {clock(session.start)}–{clock(session.end)}"


def session_rules(problem: Problem, index: int, session: Session) -> list[Violation]:
    activity = problem.activity_by_id.get(session.activity)
    if activity is None:
        return [
            Violation(Rule.UNKNOWN_ACTIVITY, f"no activity {session.activity!r}", index)
        ]
    found = []

    def broken(rule: Rule, message: str) -> None:
        found.append(
            Violation(rule, f"{activity.id} {when(session)}: {message}", index)
        )

    if session.day not in problem.days or not activity.requested_on(session.day):
        broken(Rule.DAY, "the activity is not requested that day")
    if session.start % problem.slot_minutes:
        broken(Rule.GRID, f"start is not a multiple of {problem.slot_minutes} minutes")
    if session.end - session.start != activity.minutes:
        broken(
            Rule.DURATION,
            f"lasts {session.end - session.start}, not {activity.minutes} minutes",
        )
    if sorted(session.patients) != sorted(activity.patients):
        broken(Rule.PATIENTS, "patients differ from the activity's")
    window = activity.window
    if window is not None and not (
        window[0] <= session.start and session.end <= window[1]
    ):
        broken(Rule.WINDOW, f"outside {clock(window[0])}–{clock(window[1])}")
    for rule, message in _staff_of_session(problem, activity, session):
        broken(rule, message)
    for rule, message in _room_of_session(problem, activity, session):
        broken(rule, message)
    for rule, message in _patients_of_session(problem, session):
        broken(rule, message)
    return found


def one_off_rules(problem: Problem, index: int, session: Session) -> list[Violation]:
    """A fixed session of an activity not in the problem (a one-off the
    coordinator added): only the rules that do not need the activity."""
    found = []

    def broken(rule: Rule, message: str) -> None:
        found.append(
            Violation(rule, f"{session.activity} {when(session)}: {message}", index)
        )

    if session.day not in problem.days:
        broken(Rule.DAY, "not one of the problem's days")
    if session.start % problem.slot_minutes:
        broken(Rule.GRID, f"start is not a multiple of {problem.slot_minutes} minutes")
    if session.room is not None and session.room not in problem.room_by_id:
        broken(Rule.ROOM_UNKNOWN, f"no room {session.room!r}")
    for rule, message in (
        *_people_of_session(problem, session),
        *_patients_of_session(problem, session),
    ):
        broken(rule, message)
    return found


def _staff_of_session(
    problem: Problem, activity: Activity, session: Session
) -> Iterable[tuple[Rule, str]]:
    if (
        len(set(session.staff)) != len(session.staff)
        or len(session.staff) != activity.staff_required
    ):
        yield Rule.STAFF_COUNT, f"needs {activity.staff_required} distinct staff"
    for staff_id in session.staff:
        person = problem.staff_by_id.get(staff_id)
        if person is None:
            continue
        if activity.eligible_staff is not None:
            if staff_id not in activity.eligible_staff:
                yield Rule.STAFF_ELIGIBLE, f"{staff_id} is not in eligible_staff"
        elif person.discipline != activity.discipline:
            yield (
                Rule.STAFF_ELIGIBLE,
                f"{staff_id} is {person.discipline}, not {activity.discipline}",
            )
    yield from _people_of_session(problem, session)


def _people_of_session(
    problem: Problem, session: Session
) -> Iterable[tuple[Rule, str]]:
    for staff_id in session.staff:
        person = problem.staff_by_id.get(staff_id)
        if person is None:
            yield Rule.STAFF_UNKNOWN, f"no staff member {staff_id!r}"
        elif not any(
            start <= session.start and session.end <= end
            for start, end in person.available_on(session.day)
        ):
            yield Rule.STAFF_AVAILABILITY, f"{staff_id} is not available"


def _room_of_session(
    problem: Problem, activity: Activity, session: Session
) -> Iterable[tuple[Rule, str]]:
    if not activity.room_kinds:
        if session.room is not None:
            yield Rule.ROOM_UNNEEDED, "the activity needs no room"
        return
    if session.room is None:
        yield Rule.ROOM_MISSING, f"needs a room of kind {'/'.join(activity.room_kinds)}"
        return
    room = problem.room_by_id.get(session.room)
    if room is None:
        yield Rule.ROOM_UNKNOWN, f"no room {session.room!r}"
    elif not set(room.kinds) & set(activity.room_kinds):
        yield Rule.ROOM_KIND, f"{room.id} is not a {'/'.join(activity.room_kinds)} room"


def _patients_of_session(
    problem: Problem, session: Session
) -> Iterable[tuple[Rule, str]]:
    for patient_id in session.patients:
        patient = problem.patient_by_id.get(patient_id)
        if patient is None:
            yield Rule.PATIENT_UNKNOWN, f"no patient {patient_id!r}"
            continue
        early = patient.earliest is not None and session.start < patient.earliest
        late = patient.latest is not None and session.end > patient.latest
        if early or late:
            yield Rule.PATIENT_HOURS, f"outside {patient_id}'s day"
        for block in patient.blocks_on(session.day):
            if block.start < session.end and session.start < block.end:
                yield (
                    Rule.PATIENT_BLOCKED,
                    f"{patient_id} has {block.label or 'a block'}",
                )
