"""Hints: a complete assignment of the day model for a given timetable.

CP-SAT accepts partial hints, but complete ones start the search from a full
solution (reference/scheduling.md §2.8). The decision variables come from
``DayModel``; this module adds the auxiliary ones (run starts, orders, kept,
continuity and window literals).
"""

from painrehab.domain.timetable.board import Booking
from painrehab.domain.timetable.model import DayModel, by_patient
from painrehab.domain.timetable.occurrences import anchor_of


def hint(day: DayModel, bookings: list[Booking]) -> None:
    """Hint a complete timetable: every variable, auxiliary ones included."""
    placed = day.start_values(bookings)
    values = day.decision_values(placed)
    values.update(auxiliary_values(day, placed))
    day.model.clear_hints()  # type: ignore[no-untyped-call]  # untyped upstream
    for var in day.all_variables():
        day.model.add_hint(var, values.get(var.index, 0))


def auxiliary_values(day: DayModel, placed: dict[int, Booking]) -> dict[int, int]:
    """Values of the run, order, kept, continuity and window variables."""
    values: dict[int, int] = {}

    def start(number: int) -> int:
        booking = placed.get(number)
        return (
            booking.start if booking else day.occurrences[number].occurrence.starts[0]
        )

    runs = _hint_runs(day, placed)
    for patient_id, number, var in day.runs:
        values[var.index] = runs.get((patient_id, number), start(number))
    for first, second, gap, a_first, far_ab, far_ba in day.pairs:
        a_start, b_start = start(first), start(second)
        values[a_first.index] = int(a_start < b_start)
        a_end = a_start + day.occurrences[first].minutes
        b_end = b_start + day.occurrences[second].minutes
        if far_ab is not None:
            values[far_ab.index] = int(b_start >= a_end + gap)
        if far_ba is not None:
            values[far_ba.index] = int(a_start >= b_end + gap)
    values.update(_kept_values(day, placed))
    for number, var in day.continuity_vars:
        booking = placed.get(number)
        usual = anchor_of(day.table, day.occurrences[number].occurrence.activity)
        values[var.index] = int(
            booking is not None and bool(set(booking.staff) & set(usual))
        )
    for number, var in day.window_vars:
        booking = placed.get(number)
        window = day.occurrences[number].occurrence.activity.preferred_window
        values[var.index] = int(
            booking is not None
            and window is not None
            and window[0] <= booking.start
            and booking.end <= window[1]
        )
    return values


def _kept_values(day: DayModel, placed: dict[int, Booking]) -> dict[int, int]:
    """Each placed occurrence that equals an earlier session keeps it (once)."""
    values = {kept.index: 0 for kept in day.keep.values()}
    taken: set[int] = set()
    for o_number, booking in placed.items():
        for (p_number, option), kept in day.keep.items():
            session = day.previous[p_number]
            if (
                option == o_number
                and p_number not in taken
                and session == booking.session()
            ):
                values[kept.index] = 1
                taken.add(p_number)
                break
    return values


def _hint_runs(day: DayModel, placed: dict[int, Booking]) -> dict[tuple[str, int], int]:
    result: dict[tuple[str, int], int] = {}
    for patient_id, numbers in by_patient(day).items():
        gap = day.problem.patient_by_id[patient_id].run_gap
        present = sorted(
            (placed[n].start, placed[n].end, n) for n in numbers if n in placed
        )
        run_start = run_end = None
        for start, end, number in present:
            if run_end is None or run_start is None or start - run_end >= gap:
                run_start, run_end = start, end
            else:
                run_end = max(run_end, end)
            result[patient_id, number] = run_start
    return result
