"""The independent validator: every hard rule of the format, re-checked from scratch.

``check(problem, solution)`` shares no code with the solver or the baseline (only the
problem's data classes), so a modelling mistake in either cannot hide here. It also
recomputes the quality figures the format orders by (``metrics.py``): weighted
delivered minutes, sessions kept from ``previous``, continuity, preferred windows.

Two readings are fixed here and in docs/timetable.md:

* a group session delivers its minutes to each of its patients, so one session is
  worth ``weight * minutes * len(patients)``;
* a run under ``max_consecutive_minutes`` is measured from its first start to its
  last end (its span, gaps shorter than the break included), the stricter of the two
  readings of "total length".

The rules a session breaks on its own are in ``rules.py``. A fixed session
(``Problem.fixed``) is checked like any other, except that one of an activity not
in the problem (a one-off) is held only to the rules that need no activity; a
fixed session missing or changed is ``fixed-missing``.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from painrehab.domain.timetable.metrics import Metrics, measure, missing
from painrehab.domain.timetable.problem import (
    Problem,
    Session,
    Solution,
    clock,
)
from painrehab.domain.timetable.rules import (
    Rule,
    Violation,
    one_off_rules,
    session_rules,
    when,
)

__all__ = ["Report", "Rule", "Violation", "check"]


@dataclass(frozen=True)
class Report:
    violations: tuple[Violation, ...]
    warnings: tuple[str, ...]
    metrics: Metrics

    @property
    def ok(self) -> bool:
        return not self.violations


def check(problem: Problem, solution: Solution) -> Report:
    """Every broken hard rule of ``solution`` for ``problem``, and its metrics."""
    found: list[Violation] = []
    sessions = solution.sessions
    one_offs = {s for s in problem.fixed if s.activity not in problem.activity_by_id}
    for index, session in enumerate(sessions):
        if session in one_offs:
            found.extend(one_off_rules(problem, index, session))
        else:
            found.extend(session_rules(problem, index, session))
    found.extend(_per_day(problem, sessions))
    found.extend(_staff_rules(problem, sessions))
    found.extend(_room_rules(problem, sessions))
    found.extend(_patient_rules(problem, sessions))
    found.extend(_unscheduled_rule(problem, solution))
    found.extend(_fixed_rule(problem, solution))
    metrics = measure(problem, solution)
    warnings = []
    if solution.stats.objective != metrics.weighted_minutes:
        warnings.append(
            f"stats.objective is {solution.stats.objective}; the sessions deliver "
            f"{metrics.weighted_minutes} weighted minutes"
        )
    bound = solution.stats.bound
    if bound is not None and bound < metrics.weighted_minutes:
        warnings.append(f"stats.bound {bound} is below the delivered minutes")
    return Report(tuple(found), tuple(warnings), metrics)


def _both(sessions: tuple[Session, ...], first: int, second: int) -> str:
    return f"{when(sessions[first])} and {when(sessions[second])}"


def _fixed_rule(problem: Problem, solution: Solution) -> list[Violation]:
    """Every fixed session is in the timetable, unchanged."""
    present = Counter(solution.sessions)
    found = []
    for session in problem.fixed:
        if present[session] > 0:
            present[session] -= 1
            continue
        found.append(
            Violation(
                Rule.FIXED_MISSING,
                f"fixed session {session.activity} {when(session)} "
                f"({', '.join(session.staff) or 'no staff'}, "
                f"{session.room or 'no room'}) is missing or changed",
            )
        )
    return found


def _per_day(problem: Problem, sessions: tuple[Session, ...]) -> list[Violation]:
    counts = Counter((s.activity, s.day) for s in sessions)
    found = []
    for (activity_id, day), count in sorted(counts.items()):
        activity = problem.activity_by_id.get(activity_id)
        if activity is not None and count > activity.per_day:
            found.append(
                Violation(
                    Rule.PER_DAY,
                    f"{activity_id} on {day}: {count} sessions, "
                    f"at most {activity.per_day}",
                )
            )
    return found


def _by(sessions: tuple[Session, ...], keys: str) -> dict[tuple[str, str], list[int]]:
    grouped: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, session in enumerate(sessions):
        for key in getattr(session, keys):
            grouped[key, session.day].append(index)
    return grouped


def _overlaps(
    sessions: tuple[Session, ...], indices: list[int]
) -> Iterable[tuple[int, int]]:
    ordered = sorted(indices, key=lambda i: (sessions[i].start, sessions[i].end))
    for position, first in enumerate(ordered):
        for second in ordered[position + 1 :]:
            if sessions[second].start >= sessions[first].end:
                break
            yield first, second


def _staff_rules(problem: Problem, sessions: tuple[Session, ...]) -> list[Violation]:
    found = []
    for (staff_id, day), indices in sorted(_by(sessions, "staff").items()):
        for first, second in _overlaps(sessions, indices):
            found.append(
                Violation(
                    Rule.STAFF_OVERLAP,
                    f"{staff_id} double-booked: {_both(sessions, first, second)}",
                    second,
                )
            )
        person = problem.staff_by_id.get(staff_id)
        total = sum(sessions[i].end - sessions[i].start for i in indices)
        if (
            person
            and person.max_minutes_per_day is not None
            and total > person.max_minutes_per_day
        ):
            found.append(
                Violation(
                    Rule.STAFF_CAP,
                    f"{staff_id} has {total} minutes on {day}, "
                    f"at most {person.max_minutes_per_day}",
                )
            )
    return found


def _room_rules(problem: Problem, sessions: tuple[Session, ...]) -> list[Violation]:
    grouped: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, session in enumerate(sessions):
        if session.room is not None:
            grouped[session.room, session.day].append(index)
    found = []
    for (room_id, day), indices in sorted(grouped.items()):
        room = problem.room_by_id.get(room_id)
        if room is None:
            continue
        events = sorted(
            (time, delta)
            for i in indices
            for time, delta in (
                (sessions[i].start, len(sessions[i].patients)),
                (sessions[i].end, -len(sessions[i].patients)),
            )
        )
        load = 0
        for time, delta in events:  # ends sort before starts at the same minute
            load += delta
            if load > room.capacity:
                found.append(
                    Violation(
                        Rule.ROOM_CAPACITY,
                        f"{room_id} holds {load} patients at {day} {clock(time)}, "
                        f"capacity {room.capacity}",
                    )
                )
                break
    return found


def _patient_rules(problem: Problem, sessions: tuple[Session, ...]) -> list[Violation]:
    found = []
    for (patient_id, day), indices in sorted(_by(sessions, "patients").items()):
        patient = problem.patient_by_id.get(patient_id)
        for first, second in _overlaps(sessions, indices):
            found.append(
                Violation(
                    Rule.PATIENT_OVERLAP,
                    f"{patient_id} double-booked: {_both(sessions, first, second)}",
                    second,
                )
            )
        if patient is None:
            continue
        total = sum(sessions[i].end - sessions[i].start for i in indices)
        cap = patient.max_therapy_minutes_per_day
        if cap is not None and total > cap:
            found.append(
                Violation(
                    Rule.PATIENT_CAP,
                    f"{patient_id} has {total} therapy minutes on {day}, at most {cap}",
                )
            )
        limit = patient.max_consecutive_minutes
        if limit is not None:
            for start, end in _runs([sessions[i] for i in indices], patient.run_gap):
                if end - start > limit:
                    found.append(
                        Violation(
                            Rule.CONSECUTIVE,
                            f"{patient_id} has a {end - start}-minute run {day} "
                            f"{clock(start)}–{clock(end)}, at most {limit}",
                        )
                    )
    return found


def _runs(sessions: list[Session], gap: int) -> list[tuple[int, int]]:
    """Runs of sessions that touch or are less than ``gap`` minutes apart."""
    runs: list[tuple[int, int]] = []
    for session in sorted(sessions, key=lambda s: s.start):
        if runs and session.start - runs[-1][1] < gap:
            runs[-1] = (runs[-1][0], max(runs[-1][1], session.end))
        else:
            runs.append((session.start, session.end))
    return runs


def _unscheduled_rule(problem: Problem, solution: Solution) -> list[Violation]:
    expected = missing(problem, solution.sessions)
    listed: Counter[tuple[str, str]] = Counter()
    for item in solution.unscheduled:
        listed[item.activity, item.day] += item.count
    found = []
    for key in sorted(set(expected) | set(listed)):
        if expected.get(key, 0) != listed[key]:
            found.append(
                Violation(
                    Rule.UNSCHEDULED,
                    f"{key[0]} on {key[1]}: {expected.get(key, 0)} occurrences have "
                    f"no session, unscheduled lists {listed[key]}",
                )
            )
    return found
