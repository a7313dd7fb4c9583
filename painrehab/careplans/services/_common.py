"""What the care plan services share: locks, checks, the diff and the history row.

Every write ends in ``changed()``, which adds the ``PlanChange`` history row and
the audit event with the same field-level diff, inside the caller's transaction.
"""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone

from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory
from painrehab.audit.services import record
from painrehab.careplans.models import CarePlan, PlanChange
from painrehab.episodes.choices import OPEN_PHASES
from painrehab.episodes.models import Episode, Stay
from painrehab.patients.access import patient_get_for_user

STALE = (
    "Someone else changed this since you opened it. Their values are shown next "
    "to yours: keep yours or take theirs."
)
FORM_REUSED = "This form was already used for something else; reload the page."
EPISODE_CLOSED = "This episode is closed; its care plan is kept as it was."
NOT_ADMITTED = "A care plan starts at admission; this episode has no stay yet."
REASON_REQUIRED = "Say why, for the plan's history."
NOT_IN_FUTURE = "The date cannot be in the future."

Diff = dict[str, dict[str, Any]]


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> Diff:
    """``{field: {"old": …, "new": …}}`` for each field whose value differs."""
    return {
        name: {"old": before.get(name), "new": value}
        for name, value in after.items()
        if before.get(name) != value
    }


def stay_of(episode: Episode) -> Stay | None:
    try:
        return episode.stay
    except ObjectDoesNotExist:
        return None


def admitted_on(plan: CarePlan) -> date | None:
    stay = stay_of(plan.episode)
    return stay.admitted_on if stay is not None else None


def check_reader(by: User, plan: CarePlan) -> None:
    """The access funnel: someone else's patient raises ``PatientNotFound``."""
    patient_get_for_user(user=by, patient_id=plan.episode.patient_id)


def check_open(plan: CarePlan) -> None:
    if plan.episode.phase not in OPEN_PHASES:
        raise ValidationError(EPISODE_CLOSED)


def check_version(row: Any, version: int) -> None:
    if row.version != version:
        raise ValidationError({"version": STALE})


def raise_if(errors: Mapping[str, list[str]]) -> None:
    if errors:
        raise ValidationError(dict(errors))


def locked_plan(plan: CarePlan) -> CarePlan:
    return (
        CarePlan.objects.select_for_update(of=("self",))
        .select_related("episode__stay")
        .get(pk=plan.pk)
    )


def changed(
    *,
    plan: CarePlan,
    by: User,
    action: AuditAction,
    action_type: ActionType,
    obj: models.Model,
    subject: str,
    label: str,
    changes: Mapping[str, Any],
    reason: str = "",
    subject_id: int | None = None,
) -> PlanChange:
    """The history row and the audit event of one change, with the same diff.

    ``subject``/``subject_id`` name the row the history groups it under (a review
    is the goal's history), ``obj`` the row the audit event points at.
    """
    entry = PlanChange(
        care_plan=plan,
        at=timezone.now(),
        by=by,
        action=action,
        subject=subject,
        subject_id=subject_id if subject_id is not None else obj.pk,
        label=label[:200],
        changes=dict(changes),
        reason=reason,
    )
    entry.save()
    record(
        action=action,
        action_type=action_type,
        actor=by,
        patient_id=plan.episode.patient_id,
        data_category=DataCategory.CARE_PLAN,
        obj=obj,
        changes={"fields": dict(changes), "reason": reason},
    )
    return entry
