"""Rooms and therapy groups: create one (once per ``form_token``) or change it
(against the version or fingerprint the user saw). A name is unique among rooms,
and among groups, ignoring case.
"""

import uuid
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from painrehab.accounts.models import User
from painrehab.careplans.choices import PRESCRIBABLE_DISCIPLINES
from painrehab.scheduling.choices import RoomKind
from painrehab.scheduling.models import Room, TherapyGroup
from painrehab.scheduling.selectors_setup import GROUP_FIELDS, group_fingerprint
from painrehab.scheduling.services.setup.common import (
    AGE_BAND,
    AGE_MAX,
    AGE_RANGE,
    CAPACITY_MAX,
    CAPACITY_RANGE,
    GROUP_MAX,
    GROUP_NAME_TAKEN,
    GROUP_SIZE,
    KINDS_REQUIRED,
    NOT_A_THERAPY,
    REQUIRED,
    ROOM_NAME_TAKEN,
    STAFF_NEEDED,
    UNKNOWN_KIND,
    Errors,
    audit,
    check_role,
    diff,
    insert,
    raise_if,
    stale,
    within,
)

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
    check_role(by)
    existing = Room.objects.filter(form_token=form_token).first()
    if existing is not None:
        return existing
    raise_if(_room_errors(fields, None))
    room = Room(form_token=form_token)
    _apply_room(room, fields)
    insert(room, {"name": [ROOM_NAME_TAKEN]})
    audit(by=by, obj=room, what="room", before=None, after=_room_values(room))
    return room


@transaction.atomic
def room_change(*, by: User, room: Room, version: int, fields: RoomFields) -> Room:
    check_role(by)
    locked = Room.objects.select_for_update().get(pk=room.pk)
    if locked.version != version:
        raise stale()
    raise_if(_room_errors(fields, locked))
    before = _room_values(locked)
    _apply_room(locked, fields)
    changes = diff(before, _room_values(locked))
    if not changes:
        return locked
    locked.version += 1
    try:
        with transaction.atomic():
            locked.save()
    except IntegrityError:
        raise ValidationError({"name": [ROOM_NAME_TAKEN]}) from None
    audit(by=by, obj=locked, what="room", before=before, after=_room_values(locked))
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
        if not within(getattr(fields, key), 0, AGE_MAX):
            errors[key] = [AGE_RANGE]
    low, high = fields.min_age, fields.max_age
    if low is not None and high is not None and high < low:
        errors.setdefault("max_age", [AGE_BAND])
    if not within(fields.max_patients, 2, GROUP_MAX):
        errors["max_patients"] = [GROUP_SIZE]
    if not within(fields.staff_required, 1, GROUP_MAX):
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
    check_role(by)
    existing = TherapyGroup.objects.filter(form_token=form_token).first()
    if existing is not None:
        return existing
    raise_if(_group_errors(fields, None))
    group = TherapyGroup(form_token=form_token)
    _apply_group(group, fields)
    insert(group, {"name": [GROUP_NAME_TAKEN]})
    audit(by=by, obj=group, what="group", before=None, after=_group_values(group))
    return group


@transaction.atomic
def group_change(
    *, by: User, group: TherapyGroup, fingerprint: str, fields: GroupFields
) -> TherapyGroup:
    check_role(by)
    locked = TherapyGroup.objects.select_for_update().get(pk=group.pk)
    if group_fingerprint(locked) != fingerprint:
        raise stale()
    raise_if(_group_errors(fields, locked))
    before = _group_values(locked)
    _apply_group(locked, fields)
    if not diff(before, _group_values(locked)):
        return locked
    try:
        with transaction.atomic():
            locked.save()
    except IntegrityError:
        raise ValidationError({"name": [GROUP_NAME_TAKEN]}) from None
    after = _group_values(locked)
    audit(by=by, obj=locked, what="group", before=before, after=after)
    return locked
