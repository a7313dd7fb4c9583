"""What every set-up write shares: the role check, the limits and messages, the
refusals (stale, invalid), the audit entry, and the check of rows of intervals
(``TimeRow``, ``interval_errors``) that shifts and template blocks both use.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory
from painrehab.audit.services import record
from painrehab.scheduling.selectors_setup import hhmm

SETUP_ROLES = frozenset({Role.COORDINATOR})
CAPACITY_MAX = 50
GROUP_MAX = 20
AGE_MAX = 25
RUN_MINUTES = (30, 720)
BREAK_MINUTES = (0, 240)

ONLY_COORDINATOR = "Only the coordinator sets up the unit."
STALE = (
    "Someone else saved this since you opened it, so nothing was saved. Reload "
    "the page to see their version, then make your change again."
)
FORM_REUSED = "This form was already used; reload the page."
REQUIRED = "Fill this in."
ROOM_NAME_TAKEN = "Another room already has this name."
GROUP_NAME_TAKEN = "Another group already has this name."
KINDS_REQUIRED = "Choose at least one kind of session."
UNKNOWN_KIND = "Choose among the kinds listed."
CAPACITY_RANGE = f"Between 1 and {CAPACITY_MAX} patients."
BOTH_TIMES = "Give both times, or neither."
REVERSED = "This ends before it starts: the end must come after the start."
OVERLAPS = "This overlaps {other}."
LATEST_FIRST = "The last session must end after the first one starts."
RUN_RANGE = f"Between {RUN_MINUTES[0]} and {RUN_MINUTES[1]} minutes, or empty."
BREAK_RANGE = f"Between {BREAK_MINUTES[0]} and {BREAK_MINUTES[1]} minutes, or empty."
NOT_A_THERAPY = "Groups are for the prescribed therapies only."
AGE_RANGE = f"Between 0 and {AGE_MAX}."
AGE_BAND = "The age band ends before it starts."
GROUP_SIZE = f"Between 2 and {GROUP_MAX} patients."
STAFF_NEEDED = "At least one person."

Errors = dict[str, list[str]]
Row = TypeVar("Row", bound=models.Model)


def check_role(by: User) -> None:
    if by.role not in SETUP_ROLES:
        raise PermissionDenied(ONLY_COORDINATOR)


def raise_if(errors: Mapping[str, list[str]]) -> None:
    if errors:
        raise ValidationError(dict(errors))


def stale() -> ValidationError:
    return ValidationError({"version": STALE})


def audit(
    *, by: User, obj: models.Model, what: str, before: object, after: object
) -> None:
    record(
        action=AuditAction.SCHEDULE_SETUP_CHANGED,
        action_type=ActionType.CREATE if before is None else ActionType.UPDATE,
        actor=by,
        data_category=DataCategory.SCHEDULE,
        obj=obj,
        changes={"what": what, "old": before, "new": after},
    )


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    return {
        k: {"old": before.get(k), "new": v}
        for k, v in after.items()
        if before.get(k) != v
    }


def insert(row: Row, errors: Errors) -> Row:
    """Save a new row; a unique clash (a name taken meanwhile) is ``errors``."""
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise ValidationError(errors) from None
    return row


def within(value: int | None, low: int, high: int) -> bool:
    return value is not None and low <= value <= high


# --- Intervals (shifts and fixed blocks) ------------------------------------------


@dataclass(frozen=True)
class TimeRow:
    """One interval the form sent; ``key`` names its fields."""

    key: str
    start: dt.time | None
    end: dt.time | None


def interval_errors(rows: Sequence[TimeRow], *, overlap: bool = True) -> Errors:
    """Half-given, reversed and (when ``overlap``) overlapping intervals.

    Touching intervals (one ends when the next starts) do not overlap.
    """
    errors: Errors = {}
    whole: list[tuple[dt.time, dt.time, str]] = []
    for row in rows:
        if row.start is None or row.end is None:
            missing = "start" if row.start is None else "end"
            errors.setdefault(f"{row.key}_{missing}", []).append(BOTH_TIMES)
        elif row.end <= row.start:
            errors.setdefault(f"{row.key}_end", []).append(REVERSED)
        else:
            whole.append((row.start, row.end, row.key))
    if overlap:
        reach: tuple[dt.time, dt.time, str] | None = None
        for start, end, key in sorted(whole):
            if reach is not None and start < reach[1]:
                other = f"{hhmm(reach[0])}–{hhmm(reach[1])}"
                message = OVERLAPS.format(other=other)
                errors.setdefault(f"{key}_start", []).append(message)
            if reach is None or end > reach[1]:
                reach = (start, end, key)
    return errors
