"""Large days: improve a timetable part by part (reference/scheduling.md §2.11).

A day with many patients makes one CP-SAT model slow to presolve and each of its
LNS moves slow. Instead, the patients are split into parts closed under groups
(everyone who shares a group session is in the same part); a few parts at a time
are re-solved as a small model, with everyone else's sessions fixed as background
(they still take people and rooms) and the part's fixed sessions pinned. A result
replaces the current timetable only if it is better in the format's order.
"""

import random
import time
from collections.abc import Sequence

from ortools.sat.python import cp_model

from painrehab.domain.timetable.board import Booking
from painrehab.domain.timetable.constraints import build
from painrehab.domain.timetable.fixed import is_fixed
from painrehab.domain.timetable.hints import hint
from painrehab.domain.timetable.model import Anchors, DayModel
from painrehab.domain.timetable.occurrences import Occurrence, anchor_of
from painrehab.domain.timetable.problem import Problem, Session


def clusters(occurrences: Sequence[Occurrence]) -> list[frozenset[str]]:
    """Patients linked by shared sessions, each set closed under groups."""
    parent: dict[str, str] = {}

    def root(patient: str) -> str:
        while parent.setdefault(patient, patient) != patient:
            parent[patient] = parent[parent[patient]]
            patient = parent[patient]
        return patient

    for occurrence in occurrences:
        first, *others = occurrence.activity.patients
        for other in others:
            parent[root(other)] = root(first)
        root(first)
    found: dict[str, set[str]] = {}
    for patient in parent:
        found.setdefault(root(patient), set()).add(patient)
    return sorted((frozenset(c) for c in found.values()), key=sorted)


def quality(
    bookings: Sequence[Booking], table: Anchors, previous: Sequence[Session]
) -> tuple[int, int, int, int]:
    """The format's order: weighted minutes, kept, continuity, preferred windows."""
    sessions = {b.session() for b in bookings}
    kept = sum(1 for s in set(previous) if s in sessions)
    continuity = preferred = 0
    for booking in bookings:
        activity = booking.occurrence.activity
        continuity += bool(set(anchor_of(table, activity)) & set(booking.staff))
        window = activity.preferred_window
        if (
            window is not None
            and window[0] <= booking.start
            and booking.end <= window[1]
        ):
            preferred += 1
    minutes = sum(b.occurrence.value for b in bookings)
    return minutes, kept, continuity, preferred


class PartSearch:
    """Re-solves random parts of one day until its time is up."""

    def __init__(
        self,
        problem: Problem,
        occurrences: list[Occurrence],
        table: Anchors,
        previous: list[Session],
        part_size: int,
        seed: int,
    ) -> None:
        self.problem = problem
        self.occurrences = occurrences
        self.table = table
        self.previous = previous
        self.part_size = part_size
        self.parts = clusters(occurrences)
        self.rng = random.Random(seed)  # noqa: S311 - search randomness, not security

    def improve(
        self, bookings: list[Booking], seconds: float, workers: int, step: float
    ) -> list[Booking]:
        deadline = time.perf_counter() + seconds
        best = bookings
        while (left := deadline - time.perf_counter()) > 0.05:
            best = self._step(best, min(step, left), workers)
        return best

    def _pick(self) -> set[str]:
        order = self.parts[:]
        self.rng.shuffle(order)
        chosen: set[str] = set()
        for part in order:
            if chosen and len(chosen | part) > self.part_size:
                continue
            chosen |= part
        return chosen

    def _step(
        self, bookings: list[Booking], seconds: float, workers: int
    ) -> list[Booking]:
        chosen = self._pick()

        def inside(occurrence: Occurrence) -> bool:
            return bool(set(occurrence.activity.patients) & chosen)

        mine = [b for b in bookings if inside(b.occurrence)]
        background = [b for b in bookings if not inside(b.occurrence)]
        occurrences = [o for o in self.occurrences if inside(o)]
        previous = [s for s in self.previous if set(s.patients) & chosen]
        model = DayModel(
            self.problem,
            occurrences,
            self.table,
            previous,
            background=background,
            pinned=[b for b in mine if is_fixed(b)],  # the part's fixed sessions
        )
        build(model)
        hint(model, mine)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = seconds
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = self.rng.randrange(1 << 30)
        solver.parameters.cp_model_probing_level = 0
        status = solver.solve(model.model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return bookings
        found = model.decode(solver)
        if quality(found, self.table, previous) > quality(mine, self.table, previous):
            return background + found
        return bookings
