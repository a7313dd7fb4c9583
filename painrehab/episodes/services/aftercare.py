"""Discharge, the step-down plan and the clinic follow-ups."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from painrehab.accounts.models import User
from painrehab.domain.dates import add_months
from painrehab.episodes.choices import (
    Disposition,
    FollowUpStatus,
    Transition,
)
from painrehab.episodes.models import (
    Discharge,
    Episode,
    FollowUp,
    Stay,
    StepDownPlan,
)
from painrehab.episodes.services.transitions import (
    NOT_BEFORE_ADMISSION,
    NOT_IN_FUTURE,
    TransitionRefused,
    _audit,
    _move,
)

DISCHARGE_TEXT_FIELDS = (
    "summary_medicine",
    "summary_psychology",
    "summary_physical_therapy",
    "summary_occupational_therapy",
    "summary_social_work",
    "summary_other",
    "home_programme",
    "school_reentry_plan",
    "medications",
)


@transaction.atomic
def episode_discharge(
    *,
    episode: Episode,
    by: User,
    discharged_on: date,
    disposition: Disposition,
    texts: Mapping[str, str] | None = None,
    step_down_weeks: int | None = None,
) -> Discharge:
    """Inpatient → step-down: the discharge record, the step-down plan, follow-ups."""
    stay = Stay.objects.select_for_update().get(episode=episode)
    if discharged_on < stay.admitted_on:
        raise TransitionRefused(
            "discharged_on", NOT_BEFORE_ADMISSION.format(admitted=stay.admitted_on)
        )
    if discharged_on > timezone.localdate():
        raise TransitionRefused("discharged_on", NOT_IN_FUTURE)
    unknown = set(texts or {}) - set(DISCHARGE_TEXT_FIELDS)
    if unknown:
        raise TransitionRefused(sorted(unknown)[0], "Not a discharge field.")
    moved = _move(
        episode,
        Transition.DISCHARGE,
        by=by,
        details={
            "discharged_on": discharged_on.isoformat(),
            "disposition": str(disposition),
        },
    )
    stay.discharged_on = discharged_on
    stay.save(update_fields=["discharged_on"])
    discharge = Discharge(
        episode=moved,
        discharged_on=discharged_on,
        disposition=disposition,
        recorded_by=by,
        recorded_at=timezone.now(),
        **dict(texts or {}),
    )
    discharge.full_clean()
    discharge.save()
    _aftercare_plan(moved, discharged_on, step_down_weeks)
    return discharge


def _aftercare_plan(episode: Episode, discharged_on: date, weeks: int | None) -> None:
    StepDownPlan.objects.create(
        episode=episode,
        starts_on=discharged_on,
        weeks=weeks or settings.PROGRAM_STEP_DOWN_WEEKS,
    )
    FollowUp.objects.bulk_create(
        FollowUp(episode=episode, months_after=m, due_on=add_months(discharged_on, m))
        for m in settings.PROGRAM_FOLLOW_UP_MONTHS
    )


@transaction.atomic
def step_down_plan_update(
    *, plan: StepDownPlan, by: User, changes: Mapping[str, Any]
) -> StepDownPlan:
    """Tailor the step-down plan (weeks, sessions a week per discipline, notes)."""
    allowed = {
        "weeks",
        "psychology_per_week",
        "physical_therapy_per_week",
        "occupational_therapy_per_week",
        "notes",
    }
    locked = StepDownPlan.objects.select_for_update().get(pk=plan.pk)
    for field, value in changes.items():
        if field not in allowed:
            raise TransitionRefused(field, "Not a step-down field.")
        setattr(locked, field, value)
    locked.full_clean()
    locked.save()
    _audit(
        action="step_down.updated",
        episode=locked.episode,
        by=by,
        obj=locked,
        changes={k: str(v) for k, v in changes.items()},
    )
    plan.refresh_from_db()
    return locked


@transaction.atomic
def follow_up_record(
    *,
    follow_up: FollowUp,
    by: User,
    status: FollowUpStatus,
    completed_on: date | None = None,
    notes: str = "",
) -> FollowUp:
    """Record a follow-up visit as seen, missed or cancelled."""
    locked = (
        FollowUp.objects.select_for_update()
        .select_related("episode")
        .get(pk=follow_up.pk)
    )
    if status == FollowUpStatus.COMPLETED and completed_on is None:
        raise TransitionRefused("completed_on", "Give the date the child was seen.")
    if completed_on is not None and completed_on > timezone.localdate():
        raise TransitionRefused("completed_on", NOT_IN_FUTURE)
    locked.status = status
    locked.completed_on = completed_on if status == FollowUpStatus.COMPLETED else None
    locked.notes = notes
    locked.full_clean()
    locked.save()
    _audit(
        action="follow_up.recorded",
        episode=locked.episode,
        by=by,
        obj=locked,
        changes={"status": str(status), "months_after": locked.months_after},
    )
    follow_up.refresh_from_db()
    return locked
