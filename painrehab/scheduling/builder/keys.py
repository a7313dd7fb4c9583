"""The problem's ids and what they stand for (stored as ``SolveRun.keys``).

Problems hold ids only: ``u<user pk>`` a staff member, ``r<room pk>`` a room,
``e<episode pk>`` a child's stay, ``e<episode pk>/<discipline>/<prescription pk>``
an individual prescription, ``g<group pk>/<discipline>`` a group (``@<day>`` added
when its children change within the range), ``kept/<session pk>`` a stored session
kept as it is under an id that now names a group with other children.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from typing import Any

from painrehab.domain import timetable as tt
from painrehab.domain.timetable.formats import session_to_json
from painrehab.domain.timetable.problem import minutes_of as parse_minutes


def staff_key(pk: int) -> str:
    return f"u{pk}"


def room_key(pk: int) -> str:
    return f"r{pk}"


def patient_key(episode_pk: int) -> str:
    return f"e{episode_pk}"


PERSON_ROOM_OR_CHILD = re.compile(r"\b[uer]\d+\b")


def ids_in_words(text: str, names: Mapping[str, str]) -> str:
    """``text`` (a solver or validator message) with each id ``names`` knows
    replaced by its words; activity ids first, as they contain child ids."""
    for activity_id in sorted((k for k in names if "/" in k), key=len, reverse=True):
        text = text.replace(activity_id, names[activity_id])
    return PERSON_ROOM_OR_CHILD.sub(lambda m: names.get(m.group(0), m.group(0)), text)


def number_of(key: str) -> int:
    """The pk in ``u12``, ``r3`` or ``e40``."""
    return int(key[1:])


def minutes_of(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def time_of(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def session_from_json(doc: Mapping[str, Any]) -> tt.Session:
    """A session of the format's JSON (as ``session_to_json`` writes it)."""
    return tt.Session(
        day=doc["day"],
        start=parse_minutes(doc["start"]),
        end=parse_minutes(doc["end"]),
        activity=doc["activity"],
        staff=tuple(doc["staff"]),
        room=doc["room"],
        patients=tuple(doc["patients"]),
    )


@dataclass(frozen=True)
class ActivityRef:
    """What an activity id stands for: the prescription or the group, and who."""

    discipline: str
    label: str
    mode: str
    prescription_id: int | None
    group_id: int | None
    episode_ids: tuple[int, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "discipline": self.discipline,
            "label": self.label,
            "mode": self.mode,
            "prescription": self.prescription_id,
            "group": self.group_id,
            "episodes": list(self.episode_ids),
        }

    @classmethod
    def from_json(cls, doc: Mapping[str, Any]) -> "ActivityRef":
        return cls(
            discipline=doc["discipline"],
            label=doc["label"],
            mode=doc["mode"],
            prescription_id=doc["prescription"],
            group_id=doc["group"],
            episode_ids=tuple(doc["episodes"]),
        )


@dataclass(frozen=True)
class Keys:
    """The problem's ids mapped back to rows.

    ``labels`` are what a coordinator reads for an id (a name, a room, a bed);
    ``fingerprint`` identifies the range's stored sessions when the problem was
    built (``range_fingerprint``), ``replaceable`` the stored sessions a solve may
    replace, and ``fixed`` the sessions kept as they are (the format has no place
    for them, so they travel here).
    """

    staff: dict[str, int] = field(default_factory=dict)
    rooms: dict[str, int] = field(default_factory=dict)
    patients: dict[str, int] = field(default_factory=dict)
    activities: dict[str, ActivityRef] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    fingerprint: str = ""
    replaceable: tuple[int, ...] = ()
    fixed: tuple[tt.Session, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "staff": dict(self.staff),
            "rooms": dict(self.rooms),
            "patients": dict(self.patients),
            "activities": {k: ref.to_json() for k, ref in self.activities.items()},
            "labels": dict(self.labels),
            "fingerprint": self.fingerprint,
            "replaceable": list(self.replaceable),
            "fixed": [session_to_json(s) for s in self.fixed],
        }

    @classmethod
    def from_json(cls, doc: Mapping[str, Any]) -> "Keys":
        activities = doc.get("activities", {})
        return cls(
            staff=dict(doc.get("staff", {})),
            rooms=dict(doc.get("rooms", {})),
            patients=dict(doc.get("patients", {})),
            activities={k: ActivityRef.from_json(v) for k, v in activities.items()},
            labels=dict(doc.get("labels", {})),
            fingerprint=doc.get("fingerprint", ""),
            replaceable=tuple(doc.get("replaceable", ())),
            fixed=tuple(session_from_json(s) for s in doc.get("fixed", ())),
        )


@dataclass(frozen=True)
class Built:
    """A problem ready to solve, its keys, and what was left out and why."""

    problem: tt.Problem
    keys: Keys
    notes: tuple[str, ...]
