"""The time axis of the boards: 15-minute slots, and items laid out in lanes."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Generic, TypeVar

from django.db.models import Prefetch

from painrehab.scheduling.models import DayTemplate, TemplateBlock

SLOT_MINUTES = 15
DEFAULT_DAY = (time(8, 0), time(17, 30))
WEEK = 7
SCHOOL_DAYS = 5

T = TypeVar("T")


def minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def clock(total: int) -> str:
    return f"{total // 60:02d}:{total % 60:02d}"


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Cell(Generic[T]):
    """A cell of a grid lane: ``span`` slots from slot ``start``, empty or an item.

    ``repeat`` marks a session already shown higher up the same grid (a session
    with two therapists), so its actions appear once.
    """

    start: int
    span: int
    item: T | None
    on_hour: bool
    repeat: bool = False


@dataclass(frozen=True)
class TimeColumn:
    label: str
    span: int


@dataclass(frozen=True)
class Grid:
    """The time axis of a board: ``low`` to ``high`` minutes in 15-minute slots."""

    low: int
    high: int

    @property
    def slots(self) -> int:
        return (self.high - self.low) // SLOT_MINUTES

    def columns(self) -> tuple[TimeColumn, ...]:
        """The hours over the slots (the first and last may be part hours)."""
        result = []
        at = self.low
        while at < self.high:
            end = min(self.high, (at // 60 + 1) * 60)
            result.append(TimeColumn(clock(at), (end - at) // SLOT_MINUTES))
            at = end
        return tuple(result)

    def times(self) -> tuple[str, ...]:
        return tuple(clock(m) for m in range(self.low, self.high, SLOT_MINUTES))

    def lanes(
        self, items: Iterable[tuple[time, time, T]]
    ) -> tuple[tuple[Cell[T], ...], ...]:
        """``items`` (start, end, payload) in the fewest lanes where none overlap.

        Each lane covers every slot once: an item's cell spans its slots (clipped
        to the grid); free slots are empty cells, one per hour or part of one.
        """
        placed: list[list[tuple[int, int, T]]] = []
        for start, end, item in sorted(items, key=lambda i: (i[0], i[1])):
            first = max(self.low, minutes(start)) - self.low
            last = min(self.high, minutes(end)) - self.low
            if last <= first:
                continue
            entry = (first // SLOT_MINUTES, -(-last // SLOT_MINUTES), item)
            lane = next((ln for ln in placed if ln[-1][1] <= entry[0]), None)
            if lane is None:
                placed.append([entry])
            else:
                lane.append(entry)
        return tuple(self._cells(lane) for lane in placed) or (self._cells([]),)

    def _cells(self, lane: Sequence[tuple[int, int, T]]) -> tuple[Cell[T], ...]:
        cells: list[Cell[T]] = []
        at = 0
        for first, last, item in lane:
            cells.extend(self._free(at, first))
            cells.append(Cell(first, last - first, item, self._on_hour(first)))
            at = last
        cells.extend(self._free(at, self.slots))
        return tuple(cells)

    def _free(self, first: int, last: int) -> list[Cell[T]]:
        """Empty cells over ``first`` to ``last``, one per hour or part of one (so
        the hour lines show, and a board holds few cells)."""
        cells: list[Cell[T]] = []
        at = first
        while at < last:
            minute = self.low + at * SLOT_MINUTES
            end = min(last, at + (60 - minute % 60) // SLOT_MINUTES)
            cells.append(Cell(at, end - at, None, self._on_hour(at)))
            at = end
        return cells

    def _on_hour(self, slot: int) -> bool:
        return (self.low + slot * SLOT_MINUTES) % 60 == 0


def grid_for(template: DayTemplate | None, spans: Iterable[tuple[time, time]]) -> Grid:
    """The template's day (08:00 to 17:30 without one) from the hour, widened to
    hold every session."""
    low, high = (template.earliest, template.latest) if template else DEFAULT_DAY
    pairs = list(spans)
    first = min([minutes(low), *(minutes(s) for s, _e in pairs)])
    last = max([minutes(high), *(minutes(e) for _s, e in pairs)])
    return Grid(first - first % 60, -(-last // SLOT_MINUTES) * SLOT_MINUTES)


def active_template() -> DayTemplate | None:
    blocks = TemplateBlock.objects.order_by("start", "pk")
    return (
        DayTemplate.objects.filter(active=True)
        .prefetch_related(Prefetch("blocks", queryset=blocks))
        .first()
    )
