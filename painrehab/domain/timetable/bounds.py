"""An upper bound on weighted delivered minutes that does not trust CP-SAT.

Per day, the time-block transportation LP of reference/scheduling.md §3.3, solved
with GLOP (OR-Tools' LP solver): ``x[o]`` in [0, 1] is how much of occurrence ``o``
takes place, ``y[o, b]`` how many of its minutes fall in 30-minute block ``b``.
Any timetable gives a feasible point (its sessions' minutes split by block), so
the LP optimum bounds every timetable; any block length is valid, and 15-minute
blocks were within 0.3% on a 48-patient day at three times the cost.
Constraints: a session's minutes add up to its length; per block, each patient is
in one place, each set of people who could deliver a set of sessions and each set
of rooms that could hold them have only so many minutes; daily caps for patients
and staff. The consecutive-minutes rule is left out, which keeps the bound valid,
only looser.

Rows are built with GLOP's coefficient API: the expression API costs about a
second per 48-patient day in Python alone.
"""

from collections import defaultdict
from collections.abc import Iterable
from math import floor

from ortools.linear_solver import pywraplp

from painrehab.domain.timetable.occurrences import Occurrence
from painrehab.domain.timetable.problem import Problem

# GLOP works in floating point; the margin keeps the rounded bound on the safe side.
_MARGIN = 1e-4
BLOCK_MINUTES = 30
Terms = Iterable[tuple[pywraplp.Variable, float]]


class _LP:
    def __init__(self) -> None:
        self.solver = pywraplp.Solver.CreateSolver("GLOP")

    def var(self, upper: float) -> pywraplp.Variable:
        return self.solver.NumVar(0.0, upper, "")

    def at_most(self, terms: Terms, upper: float) -> None:
        row = self.solver.Constraint(-self.solver.infinity(), upper)
        for var, coefficient in terms:
            row.SetCoefficient(var, coefficient)

    def equal(self, terms: Terms) -> None:
        row = self.solver.Constraint(0.0, 0.0)
        for var, coefficient in terms:
            row.SetCoefficient(var, coefficient)


def day_bound(problem: Problem, occurrences: list[Occurrence]) -> int:
    """An upper bound on the weighted minutes of one day's timetables."""
    usable = [o for o in occurrences if o.starts]
    if not usable:
        return 0
    lp = _LP()
    block = BLOCK_MINUTES
    x = [lp.var(1.0) for _ in usable]
    y: dict[tuple[int, int], pywraplp.Variable] = {}
    by_block: dict[int, list[int]] = defaultdict(list)
    for number, occurrence in enumerate(usable):
        covered = _blocks(occurrence, block)
        for b in covered:
            y[number, b] = lp.var(float(min(block, occurrence.minutes)))
            by_block[b].append(number)
        lp.equal(
            [(y[number, b], 1.0) for b in covered] + [(x[number], -occurrence.minutes)]
        )
    _patients(problem, usable, x, y, by_block, lp)
    _staff(problem, usable, x, y, by_block, lp)
    _rooms(problem, usable, y, by_block, lp)
    objective = lp.solver.Objective()
    for number, occurrence in enumerate(usable):
        objective.SetCoefficient(x[number], float(occurrence.activity.value))
    objective.SetMaximization()
    if lp.solver.Solve() != pywraplp.Solver.OPTIMAL:
        return sum(o.activity.value for o in usable)
    value = float(objective.Value())
    return floor(value + _MARGIN * max(1.0, value))


def _blocks(occurrence: Occurrence, block: int) -> list[int]:
    return sorted(
        {
            b
            for start in occurrence.starts
            for b in range(start // block, -(-(start + occurrence.minutes) // block))
        }
    )


Variables = dict[tuple[int, int], pywraplp.Variable]
Blocks = dict[int, list[int]]


def _patients(
    problem: Problem,
    usable: list[Occurrence],
    x: list[pywraplp.Variable],
    y: Variables,
    by_block: Blocks,
    lp: _LP,
) -> None:
    mine: dict[str, list[int]] = defaultdict(list)
    for number, occurrence in enumerate(usable):
        for patient_id in occurrence.activity.patients:
            mine[patient_id].append(number)
    block = BLOCK_MINUTES
    for patient_id, numbers in mine.items():
        cap = problem.patient_by_id[patient_id].max_therapy_minutes_per_day
        if cap is not None:
            lp.at_most(((x[n], usable[n].minutes) for n in numbers), cap)
        own = set(numbers)
        for b, in_block in by_block.items():
            here = [n for n in in_block if n in own]
            if len(here) > 1:
                lp.at_most(((y[n, b], 1.0) for n in here), block)


def _staff(
    problem: Problem,
    usable: list[Occurrence],
    x: list[pywraplp.Variable],
    y: Variables,
    by_block: Blocks,
    lp: _LP,
) -> None:
    block = BLOCK_MINUTES
    day = usable[0].day
    for group in {frozenset(o.staff) for o in usable}:
        members = [n for n, o in enumerate(usable) if set(o.staff) <= group]
        people = [problem.staff_by_id[s] for s in group]
        cap_total = 0
        for person in people:
            open_minutes = sum(e - s for s, e in person.available_on(day))
            cap = person.max_minutes_per_day
            cap_total += open_minutes if cap is None else min(cap, open_minutes)
        need = {n: usable[n].activity.staff_required for n in members}
        lp.at_most(((x[n], need[n] * usable[n].minutes) for n in members), cap_total)
        for b, in_block in by_block.items():
            here = [n for n in in_block if n in need]
            if not here:
                continue
            window = (b * block, (b + 1) * block)
            on_duty = sum(
                _overlap(interval, window)
                for person in people
                for interval in person.available_on(day)
            )
            lp.at_most(((y[n, b], need[n]) for n in here), on_duty)


def _rooms(
    problem: Problem,
    usable: list[Occurrence],
    y: Variables,
    by_block: Blocks,
    lp: _LP,
) -> None:
    block = BLOCK_MINUTES
    for group in {frozenset(o.rooms) for o in usable if o.activity.room_kinds}:
        demand = {
            n: len(o.activity.patients)
            for n, o in enumerate(usable)
            if o.activity.room_kinds and set(o.rooms) <= group
        }
        capacity = sum(problem.room_by_id[r].capacity for r in group)
        for b, in_block in by_block.items():
            here = [n for n in in_block if n in demand]
            if sum(demand[n] for n in here) > capacity:
                lp.at_most(((y[n, b], demand[n]) for n in here), capacity * block)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))
