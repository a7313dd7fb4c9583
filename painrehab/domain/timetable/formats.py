"""Read and write the exchange format (spec/timetable-format.md).

``load_problem`` checks a document against the shipped JSON Schema
(``schema/problem.schema.json``), then for contradictions the schema cannot see
(unknown or duplicate ids, reversed or overlapping intervals, a window shorter
than the session); either failure raises ``ProblemError`` naming the path, e.g.
``activities[3].window``. ``load_solution`` does the same for solutions.
"""

import json
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any

import jsonschema

from painrehab.domain.timetable.consistency import check_consistency
from painrehab.domain.timetable.errors import FormatError, ProblemError, SolutionError
from painrehab.domain.timetable.problem import (
    EVERY_DAY,
    Activity,
    Block,
    Interval,
    Kind,
    Patient,
    Problem,
    Room,
    Session,
    Solution,
    Staff,
    Stats,
    Status,
    Unscheduled,
    clock,
    minutes_of,
)

PROBLEM_FORMAT = "painrehab-timetable/1"
SOLUTION_FORMAT = "painrehab-timetable-solution/1"


@cache
def schema(name: str) -> dict[str, Any]:
    """The shipped JSON Schema ``problem`` or ``solution``."""
    text = resources.files(__package__).joinpath(f"schema/{name}.schema.json")
    loaded: dict[str, Any] = json.loads(text.read_text(encoding="utf-8"))
    return loaded


def _path(parts: Iterable[object]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text.lstrip(".")


def _schema_errors(name: str, document: object) -> FormatError | None:
    validator = jsonschema.Draft202012Validator(schema(name))
    error = jsonschema.exceptions.best_match(validator.iter_errors(document))
    if error is None:
        return None
    parts = list(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = error.schema.get("properties", {})
        extra = sorted(key for key in error.instance if key not in known)
        if extra:
            return FormatError(_path([*parts, extra[0]]), "unknown key")
    return FormatError(_path(parts), error.message)


def load_problem(document: object) -> Problem:
    """A problem from its JSON document; ``ProblemError`` names what is wrong."""
    error = _schema_errors("problem", document)
    if error is not None:
        raise ProblemError(error.path, error.message)
    assert isinstance(document, dict)  # noqa: S101 - the schema says so
    problem = _problem(document)
    check_consistency(problem)
    return problem


def load_solution(document: object) -> Solution:
    """A solution from its JSON document; ``SolutionError`` names what is wrong."""
    error = _schema_errors("solution", document)
    if error is not None:
        raise SolutionError(error.path, error.message)
    assert isinstance(document, dict)  # noqa: S101 - the schema says so
    stats = document["stats"]
    return Solution(
        status=Status(document["status"]),
        sessions=tuple(_session(doc) for doc in document["sessions"]),
        unscheduled=tuple(
            Unscheduled(doc["activity"], doc["day"], doc["count"], doc["reason"])
            for doc in document["unscheduled"]
        ),
        stats=Stats(
            float(stats["solve_seconds"]),
            int(stats["objective"]),
            None if stats["bound"] is None else int(stats["bound"]),
        ),
    )


def _interval(pair: Sequence[str]) -> Interval:
    return minutes_of(pair[0]), minutes_of(pair[1])


def _optional_minutes(doc: Mapping[str, Any], key: str) -> int | None:
    return minutes_of(doc[key]) if key in doc else None


def _session(doc: Mapping[str, Any]) -> Session:
    return Session(
        day=doc["day"],
        start=minutes_of(doc["start"]),
        end=minutes_of(doc["end"]),
        activity=doc["activity"],
        staff=tuple(doc["staff"]),
        room=doc["room"],
        patients=tuple(doc["patients"]),
    )


def _problem(doc: Mapping[str, Any]) -> Problem:
    previous = doc.get("previous")
    return Problem(
        slot_minutes=doc["slot_minutes"],
        days=tuple(doc["days"]),
        staff=tuple(_staff(item) for item in doc["staff"]),
        rooms=tuple(
            Room(item["id"], tuple(item["kinds"]), item["capacity"])
            for item in doc["rooms"]
        ),
        patients=tuple(_patient(item) for item in doc["patients"]),
        activities=tuple(_activity(item) for item in doc["activities"]),
        previous=None if previous is None else tuple(map(_session, previous)),
    )


def _staff(doc: Mapping[str, Any]) -> Staff:
    availability = tuple(
        (day, tuple(_interval(pair) for pair in pairs))
        for day, pairs in doc["availability"].items()
    )
    return Staff(
        doc["id"], doc["discipline"], availability, doc.get("max_minutes_per_day")
    )


def _patient(doc: Mapping[str, Any]) -> Patient:
    blocked = tuple(
        Block(
            item["day"],
            minutes_of(item["start"]),
            minutes_of(item["end"]),
            item.get("label", ""),
        )
        for item in doc.get("blocked", ())
    )
    return Patient(
        id=doc["id"],
        blocked=blocked,
        earliest=_optional_minutes(doc, "earliest"),
        latest=_optional_minutes(doc, "latest"),
        max_therapy_minutes_per_day=doc.get("max_therapy_minutes_per_day"),
        max_consecutive_minutes=doc.get("max_consecutive_minutes"),
        min_break_minutes=doc.get("min_break_minutes"),
    )


def _activity(doc: Mapping[str, Any]) -> Activity:
    days = doc["days"]
    return Activity(
        id=doc["id"],
        kind=Kind(doc["kind"]),
        patients=tuple(doc["patients"]),
        discipline=doc["discipline"],
        minutes=doc["minutes"],
        per_day=doc["per_day"],
        days=None if days == EVERY_DAY else tuple(days),
        staff_required=doc.get("staff_required", 1),
        eligible_staff=(
            tuple(doc["eligible_staff"]) if "eligible_staff" in doc else None
        ),
        room_kinds=tuple(doc.get("room_kinds", ())),
        window=_interval(doc["window"]) if "window" in doc else None,
        preferred_staff=tuple(doc.get("preferred_staff", ())),
        preferred_window=(
            _interval(doc["preferred_window"]) if "preferred_window" in doc else None
        ),
        weight=doc.get("weight", 1),
    )


# --- writing ------------------------------------------------------------------------


def _pair(interval: Interval) -> list[str]:
    return [clock(interval[0]), clock(interval[1])]


def session_to_json(session: Session) -> dict[str, Any]:
    return {
        "activity": session.activity,
        "day": session.day,
        "start": clock(session.start),
        "end": clock(session.end),
        "staff": list(session.staff),
        "room": session.room,
        "patients": list(session.patients),
    }


def solution_to_json(solution: Solution) -> dict[str, Any]:
    """The solution document (sessions in day, start, activity order)."""
    return {
        "format": SOLUTION_FORMAT,
        "status": solution.status.value,
        "sessions": [session_to_json(s) for s in sorted(solution.sessions)],
        "unscheduled": [
            {"activity": u.activity, "day": u.day, "count": u.count, "reason": u.reason}
            for u in solution.unscheduled
        ],
        "stats": {
            "solve_seconds": round(solution.stats.solve_seconds, 3),
            "objective": solution.stats.objective,
            "bound": solution.stats.bound,
        },
    }


def problem_to_json(problem: Problem) -> dict[str, Any]:
    """The problem document; optional fields left out when they hold no value."""
    return {
        "format": PROBLEM_FORMAT,
        "slot_minutes": problem.slot_minutes,
        "days": list(problem.days),
        "staff": [_staff_json(person) for person in problem.staff],
        "rooms": [
            {"id": room.id, "kinds": list(room.kinds), "capacity": room.capacity}
            for room in problem.rooms
        ],
        "patients": [_patient_json(patient) for patient in problem.patients],
        "activities": [_activity_json(activity) for activity in problem.activities],
        "previous": (
            None
            if problem.previous is None
            else [session_to_json(s) for s in problem.previous]
        ),
    }


def _staff_json(person: Staff) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": person.id,
        "discipline": person.discipline,
        "availability": {
            day: [_pair(interval) for interval in intervals]
            for day, intervals in person.availability
        },
    }
    if person.max_minutes_per_day is not None:
        doc["max_minutes_per_day"] = person.max_minutes_per_day
    return doc


def _patient_json(patient: Patient) -> dict[str, Any]:
    doc: dict[str, Any] = {"id": patient.id}
    if patient.blocked:
        doc["blocked"] = [_block_json(block) for block in patient.blocked]
    for key in ("earliest", "latest"):
        value = getattr(patient, key)
        if value is not None:
            doc[key] = clock(value)
    for key in (
        "max_therapy_minutes_per_day",
        "max_consecutive_minutes",
        "min_break_minutes",
    ):
        value = getattr(patient, key)
        if value is not None:
            doc[key] = value
    return doc


def _block_json(block: Block) -> dict[str, Any]:
    doc = {"day": block.day, "start": clock(block.start), "end": clock(block.end)}
    if block.label:
        doc["label"] = block.label
    return doc


def _activity_json(activity: Activity) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": activity.id,
        "kind": activity.kind.value,
        "patients": list(activity.patients),
        "discipline": activity.discipline,
        "minutes": activity.minutes,
        "per_day": activity.per_day,
        "days": EVERY_DAY if activity.days is None else list(activity.days),
    }
    if activity.staff_required != 1:
        doc["staff_required"] = activity.staff_required
    if activity.eligible_staff is not None:
        doc["eligible_staff"] = list(activity.eligible_staff)
    if activity.room_kinds:
        doc["room_kinds"] = list(activity.room_kinds)
    if activity.window is not None:
        doc["window"] = _pair(activity.window)
    if activity.preferred_staff:
        doc["preferred_staff"] = list(activity.preferred_staff)
    if activity.preferred_window is not None:
        doc["preferred_window"] = _pair(activity.preferred_window)
    doc["weight"] = activity.weight
    return doc
