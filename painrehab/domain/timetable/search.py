"""One day's CP-SAT search, and how the time is shared (``solver.py`` drives it).

A whole day given enough time is searched in phases: weighted minutes alone
first (with the whole order in one objective CP-SAT proves nothing and reaches
fewer minutes in the same time), then, with those minutes held, people and rooms
at the times found (a copy of the model with every start fixed), then the whole
order. A day proven optimal in the first phase ends early; time left at the end
goes back to the day with the widest gap to its bound. A short search, and a
repair, is one search of the whole order with CP-SAT's defaults. docs/timetable.md,
"Tuning", has the measurements behind each choice.
"""

import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from painrehab.domain.timetable.board import Board, Booking
from painrehab.domain.timetable.hints import hint
from painrehab.domain.timetable.model import DayModel
from painrehab.domain.timetable.occurrences import Occurrence
from painrehab.domain.timetable.parts import PartSearch, quality
from painrehab.domain.timetable.problem import Session

BASELINE = "BASELINE"
Parameters = tuple[tuple[str, bool | int | float | tuple[str, ...]], ...]


@dataclass(frozen=True)
class SolveOptions:
    """How long and how hard to search.

    ``time_limit`` covers everything, model building included; ``first_pass`` is
    the share of it spent on the first pass over all days. Days with more than
    ``whole_day_patients`` patients are improved ``part_patients`` at a time, each
    part for up to ``part_seconds``. A whole day given at least ``phased_from``
    seconds is searched in phases, with the CP-SAT ``parameters`` (a tuple value
    extends a repeated field; by default the full-search worker is ``max_lp``):
    weighted minutes alone for up to ``1 - polish`` of its time, then the rest of
    the format's order with those minutes held. A day given less (and a repair)
    gets one search of the whole order with CP-SAT's defaults, which does better
    in a few seconds (docs/timetable.md, "Tuning").
    """

    time_limit: float = 60.0
    num_workers: int = 2
    seed: int = 0
    first_pass: float = 0.0
    whole_day_patients: int = 16
    part_patients: int = 16
    part_seconds: float = 3.0
    polish: float = 0.4
    phased_from: float = 8.0
    parameters: Parameters = (("subsolvers", ("max_lp",)),)
    log: Callable[[str], None] | None = None


@dataclass
class Day:
    day: str
    requested: list[Occurrence]
    occurrences: list[Occurrence]  # those left to place: not taken by a fixed one
    fixed: list[Booking]
    baseline: Board
    previous: list[Session]
    lp_bound: int
    best: list[Booking]
    status: str = BASELINE
    model: DayModel | None = None
    parts: PartSearch | None = None
    cpsat_bound: int | None = None
    background: list[Booking] = field(default_factory=list)  # outside the model
    repair: bool = False  # solved as a repair neighbourhood


def run(day: Day, options: SolveOptions, seconds: float) -> None:
    """Improve ``day.best`` for up to ``seconds``; record its status and bound."""
    if seconds <= 0.05:
        return
    if day.parts is not None:
        day.best = day.parts.improve(
            day.best, seconds, options.num_workers, options.part_seconds
        )
        return
    model = day.model
    if model is None:
        return
    if day.repair or options.polish <= 0 or seconds < options.phased_from:
        status, bound = _search(day, model, model.model, options, seconds, ())
        _record(day, status, bound)
        return
    # Weighted minutes alone first; then, with those minutes held, people and
    # rooms at the times found, and the whole order (the module's docstring).
    minutes = model.set_minutes_objective()
    phase = options.parameters
    status, bound = _search(
        day, model, model.model, options, seconds * (1 - options.polish), phase
    )
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return
    proven = status == cp_model.OPTIMAL
    held = sum(b.occurrence.value for b in day.best)
    pinned = sum(model.occurrences[n].occurrence.value for n in model.pinned)
    model.model.add(model.scale * minutes >= held - pinned)
    model.set_objective()
    polish = seconds * options.polish / 2
    _search(day, model, model.fixed_times(day.best), options, polish, phase)
    status, whole = _search(day, model, model.model, options, polish, phase)
    both = proven and status == cp_model.OPTIMAL  # the minutes, then the order
    _record(day, cp_model.OPTIMAL if both else cp_model.FEASIBLE, min(bound, whole))


def _search(
    day: Day,
    model: DayModel,
    proto: cp_model.CpModel,
    options: SolveOptions,
    seconds: float,
    parameters: Parameters,
) -> tuple[cp_model.CpSolverStatus, int]:
    """One CP-SAT run of ``proto`` (the day model, or a copy with less left to
    choose) from the best timetable so far, keeping what it finds if better;
    the status and the bound on weighted minutes (of ``proto``)."""
    hint(model, day.best)
    if proto is not model.model:
        proto.clear_hints()  # type: ignore[no-untyped-call]  # untyped upstream
        hinted = model.model.proto.solution_hint
        proto.proto.solution_hint.vars.extend(hinted.vars)
        proto.proto.solution_hint.values.extend(hinted.values)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, seconds)
    solver.parameters.num_workers = options.num_workers
    solver.parameters.random_seed = options.seed
    for name, value in parameters:
        if isinstance(value, tuple):
            getattr(solver.parameters, name).extend(value)
        else:
            setattr(solver.parameters, name, value)
    status = solver.solve(proto)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        found = model.decode(solver) + day.background
        if quality(found, model.table, day.previous) >= quality(
            day.best, model.table, day.previous
        ):
            day.best = found
    if options.log is not None:
        options.log(
            f"{day.day}: {solver.status_name(status)} in {solver.wall_time:.2f}s, "
            f"objective {solver.objective_value:.0f}, "
            f"bound {solver.best_objective_bound:.0f}"
        )
    found_bound = solver.best_objective_bound
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE) or not math.isfinite(
        found_bound
    ):
        return status, sys.maxsize  # no bound worth the name
    return status, model.minutes_bound(found_bound)


def _record(day: Day, status: cp_model.CpSolverStatus, bound: int) -> None:
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return
    if day.repair:
        day.status = "REPAIRED"  # optimal, if at all, only within the neighbourhood
    else:
        day.status = "OPTIMAL" if status == cp_model.OPTIMAL else "FEASIBLE"
        if day.cpsat_bound is not None:  # every bound found is valid: the least
            bound = min(bound, day.cpsat_bound)
        day.cpsat_bound = bound


def spend_the_rest(days: list[Day], options: SolveOptions, deadline: float) -> None:
    """Time left by days proven optimal early goes to the day with the widest gap
    between its timetable and CP-SAT's bound, again and again."""
    while (left := deadline - time.perf_counter()) > 1.0:
        gaps = [
            (d.cpsat_bound - sum(b.occurrence.value for b in d.best), n)
            for n, d in enumerate(days)
            if d.status == "FEASIBLE"
            and d.model is not None
            and d.cpsat_bound is not None
        ]
        if not gaps or max(gaps)[0] <= 0:
            return
        run(days[max(gaps)[1]], options, left)
