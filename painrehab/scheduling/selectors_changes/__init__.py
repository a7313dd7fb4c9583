"""Reads for manual changes, absences and repairs: one session's page, the list of
absences (``session``), and a repair proposal compared with the day as it stands
(``repair``).

Children appear by name only when the viewer may see them (the access funnel),
else by bed, as on the boards. Each page read that shows children is audited
once, listing the children it showed by name.
"""

from painrehab.scheduling.selectors_changes.repair import (
    ChangeLine,
    Proposal,
    RepairView,
    proposal_of,
    repair_view,
)
from painrehab.scheduling.selectors_changes.session import (
    OPEN_REPAIR,
    AbsenceLine,
    AttendeeRow,
    HistoryLine,
    SessionPage,
    absence_list,
    audit_shown,
    repair_get,
    session_page,
    swap_label,
    why_frozen,
)

__all__ = [
    "OPEN_REPAIR",
    "AbsenceLine",
    "AttendeeRow",
    "ChangeLine",
    "HistoryLine",
    "Proposal",
    "RepairView",
    "SessionPage",
    "absence_list",
    "audit_shown",
    "proposal_of",
    "repair_get",
    "repair_view",
    "session_page",
    "swap_label",
    "why_frozen",
]
