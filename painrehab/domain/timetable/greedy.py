"""The baseline: a coordinator's first-fit timetable, built without a solver.

Day by day, as a coordinator works with the day template: fixed sessions stay
(``Problem.fixed``, even one that breaks a rule); sessions of ``previous``
that still fit stay where they are (the coordinator's patch after a disruption);
then group sessions, at their preferred time or the first time after it when
everyone is free; then each patient in bed order, their sessions in the order of
the day, each at the first start from its preferred time onwards (then earlier)
with the usual person first, then anyone of the discipline, and the smallest room
that fits. Nothing is ever moved once placed. The result is valid by construction
and also serves as the solver's first hint and fallback.
"""

import time
from collections import Counter
from collections.abc import Iterable

from painrehab.domain.timetable.board import Board, Booking
from painrehab.domain.timetable.fixed import split
from painrehab.domain.timetable.occurrences import (
    Occurrence,
    anchor_of,
    anchors,
    expand,
)
from painrehab.domain.timetable.problem import Kind, Problem, Session, Solution, Status
from painrehab.domain.timetable.result import assemble

Anchors = dict[tuple[str, str], tuple[str, ...]]


def greedy(problem: Problem) -> Solution:
    """The coordinator baseline for the whole horizon."""
    began = time.perf_counter()
    table = anchors(problem)
    boards = []
    for day in problem.days:
        fixed, free = split(problem, day, expand(problem, day))
        previous = previous_of(problem, day)
        boards.append(greedy_day(problem, free, table, previous, fixed, day))
    return assemble(problem, boards, Status.FEASIBLE, time.perf_counter() - began)


def previous_of(problem: Problem, day: str) -> list[Session]:
    """The day's earlier sessions, less those that are fixed (they simply stay)."""
    fixed = Counter(s for s in problem.fixed if s.day == day)
    result = []
    for session in problem.previous or ():
        if session.day != day:
            continue
        if fixed[session] > 0:
            fixed[session] -= 1
        else:
            result.append(session)
    return result


def greedy_day(
    problem: Problem,
    occurrences: list[Occurrence],
    table: Anchors,
    previous: Iterable[Session] = (),
    fixed: Iterable[Booking] = (),
    day: str = "",
) -> Board:
    """One day's baseline timetable: the fixed sessions, then the ``previous``
    sessions that still fit, then first fit."""
    board = Board(problem, day or (occurrences[0].day if occurrences else ""))
    for decided in fixed:
        board.book(decided)  # trusted, even if it breaks a rule
    pending = keep_previous(board, occurrences, previous)
    for occurrence in coordinator_order(problem, pending):
        booking = board.first_fit(
            occurrence, start_order(occurrence), staff_order(occurrence, table)
        )
        if booking is not None:
            board.book(booking)
    return board


def keep_previous(
    board: Board, occurrences: list[Occurrence], previous: Iterable[Session]
) -> list[Occurrence]:
    """Book each earlier session that still fits; return the occurrences left."""
    pending = list(occurrences)
    for session in sorted(previous):
        occurrence = next(
            (o for o in pending if o.activity.id == session.activity), None
        )
        if occurrence is None or not matches(occurrence, session):
            continue
        booking = Booking(occurrence, session.start, session.staff, session.room)
        if board.try_book(booking):
            pending.remove(occurrence)
    return pending


def matches(occurrence: Occurrence, session: Session) -> bool:
    """Whether ``session`` has the shape of the occurrence (length and patients)."""
    activity = occurrence.activity
    return session.end - session.start == activity.minutes and sorted(
        session.patients
    ) == sorted(activity.patients)


def coordinator_order(problem: Problem, pending: list[Occurrence]) -> list[Occurrence]:
    """Groups first, then patient by patient in bed order, in the order of the day."""
    bed = {patient.id: number for number, patient in enumerate(problem.patients)}

    def key(occurrence: Occurrence) -> tuple[int, int, int, str, int]:
        activity = occurrence.activity
        group = activity.kind is Kind.GROUP
        preferred = activity.preferred_window or activity.window or (0, 0)
        return (
            0 if group else 1,
            0 if group else bed[activity.patients[0]],
            preferred[0],
            activity.id,
            occurrence.index,
        )

    return sorted(pending, key=key)


def start_order(occurrence: Occurrence) -> list[int]:
    """From the preferred start onwards, then the earlier starts."""
    window = occurrence.activity.preferred_window
    if window is None:
        return list(occurrence.starts)
    return sorted(occurrence.starts, key=lambda s: (s < window[0], s))


def staff_order(occurrence: Occurrence, table: Anchors) -> list[str]:
    """The usual or preferred person first, then the others in list order."""
    usual = [s for s in anchor_of(table, occurrence.activity) if s in occurrence.staff]
    return usual + [s for s in occurrence.staff if s not in usual]
