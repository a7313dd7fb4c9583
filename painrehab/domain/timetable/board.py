"""One day's bookings, with the contention rules checked as sessions are added.

The fixed facts (grid, blocks, windows, availability, room kinds) are already in
each ``Occurrence``; the board adds what depends on other sessions: nobody
double-booked, rooms within capacity, daily caps, the consecutive-minutes rule.
The baseline builds timetables with it; the solver uses it to check hints and to
explain what it could not place.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from painrehab.domain.timetable.occurrences import Occurrence
from painrehab.domain.timetable.problem import Problem, Session


@dataclass(frozen=True)
class Booking:
    occurrence: Occurrence
    start: int
    staff: tuple[str, ...]
    room: str | None

    @property
    def end(self) -> int:
        return self.start + self.occurrence.minutes

    def session(self) -> Session:
        if self.occurrence.fixed is not None:
            return self.occurrence.fixed
        activity = self.occurrence.activity
        return Session(
            day=self.occurrence.day,
            start=self.start,
            end=self.end,
            activity=activity.id,
            staff=tuple(sorted(self.staff)),
            room=self.room,
            patients=activity.patients,
        )


# Why a start does not work, most specific first (used to explain what is left).
PATIENT_BUSY = "patient"
PATIENT_CAP = "patient-cap"
CONSECUTIVE = "consecutive"
STAFF_BUSY = "staff"
ROOM_FULL = "room"


class Board:
    """Bookings of one day."""

    def __init__(self, problem: Problem, day: str) -> None:
        self.problem = problem
        self.day = day
        self.bookings: list[Booking] = []
        self._patient: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self._staff: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self._room: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
        self._patient_minutes: Counter[str] = Counter()
        self._staff_minutes: Counter[str] = Counter()

    # --- questions -----------------------------------------------------------------

    def patient_blocker(self, occurrence: Occurrence, start: int) -> str | None:
        end = start + occurrence.minutes
        for patient_id in occurrence.activity.patients:
            busy = self._patient[patient_id]
            if any(s < end and start < e for s, e in busy):
                return PATIENT_BUSY
            patient = self.problem.patient_by_id[patient_id]
            cap = patient.max_therapy_minutes_per_day
            if (
                cap is not None
                and self._patient_minutes[patient_id] + end - start > cap
            ):
                return PATIENT_CAP
            limit = patient.max_consecutive_minutes
            if (
                limit is not None
                and _run_through(busy, (start, end), patient.run_gap) > limit
            ):
                return CONSECUTIVE
        return None

    def staff_free(self, occurrence: Occurrence, start: int, staff_id: str) -> bool:
        if start not in occurrence.starts_of.get(staff_id, ()):
            return False
        end = start + occurrence.minutes
        if any(s < end and start < e for s, e in self._staff[staff_id]):
            return False
        cap = self.problem.staff_by_id[staff_id].max_minutes_per_day
        return cap is None or self._staff_minutes[staff_id] + end - start <= cap

    def room_free(self, occurrence: Occurrence, start: int, room_id: str) -> bool:
        end = start + occurrence.minutes
        demand = len(occurrence.activity.patients)
        capacity = self.problem.room_by_id[room_id].capacity
        overlapping = [
            (s, e, d) for s, e, d in self._room[room_id] if s < end and start < e
        ]
        if not overlapping:
            return demand <= capacity
        moments = {start} | {s for s, _, _ in overlapping if s > start}
        return all(
            demand + sum(d for s, e, d in overlapping if s <= t < e) <= capacity
            for t in moments
        )

    def blocker(
        self,
        occurrence: Occurrence,
        start: int,
        staff: tuple[str, ...],
        room: str | None,
    ) -> str | None:
        """The first rule a booking would break, or ``None`` if it fits."""
        if start not in occurrence.starts:
            return PATIENT_BUSY
        reason = self.patient_blocker(occurrence, start)
        if reason is not None:
            return reason
        if len(set(staff)) != occurrence.activity.staff_required or not all(
            self.staff_free(occurrence, start, staff_id) for staff_id in staff
        ):
            return STAFF_BUSY
        if occurrence.activity.room_kinds:
            if room not in occurrence.rooms or not self.room_free(
                occurrence, start, room
            ):
                return ROOM_FULL
        elif room is not None:
            return ROOM_FULL
        return None

    # --- changes -------------------------------------------------------------------

    def book(self, booking: Booking) -> None:
        interval = (booking.start, booking.end)
        minutes = booking.end - booking.start
        for patient_id in booking.occurrence.activity.patients:
            self._patient[patient_id].append(interval)
            self._patient_minutes[patient_id] += minutes
        for staff_id in booking.staff:
            self._staff[staff_id].append(interval)
            self._staff_minutes[staff_id] += minutes
        if booking.room is not None:
            demand = len(booking.occurrence.activity.patients)
            self._room[booking.room].append((*interval, demand))
        self.bookings.append(booking)

    def try_book(self, booking: Booking) -> bool:
        fits = (
            self.blocker(booking.occurrence, booking.start, booking.staff, booking.room)
            is None
        )
        if fits:
            self.book(booking)
        return fits

    def first_fit(
        self, occurrence: Occurrence, starts: list[int], staff_order: list[str]
    ) -> Booking | None:
        """The first start (in ``starts`` order) with people and a room free."""
        needed = occurrence.activity.staff_required
        rooms = self.room_order(occurrence)
        for start in starts:
            if self.patient_blocker(occurrence, start) is not None:
                continue
            staff = [s for s in staff_order if self.staff_free(occurrence, start, s)]
            if len(staff) < needed:
                continue
            room = None
            if occurrence.activity.room_kinds:
                room = next(
                    (r for r in rooms if self.room_free(occurrence, start, r)), None
                )
                if room is None:
                    continue
            return Booking(occurrence, start, tuple(staff[:needed]), room)
        return None

    def room_order(self, occurrence: Occurrence) -> list[str]:
        """Smallest room first, so large rooms stay free for groups."""
        capacity = self.problem.room_by_id
        return sorted(occurrence.rooms, key=lambda r: (capacity[r].capacity, r))

    def explain(self, occurrence: Occurrence) -> str:
        """Why no start works for ``occurrence`` given the day's bookings."""
        if occurrence.reason:
            return occurrence.reason
        for patient_id in occurrence.activity.patients:
            cap = self.problem.patient_by_id[patient_id].max_therapy_minutes_per_day
            used = self._patient_minutes[patient_id]
            if cap is not None and used + occurrence.minutes > cap:
                return (
                    f"{patient_id} already has {used} of {cap} therapy minutes that day"
                )
        counts: Counter[str] = Counter()
        for start in occurrence.starts:
            counts[self._start_blocker(occurrence, start) or "fits"] += 1
        return _reason(occurrence, counts)

    def _start_blocker(self, occurrence: Occurrence, start: int) -> str | None:
        reason = self.patient_blocker(occurrence, start)
        if reason is not None:
            return reason
        free = [s for s in occurrence.staff if self.staff_free(occurrence, start, s)]
        if len(free) < occurrence.activity.staff_required:
            return STAFF_BUSY
        if occurrence.activity.room_kinds and not any(
            self.room_free(occurrence, start, r) for r in occurrence.rooms
        ):
            return ROOM_FULL
        return None


def _run_through(
    intervals: list[tuple[int, int]], new: tuple[int, int], gap: int
) -> int:
    """The span of the run that ``new`` would join (only that run changes, so a
    fixed session's own too-long run elsewhere blocks nothing)."""
    runs: list[list[int]] = []
    for start, end in sorted([*intervals, new]):
        if runs and start - runs[-1][1] < gap:
            runs[-1][1] = max(runs[-1][1], end)
        else:
            runs.append([start, end])
    return next(e - s for s, e in runs if s <= new[0] and new[1] <= e)


def _reason(occurrence: Occurrence, counts: Counter[str]) -> str:
    activity = occurrence.activity
    patients = " and ".join(activity.patients)
    total = sum(counts.values())
    parts = []
    staff = f"{activity.discipline} staff"
    if activity.staff_required > 1:
        staff = f"{activity.staff_required} {staff}"
    labels = {
        PATIENT_BUSY: f"{patients} in another session",
        PATIENT_CAP: "daily therapy limit reached",
        CONSECUTIVE: "too many minutes in a row",
        STAFF_BUSY: f"no {staff} free",
        ROOM_FULL: f"no {'/'.join(activity.room_kinds)} room free",
        "fits": "free but left for higher-value sessions",
    }
    for key, label in labels.items():
        if counts[key]:
            parts.append(f"{label} ({counts[key]})")
    return f"at each of the {total} possible starts: " + "; ".join(parts)
