"""Quality figures of a timetable, in the format's order (check.py's companion).

Weighted delivered minutes (a group session delivers to each of its patients),
sessions kept from ``previous``, continuity (a session with the preferred person,
or for an individual activity without one, with the patient's usual person for
that discipline: the one who delivers most of them), and preferred windows.
Computed from the sessions alone, like every rule in ``check``.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from painrehab.domain.timetable.problem import (
    Activity,
    Kind,
    Problem,
    Session,
    Solution,
)


@dataclass(frozen=True)
class Metrics:
    """Quality figures, recomputed from the sessions."""

    sessions: int
    weighted_minutes: int
    requested_weighted_minutes: int
    delivered_minutes: int  # patient-minutes
    requested_minutes: int
    missing_occurrences: int
    continuity: int  # sessions with the patient's usual or preferred person
    continuity_of: int  # sessions that count for continuity
    preferred_window: int
    preferred_window_of: int
    kept: int | None  # sessions of ``previous`` present unchanged
    previous: int | None

    @property
    def delivered_share(self) -> float:
        return self.weighted_minutes / max(1, self.requested_weighted_minutes)

    @property
    def continuity_share(self) -> float:
        return self.continuity / self.continuity_of if self.continuity_of else 1.0


def missing(
    problem: Problem, sessions: Iterable[Session]
) -> dict[tuple[str, str], int]:
    """Requested occurrences without a session, by (activity, day)."""
    counts = Counter((s.activity, s.day) for s in sessions)
    return {
        (activity.id, day): activity.per_day - counts[activity.id, day]
        for activity in problem.activities
        for day in problem.days_of(activity)
        if counts[activity.id, day] < activity.per_day
    }


def measure(problem: Problem, solution: Solution) -> Metrics:
    """The quality figures of a solution (whether or not it is valid)."""
    sessions = [s for s in solution.sessions if s.activity in problem.activity_by_id]
    activity = problem.activity_by_id
    requested = [(a, problem.days_of(a)) for a in problem.activities]
    continuity, continuity_of = _continuity(problem, sessions)
    preferred = [
        s for s in sessions if activity[s.activity].preferred_window is not None
    ]
    kept = previous = None
    if problem.previous is not None:
        present = Counter(solution.sessions)
        wanted = Counter(problem.previous)
        kept = sum(min(count, present[s]) for s, count in wanted.items())
        previous = len(problem.previous)
    return Metrics(
        sessions=len(solution.sessions),
        weighted_minutes=sum(activity[s.activity].value for s in sessions),
        requested_weighted_minutes=sum(
            a.value * a.per_day * len(days) for a, days in requested
        ),
        delivered_minutes=sum(
            activity[s.activity].minutes * len(s.patients) for s in sessions
        ),
        requested_minutes=sum(
            a.minutes * len(a.patients) * a.per_day * len(days) for a, days in requested
        ),
        missing_occurrences=sum(missing(problem, solution.sessions).values()),
        continuity=continuity,
        continuity_of=continuity_of,
        preferred_window=sum(
            1 for s in preferred if _in_preferred(activity[s.activity], s)
        ),
        preferred_window_of=len(preferred),
        kept=kept,
        previous=previous,
    )


def _in_preferred(activity: Activity, session: Session) -> bool:
    window = activity.preferred_window
    return (
        window is not None and window[0] <= session.start and session.end <= window[1]
    )


def _continuity(problem: Problem, sessions: list[Session]) -> tuple[int, int]:
    """Sessions with a preferred person, or with the patient's usual person.

    An activity with ``preferred_staff`` counts a session that includes one of them.
    An individual activity without counts a session that includes the person who
    delivers most of that patient's sessions of that discipline (the usual person).
    """
    activity = problem.activity_by_id
    seen: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    usual_sessions = []
    points = counted = 0
    for session in sessions:
        prescribed = activity[session.activity]
        if prescribed.preferred_staff:
            counted += 1
            points += bool(set(session.staff) & set(prescribed.preferred_staff))
        elif prescribed.kind is Kind.INDIVIDUAL:
            key = (prescribed.patients[0], prescribed.discipline)
            seen[key].update(session.staff)
            usual_sessions.append((key, session))
    for key, session in usual_sessions:
        counts = seen[key]
        usual = min(counts, key=lambda staff_id: (-counts[staff_id], staff_id))
        counted += 1
        points += usual in session.staff
    return points, counted
