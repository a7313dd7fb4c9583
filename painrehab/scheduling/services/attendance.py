"""Attendance: whether each child came to a session, recorded once it has started.

The session's own staff and the coordinator record it; partial attendance, a
missed session and a refusal need a reason. The row carries a ``version``, so two
people marking the same child at once cannot overwrite each other.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory
from painrehab.audit.services import record
from painrehab.scheduling.choices import ATTENDANCE_NEEDS_REASON, AttendanceStatus
from painrehab.scheduling.models import Session, SessionPatient

REASON_MAX = 200

NOT_YOURS = _("Only the session's staff and the coordinator record its attendance.")
NOT_STARTED = _("Attendance is recorded once the session has started.")
BAD_STATUS = _("Choose attended, partly attended, missed or refused.")
REASON_NEEDED = _("Say why (for partly attended, missed or refused).")
REASON_TOO_LONG = _("Keep the reason under 200 characters.")
STALE = _(
    "Someone else recorded this child's attendance in the meantime; "
    "here is what they saved. Nothing was changed."
)


def session_starts_at(session: Session) -> dt.datetime:
    """The session's start as an aware datetime in the unit's time zone."""
    return timezone.make_aware(dt.datetime.combine(session.day, session.start))


def has_started(session: Session, now: dt.datetime | None = None) -> bool:
    return session_starts_at(session) <= (now or timezone.now())


def may_record(user: User, session: Session) -> bool:
    """The coordinator, or a person delivering the session."""
    if user.role == Role.COORDINATOR:
        return True
    return session.staff.filter(pk=user.pk).exists()


def _validated(status: str, reason: str) -> str:
    reason = reason.strip()
    if status not in AttendanceStatus.values:
        raise ValidationError({"status": BAD_STATUS})
    if status in ATTENDANCE_NEEDS_REASON and not reason:
        raise ValidationError({"reason": REASON_NEEDED})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": REASON_TOO_LONG})
    return reason


def attendance_record(
    *,
    attendee: SessionPatient,
    by: User,
    status: str,
    reason: str,
    version: int,
    now: dt.datetime | None = None,
) -> SessionPatient:
    """Mark one child of a session attended, partly attended, missed or refused.

    Refused (nothing written): someone other than the session's staff or the
    coordinator, a session not yet started, a missing reason, a stale version.
    Saving what is already recorded changes nothing.
    """
    session = attendee.session
    if not may_record(by, session):
        raise PermissionDenied(NOT_YOURS)
    if not has_started(session, now):
        raise ValidationError({"status": NOT_STARTED})
    reason = _validated(status, reason)
    with transaction.atomic():
        row = SessionPatient.objects.select_for_update().get(pk=attendee.pk)
        if (row.attendance, row.reason) == (status, reason):
            return row  # already so: a double click, or the same answer again
        if row.version != version:
            raise ValidationError({"version": STALE})
        old = row.attendance
        row.attendance, row.reason = status, reason
        row.recorded_by, row.recorded_at = by, timezone.now()
        row.version += 1
        row.save(
            update_fields=[
                "attendance",
                "reason",
                "recorded_by",
                "recorded_at",
                "version",
            ]
        )
        record(
            action=AuditAction.SCHEDULE_ATTENDANCE_RECORDED,
            action_type=ActionType.UPDATE if old else ActionType.CREATE,
            actor=by,
            patient_id=row.episode.patient_id,
            data_category=DataCategory.SCHEDULE,
            obj=row,
            changes={
                "session": session.pk,
                "attendance": {"old": old, "new": status},
                "reason_given": bool(reason),
            },
        )
    return row
