"""The program protocol as data: which questionnaire, from whom, at which time points.

The daily pain check-in (NRS) is not here; it has its own flow. A child-respondent
entry applies only while the child's age on the due date is inside the entry's age
band, which defaults to the catalog definition's own range.
"""

from dataclasses import dataclass
from datetime import date

from painrehab.domain.ages import age_on
from painrehab.domain.scoring import get
from painrehab.instruments.choices import RespondentKind, TimePoint

ALL_POINTS = frozenset(
    {
        TimePoint.ADMISSION,
        TimePoint.WEEKLY,
        TimePoint.DISCHARGE,
        TimePoint.FOLLOW_UP,
    }
)
ANCHORS = frozenset({TimePoint.ADMISSION, TimePoint.DISCHARGE, TimePoint.FOLLOW_UP})
IN_AND_OUT = frozenset({TimePoint.ADMISSION, TimePoint.DISCHARGE})


@dataclass(frozen=True)
class ProtocolEntry:
    """One instrument given to one respondent at a set of time points."""

    code: str
    respondent: RespondentKind
    time_points: frozenset[TimePoint]
    age_min: int | None = None  # None: the definition's own age range
    age_max: int | None = None

    def __post_init__(self) -> None:
        definition = get(self.code)  # unknown codes fail at import, not at a bedside
        if str(definition.respondent) != self.respondent:
            raise ValueError(f"{self.code} is answered by {definition.respondent}")

    @property
    def age_band(self) -> tuple[int | None, int | None]:
        definition = get(self.code)
        return (
            self.age_min if self.age_min is not None else definition.age_min,
            self.age_max if self.age_max is not None else definition.age_max,
        )

    def applies(self, *, birth_date: date, on: date) -> bool:
        """Child entries only inside the age band; parent and clinician always."""
        if self.respondent != RespondentKind.CHILD:
            return True
        low, high = self.age_band
        age = age_on(birth_date, on) if on >= birth_date else 0
        return (low is None or age >= low) and (high is None or age <= high)


Protocol = tuple[ProtocolEntry, ...]

CHILD, PARENT = RespondentKind.CHILD, RespondentKind.PARENT

DEFAULT_PROTOCOL: Protocol = (
    ProtocolEntry("FDI-C", CHILD, ALL_POINTS, age_min=8, age_max=17),
    ProtocolEntry("FDI-P", PARENT, ALL_POINTS),
    ProtocolEntry("PCS-C", CHILD, ANCHORS),
    ProtocolEntry("PCS-P", PARENT, ANCHORS),
    ProtocolEntry("FOPQ-C-SF", CHILD, ANCHORS),
    ProtocolEntry("CES-DC", CHILD, IN_AND_OUT),
    ProtocolEntry("PROMIS-PED-PAININT-8A", CHILD, ALL_POINTS),
    ProtocolEntry("ARCS", PARENT, IN_AND_OUT),
)

# Days the admission battery may take (days 0-2 of the stay); the same grace applies
# to every time point before an item counts as overdue.
GRACE_DAYS = 2
WEEK_DAYS = 7


def entries_at(protocol: Protocol, time_point: TimePoint) -> Protocol:
    return tuple(entry for entry in protocol if time_point in entry.time_points)
