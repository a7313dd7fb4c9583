"""One ``add_<rule>`` per family of rules of the day model (the OR-Tools
shift-scheduling example's layout), plus the values of the auxiliary variables
for a hinted timetable.

Pitfalls from reference/scheduling.md §2.12 that shape this module: enforcement
literals never go on NoOverlap or Cumulative (optional intervals carry presence
instead); one NoOverlap per resource and day; symmetric occurrences are ordered by
start, and hints are canonicalised the same way (``DayModel.start_values``,
``hints.py``).
"""

from collections import defaultdict
from itertools import combinations

from ortools.sat.python import cp_model

from painrehab.domain.timetable.greedy import matches
from painrehab.domain.timetable.model import DayModel, OccurrenceVars
from painrehab.domain.timetable.occurrences import anchor_of


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


def add_staff_choice(day: DayModel) -> None:
    """``staff_required`` distinct people per session, each available then."""
    for item in day.occurrences:
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
    for item in day.occurrences:
        if len(item.rooms) > 1:
            day.model.add(sum(item.rooms.values()) == item.present)


def by_patient(day: DayModel) -> dict[str, list[int]]:
    grouped: dict[str, list[int]] = defaultdict(list)
    for number, item in enumerate(day.occurrences):
        for patient_id in item.occurrence.activity.patients:
            grouped[patient_id].append(number)
    return grouped


def add_patient_no_overlap(day: DayModel) -> None:
    for numbers in by_patient(day).values():
        if len(numbers) > 1:
            day.model.add_no_overlap([day.occurrences[n].interval for n in numbers])


def _coverage(
    day: DayModel, numbers: list[int]
) -> dict[int, list[tuple[int, cp_model.IntVar]]]:
    """Per slot (its first minute): (occurrence, start literal) pairs covering it."""
    slots: dict[int, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
    for number in numbers:
        item = day.occurrences[number]
        for start, literal in item.at.items():
            for minute in range(start, start + item.minutes, day.slot):
                slots[minute - minute % day.slot].append((number, literal))
    return slots


def add_time_indexed_capacity(day: DayModel) -> None:
    """Redundant per-slot capacities that tighten the LP relaxation.

    Per slot: a patient is in one session; the sessions that only a group of
    people can deliver need no more people than the group has on duty then; the
    sessions that only a set of rooms can hold need no more places than those
    rooms have. The exact rules stay with the intervals.
    """
    for numbers in by_patient(day).values():
        for pairs in _coverage(day, numbers).values():
            if len(pairs) > 1:
                day.model.add(sum(v for _, v in pairs) <= 1)
    everyone = list(range(len(day.occurrences)))
    groups = {frozenset(item.staff) for item in day.occurrences}
    busy = _background_staff(day)
    for group in groups:
        members = [n for n in everyone if set(day.occurrences[n].staff) <= group]
        for minute, pairs in _coverage(day, members).items():
            on_duty = sum(
                1
                for s in group
                if _on_duty(day, s, minute)
                and not any(b <= minute < e for b, e in busy.get(s, ()))
            )
            needs = [
                (day.occurrences[n].occurrence.activity.staff_required, v)
                for n, v in pairs
            ]
            if sum(r for r, _ in needs) > on_duty:
                day.model.add(sum(r * v for r, v in needs) <= on_duty)
    room_groups = {frozenset(item.rooms) for item in day.occurrences if item.rooms}
    for group in room_groups:
        capacity = sum(day.problem.room_by_id[r].capacity for r in group)
        members = [
            n
            for n in everyone
            if day.occurrences[n].rooms and set(day.occurrences[n].rooms) <= group
        ]
        for pairs in _coverage(day, members).values():
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
    for item in day.occurrences:
        for staff_id, chosen in item.staff.items():
            intervals[staff_id].append(item.staff_intervals[staff_id])
            minutes[staff_id].append((item.minutes, chosen))
    busy = _background_staff(day)
    for staff_id, group in intervals.items():
        fixed = [
            day.model.new_fixed_size_interval_var(s, e - s, f"busy[{staff_id},{s}]")
            for s, e in busy.get(staff_id, ())
        ]
        if len(group) + len(fixed) > 1:
            day.model.add_no_overlap(group + fixed)
        cap = day.problem.staff_by_id[staff_id].max_minutes_per_day
        if cap is None:
            continue
        cap -= sum(e - s for s, e in busy.get(staff_id, ()))
        if sum(m for m, _ in minutes[staff_id]) > cap:
            day.model.add(sum(m * v for m, v in minutes[staff_id]) <= cap)


def _background_staff(day: DayModel) -> dict[str, list[tuple[int, int]]]:
    busy: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for booking in day.background:
        for staff_id in booking.staff:
            busy[staff_id].append((booking.start, booking.end))
    return busy


def _background_rooms(day: DayModel) -> dict[str, list[tuple[int, int, int]]]:
    load: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for booking in day.background:
        if booking.room is not None:
            demand = len(booking.occurrence.activity.patients)
            load[booking.room].append((booking.start, booking.end, demand))
    return load


def add_room_capacity(day: DayModel) -> None:
    """A room holds at most ``capacity`` patients at once."""
    uses: dict[str, list[tuple[cp_model.IntervalVar, int]]] = defaultdict(list)
    for item in day.occurrences:
        demand = len(item.occurrence.activity.patients)
        for room_id in item.rooms:
            uses[room_id].append((item.room_intervals[room_id], demand))
    for room_id, load in _background_rooms(day).items():
        if room_id in uses:
            for s, e, demand in load:
                fixed = day.model.new_fixed_size_interval_var(
                    s, e - s, f"held[{room_id},{s}]"
                )
                uses[room_id].append((fixed, demand))
    for room_id, group in uses.items():
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
    for patient_id, numbers in by_patient(day).items():
        cap = day.problem.patient_by_id[patient_id].max_therapy_minutes_per_day
        items = [day.occurrences[n] for n in numbers]
        if cap is not None and sum(i.minutes for i in items) > cap:
            day.model.add(sum(i.minutes * i.present for i in items) <= cap)


# --- the consecutive-minutes rule ---------------------------------------------------


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
        if limit is None or not _can_bind(items, limit, gap):
            continue
        if gap <= day.slot and all(i.minutes % day.slot == 0 for i in items):
            _busy_windows(day, numbers, limit)
            continue
        run = _run_starts(day, patient_id, numbers, limit)
        for first, second in combinations(numbers, 2):
            _link_pair(day, patient_id, first, second, gap, run)


def _busy_windows(day: DayModel, numbers: list[int], limit: int) -> None:
    """Exact when only touching sessions form a run and lengths fill whole slots:
    then no ``limit // slot + 1`` consecutive slots may all be busy."""
    width = limit // day.slot + 1
    busy = _coverage(day, numbers)
    for first in sorted(busy):
        window = [first + i * day.slot for i in range(width)]
        if all(minute in busy for minute in window):
            day.model.add(sum(v for m in window for _, v in busy[m]) <= width - 1)


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


def _run_starts(
    day: DayModel, patient_id: str, numbers: list[int], limit: int
) -> dict[int, cp_model.IntVar]:
    low = min(day.occurrences[n].occurrence.starts[0] for n in numbers)
    run = {}
    for number in numbers:
        item = day.occurrences[number]
        var = day.model.new_int_var(
            low, item.occurrence.starts[-1], f"run[{patient_id},{number}]"
        )
        day.model.add(var <= day.slot * item.k)
        day.model.add(day.slot * item.k + item.minutes - var <= limit).only_enforce_if(
            item.present
        )
        run[number] = var
        day.runs.append((patient_id, number, var))
    return run


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
    start_a, start_b = day.slot * a.k, day.slot * b.k
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
    for item in day.occurrences:
        day.objective.delivered.append((item.occurrence.activity.value, item.present))


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
