"""The shape of a working day: each person's week of shifts, and the unit's day
template with its blocks. Each is saved whole or not at all, against the
fingerprint (shifts) or version (template) the user saw; rows of intervals carry
the form's ``key`` so their messages sit next to their fields.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from painrehab.accounts.models import User
from painrehab.scheduling.models import WEEKDAYS, DayTemplate, StaffShift, TemplateBlock
from painrehab.scheduling.selectors_setup import hhmm, week_fingerprint
from painrehab.scheduling.services.setup.common import (
    BREAK_MINUTES,
    BREAK_RANGE,
    LATEST_FIRST,
    REQUIRED,
    RUN_MINUTES,
    RUN_RANGE,
    Errors,
    TimeRow,
    audit,
    check_role,
    interval_errors,
    raise_if,
    stale,
    within,
)

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
    check_role(by)
    User.objects.select_for_update().filter(pk=staff.pk).first()
    current = list(StaffShift.objects.filter(staff=staff))
    if week_fingerprint(current) != fingerprint:
        raise stale()
    raise_if(_week_errors(rows))
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
    audit(by=by, obj=staff, what="shifts", before=before, after=after)
    return shifts


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
    if run is not None and not within(run, *RUN_MINUTES):
        errors["max_consecutive_minutes"] = [RUN_RANGE]
    rest = fields.min_break_minutes
    if rest is not None and not within(rest, *BREAK_MINUTES):
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
    check_role(by)
    template = DayTemplate.objects.select_for_update().filter(active=True).first()
    if (template.version if template else 0) != version:
        raise stale()
    raise_if(_template_errors(fields, blocks))
    before, after = _template_values(template), _proposed(fields, blocks)
    if template is not None and before == after:
        return template
    template = template or DayTemplate(active=True, version=0)
    _store_template(template, fields, blocks)
    audit(by=by, obj=template, what="day template", before=before or None, after=after)
    return template
