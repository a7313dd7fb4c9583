"""Setting up the unit: rooms, each person's weekly shifts, the day template and
the therapy groups. The coordinator's writes; the director reads.

Every write checks, in this order: the role (``PermissionDenied``), the version
or fingerprint the user saw (``ValidationError({"version": STALE})``), then the
values (``ValidationError`` keyed by the form's field names, so each message sits
next to its field). Nothing is written when a check refuses: a week of shifts or
a template with its blocks is saved whole or not at all. Each write is audited
``schedule.setup_changed`` with the values before and after.

Rows of intervals (shifts, blocks) carry the form's ``key``: their fields are
``<key>_start`` and ``<key>_end``, where their messages go.

Modules: ``common`` (the role check, limits and messages, refusals, audit, rows
of intervals), ``rooms`` (rooms and therapy groups), ``day`` (the week of shifts
and the day template).
"""

from painrehab.scheduling.services.setup.common import (
    AGE_BAND,
    AGE_MAX,
    AGE_RANGE,
    BOTH_TIMES,
    BREAK_MINUTES,
    BREAK_RANGE,
    CAPACITY_MAX,
    CAPACITY_RANGE,
    FORM_REUSED,
    GROUP_MAX,
    GROUP_NAME_TAKEN,
    GROUP_SIZE,
    KINDS_REQUIRED,
    LATEST_FIRST,
    NOT_A_THERAPY,
    ONLY_COORDINATOR,
    OVERLAPS,
    REQUIRED,
    REVERSED,
    ROOM_NAME_TAKEN,
    RUN_MINUTES,
    RUN_RANGE,
    SETUP_ROLES,
    STAFF_NEEDED,
    STALE,
    UNKNOWN_KIND,
    Errors,
    TimeRow,
    interval_errors,
)
from painrehab.scheduling.services.setup.day import (
    BlockRow,
    ShiftRow,
    TemplateFields,
    template_save,
    week_save,
)
from painrehab.scheduling.services.setup.rooms import (
    GroupFields,
    RoomFields,
    group_change,
    group_create,
    room_change,
    room_create,
)

__all__ = [
    "AGE_BAND",
    "AGE_MAX",
    "AGE_RANGE",
    "BOTH_TIMES",
    "BREAK_MINUTES",
    "BREAK_RANGE",
    "CAPACITY_MAX",
    "CAPACITY_RANGE",
    "FORM_REUSED",
    "GROUP_MAX",
    "GROUP_NAME_TAKEN",
    "GROUP_SIZE",
    "KINDS_REQUIRED",
    "LATEST_FIRST",
    "NOT_A_THERAPY",
    "ONLY_COORDINATOR",
    "OVERLAPS",
    "REQUIRED",
    "REVERSED",
    "ROOM_NAME_TAKEN",
    "RUN_MINUTES",
    "RUN_RANGE",
    "SETUP_ROLES",
    "STAFF_NEEDED",
    "STALE",
    "UNKNOWN_KIND",
    "BlockRow",
    "Errors",
    "GroupFields",
    "RoomFields",
    "ShiftRow",
    "TemplateFields",
    "TimeRow",
    "group_change",
    "group_create",
    "interval_errors",
    "room_change",
    "room_create",
    "template_save",
    "week_save",
]
