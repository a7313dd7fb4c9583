"""The consecutive-minutes rule of the day model.

Sessions less than the patient's break apart form a run, whose span may not
exceed ``max_consecutive_minutes``. Pinned sessions (fixed, or kept where they are
in a repair) count like any other; they are trusted, so a run made of them alone
that is already too long stays, but no free session may join it.
"""

from itertools import combinations

from ortools.sat.python import cp_model

from painrehab.domain.timetable.model import (
    DayModel,
    OccurrenceVars,
    by_patient,
    coverage,
)
from painrehab.domain.timetable.problem import Interval


def add_consecutive_rule(day: DayModel) -> None:
    """Runs of sessions less than the break apart span at most the limit.

    Each (patient, session) gets ``run[p, i]``, the start of its run: at most its
    own start, and at most the run start of a session that ends less than the
    break before it. The limit then bounds ``end - run``. Pairs are only linked
    where the start domains allow them to be that close.
    """
    for patient_id, numbers in by_patient(day).items():
        patient = day.problem.patient_by_id[patient_id]
        limit, gap = patient.max_consecutive_minutes, patient.run_gap
        items = [day.occurrences[n] for n in numbers]
        free = [n for n in numbers if n not in day.pinned]
        if limit is None or not free or not _can_bind(items, limit, gap):
            continue
        held = day.held.patients.get(patient_id, [])
        if (
            gap <= day.slot
            and all(day.occurrences[n].minutes % day.slot == 0 for n in free)
            and all(s % day.slot == 0 and e % day.slot == 0 for s, e in held)
        ):
            _busy_windows(day, free, held, limit)
            continue
        run = _run_starts(day, patient_id, numbers, limit, gap)
        for first, second in combinations(numbers, 2):
            if first in day.pinned and second in day.pinned:
                _link_pinned(day, first, second, gap, run)
            else:
                _link_pair(day, patient_id, first, second, gap, run)


def _busy_windows(
    day: DayModel, free: list[int], held: list[Interval], limit: int
) -> None:
    """Exact when only touching sessions form a run and lengths fill whole slots:
    then no ``limit // slot + 1`` consecutive slots may all be busy. Slots held by
    sessions that cannot move count as busy; a window they fill alone is theirs
    (trusted), and the windows around it keep free sessions from joining."""
    width = limit // day.slot + 1
    busy = coverage(day, free)
    taken = {m for s, e in held for m in range(s, e, day.slot)}
    for first in sorted(set(busy) | taken):
        window = [first + i * day.slot for i in range(width)]
        if not all(m in busy or m in taken for m in window):
            continue
        already = sum(m in taken for m in window)
        if already == width:
            continue
        terms = [v for m in window if m not in taken for _, v in busy[m]]
        day.model.add(sum(terms) <= width - 1 - already)


def _can_bind(items: list[OccurrenceVars], limit: int, gap: int) -> bool:
    """Whether any stretch the sessions could cover is longer than the limit."""
    covered = sorted({(s, s + i.minutes) for i in items for s in i.occurrence.starts})
    stretch_start, stretch_end = covered[0]
    for start, end in covered:
        if start - stretch_end >= gap:
            stretch_start = start
        stretch_end = max(stretch_end, end)
        if stretch_end - stretch_start > limit:
            return True
    return False


def _pinned_runs(day: DayModel, numbers: list[int], gap: int) -> dict[int, int]:
    """For each pinned session, the start of its run among pinned sessions only."""
    pinned = sorted(
        (day.occurrences[n].occurrence.starts[0], n) for n in numbers if n in day.pinned
    )
    result: dict[int, int] = {}
    run_start = run_end = None
    for start, number in pinned:
        end = start + day.occurrences[number].minutes
        if run_end is None or run_start is None or start - run_end >= gap:
            run_start, run_end = start, end
        else:
            run_end = max(run_end, end)
        result[number] = run_start
    return result


def _run_starts(
    day: DayModel, patient_id: str, numbers: list[int], limit: int, gap: int
) -> dict[int, cp_model.IntVar]:
    low = min(day.occurrences[n].occurrence.starts[0] for n in numbers)
    pinned = _pinned_runs(day, numbers, gap)
    run = {}
    for number in numbers:
        item = day.occurrences[number]
        var = day.model.new_int_var(
            low, item.occurrence.starts[-1], f"run[{patient_id},{number}]"
        )
        day.model.add(var <= item.start)
        bound = limit
        if number in pinned:  # a run of pinned sessions alone may already be longer
            end = item.occurrence.starts[0] + item.minutes
            bound = max(limit, end - pinned[number])
        day.model.add(item.start + item.minutes - var <= bound).only_enforce_if(
            item.present
        )
        run[number] = var
        day.runs.append((patient_id, number, var))
    return run


def _link_pinned(
    day: DayModel, first: int, second: int, gap: int, run: dict[int, cp_model.IntVar]
) -> None:
    """Two pinned sessions: where they are is known, so is whether they join."""
    a, b = day.occurrences[first], day.occurrences[second]
    (a_start, a_number), (b_start, b_number) = sorted(
        ((a.occurrence.starts[0], first), (b.occurrence.starts[0], second))
    )
    if b_start - (a_start + day.occurrences[a_number].minutes) < gap:
        day.model.add(run[b_number] <= run[a_number])


def _link_pair(
    day: DayModel,
    patient_id: str,
    first: int,
    second: int,
    gap: int,
    run: dict[int, cp_model.IntVar],
) -> None:
    a, b = day.occurrences[first], day.occurrences[second]
    close_ab = _may_follow_closely(a, b, gap)
    close_ba = _may_follow_closely(b, a, gap)
    if not (close_ab or close_ba):
        return
    model, both = day.model, [a.present, b.present]
    a_first = model.new_bool_var(f"before[{patient_id},{first},{second}]")
    start_a, start_b = a.start, b.start
    model.add(start_b >= start_a + a.minutes).only_enforce_if([*both, a_first])
    model.add(start_a >= start_b + b.minutes).only_enforce_if([*both, ~a_first])
    far_ab = far_ba = None
    if close_ab:
        far_ab = model.new_bool_var(f"far[{patient_id},{first},{second}]")
        model.add(start_b >= start_a + a.minutes + gap).only_enforce_if([*both, far_ab])
        model.add(run[second] <= run[first]).only_enforce_if([*both, a_first, ~far_ab])
    if close_ba:
        far_ba = model.new_bool_var(f"far[{patient_id},{second},{first}]")
        model.add(start_a >= start_b + b.minutes + gap).only_enforce_if([*both, far_ba])
        model.add(run[first] <= run[second]).only_enforce_if([*both, ~a_first, ~far_ba])
    day.pairs.append((first, second, gap, a_first, far_ab, far_ba))


def _may_follow_closely(a: OccurrenceVars, b: OccurrenceVars, gap: int) -> bool:
    """Whether ``b`` could start less than ``gap`` after ``a`` ends."""
    a_starts, b_starts = a.occurrence.starts, b.occurrence.starts
    return (
        b_starts[0] - (a_starts[-1] + a.minutes) < gap
        and b_starts[-1] >= a_starts[0] + a.minutes
    )
