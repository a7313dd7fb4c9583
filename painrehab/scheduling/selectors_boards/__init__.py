"""Reads for the timetable boards: the unit's day, a therapist's day, a child's
week (and its printout) and what the solver could not place.

Each board costs a fixed number of queries however many children and sessions it
shows: sessions come with their room, group, staff and children in one prefetch
each, and whether the viewer may see each child is a subquery annotation (the
access funnel's own filter). A child the viewer may not see is shown by bed only.
Each page is audited once, listing the children it showed by name (as the other
list pages do), so the audit too costs the same for 12 children or 48.

``grid`` lays items out on a time axis; ``common`` holds what every board shows
of a session and a child; ``unit``, ``child`` and ``unscheduled`` build the pages.
"""

from painrehab.scheduling.selectors_boards.child import PatientDays, patient_days
from painrehab.scheduling.selectors_boards.grid import WEEK, monday_of
from painrehab.scheduling.selectors_boards.unit import (
    StaffDay,
    UnitDay,
    staff_day,
    unit_day,
)
from painrehab.scheduling.selectors_boards.unscheduled import (
    UnscheduledWeek,
    unscheduled_week,
)

__all__ = [
    "WEEK",
    "PatientDays",
    "StaffDay",
    "UnitDay",
    "UnscheduledWeek",
    "monday_of",
    "patient_days",
    "staff_day",
    "unit_day",
    "unscheduled_week",
]
