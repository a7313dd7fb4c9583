"""Prescriptions: what the timetable will schedule. Added, changed with a reason,
stopped with a reason; never deleted."""

import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from painrehab.accounts.choices import Discipline
from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction
from painrehab.careplans.choices import PrescriptionStatus
from painrehab.careplans.inputs import PrescriptionFields
from painrehab.careplans.models import CarePlan, Prescription
from painrehab.careplans.rules import Part, check_may_edit
from painrehab.careplans.services._common import (
    FORM_REUSED,
    REASON_REQUIRED,
    admitted_on,
    changed,
    check_open,
    check_reader,
    check_version,
    diff,
    locked_plan,
    raise_if,
)
from painrehab.careplans.validation import prescription_errors

ALREADY_STOPPED = "This prescription is stopped; add a new one instead."
STOP_BEFORE_START = "A prescription cannot stop before it starts ({starts})."


def prescription_label(prescription: Prescription) -> str:
    discipline = Discipline(prescription.discipline).label
    name = prescription.label or discipline
    return f"{name} ({prescription.discipline})"


def _same_plan(existing: Prescription, plan: CarePlan) -> Prescription:
    if existing.care_plan_id != plan.pk:
        raise ValidationError({"form_token": FORM_REUSED})
    return existing


def _insert(row: Prescription) -> bool:
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        return False
    return True


@transaction.atomic
def prescription_create(
    *,
    care_plan: CarePlan,
    by: User,
    form_token: uuid.UUID,
    fields: PrescriptionFields,
    reason: str = "",
) -> Prescription:
    """Add a therapy to the plan; the same ``form_token`` again returns the same
    row (a double click makes one prescription)."""
    plan = locked_plan(care_plan)
    check_reader(by, plan)
    existing = Prescription.objects.filter(form_token=form_token).first()
    if existing is not None:
        return _same_plan(existing, plan)
    check_open(plan)
    check_may_edit(by, Part.PRESCRIPTION, fields.discipline)
    raise_if(prescription_errors(fields, admitted_on=admitted_on(plan)))
    row = Prescription(care_plan=plan, created_by=by, form_token=form_token)
    for name, value in fields.as_stored().items():
        setattr(row, name, value)
    row.full_clean()
    if not _insert(row):
        return _same_plan(Prescription.objects.get(form_token=form_token), plan)
    changed(
        plan=plan,
        by=by,
        action=AuditAction.PRESCRIPTION_CREATED,
        action_type=ActionType.CREATE,
        obj=row,
        subject="prescription",
        label=prescription_label(row),
        changes=diff({}, fields.as_stored()),
        reason=reason.strip(),
    )
    return row


def _locked(prescription: Prescription) -> Prescription:
    return (
        Prescription.objects.select_for_update(of=("self",))
        .select_related("care_plan__episode__stay")
        .get(pk=prescription.pk)
    )


def _check_writable(locked: Prescription, by: User, version: int) -> None:
    plan = locked.care_plan
    check_reader(by, plan)
    check_open(plan)
    check_may_edit(by, Part.PRESCRIPTION, locked.discipline)
    check_version(locked, version)
    if locked.status == PrescriptionStatus.STOPPED:
        raise ValidationError(ALREADY_STOPPED)


@transaction.atomic
def prescription_change(
    *,
    prescription: Prescription,
    by: User,
    version: int,
    reason: str,
    fields: PrescriptionFields,
) -> Prescription:
    """Change a prescription seen at ``version`` to ``fields``, saying why.

    ``fields`` is the whole new state: ``replace(PrescriptionFields.of(p), …)``.
    Refusals: ``PermissionDenied`` (not the user's discipline), ``ValidationError``
    keyed by field (bad values, missing reason, ``version`` when stale).
    """
    locked = _locked(prescription)
    _check_writable(locked, by, version)
    check_may_edit(by, Part.PRESCRIPTION, fields.discipline)
    errors = prescription_errors(fields, admitted_on=admitted_on(locked.care_plan))
    if not reason.strip():
        errors.setdefault("reason", []).append(REASON_REQUIRED)
    raise_if(errors)
    changes = diff(PrescriptionFields.of(locked).as_stored(), fields.as_stored())
    if not changes:
        return locked
    for name, change in changes.items():
        setattr(locked, name, change["new"])
    locked.version += 1
    locked.full_clean()
    locked.save(update_fields=[*changes, "version", "updated_at"])
    changed(
        plan=locked.care_plan,
        by=by,
        action=AuditAction.PRESCRIPTION_CHANGED,
        action_type=ActionType.UPDATE,
        obj=locked,
        subject="prescription",
        label=prescription_label(locked),
        changes=changes,
        reason=reason.strip(),
    )
    return locked


@transaction.atomic
def prescription_stop(
    *,
    prescription: Prescription,
    by: User,
    version: int,
    reason: str,
    stopped_on: date | None = None,
) -> Prescription:
    """Stop a prescription from ``stopped_on`` (today by default), saying why."""
    locked = _locked(prescription)
    _check_writable(locked, by, version)
    stop = stopped_on or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = [REASON_REQUIRED]
    if stop < locked.starts_on:
        errors["stopped_on"] = [STOP_BEFORE_START.format(starts=locked.starts_on)]
    raise_if(errors)
    changes = {
        "status": {"old": locked.status, "new": str(PrescriptionStatus.STOPPED)},
        "stopped_on": {"old": None, "new": stop.isoformat()},
    }
    locked.status = PrescriptionStatus.STOPPED
    locked.stopped_on = stop
    locked.stop_reason = reason.strip()
    locked.version += 1
    locked.full_clean()
    locked.save(
        update_fields=["status", "stopped_on", "stop_reason", "version", "updated_at"]
    )
    changed(
        plan=locked.care_plan,
        by=by,
        action=AuditAction.PRESCRIPTION_ENDED,
        action_type=ActionType.UPDATE,
        obj=locked,
        subject="prescription",
        label=prescription_label(locked),
        changes=changes,
        reason=locked.stop_reason,
    )
    return locked
