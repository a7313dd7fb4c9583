"""One ``add_<rule>`` per family of rules of the day model (the OR-Tools
shift-scheduling example's layout), plus the values of the auxiliary variables
for a hinted timetable.

Pitfalls from reference/scheduling.md §2.12 that shape this module: enforcement
literals never go on NoOverlap or Cumulative (optional intervals carry presence
instead); one NoOverlap per resource and day; symmetric occurrences are ordered by
start, and hints are canonicalised the same way (``DayModel.start_values``,
``hints.py``).

The rules bind the free sessions (``day.free``) among themselves and against what
the sessions that cannot move hold (``day.held``: fixed, pinned, background), as
fixed intervals, reduced caps and room loads; pinned sessions are otherwise only
seen by the consecutive-minutes rule (``runs.py``).
"""

from collections import defaultdict

from ortools.sat.python import cp_model

from painrehab.domain.timetable.greedy import matches
from painrehab.domain.timetable.model import (
    DayModel,
    OccurrenceVars,
    by_patient,
    coverage,
)
from painrehab.domain.timetable.occurrences import anchor_of
from painrehab.domain.timetable.problem import Interval
from painrehab.domain.timetable.runs import add_consecutive_rule


def build(day: DayModel) -> None:
    """Every rule and objective term of the day."""
    add_staff_choice(day)
    add_room_choice(day)
    add_patient_no_overlap(day)
    add_time_indexed_capacity(day)
    add_staff_no_overlap_and_caps(day)
    add_room_capacity(day)
    add_patient_caps(day)
    add_consecutive_rule(day)
    add_symmetry(day)
    add_delivered(day)
    add_kept(day)
    add_continuity(day)
    add_preferred_windows(day)
    day.set_objective()


def _starts_domain(
    day: DayModel, starts: frozenset[int] | tuple[int, ...]
) -> cp_model.Domain:
    return cp_model.Domain.from_values(sorted(s // day.slot for s in starts))


def _free(day: DayModel) -> list[OccurrenceVars]:
    return [day.occurrences[n] for n in day.free]


def add_staff_choice(day: DayModel) -> None:
    """``staff_required`` distinct people per session, each available then."""
    for item in _free(day):
        needed = item.occurrence.activity.staff_required
        if len(item.staff) == 1 and needed == 1:
            continue
        day.model.add(sum(item.staff.values()) == needed * item.present)
        for staff_id, chosen in item.staff.items():
            starts = item.occurrence.starts_of[staff_id]
            if len(starts) < len(item.occurrence.starts):
                day.model.add(chosen <= sum(item.at[s] for s in starts))


def add_room_choice(day: DayModel) -> None:
    """One room of a listed kind per session that needs one."""
    for item in _free(day):
        if len(item.rooms) > 1:
            day.model.add(sum(item.rooms.values()) == item.present)


def _held_intervals(
    day: DayModel, busy: list[Interval], name: str
) -> list[cp_model.IntervalVar]:
    return [
        day.model.new_fixed_size_interval_var(s, e - s, f"{name}[{s}]") for s, e in busy
    ]


def add_patient_no_overlap(day: DayModel) -> None:
    for patient_id, numbers in by_patient(day, day.free).items():
        held = _held_intervals(
            day, day.held.patients.get(patient_id, []), f"held[{patient_id}]"
        )
        intervals = [day.occurrences[n].interval for n in numbers] + held
        if len(intervals) > 1:
            day.model.add_no_overlap(intervals)


def add_time_indexed_capacity(day: DayModel) -> None:
    """Redundant per-slot capacities that tighten the LP relaxation.

    Every session over a slot holds its first minute (starts are on the grid), so
    per slot: a patient is in one session; the sessions that only a group of
    people can deliver need no more people than the group has on duty and not
    held then; the sessions that only a set of rooms can hold need no more places
    than those rooms have left then. The exact rules stay with the intervals.
    """
    for pairs in (
        p
        for numbers in by_patient(day, day.free).values()
        for p in coverage(day, numbers).values()
    ):
        if len(pairs) > 1:
            day.model.add(sum(v for _, v in pairs) <= 1)
    groups = {frozenset(item.staff) for item in _free(day)}
    for group in groups:
        members = [n for n in day.free if set(day.occurrences[n].staff) <= group]
        for minute, pairs in coverage(day, members).items():
            on_duty = sum(
                1
                for s in group
                if _on_duty(day, s, minute) and not day.held.staff_busy(s, minute)
            )
            needs = [
                (day.occurrences[n].occurrence.activity.staff_required, v)
                for n, v in pairs
            ]
            if sum(r for r, _ in needs) > on_duty:
                day.model.add(sum(r * v for r, v in needs) <= on_duty)
    room_groups = {frozenset(item.rooms) for item in _free(day) if item.rooms}
    for group in room_groups:
        members = [
            n
            for n in day.free
            if day.occurrences[n].rooms and set(day.occurrences[n].rooms) <= group
        ]
        for minute, pairs in coverage(day, members).items():
            capacity = sum(
                day.problem.room_by_id[r].capacity - day.held.room_load(r, minute)
                for r in group
            )
            needs = [
                (len(day.occurrences[n].occurrence.activity.patients), v)
                for n, v in pairs
            ]
            if sum(d for d, _ in needs) > capacity:
                day.model.add(sum(d * v for d, v in needs) <= capacity)


def _on_duty(day: DayModel, staff_id: str, minute: int) -> bool:
    person = day.problem.staff_by_id[staff_id]
    return any(
        s < minute + day.slot and minute < e for s, e in person.available_on(day.day)
    )


def add_staff_no_overlap_and_caps(day: DayModel) -> None:
    intervals: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)
    minutes: dict[str, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
    for item in _free(day):
        for staff_id, chosen in item.staff.items():
            intervals[staff_id].append(item.staff_intervals[staff_id])
            minutes[staff_id].append((item.minutes, chosen))
    for staff_id, group in intervals.items():
        held = _held_intervals(
            day, day.held.staff.get(staff_id, []), f"busy[{staff_id}]"
        )
        if len(group) + len(held) > 1:
            day.model.add_no_overlap(group + held)
        cap = day.problem.staff_by_id[staff_id].max_minutes_per_day
        if cap is None:
            continue
        cap = max(0, cap - day.held.staff_minutes[staff_id])
        if sum(m for m, _ in minutes[staff_id]) > cap:
            day.model.add(sum(m * v for m, v in minutes[staff_id]) <= cap)


def add_room_capacity(day: DayModel) -> None:
    """A room holds at most ``capacity`` patients at once."""
    uses: dict[str, list[tuple[cp_model.IntervalVar, int]]] = defaultdict(list)
    for item in _free(day):
        demand = len(item.occurrence.activity.patients)
        for room_id in item.rooms:
            uses[room_id].append((item.room_intervals[room_id], demand))
    for room_id, group in uses.items():
        for s, e, load in day.held.rooms.get(room_id, ()):
            held = day.model.new_fixed_size_interval_var(s, e - s, f"held[{room_id}]")
            group.append((held, load))
        capacity = day.problem.room_by_id[room_id].capacity
        if sum(d for _, d in group) <= capacity:
            continue
        if all(2 * d > capacity for _, d in group):
            day.model.add_no_overlap([i for i, _ in group])
        else:
            day.model.add_cumulative(
                [i for i, _ in group], [d for _, d in group], capacity
            )


def add_patient_caps(day: DayModel) -> None:
    for patient_id, numbers in by_patient(day, day.free).items():
        cap = day.problem.patient_by_id[patient_id].max_therapy_minutes_per_day
        if cap is None:
            continue
        cap = max(0, cap - day.held.patient_minutes[patient_id])
        items = [day.occurrences[n] for n in numbers]
        if sum(i.minutes for i in items) > cap:
            day.model.add(sum(i.minutes * i.present for i in items) <= cap)


# --- symmetry and objective ---------------------------------------------------------


def add_symmetry(day: DayModel) -> None:
    """Occurrences of one activity on one day: the earlier index first and present."""
    previous: dict[str, OccurrenceVars] = {}
    for number, item in enumerate(day.occurrences):
        if number in day.pinned:
            continue
        activity_id = item.occurrence.activity.id
        before = previous.get(activity_id)
        if before is not None:
            day.model.add_implication(item.present, before.present)
            day.model.add(
                day.slot * before.k + before.minutes <= day.slot * item.k
            ).only_enforce_if(item.present)
        previous[activity_id] = item


def add_delivered(day: DayModel) -> None:
    """Pinned sessions are constants, left out (``DayModel.minutes_bound``)."""
    for item in _free(day):
        day.objective.delivered.append((item.occurrence.value, item.present))


def add_kept(day: DayModel) -> None:
    """A literal per (earlier session, occurrence it could stay as)."""
    for p_number, session in enumerate(day.previous):
        options = []
        for o_number, item in enumerate(day.occurrences):
            occurrence = item.occurrence
            if occurrence.activity.id != session.activity or not matches(
                occurrence, session
            ):
                continue
            if session.start not in occurrence.starts or not all(
                s in item.staff and session.start in occurrence.starts_of[s]
                for s in session.staff
            ):
                continue
            if len(session.staff) != occurrence.activity.staff_required:
                continue
            if (session.room is None) != (not item.rooms) or (
                session.room is not None and session.room not in item.rooms
            ):
                continue
            kept = day.model.new_bool_var(f"kept[{p_number},{o_number}]")
            day.model.add(item.k == session.start // day.slot).only_enforce_if(kept)
            day.model.add_implication(kept, item.present)
            for staff_id in session.staff:
                day.model.add_implication(kept, item.staff[staff_id])
            if session.room is not None:
                day.model.add_implication(kept, item.rooms[session.room])
            day.keep[p_number, o_number] = kept
            options.append(kept)
            day.objective.kept.append(kept)
        if len(options) > 1:
            day.model.add_at_most_one(options)
    per_occurrence: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for (_, o_number), kept in day.keep.items():
        per_occurrence[o_number].append(kept)
    for group in per_occurrence.values():
        if len(group) > 1:
            day.model.add_at_most_one(group)


def add_continuity(day: DayModel) -> None:
    """Reward a session with the patient's usual or preferred person."""
    for number, item in enumerate(day.occurrences):
        usual = [
            item.staff[s]
            for s in anchor_of(day.table, item.occurrence.activity)
            if s in item.staff
        ]
        if not usual:
            continue
        if item.occurrence.activity.staff_required == 1 and len(usual) == 1:
            day.objective.continuity.append(usual[0])
            continue
        with_usual = day.model.new_bool_var(f"usual[{number}]")
        day.model.add_bool_or(usual).only_enforce_if(with_usual)
        day.objective.continuity.append(with_usual)
        day.continuity_vars.append((number, with_usual))


def add_preferred_windows(day: DayModel) -> None:
    for number, item in enumerate(day.occurrences):
        window = item.occurrence.activity.preferred_window
        if window is None:
            continue
        inside = [
            s
            for s in item.occurrence.starts
            if window[0] <= s and s + item.minutes <= window[1]
        ]
        if not inside:
            continue
        if len(inside) == len(item.occurrence.starts):
            day.objective.preferred.append(item.present)
            continue
        in_window = day.model.new_bool_var(f"window[{number}]")
        day.model.add_implication(in_window, item.present)
        day.model.add_linear_expression_in_domain(
            item.k, _starts_domain(day, tuple(inside))
        ).only_enforce_if(in_window)
        day.objective.preferred.append(in_window)
        day.window_vars.append((number, in_window))
