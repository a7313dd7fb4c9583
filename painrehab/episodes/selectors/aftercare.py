"""Clinic follow-ups that need the coordinator: due soon, overdue, or missed."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, DataCategory
from painrehab.audit.services import record
from painrehab.episodes.choices import OPEN_PHASES, FollowUpStatus
from painrehab.episodes.models import FollowUp
from painrehab.episodes.selectors.census import PatientRef, patient_ref
from painrehab.patients.models import Patient

FOLLOW_UPS_VIEWED = "follow_ups.viewed"
DUE_WITHIN_DAYS = 30
# A scheduled visit this long past its date was probably missed: someone should check.
PROBABLY_MISSED_AFTER_DAYS = 14
LABEL_DUE = _("Due")
LABEL_OVERDUE = _("Overdue")
LABEL_PROBABLY_MISSED = _("Missed?")
LABEL_MISSED = _("Missed")


@dataclass(frozen=True)
class FollowUpLine:
    follow_up_id: int
    episode_id: int
    patient: PatientRef
    months_after: int
    due_on: date
    status: str
    label: str
    needs_action: bool
    days_overdue: int


def follow_up_state(follow_up: FollowUp, today: date) -> tuple[str, bool]:
    """The label a list shows for a visit, and whether it needs someone to act."""
    if follow_up.status == FollowUpStatus.MISSED:
        return str(LABEL_MISSED), True
    overdue = (today - follow_up.due_on).days
    if overdue > PROBABLY_MISSED_AFTER_DAYS:
        return str(LABEL_PROBABLY_MISSED), True
    return (str(LABEL_OVERDUE) if overdue > 0 else str(LABEL_DUE)), False


def _line(follow_up: FollowUp, today: date) -> FollowUpLine:
    label, needs_action = follow_up_state(follow_up, today)
    return FollowUpLine(
        follow_up_id=follow_up.pk,
        episode_id=follow_up.episode_id,
        patient=patient_ref(follow_up.episode.patient, visible=True),
        months_after=follow_up.months_after,
        due_on=follow_up.due_on,
        status=follow_up.status,
        label=label,
        needs_action=needs_action,
        days_overdue=max(0, (today - follow_up.due_on).days),
    )


def follow_up_list(*, user: User, today: date) -> tuple[FollowUpLine, ...]:
    """Visits due in the next 30 days, every overdue one, and missed ones still open."""
    horizon = today + timedelta(days=DUE_WITHIN_DAYS)
    follow_ups = (
        FollowUp.objects.filter(episode__patient__in=Patient.objects.visible_to(user))
        .filter(
            Q(status=FollowUpStatus.SCHEDULED, due_on__lte=horizon)
            | Q(status=FollowUpStatus.MISSED, episode__phase__in=sorted(OPEN_PHASES))
        )
        .select_related("episode__patient")
        .order_by("due_on", "pk")
    )
    lines = tuple(_line(f, today) for f in follow_ups)
    record(
        action=FOLLOW_UPS_VIEWED,
        action_type=ActionType.QUERY,
        actor=user,
        data_category=DataCategory.EPISODE,
        changes={"rows": len(lines)},
    )
    return lines
