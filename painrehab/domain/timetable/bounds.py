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
only looser. Fixed sessions (``fixed.py``) are constants: their value is added,
and what they hold is taken off each patient's, person's and room's minutes
(never below nothing, as a fixed session may break a rule).

Rows are built with GLOP's coefficient API: the expression API costs about a
second per 48-patient day in Python alone.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from math import floor

from ortools.linear_solver import pywraplp

from painrehab.domain.timetable.board import Booking
from painrehab.domain.timetable.fixed import Held, hold
from painrehab.domain.timetable.occurrences import Occurrence
from painrehab.domain.timetable.problem import Interval, Problem

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


def day_bound(
    problem: Problem, occurrences: list[Occurrence], fixed: Sequence[Booking] = ()
) -> int:
    """An upper bound on the weighted minutes of one day's timetables: the
    ``fixed`` sessions and whatever ``occurrences`` fit around them."""
    constant = sum(b.occurrence.value for b in fixed)
    usable = [o for o in occurrences if o.starts]
    if not usable:
        return constant
    held = hold(problem, fixed)
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
    _patients(problem, usable, x, y, by_block, lp, held)
    _staff(problem, usable, x, y, by_block, lp, held)
    _rooms(problem, usable, y, by_block, lp, held)
    objective = lp.solver.Objective()
    for number, occurrence in enumerate(usable):
        objective.SetCoefficient(x[number], float(occurrence.activity.value))
    objective.SetMaximization()
    if lp.solver.Solve() != pywraplp.Solver.OPTIMAL:
        return constant + sum(o.activity.value for o in usable)
    value = float(objective.Value())
    return constant + floor(value + _MARGIN * max(1.0, value))


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
    held: Held,
) -> None:
    mine: dict[str, list[int]] = defaultdict(list)
    for number, occurrence in enumerate(usable):
        for patient_id in occurrence.activity.patients:
            mine[patient_id].append(number)
    block = BLOCK_MINUTES
    for patient_id, numbers in mine.items():
        cap = problem.patient_by_id[patient_id].max_therapy_minutes_per_day
        if cap is not None:
            cap = max(0, cap - held.patient_minutes[patient_id])
            lp.at_most(((x[n], usable[n].minutes) for n in numbers), cap)
        own = set(numbers)
        busy = held.patients.get(patient_id, [])
        for b, in_block in by_block.items():
            here = [n for n in in_block if n in own]
            window = (b * block, (b + 1) * block)
            taken = sum(_overlap(interval, window) for interval in busy)
            if len(here) > 1 or (here and taken):
                lp.at_most(((y[n, b], 1.0) for n in here), block - taken)


def _staff(
    problem: Problem,
    usable: list[Occurrence],
    x: list[pywraplp.Variable],
    y: Variables,
    by_block: Blocks,
    lp: _LP,
    held: Held,
) -> None:
    block = BLOCK_MINUTES
    day = usable[0].day
    free = {  # each person's availability less what fixed sessions hold
        person.id: _minus(person.available_on(day), held.staff.get(person.id, []))
        for person in problem.staff
    }
    for group in {frozenset(o.staff) for o in usable}:
        members = [n for n, o in enumerate(usable) if set(o.staff) <= group]
        people = [problem.staff_by_id[s] for s in group]
        cap_total = 0
        for person in people:
            open_minutes = sum(e - s for s, e in free[person.id])
            cap = person.max_minutes_per_day
            if cap is not None:
                cap = max(0, cap - held.staff_minutes[person.id])
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
                for interval in free[person.id]
            )
            lp.at_most(((y[n, b], need[n]) for n in here), on_duty)


def _rooms(
    problem: Problem,
    usable: list[Occurrence],
    y: Variables,
    by_block: Blocks,
    lp: _LP,
    held: Held,
) -> None:
    block = BLOCK_MINUTES
    for group in {frozenset(o.rooms) for o in usable if o.activity.room_kinds}:
        demand = {
            n: len(o.activity.patients)
            for n, o in enumerate(usable)
            if o.activity.room_kinds and set(o.rooms) <= group
        }
        capacity = sum(problem.room_by_id[r].capacity for r in group)
        segments = [seg for r in group for seg in held.rooms.get(r, ())]
        for b, in_block in by_block.items():
            here = [n for n in in_block if n in demand]
            window = (b * block, (b + 1) * block)
            taken = sum(load * _overlap((s, e), window) for s, e, load in segments)
            if taken or sum(demand[n] for n in here) > capacity:
                lp.at_most(
                    ((y[n, b], demand[n]) for n in here), capacity * block - taken
                )


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _minus(intervals: Iterable[Interval], busy: list[Interval]) -> list[Interval]:
    """``intervals`` less the (merged, sorted) ``busy`` ones."""
    result = []
    for start, end in intervals:
        for busy_start, busy_end in busy:
            if busy_end <= start or end <= busy_start:
                continue
            if start < busy_start:
                result.append((start, busy_start))
            start = max(start, busy_end)
        if start < end:
            result.append((start, end))
    return result
