"""Solve a problem: baseline, CP-SAT per day, re-check, explanations.

1. The coordinator baseline (``greedy``) gives every day a valid timetable at
   once: the first timetable, the first hint, and the fallback.
2. Repair (``previous`` given): a day whose earlier sessions all still fit keeps
   them and only gains what fits around them; the other days are re-solved with
   "kept unchanged" as the second objective, hinted with the coordinator's patch.
3. A first pass gives each day a short CP-SAT search (a day with up to
   ``whole_day_patients`` patients is one model; a larger day is improved part by
   part, ``parts.py``), starting from the better of the baseline and yesterday's
   timetable carried over. The time left goes to the days not proven optimal.
4. Each day's result is re-booked on a ``Board`` (every contention rule again); a
   day that fails (a solver bug, #5293 in the reference) keeps its baseline.
   Occurrences still free to fit are added, and the rest explained.

The reported bound is the smaller of the LP bound (``bounds.py``) and CP-SAT's
proven bound on days solved as one model.
"""

import time
from dataclasses import dataclass, replace

from painrehab.domain.timetable.board import Board, Booking
from painrehab.domain.timetable.bounds import day_bound
from painrehab.domain.timetable.constraints import build
from painrehab.domain.timetable.fixed import is_fixed, split
from painrehab.domain.timetable.greedy import (
    coordinator_order,
    greedy_day,
    previous_of,
    staff_order,
    start_order,
)
from painrehab.domain.timetable.model import Anchors, DayModel
from painrehab.domain.timetable.occurrences import anchors, expand
from painrehab.domain.timetable.parts import PartSearch, quality
from painrehab.domain.timetable.problem import Problem, Solution, Status
from painrehab.domain.timetable.result import assemble, value_of
from painrehab.domain.timetable.search import (
    BASELINE,
    Day,
    SolveOptions,
    run,
    spend_the_rest,
)

__all__ = ["DayResult", "SolveOptions", "SolveResult", "solve"]

KEPT, PARTS = "KEPT", "PARTS"


@dataclass(frozen=True)
class DayResult:
    day: str
    status: str  # CP-SAT's status name, KEPT (repair), PARTS or BASELINE
    weighted_minutes: int
    lp_bound: int
    cpsat_bound: int | None


@dataclass(frozen=True)
class SolveResult:
    """The solution and how it was reached."""

    solution: Solution
    baseline: Solution
    first_valid_seconds: float  # the baseline: a complete valid timetable
    first_pass_seconds: float  # every day has been through CP-SAT once
    lp_bound: int
    days: tuple[DayResult, ...]


def solve(problem: Problem, options: SolveOptions | None = None) -> SolveResult:
    """The best timetable found within ``options.time_limit`` seconds."""
    options = options or SolveOptions()
    began = time.perf_counter()
    deadline = began + options.time_limit
    table = anchors(problem)
    days = [_prepare(problem, day, table) for day in problem.days]
    requested = [d.requested for d in days]
    first_valid = time.perf_counter() - began  # the baseline: valid, every day
    for day in days:
        day.lp_bound = day_bound(problem, day.occurrences, day.fixed)
    elsewhere = sum(  # fixed sessions on no day of the problem
        value_of(problem, s) for s in problem.fixed if s.day not in problem.days
    )
    to_solve = [d for d in days if not _untouched(problem, d)]
    share = options.time_limit * options.first_pass / max(1, len(to_solve))
    yesterday: Day | None = None
    for day in to_solve if share > 0 else ():
        _setup(problem, day, yesterday, table, options)
        run(day, options, min(share, deadline - time.perf_counter()))
        yesterday = day
    first_pass_end = time.perf_counter() - began
    open_days = [d for d in to_solve if d.status != "OPTIMAL"]
    for number, day in enumerate(open_days):
        if day.model is None and day.parts is None:
            _setup(problem, day, yesterday, table, options)
        run(day, options, (deadline - time.perf_counter()) / (len(open_days) - number))
        yesterday = day
    first_pass = time.perf_counter() - began if share <= 0 else first_pass_end
    spend_the_rest(to_solve, options, deadline)
    boards = [_finish(problem, d, table, options) for d in days]
    whole = all(d.status == "OPTIMAL" for d in days)
    baseline = assemble(
        problem,
        [d.baseline for d in days],
        Status.FEASIBLE,
        first_valid,
        occurrences=requested,
    )
    solution = assemble(
        problem,
        boards,
        Status.OPTIMAL if whole else Status.FEASIBLE,
        time.perf_counter() - began,
        sum(_bound(d) for d in days) + elsewhere,
        occurrences=requested,
    )
    return SolveResult(
        solution=solution,
        baseline=baseline,
        first_valid_seconds=first_valid,
        first_pass_seconds=first_pass,
        lp_bound=sum(d.lp_bound for d in days) + elsewhere,
        days=tuple(
            DayResult(
                d.day,
                d.status,
                sum(b.occurrence.value for b in board.bookings),
                d.lp_bound,
                d.cpsat_bound,
            )
            for d, board in zip(days, boards, strict=True)
        ),
    )


def _prepare(problem: Problem, day: str, table: Anchors) -> Day:
    requested = expand(problem, day)
    fixed, occurrences = split(problem, day, requested)
    previous = previous_of(problem, day)
    baseline = greedy_day(problem, occurrences, table, previous, fixed, day)
    return Day(
        day=day,
        requested=requested,
        occurrences=occurrences,
        fixed=fixed,
        baseline=baseline,
        previous=previous,
        lp_bound=0,
        best=baseline.bookings,
    )


def _untouched(problem: Problem, day: Day) -> bool:
    """Repair: every earlier session of the day still fits, so the day stays."""
    if problem.previous is None:
        return False
    kept = {b.session() for b in day.baseline.bookings}
    if all(s in kept for s in day.previous):
        day.status = KEPT
        return True
    return False


def _setup(
    problem: Problem,
    day: Day,
    yesterday: Day | None,
    table: Anchors,
    options: SolveOptions,
) -> None:
    day.best = _first_hint(problem, day, yesterday, table)
    if problem.previous is not None:
        _neighbourhood(problem, day, table)
        return
    patients = {p for o in day.occurrences for p in o.activity.patients}
    if len(patients) <= options.whole_day_patients:
        day.model = DayModel(
            problem, day.occurrences, table, day.previous, pinned=day.fixed
        )
        build(day.model)
        return
    day.status = PARTS
    day.parts = PartSearch(
        problem,
        day.occurrences,
        table,
        day.previous,
        options.part_patients,
        options.seed,
    )


def _neighbourhood(problem: Problem, day: Day, table: Anchors) -> None:
    """Repair (reference §2.9): what may move is every session of the disciplines
    whose earlier sessions no longer fit, and what is still unplaced; the other
    sessions of the children involved, and fixed sessions, are pinned where they
    are, and everything else is background. Nothing outside the disrupted
    disciplines changes."""
    day.repair = True
    kept = {b.session() for b in day.best}
    broken = [s for s in day.previous if s not in kept]
    disciplines = {
        problem.activity_by_id[s.activity].discipline
        for s in broken
        if s.activity in problem.activity_by_id
    }
    booked = {b.occurrence.key for b in day.best}
    free = {
        o.activity.id
        for o in day.occurrences
        if o.activity.discipline in disciplines or o.key not in booked
    }
    occurrences = [o for o in day.occurrences if o.activity.id in free]
    involved = {p for o in occurrences for p in o.activity.patients}
    pinned, day.background = [], []
    for booking in day.best:
        activity = booking.occurrence.activity
        if activity.id in free and not is_fixed(booking):
            continue
        if set(activity.patients) & involved:
            pinned.append(booking)
        else:
            day.background.append(booking)
    day.model = DayModel(
        problem,
        occurrences,
        table,
        day.previous,
        background=day.background,
        pinned=pinned,
    )
    build(day.model)


def _first_hint(
    problem: Problem, day: Day, yesterday: Day | None, table: Anchors
) -> list[Booking]:
    """The better of the baseline and yesterday's timetable carried over (what
    fits of it, then first fit), as a coordinator copies the previous day."""
    best = day.baseline.bookings
    if yesterday is None or problem.previous is not None:
        return best
    carried = [
        replace(b.session(), day=day.day) for b in yesterday.best if not is_fixed(b)
    ]
    copied = greedy_day(
        problem, day.occurrences, table, carried, day.fixed, day.day
    ).bookings
    return copied if quality(copied, table, []) > quality(best, table, []) else best


def _finish(problem: Problem, day: Day, table: Anchors, options: SolveOptions) -> Board:
    if day.status == KEPT:
        return day.baseline
    board = Board(problem, day.day)
    for booking in day.fixed:
        board.book(booking)  # exactly as given, whatever the search returned
    for booking in sorted(day.best, key=lambda b: b.start):
        if is_fixed(booking):
            continue
        if not board.try_book(booking):
            if options.log is not None:
                options.log(f"{day.day}: the solver's timetable failed the re-check")
            day.status = BASELINE
            return day.baseline
    booked = {b.occurrence.key for b in board.bookings}
    left = [o for o in day.occurrences if o.key not in booked]
    for occurrence in coordinator_order(problem, left):
        found = board.first_fit(
            occurrence, start_order(occurrence), staff_order(occurrence, table)
        )
        if found is not None:
            board.book(found)
    return board


def _bound(day: Day) -> int:
    if day.cpsat_bound is None:
        return day.lp_bound
    return min(day.lp_bound, day.cpsat_bound)
