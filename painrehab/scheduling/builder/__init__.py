"""The timetable problem from the database, and solved sessions back to rows.

``build_problem`` reads who is on the unit, the active day template, staff shifts
and absences, rooms, therapy groups, the care plans' prescriptions and the stored
sessions, and returns the domain ``Problem`` (spec/timetable-format.md) with the
``Keys`` that map its ids back to rows, and notes on anything left out. The rules
are tabled in docs/scheduling.md ("Building the problem") and follow
docs/careplans.md ("Prescription → timetable format"). A problem holds ids only,
never names or diagnoses; names are in ``Keys.labels`` for the coordinator.

Modules: ``tables`` (program defaults), ``keys`` (ids and what they stand for),
``unit`` (children, staff, rooms), ``activities`` (prescriptions and groups),
``stored`` (sessions kept, replaced, stored).
"""

from datetime import date, datetime, timedelta

from django.utils import timezone

from painrehab.domain import timetable as tt
from painrehab.scheduling.builder.activities import (
    groups_add,
    individual_add,
    spread,
    unstaffed_drop,
)
from painrehab.scheduling.builder.context import Build
from painrehab.scheduling.builder.keys import (
    ActivityRef,
    Built,
    Keys,
    ids_in_words,
    minutes_of,
    number_of,
    patient_key,
    room_key,
    session_from_json,
    staff_key,
    time_of,
)
from painrehab.scheduling.builder.stored import (
    KEPT_PREFIX,
    is_fixed,
    locked_notes,
    range_fingerprint,
    reconcile,
    references_add,
    sessions_from_domain,
    sessions_to_domain,
    stored_sessions,
    taken_add,
)
from painrehab.scheduling.builder.tables import SLOT_MINUTES, WEEKDAYS
from painrehab.scheduling.builder.unit import (
    children_on_unit,
    patients_add,
    primaries_add,
    rooms_add,
    staff_add,
    staff_on,
)
from painrehab.scheduling.models import Session

__all__ = [
    "KEPT_PREFIX",
    "ActivityRef",
    "Built",
    "Keys",
    "build_problem",
    "ids_in_words",
    "minutes_of",
    "number_of",
    "patient_key",
    "range_fingerprint",
    "room_key",
    "session_from_json",
    "sessions_from_domain",
    "sessions_to_domain",
    "spread",
    "staff_key",
    "time_of",
]


def build_problem(
    *,
    first_day: date,
    last_day: date,
    now: datetime | None = None,
    previous: bool = False,
) -> Built:
    """The unit's timetable problem for ``first_day`` to ``last_day``.

    Stored sessions that are locked, began before ``now`` or have attendance
    recorded are the problem's ``fixed``; with ``previous`` the other stored
    sessions are its ``previous`` (a repair keeps as many as still fit).
    """
    moment = timezone.localtime(now or timezone.now()).replace(tzinfo=None)
    days = (last_day - first_day).days + 1
    build = Build(
        dates=[first_day + timedelta(days=n) for n in range(days)], now=moment
    )
    rows = stored_sessions(first_day, last_day)
    fixed_rows = [row for row in rows if is_fixed(row, moment)]
    other_rows = [row for row in rows if not is_fixed(row, moment)]
    children = children_on_unit(build)
    staff_add(build)
    rooms_add(build)
    primaries_add(build, children)
    taken_add(build, fixed_rows)
    groups_add(build, individual_add(build, children))
    references_add(build, [*fixed_rows, *(other_rows if previous else [])])
    unstaffed_drop(build)
    fixed = reconcile(build, fixed_rows)
    locked_notes(build, fixed_rows)
    problem_days = _problem_days(build, fixed)
    patients_add(build, children, problem_days, fixed)
    problem = tt.Problem(
        slot_minutes=SLOT_MINUTES,
        days=tuple(d.isoformat() for d in problem_days),
        staff=staff_on(build, problem_days),
        rooms=tuple(build.rooms.values()),
        patients=tuple(build.patients.values()),
        activities=tuple(build.activities.values()),
        previous=sessions_to_domain(other_rows) if previous else None,
        fixed=fixed,
    )
    return Built(
        problem=problem, keys=_keys(build, fixed, other_rows), notes=tuple(build.notes)
    )


def _problem_days(build: Build, fixed: tuple[tt.Session, ...]) -> list[date]:
    """Weekdays, and weekend days someone is requested on or that hold a session."""
    wanted = {s.day for s in fixed}
    for activity in build.activities.values():
        wanted.update(activity.days or ())
    return [d for d in build.dates if d.weekday() < WEEKDAYS or d.isoformat() in wanted]


def _keys(build: Build, fixed: tuple[tt.Session, ...], others: list[Session]) -> Keys:
    return Keys(
        staff={key: int(key[1:]) for key in build.staff},
        rooms={key: int(key[1:]) for key in build.rooms},
        patients={key: int(key[1:]) for key in build.patients},
        activities=dict(build.refs),
        labels=dict(build.labels),
        fingerprint=range_fingerprint(build.dates[0], build.dates[-1]),
        replaceable=tuple(row.pk for row in others),
        fixed=fixed,
    )
