"""What a build collects on its way from the rows to the problem."""

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from painrehab.domain import timetable as tt
from painrehab.episodes.models import Stay
from painrehab.scheduling.builder.keys import ActivityRef
from painrehab.scheduling.builder.tables import DAY_MINUTES, SLOT_MINUTES

# Where a stored session came from: ("p", prescription pk) or ("g", group pk).
Source = tuple[str, int]


@dataclass
class Child:
    """A child on the unit during the range, and the days they are there."""

    stay: Stay
    id: str
    age: int
    label: str
    days: list[date]


@dataclass
class Build:
    """The problem's parts by id, notes for the coordinator, and the facts the
    steps share: the usual person per (episode, discipline) and the days on which
    a kept session already delivered a prescription or group."""

    dates: list[date]
    now: datetime  # local time, naive
    notes: list[str] = field(default_factory=list)
    staff: dict[str, tt.Staff] = field(default_factory=dict)
    rooms: dict[str, tt.Room] = field(default_factory=dict)
    patients: dict[str, tt.Patient] = field(default_factory=dict)
    activities: dict[str, tt.Activity] = field(default_factory=dict)
    refs: dict[str, ActivityRef] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    primaries: dict[tuple[int, str], int] = field(default_factory=dict)
    taken: dict[Source, set[date]] = field(default_factory=dict)

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def cutoff(self) -> int:
        """Minutes of today already gone, rounded up to the grid."""
        gone = self.now.hour * 60 + self.now.minute + (self.now.second > 0)
        return min(DAY_MINUTES, -(-gone // SLOT_MINUTES) * SLOT_MINUTES)

    def past_until(self, day: date) -> int:
        """Until when ``day`` is already past (0: not at all; 1440: all of it)."""
        if day < self.today:
            return DAY_MINUTES
        return self.cutoff if day == self.today else 0

    def open_days(self, days: list[date]) -> list[date]:
        """The days a new session can still be placed on."""
        return [d for d in days if self.past_until(d) <= DAY_MINUTES - SLOT_MINUTES]

    def add(self, activity: tt.Activity, ref: ActivityRef) -> None:
        self.activities[activity.id] = activity
        self.refs[activity.id] = ref

    def with_days(self, activity_id: str, days: set[str]) -> None:
        """Change an activity's days; one left with none is dropped."""
        if days:
            activity = self.activities[activity_id]
            self.activities[activity_id] = replace(activity, days=tuple(sorted(days)))
        else:
            del self.activities[activity_id]
            del self.refs[activity_id]
