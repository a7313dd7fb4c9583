"""Scheduling pages: one session (move, swap, lock, attendance), absences and the
repair they lead to (see docs/scheduling.md, "Manual changes, absences and
attendance").

Refusals come back next to the form that caused them, with nothing changed:
400 for input the form cannot read, 409 for a change the timetable refuses (a
clash, a stale version, a session already under way). A request from HTMX gets
only the part of the page it replaces.

Modules: ``common`` (what the pages share, the session page itself),
``sessions`` (detail, move, swap, lock), ``attendance``, ``absences`` (absences
and repairs). ``urlpatterns`` lists them all; the views are here too, but for
``attendance``, which names its module (the view is ``attendance.attendance``).
"""

from painrehab.scheduling.views.changes import absences, attendance, sessions
from painrehab.scheduling.views.changes.absences import (
    absence_cancel,
    absence_list,
    absence_new,
    absence_repair,
    repair,
    repair_accept,
    repair_discard,
)
from painrehab.scheduling.views.changes.common import detail_url
from painrehab.scheduling.views.changes.sessions import (
    session_detail,
    session_lock,
    session_move,
    session_swap,
)

urlpatterns = [
    *sessions.urlpatterns,
    *attendance.urlpatterns,
    *absences.urlpatterns,
]

__all__ = [
    "absence_cancel",
    "absence_list",
    "absence_new",
    "absence_repair",
    "absences",
    "attendance",
    "detail_url",
    "repair",
    "repair_accept",
    "repair_discard",
    "session_detail",
    "session_lock",
    "session_move",
    "session_swap",
    "sessions",
    "urlpatterns",
]
