"""Goals: added by the team, worded and changed, reviewed with goal attainment
scaling. A goal is never deleted; it is marked met, revised or discontinued."""

import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import Truncator

from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction
from painrehab.careplans.choices import (
    CLOSED_GOAL_STATUSES,
    Attainment,
    GoalDomain,
)
from painrehab.careplans.inputs import GoalFields
from painrehab.careplans.models import CarePlan, Goal, GoalReview
from painrehab.careplans.rules import Part, check_may_edit
from painrehab.careplans.services._common import (
    FORM_REUSED,
    NOT_IN_FUTURE,
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
from painrehab.careplans.validation import BEFORE_ADMISSION, goal_errors

GOAL_CLOSED = "This goal is {status}; reviews are recorded on goals still worked on."
SCORE_RANGE = "Choose an attainment from −2 to +2."


def goal_label(goal: Goal) -> str:
    """E.g. 'Physical function goal (PT): “Walk the dog…”' for the history."""
    words = Truncator(goal.child_words or goal.target).chars(60)
    return f"{GoalDomain(goal.domain).label} goal ({goal.discipline}): “{words}”"


def _same_plan(existing: Goal, plan: CarePlan) -> Goal:
    if existing.care_plan_id != plan.pk:
        raise ValidationError({"form_token": FORM_REUSED})
    return existing


def _insert(goal: Goal) -> Goal | None:
    """Save a new goal; ``None`` when a concurrent double submit won the token."""
    try:
        with transaction.atomic():
            goal.save()
    except IntegrityError:
        return None
    return goal


@transaction.atomic
def goal_create(
    *,
    care_plan: CarePlan,
    by: User,
    form_token: uuid.UUID,
    fields: GoalFields,
    reason: str = "",
) -> Goal:
    """Add a goal; the same ``form_token`` again returns the same goal."""
    plan = locked_plan(care_plan)
    check_reader(by, plan)
    existing = Goal.objects.filter(form_token=form_token).first()
    if existing is not None:
        return _same_plan(existing, plan)
    check_open(plan)
    check_may_edit(by, Part.GOAL, fields.discipline)
    raise_if(goal_errors(fields, admitted_on=admitted_on(plan), creating=True))
    goal = Goal(care_plan=plan, created_by=by, form_token=form_token)
    for name, value in fields.as_stored().items():
        setattr(goal, name, value)
    goal.full_clean()
    if _insert(goal) is None:
        return _same_plan(Goal.objects.get(form_token=form_token), plan)
    changed(
        plan=plan,
        by=by,
        action=AuditAction.GOAL_CREATED,
        action_type=ActionType.CREATE,
        obj=goal,
        subject="goal",
        label=goal_label(goal),
        changes=diff({}, fields.as_stored()),
        reason=reason.strip(),
    )
    return goal


def _locked_goal(goal: Goal) -> Goal:
    return (
        Goal.objects.select_for_update(of=("self",))
        .select_related("care_plan__episode__stay")
        .get(pk=goal.pk)
    )


@transaction.atomic
def goal_change(
    *,
    goal: Goal,
    by: User,
    version: int,
    fields: GoalFields,
    reason: str = "",
) -> Goal:
    """Reword, retarget or change the status of a goal seen at ``version``.

    A change of status (met, revised, discontinued) needs a ``reason``; a stale
    ``version`` is refused with ``{"version": STALE}``.
    """
    locked = _locked_goal(goal)
    plan = locked.care_plan
    check_reader(by, plan)
    check_open(plan)
    check_may_edit(by, Part.GOAL, locked.discipline)
    check_may_edit(by, Part.GOAL, fields.discipline)
    check_version(locked, version)
    errors = goal_errors(fields, admitted_on=admitted_on(plan), creating=False)
    if fields.status != locked.status and not reason.strip():
        errors.setdefault("reason", []).append(REASON_REQUIRED)
    raise_if(errors)
    changes = diff(GoalFields.of(locked).as_stored(), fields.as_stored())
    if not changes:
        return locked
    for name, change in changes.items():
        setattr(locked, name, change["new"])
    locked.version += 1
    locked.full_clean()
    locked.save(update_fields=[*changes, "version", "updated_at"])
    changed(
        plan=plan,
        by=by,
        action=AuditAction.GOAL_CHANGED,
        action_type=ActionType.UPDATE,
        obj=locked,
        subject="goal",
        label=goal_label(locked),
        changes=changes,
        reason=reason.strip(),
    )
    return locked


def _review_errors(goal: Goal, reviewed_on: date, score: int) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if score not in Attainment.values:
        errors["score"] = [SCORE_RANGE]
    if reviewed_on > timezone.localdate():
        errors["reviewed_on"] = [NOT_IN_FUTURE]
    admitted = admitted_on(goal.care_plan)
    if admitted is not None and reviewed_on < admitted:
        errors["reviewed_on"] = [BEFORE_ADMISSION.format(admitted=admitted)]
    return errors


def _latest_score(goal: Goal) -> int | None:
    latest = goal.reviews.order_by("-reviewed_on", "-recorded_at", "-pk").first()
    return latest.score if latest is not None else None


@transaction.atomic
def goal_review(
    *,
    goal: Goal,
    by: User,
    form_token: uuid.UUID,
    reviewed_on: date,
    score: int,
    note: str = "",
) -> GoalReview:
    """Record the goal's attainment (-2…+2) at a review; the latest review is the
    goal's current attainment. The same ``form_token`` again returns the same row."""
    locked = _locked_goal(goal)
    plan = locked.care_plan
    check_reader(by, plan)
    existing = GoalReview.objects.filter(form_token=form_token).first()
    if existing is not None:
        if existing.goal_id != locked.pk:
            raise ValidationError({"form_token": FORM_REUSED})
        return existing
    check_open(plan)
    check_may_edit(by, Part.GOAL, locked.discipline)
    if locked.status in CLOSED_GOAL_STATUSES:
        status = locked.get_status_display().lower()
        raise ValidationError(GOAL_CLOSED.format(status=status))
    raise_if(_review_errors(locked, reviewed_on, score))
    before = _latest_score(locked)
    review = GoalReview(
        goal=locked,
        reviewed_on=reviewed_on,
        score=score,
        note=note.strip(),
        by=by,
        recorded_at=timezone.now(),
        form_token=form_token,
    )
    review.full_clean()
    review.save()
    changed(
        plan=plan,
        by=by,
        action=AuditAction.GOAL_REVIEWED,
        action_type=ActionType.CREATE,
        obj=review,
        subject="goal",
        subject_id=locked.pk,
        label=goal_label(locked),
        changes={
            "attainment": {"old": before, "new": score},
            "reviewed_on": {"old": None, "new": reviewed_on.isoformat()},
        },
        reason=review.note,
    )
    return review
