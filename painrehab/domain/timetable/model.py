"""The CP-SAT model of one day (reference/scheduling.md §2).

Days share nothing but continuity, so each day is its own model (one NoOverlap per
person, patient and room per day, as the reference advises), and continuity is
carried by each (patient, discipline)'s usual person (``occurrences.anchors``).

Per occurrence: a presence literal, a start ``slot * k`` whose domain holds only
the starts the fixed facts allow, one optional interval for the patients, and the
"alternative" pattern for people and rooms: one optional interval per candidate,
sharing the start, with ``sum(chosen) == staff_required * present``. The rules are
added by ``constraints.py``; this module holds the variables, hints and decoding.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from math import gcd

from ortools.sat.python import cp_model

from painrehab.domain.timetable.board import Booking
from painrehab.domain.timetable.fixed import hold
from painrehab.domain.timetable.occurrences import Occurrence
from painrehab.domain.timetable.problem import Problem, Session

Literal = cp_model.IntVar
Anchors = dict[tuple[str, str], tuple[str, ...]]


@dataclass
class OccurrenceVars:
    """The variables of one occurrence."""

    occurrence: Occurrence
    present: Literal
    k: cp_model.IntVar
    start: cp_model.LinearExpr  # slot * k (+ the offset of a fixed start off the grid)
    interval: cp_model.IntervalVar
    staff: dict[str, Literal] = field(default_factory=dict)
    staff_intervals: dict[str, cp_model.IntervalVar] = field(default_factory=dict)
    rooms: dict[str, Literal] = field(default_factory=dict)
    room_intervals: dict[str, cp_model.IntervalVar] = field(default_factory=dict)
    at: dict[int, Literal] = field(default_factory=dict)  # start -> literal

    def covering(self, minute: int) -> list[Literal]:
        """The start literals that put this occurrence over the slot at ``minute``
        (starts and slots are both on the grid)."""
        length = self.occurrence.minutes
        return [v for s, v in self.at.items() if s <= minute < s + length]

    @property
    def minutes(self) -> int:
        return self.occurrence.minutes


@dataclass
class Objective:
    """The four terms of the format's order, each a list of (coefficient, var)."""

    delivered: list[tuple[int, Literal]] = field(default_factory=list)
    kept: list[Literal] = field(default_factory=list)
    continuity: list[Literal] = field(default_factory=list)
    preferred: list[Literal] = field(default_factory=list)


def _pin(booking: Booking) -> Occurrence:
    """The occurrence of a booking with only the booking's start, people, room."""
    start = booking.start
    return replace(
        booking.occurrence,
        starts=(start,),
        staff_starts=tuple((s, frozenset((start,))) for s in booking.staff),
        rooms=(booking.room,) if booking.room is not None else (),
        reason="",
    )


class DayModel:
    """The CP-SAT model of one day's occurrences."""

    def __init__(
        self,
        problem: Problem,
        occurrences: list[Occurrence],
        table: Anchors,
        previous: list[Session],
        model: cp_model.CpModel | None = None,
        background: Sequence[Booking] = (),
        pinned: Sequence[Booking] = (),
    ) -> None:
        self.problem = problem
        # Sessions outside the model: they only take people and rooms.
        self.background = list(background)
        days = [o.day for o in occurrences] + [b.occurrence.day for b in pinned]
        self.day = days[0] if days else ""
        self.slot = problem.slot_minutes
        self.model = model or cp_model.CpModel()
        self.table = table
        self.previous = previous
        self.occurrences = [self._variables(o) for o in occurrences if o.starts]
        self.free = list(range(len(self.occurrences)))
        # Sessions in the model but fixed where they are (fixed sessions, repair
        # neighbourhoods): their patients' runs see them. What they and the
        # background take is ``held``; the rules between free sessions and them
        # use that (``constraints.py``), so one that breaks a rule blocks others
        # without making the model infeasible.
        self.pinned = set(
            range(len(self.occurrences), len(self.occurrences) + len(pinned))
        )
        for booking in pinned:
            item = self._variables(_pin(booking))
            self.model.add(item.present == 1)
            for chosen in (*item.staff.values(), *item.rooms.values()):
                self.model.add(chosen == 1)
            self.occurrences.append(item)
        self.held = hold(problem, [*self.background, *pinned])
        self.objective = Objective()
        self.keep: dict[tuple[int, int], Literal] = {}  # (previous, occurrence)
        # Auxiliary variables, kept to hint them (constraints.auxiliary_values).
        self.runs: list[tuple[str, int, cp_model.IntVar]] = []
        self.pairs: list[
            tuple[int, int, int, Literal, Literal | None, Literal | None]
        ] = []
        self.continuity_vars: list[tuple[int, Literal]] = []
        self.window_vars: list[tuple[int, Literal]] = []
        self.scale = 1  # weighted minutes = scale * sum of delivered coefficients
        self.top = 1  # the coefficient of delivered minutes in the objective

    # --- variables ---------------------------------------------------------------

    def _variables(self, occurrence: Occurrence) -> OccurrenceVars:
        model, slot, length = self.model, self.slot, occurrence.minutes
        name = "/".join(map(str, occurrence.key))
        present = model.new_bool_var(f"x[{name}]")
        k = model.new_int_var_from_domain(
            cp_model.Domain.from_values([s // slot for s in occurrence.starts]),
            f"k[{name}]",
        )
        offset = occurrence.starts[0] % slot if len(occurrence.starts) == 1 else 0
        start = slot * k + offset
        interval = model.new_optional_fixed_size_interval_var(
            start, length, present, f"i[{name}]"
        )
        result = OccurrenceVars(occurrence, present, k, start, interval)
        self._time_index(result, name)
        staff = occurrence.staff
        single = len(staff) == 1 and occurrence.activity.staff_required == 1
        for staff_id in staff:
            chosen = present if single else model.new_bool_var(f"z[{name},{staff_id}]")
            result.staff[staff_id] = chosen
            result.staff_intervals[staff_id] = (
                interval
                if single
                else model.new_optional_fixed_size_interval_var(
                    start, length, chosen, f"j[{name},{staff_id}]"
                )
            )
        rooms = occurrence.rooms
        for room_id in rooms:
            chosen = (
                present
                if len(rooms) == 1
                else model.new_bool_var(f"r[{name},{room_id}]")
            )
            result.rooms[room_id] = chosen
            result.room_intervals[room_id] = (
                interval
                if len(rooms) == 1
                else model.new_optional_fixed_size_interval_var(
                    start, length, chosen, f"m[{name},{room_id}]"
                )
            )
        return result

    def _time_index(self, item: OccurrenceVars, name: str) -> None:
        """One literal per possible start, channelled to the start variable.

        ``k = sum(t * at[t]) + first * (1 - present)`` with ``sum(at) = present``:
        exact, and it gives the LP the time-indexed relaxation that per-slot
        capacity constraints (``constraints.py``) build on.
        """
        starts = item.occurrence.starts
        if len(starts) == 1:
            item.at[starts[0]] = item.present
            return
        for start in starts:
            item.at[start] = self.model.new_bool_var(f"at[{name},{start}]")
        self.model.add(sum(item.at.values()) == item.present)
        first = starts[0] // self.slot
        self.model.add(
            item.k
            == sum((s // self.slot - first) * v for s, v in item.at.items()) + first
        )

    def all_variables(self) -> list[cp_model.IntVar]:
        found: dict[int, cp_model.IntVar] = {}
        for item in self.occurrences:
            variables = (
                item.present,
                item.k,
                *item.staff.values(),
                *item.rooms.values(),
            )
            for var in (*variables, *item.at.values()):
                found[var.index] = var
        for var in (
            *self.keep.values(),
            *self.objective.continuity,
            *self.objective.preferred,
        ):
            found[var.index] = var
        for _, _, var in self.runs:
            found[var.index] = var
        for *_, before, far_ab, far_ba in self.pairs:
            for pair_var in (before, far_ab, far_ba):
                if pair_var is not None:
                    found[pair_var.index] = pair_var
        return list(found.values())

    # --- objective -------------------------------------------------------------------

    def set_objective(self) -> None:
        self.model.maximize(self.objective_expression())

    def objective_expression(self) -> cp_model.LinearExprT:
        """Weighted minutes, then kept sessions, then continuity, then windows.

        Lexicographic through coefficients: each term's coefficient exceeds the
        largest possible total of every term below it.
        """
        terms = self.objective
        self.scale = gcd(*(c for c, _ in terms.delivered)) or 1
        windows = len(terms.preferred)
        continuity_weight = windows + 1
        kept_weight = continuity_weight * len(terms.continuity) + windows + 1
        self.top = kept_weight * len(terms.kept) + kept_weight
        return (
            sum(self.top * (c // self.scale) * v for c, v in terms.delivered)
            + sum(kept_weight * v for v in terms.kept)
            + sum(continuity_weight * v for v in terms.continuity)
            + sum(terms.preferred)
        )

    def set_minutes_objective(self) -> cp_model.LinearExpr:
        """Weighted minutes alone (divided by their common divisor), the first
        phase of a day's search; returns the expression, to hold it after."""
        self.set_objective()  # sets ``scale``
        minutes = cp_model.LinearExpr.weighted_sum(
            [v for _, v in self.objective.delivered],
            [c // self.scale for c, _ in self.objective.delivered],
        )
        self.model.maximize(minutes)
        self.top = 1
        return minutes

    def fixed_times(self, bookings: list[Booking]) -> cp_model.CpModel:
        """A copy of the model with every session's presence and start fixed as
        in ``bookings`` (hinted): only people and rooms are left to choose."""
        values = self.decision_values(self.start_values(bookings))
        copy = self.model.clone()
        for item in self.occurrences:
            for var in (item.present, item.k, *item.at.values()):
                domain = copy.proto.variables[var.index].domain
                domain.clear()
                domain.extend([values[var.index]] * 2)
        return copy

    def minutes_bound(self, objective_bound: float) -> int:
        """An upper bound on weighted minutes from a bound on the objective
        (pinned sessions are constants outside the objective: added here)."""
        pinned = sum(self.occurrences[n].occurrence.value for n in self.pinned)
        return self.scale * int(objective_bound // self.top) + pinned

    # --- hints and decoding --------------------------------------------------------

    def decode(self, solver: cp_model.CpSolver) -> list[Booking]:
        bookings = []
        for item in self.occurrences:
            if not solver.boolean_value(item.present):
                continue
            staff = tuple(s for s, v in item.staff.items() if solver.boolean_value(v))
            room = next(
                (r for r, v in item.rooms.items() if solver.boolean_value(v)), None
            )
            start = solver.value(item.start)
            bookings.append(Booking(item.occurrence, start, staff, room))
        return bookings

    def start_values(self, bookings: list[Booking]) -> dict[int, Booking]:
        """Which booking each occurrence takes in a hint: an activity's bookings
        in start order, as the symmetry constraints order its occurrences."""
        pinned = {self.occurrences[n].occurrence.key: n for n in self.pinned}
        placed: dict[int, Booking] = {}
        by_activity: dict[str, list[Booking]] = {}
        for booking in sorted(bookings, key=lambda b: b.start):
            number = pinned.get(booking.occurrence.key)
            if number is not None:
                placed[number] = booking  # a pinned session is its own booking
                continue
            by_activity.setdefault(booking.occurrence.activity.id, []).append(booking)
        for number in self.free:
            item = self.occurrences[number]
            queue = by_activity.get(item.occurrence.activity.id, [])
            if queue:
                booking = queue.pop(0)
                if self._fits_vars(item, booking):
                    placed[number] = booking
        return placed

    def decision_values(self, placed: dict[int, Booking]) -> dict[int, int]:
        """Presence, start, people and room values of a hinted timetable."""
        values: dict[int, int] = {}
        for number, item in enumerate(self.occurrences):
            booking = placed.get(number)
            start = booking.start if booking else item.occurrence.starts[0]
            values[item.k.index] = start // self.slot
            for at_start, var in item.at.items():
                values[var.index] = int(booking is not None and at_start == start)
            values[item.present.index] = int(booking is not None)
            for staff_id, var in item.staff.items():
                values[var.index] = int(
                    booking is not None and staff_id in booking.staff
                )
            for room_id, var in item.rooms.items():
                values[var.index] = int(booking is not None and room_id == booking.room)
        return values

    def _fits_vars(self, item: OccurrenceVars, booking: Booking) -> bool:
        return (
            booking.start in item.occurrence.starts
            and all(s in item.staff for s in booking.staff)
            and (booking.room is None or booking.room in item.rooms)
        )


def by_patient(day: DayModel, numbers: list[int] | None = None) -> dict[str, list[int]]:
    """Occurrence numbers per patient (all of them, or only ``numbers``)."""
    grouped: dict[str, list[int]] = defaultdict(list)
    for number in range(len(day.occurrences)) if numbers is None else numbers:
        for patient_id in day.occurrences[number].occurrence.activity.patients:
            grouped[patient_id].append(number)
    return grouped


def coverage(
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
