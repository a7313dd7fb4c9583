"""From day boards to a ``Solution``: sessions, what is left and why, stats."""

from collections import Counter

from painrehab.domain.timetable.board import Board
from painrehab.domain.timetable.occurrences import Occurrence, expand
from painrehab.domain.timetable.problem import (
    Problem,
    Session,
    Solution,
    Stats,
    Status,
    Unscheduled,
)


def assemble(
    problem: Problem,
    boards: list[Board],
    status: Status,
    seconds: float,
    bound: int | None = None,
    occurrences: list[list[Occurrence]] | None = None,
) -> Solution:
    """The solution of a set of day boards, each unplaced occurrence explained.

    ``occurrences`` are each board's day's (``expand``), when already at hand.
    """
    sessions = []
    unscheduled = []
    objective = 0
    for number, board in enumerate(boards):
        requested = occurrences[number] if occurrences else expand(problem, board.day)
        booked = Counter(b.occurrence.activity.id for b in board.bookings)
        for booking in board.bookings:
            sessions.append(booking.session())
            objective += booking.occurrence.value
        left: dict[str, list[str]] = {}
        for occurrence in requested:
            activity_id = occurrence.activity.id
            if booked[activity_id] > 0:
                booked[activity_id] -= 1
                continue
            left.setdefault(activity_id, []).append(board.explain(occurrence))
        for activity_id, reasons in left.items():
            unscheduled.append(
                Unscheduled(activity_id, board.day, len(reasons), reasons[0])
            )
    days = {board.day for board in boards}
    for session in problem.fixed:  # fixed sessions on no day of the problem stay too
        if session.day not in days:
            sessions.append(session)
            objective += value_of(problem, session)
    return Solution(
        status=status,
        sessions=tuple(sorted(sessions, key=_order)),
        unscheduled=tuple(unscheduled),
        stats=Stats(seconds, objective, bound),
    )


def value_of(problem: Problem, session: Session) -> int:
    """Weighted minutes a session counts for (``metrics``): its activity's value,
    or nothing for an activity not in the problem."""
    activity = problem.activity_by_id.get(session.activity)
    return 0 if activity is None else activity.value


def _order(session: Session) -> tuple[str, int, int, str, tuple[str, ...], str]:
    return (
        session.day,
        session.start,
        session.end,
        session.activity,
        session.staff,
        session.room or "",
    )
