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
"""

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory
from painrehab.audit.services import record
from painrehab.careplans.choices import PRESCRIBABLE_DISCIPLINES
from painrehab.scheduling.choices import RoomKind
from painrehab.scheduling.models import (
    WEEKDAYS,
    DayTemplate,
    Room,
    StaffShift,
    TemplateBlock,
    TherapyGroup,
)
from painrehab.scheduling.selectors_setup import (
    GROUP_FIELDS,
    group_fingerprint,
    hhmm,
    week_fingerprint,
)

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


def _check_role(by: User) -> None:
    if by.role not in SETUP_ROLES:
        raise PermissionDenied(ONLY_COORDINATOR)


def _raise_if(errors: Mapping[str, list[str]]) -> None:
    if errors:
        raise ValidationError(dict(errors))


def _stale() -> ValidationError:
    return ValidationError({"version": STALE})


def _audit(
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


def _diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    return {
        k: {"old": before.get(k), "new": v}
        for k, v in after.items()
        if before.get(k) != v
    }


def _insert(row: Row, errors: Errors) -> Row:
    """Save a new row; a unique clash (a name taken meanwhile) is ``errors``."""
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise ValidationError(errors) from None
    return row


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


# --- A person's week of shifts ----------------------------------------------------


@dataclass(frozen=True)
class ShiftRow(TimeRow):
    weekday: int = 0


def _week_values(shifts: Sequence[StaffShift]) -> dict[str, list[str]]:
    days: dict[str, list[str]] = {}
    for s in sorted(shifts, key=lambda s: (s.weekday, s.start)):
        days.setdefault(str(s.weekday), []).append(f"{hhmm(s.start)}-{hhmm(s.end)}")
    return days


def _week_errors(rows: Sequence[ShiftRow]) -> Errors:
    errors: Errors = {}
    for weekday in range(WEEKDAYS):
        errors.update(interval_errors([r for r in rows if r.weekday == weekday]))
    for row in rows:
        if not 0 <= row.weekday < WEEKDAYS:
            errors.setdefault(f"{row.key}_start", []).append(REQUIRED)
    return errors


@transaction.atomic
def week_save(
    *, by: User, staff: User, fingerprint: str, rows: Sequence[ShiftRow]
) -> list[StaffShift]:
    """Replace ``staff``'s weekly shifts with ``rows``, whole or not at all."""
    _check_role(by)
    User.objects.select_for_update().filter(pk=staff.pk).first()
    current = list(StaffShift.objects.filter(staff=staff))
    if week_fingerprint(current) != fingerprint:
        raise _stale()
    _raise_if(_week_errors(rows))
    shifts = [
        StaffShift(staff=staff, weekday=r.weekday, start=r.start, end=r.end)
        for r in rows
        if r.start is not None and r.end is not None
    ]
    before, after = _week_values(current), _week_values(shifts)
    if before == after:
        return current
    StaffShift.objects.filter(staff=staff).delete()
    StaffShift.objects.bulk_create(shifts)
    _audit(by=by, obj=staff, what="shifts", before=before, after=after)
    return shifts


# --- Rooms ------------------------------------------------------------------------


@dataclass(frozen=True)
class RoomFields:
    name: str
    kinds: tuple[str, ...]
    capacity: int | None
    active: bool = True

    def values(self) -> dict[str, Any]:
        return {**asdict(self), "kinds": sorted(self.kinds)}


def _room_errors(fields: RoomFields, room: Room | None) -> Errors:
    errors: Errors = {}
    name = fields.name.strip()
    taken = Room.objects.filter(name__iexact=name)
    if room is not None:
        taken = taken.exclude(pk=room.pk)
    if not name:
        errors["name"] = [REQUIRED]
    elif taken.exists():
        errors["name"] = [ROOM_NAME_TAKEN]
    if not fields.kinds:
        errors["kinds"] = [KINDS_REQUIRED]
    elif set(fields.kinds) - set(RoomKind.values):
        errors["kinds"] = [UNKNOWN_KIND]
    if fields.capacity is None or not 1 <= fields.capacity <= CAPACITY_MAX:
        errors["capacity"] = [CAPACITY_RANGE]
    return errors


def _room_values(room: Room) -> dict[str, Any]:
    return {
        "name": room.name,
        "kinds": sorted(room.kinds),
        "capacity": room.capacity,
        "active": room.active,
    }


def _apply_room(room: Room, fields: RoomFields) -> None:
    room.name = fields.name.strip()
    room.kinds = [k for k in RoomKind.values if k in fields.kinds]
    room.capacity = fields.capacity or 1
    room.active = fields.active


@transaction.atomic
def room_create(*, by: User, fields: RoomFields, form_token: uuid.UUID) -> Room:
    """A new room; the same ``form_token`` again returns it."""
    _check_role(by)
    existing = Room.objects.filter(form_token=form_token).first()
    if existing is not None:
        return existing
    _raise_if(_room_errors(fields, None))
    room = Room(form_token=form_token)
    _apply_room(room, fields)
    _insert(room, {"name": [ROOM_NAME_TAKEN]})
    _audit(by=by, obj=room, what="room", before=None, after=_room_values(room))
    return room


@transaction.atomic
def room_change(*, by: User, room: Room, version: int, fields: RoomFields) -> Room:
    _check_role(by)
    locked = Room.objects.select_for_update().get(pk=room.pk)
    if locked.version != version:
        raise _stale()
    _raise_if(_room_errors(fields, locked))
    before = _room_values(locked)
    _apply_room(locked, fields)
    changes = _diff(before, _room_values(locked))
    if not changes:
        return locked
    locked.version += 1
    try:
        with transaction.atomic():
            locked.save()
    except IntegrityError:
        raise ValidationError({"name": [ROOM_NAME_TAKEN]}) from None
    _audit(by=by, obj=locked, what="room", before=before, after=_room_values(locked))
    return locked


# --- Therapy groups ---------------------------------------------------------------


@dataclass(frozen=True)
class GroupFields:
    name: str
    discipline: str
    label: str
    min_age: int | None
    max_age: int | None
    max_patients: int | None
    staff_required: int | None
    active: bool = True


def _in(value: int | None, low: int, high: int) -> bool:
    return value is not None and low <= value <= high


def _group_errors(fields: GroupFields, group: TherapyGroup | None) -> Errors:
    errors: Errors = {}
    name = fields.name.strip()
    taken = TherapyGroup.objects.filter(name__iexact=name)
    if group is not None:
        taken = taken.exclude(pk=group.pk)
    if not name:
        errors["name"] = [REQUIRED]
    elif taken.exists():
        errors["name"] = [GROUP_NAME_TAKEN]
    if fields.discipline not in PRESCRIBABLE_DISCIPLINES:
        errors["discipline"] = [NOT_A_THERAPY]
    if not fields.label.strip():
        errors["label"] = [REQUIRED]
    for key in ("min_age", "max_age"):
        if not _in(getattr(fields, key), 0, AGE_MAX):
            errors[key] = [AGE_RANGE]
    low, high = fields.min_age, fields.max_age
    if low is not None and high is not None and high < low:
        errors.setdefault("max_age", [AGE_BAND])
    if not _in(fields.max_patients, 2, GROUP_MAX):
        errors["max_patients"] = [GROUP_SIZE]
    if not _in(fields.staff_required, 1, GROUP_MAX):
        errors["staff_required"] = [STAFF_NEEDED]
    return errors


def _group_values(group: TherapyGroup) -> dict[str, Any]:
    return {name: getattr(group, name) for name in GROUP_FIELDS}


def _apply_group(group: TherapyGroup, fields: GroupFields) -> None:
    values = asdict(fields)
    values["name"] = fields.name.strip()
    values["label"] = fields.label.strip()
    for name in GROUP_FIELDS:
        setattr(group, name, values[name])


@transaction.atomic
def group_create(
    *, by: User, fields: GroupFields, form_token: uuid.UUID
) -> TherapyGroup:
    """A new therapy group; the same ``form_token`` again returns it."""
    _check_role(by)
    existing = TherapyGroup.objects.filter(form_token=form_token).first()
    if existing is not None:
        return existing
    _raise_if(_group_errors(fields, None))
    group = TherapyGroup(form_token=form_token)
    _apply_group(group, fields)
    _insert(group, {"name": [GROUP_NAME_TAKEN]})
    _audit(by=by, obj=group, what="group", before=None, after=_group_values(group))
    return group


@transaction.atomic
def group_change(
    *, by: User, group: TherapyGroup, fingerprint: str, fields: GroupFields
) -> TherapyGroup:
    _check_role(by)
    locked = TherapyGroup.objects.select_for_update().get(pk=group.pk)
    if group_fingerprint(locked) != fingerprint:
        raise _stale()
    _raise_if(_group_errors(fields, locked))
    before = _group_values(locked)
    _apply_group(locked, fields)
    if not _diff(before, _group_values(locked)):
        return locked
    try:
        with transaction.atomic():
            locked.save()
    except IntegrityError:
        raise ValidationError({"name": [GROUP_NAME_TAKEN]}) from None
    after = _group_values(locked)
    _audit(by=by, obj=locked, what="group", before=before, after=after)
    return locked


# --- The day template -------------------------------------------------------------


@dataclass(frozen=True)
class BlockRow(TimeRow):
    label: str = ""
    fixed: bool = True


@dataclass(frozen=True)
class TemplateFields:
    name: str
    earliest: dt.time | None
    latest: dt.time | None
    max_consecutive_minutes: int | None
    min_break_minutes: int | None


def _template_errors(fields: TemplateFields, blocks: Sequence[BlockRow]) -> Errors:
    errors: Errors = {}
    if not fields.name.strip():
        errors["name"] = [REQUIRED]
    for key in ("earliest", "latest"):
        if getattr(fields, key) is None:
            errors[key] = [REQUIRED]
    if fields.earliest and fields.latest and fields.latest <= fields.earliest:
        errors["latest"] = [LATEST_FIRST]
    run = fields.max_consecutive_minutes
    if run is not None and not _in(run, *RUN_MINUTES):
        errors["max_consecutive_minutes"] = [RUN_RANGE]
    rest = fields.min_break_minutes
    if rest is not None and not _in(rest, *BREAK_MINUTES):
        errors["min_break_minutes"] = [BREAK_RANGE]
    for block in blocks:
        if not block.label.strip():
            errors.setdefault(f"{block.key}_label", []).append(REQUIRED)
    errors.update(interval_errors([b for b in blocks if not b.fixed], overlap=False))
    for name, texts in interval_errors([b for b in blocks if b.fixed]).items():
        errors.setdefault(name, []).extend(texts)
    return errors


def _template_values(template: DayTemplate | None) -> dict[str, Any]:
    if template is None:
        return {}
    blocks = template.blocks.order_by("start", "pk")
    rows = [BlockRow("", b.start, b.end, b.label, b.fixed) for b in blocks]
    return _proposed(_fields_of(template), rows)


def _fields_of(template: DayTemplate) -> TemplateFields:
    return TemplateFields(
        name=template.name,
        earliest=template.earliest,
        latest=template.latest,
        max_consecutive_minutes=template.max_consecutive_minutes,
        min_break_minutes=template.min_break_minutes,
    )


def _proposed(fields: TemplateFields, blocks: Sequence[BlockRow]) -> dict[str, Any]:
    """The template as the audit trail shows it (times as "HH:MM")."""
    ordered = sorted(
        blocks, key=lambda b: (b.start or dt.time.min, b.end or dt.time.min)
    )
    return {
        "name": fields.name.strip(),
        "earliest": hhmm(fields.earliest),
        "latest": hhmm(fields.latest),
        "max_consecutive_minutes": fields.max_consecutive_minutes,
        "min_break_minutes": fields.min_break_minutes,
        "blocks": [
            [b.label.strip(), hhmm(b.start), hhmm(b.end), b.fixed] for b in ordered
        ],
    }


def _store_template(
    template: DayTemplate, fields: TemplateFields, blocks: Sequence[BlockRow]
) -> None:
    if fields.earliest is None or fields.latest is None:
        raise ValidationError({"earliest": [REQUIRED]})
    template.name = fields.name.strip()
    template.earliest = fields.earliest
    template.latest = fields.latest
    template.max_consecutive_minutes = fields.max_consecutive_minutes
    template.min_break_minutes = fields.min_break_minutes
    template.version += 1
    template.save()
    template.blocks.all().delete()
    TemplateBlock.objects.bulk_create(
        TemplateBlock(
            template=template,
            label=b.label.strip(),
            start=start,
            end=end,
            fixed=b.fixed,
        )
        for b in blocks
        if (start := b.start) is not None and (end := b.end) is not None
    )


@transaction.atomic
def template_save(
    *, by: User, version: int, fields: TemplateFields, blocks: Sequence[BlockRow]
) -> DayTemplate:
    """Save the active day template and its blocks (a first one has version 0)."""
    _check_role(by)
    template = DayTemplate.objects.select_for_update().filter(active=True).first()
    if (template.version if template else 0) != version:
        raise _stale()
    _raise_if(_template_errors(fields, blocks))
    before, after = _template_values(template), _proposed(fields, blocks)
    if template is not None and before == after:
        return template
    template = template or DayTemplate(active=True, version=0)
    _store_template(template, fields, blocks)
    _audit(by=by, obj=template, what="day template", before=before or None, after=after)
    return template
