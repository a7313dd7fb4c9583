"""Conference decisions, applied to the plan in one step.

``decision_apply`` runs in one transaction: the change itself through the plan's
own services (``prescription_change``/``prescription_stop``/``goal_create``) or the
episode's ``stay_extend`` (which moves the planned discharge either way), the
``ConferenceDecision`` row with who decided and why, and the audit event
``conference.decision_applied``. Every refusal (a stale prescription, a bad value,
a missing reason, someone else's discipline) raises before anything is kept, with
the message keyed by the decision form's field. The plan's history shows each
change with "Team conference <date>: <why>" as its reason.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory
from painrehab.audit.services import record
from painrehab.careplans.choices import DecisionKind
from painrehab.careplans.inputs import DecisionInput, PrescriptionFields
from painrehab.careplans.models import (
    CarePlan,
    ConferenceDecision,
    ConferenceItem,
    PlanChange,
    Prescription,
)
from painrehab.careplans.rules import Part, may_edit
from painrehab.careplans.selectors import last_change
from painrehab.careplans.services._common import FORM_REUSED, STALE
from painrehab.careplans.services.conferences import locked_item
from painrehab.careplans.services.goals import goal_create, goal_label
from painrehab.careplans.services.plans import care_plan_get_or_create
from painrehab.careplans.services.prescriptions import (
    prescription_change,
    prescription_stop,
)
from painrehab.episodes.models import Stay
from painrehab.episodes.services import stay_extend

RATIONALE_REQUIRED = "Say why the team decided this; it is kept with the decision."
UNKNOWN_KIND = "Choose what the team decided."
NOT_ON_PLAN = "Choose one of this child's current prescriptions."
MINUTES_REQUIRED = "Give the minutes a session."
SAME_AS_NOW = "That is what is prescribed now; choose 'No change' instead."
GOAL_REQUIRED = "Describe the new goal."
DATE_REQUIRED = "Give the date."
EXTEND_LATER = "To extend the stay, choose a date after the planned discharge ({day})."
SHORTEN_EARLIER = (
    "To shorten the stay, choose a date before the planned discharge ({day})."
)
NOT_IN_PAST = "The planned discharge cannot be in the past."
STAY_NOT_YOURS = "Only the coordinator or a physician changes the length of a stay."

# A refusal from the plan's or the episode's services, keyed by the decision form.
FIELD_OF = {
    "version": "prescription",
    "reason": "rationale",
    "planned_discharge_on": "discharge_on",
}
FORM_FIELDS = frozenset(
    {
        "kind",
        "rationale",
        "prescription",
        "minutes",
        "sessions_per_day",
        "sessions_per_week",
        "stopped_on",
        "domain",
        "discipline",
        "target",
        "child_words",
        "baseline",
        "due_on",
        "discharge_on",
    }
)
NON_FIELD = "__all__"


@dataclass(frozen=True)
class Applied:
    """What one decision did: its values, its words and the plan's history row."""

    params: dict[str, Any]
    summary: str
    plan_change: PlanChange | None = None


@dataclass(frozen=True)
class Context:
    item: ConferenceItem
    plan: CarePlan
    by: User
    decision: DecisionInput
    form_token: Any
    reason: str = field(default="")


def _keyed(error: ValidationError) -> ValidationError:
    """The services' field names as the decision form's."""
    if not hasattr(error, "error_dict"):
        return ValidationError({NON_FIELD: error.messages})
    mapped: dict[str, list[str]] = {}
    for name, messages in error.message_dict.items():
        key = FIELD_OF.get(name, name)
        mapped.setdefault(key if key in FORM_FIELDS else NON_FIELD, []).extend(messages)
    return ValidationError(mapped)


# --- Prescriptions ---------------------------------------------------------------


def _prescription(ctx: Context) -> Prescription:
    pk = ctx.decision.prescription_id
    found = (
        Prescription.objects.filter(pk=pk, care_plan=ctx.plan).first()
        if pk is not None
        else None
    )
    if found is None:
        raise ValidationError({"prescription": NOT_ON_PLAN})
    if found.version != ctx.decision.prescription_version:
        raise ValidationError({"prescription": STALE})
    return found


def _frequency(p: Prescription) -> dict[str, int | None]:
    return {
        "minutes": p.minutes,
        "sessions_per_day": p.sessions_per_day,
        "sessions_per_week": p.sessions_per_week,
    }


def _new_fields(p: Prescription, d: DecisionInput) -> PrescriptionFields:
    if d.minutes is None:
        raise ValidationError({"minutes": MINUTES_REQUIRED})
    current = PrescriptionFields.of(p)
    per_day, per_week = d.sessions_per_day, d.sessions_per_week
    if per_day is None and per_week is None:
        per_day, per_week = current.sessions_per_day, current.sessions_per_week
    fields = replace(
        current,
        minutes=d.minutes,
        sessions_per_day=per_day,
        sessions_per_week=per_week,
    )
    if fields == current:
        raise ValidationError({"minutes": SAME_AS_NOW})
    return fields


def _change_prescription(ctx: Context) -> Applied:
    found = _prescription(ctx)
    before, old = found.frequency_text, _frequency(found)
    saved = prescription_change(
        prescription=found,
        by=ctx.by,
        version=found.version,
        reason=ctx.reason,
        fields=_new_fields(found, ctx.decision),
    )
    params = {
        "prescription": saved.pk,
        "name": saved.name,
        "discipline": saved.discipline,
        "old": old,
        "new": _frequency(saved),
    }
    return Applied(
        params,
        f"{saved.name}: {before} → {saved.frequency_text}",
        last_change(ctx.plan, "prescription", saved.pk),
    )


def _stop_prescription(ctx: Context) -> Applied:
    found = _prescription(ctx)
    stopped = prescription_stop(
        prescription=found,
        by=ctx.by,
        version=found.version,
        reason=ctx.reason,
        stopped_on=ctx.decision.stopped_on or timezone.localdate(),
    )
    on = stopped.stopped_on.isoformat() if stopped.stopped_on else ""
    return Applied(
        {
            "prescription": stopped.pk,
            "name": stopped.name,
            "discipline": stopped.discipline,
            "stopped_on": on,
        },
        f"{stopped.name} stopped from {on}",
        last_change(ctx.plan, "prescription", stopped.pk),
    )


# --- Goals -------------------------------------------------------------------------


def _new_goal(ctx: Context) -> Applied:
    fields = ctx.decision.goal
    if fields is None:
        raise ValidationError({"target": GOAL_REQUIRED})
    # The decision's token: a retried decision can never make a second goal.
    goal = goal_create(
        care_plan=ctx.plan,
        by=ctx.by,
        form_token=ctx.form_token,
        fields=fields,
        reason=ctx.reason,
    )
    params = {"goal": goal.pk, **fields.as_stored()}
    return Applied(
        params, f"New goal: {goal_label(goal)}", last_change(ctx.plan, "goal", goal.pk)
    )


# --- The stay ----------------------------------------------------------------------


def _new_discharge(ctx: Context, stay: Stay) -> Any:
    d = ctx.decision
    day, current = d.discharge_on, stay.planned_discharge_on
    if day is None:
        raise ValidationError({"discharge_on": DATE_REQUIRED})
    if d.kind == DecisionKind.EXTEND_STAY and day <= current:
        raise ValidationError({"discharge_on": EXTEND_LATER.format(day=current)})
    if d.kind == DecisionKind.SHORTEN_STAY and day >= current:
        raise ValidationError({"discharge_on": SHORTEN_EARLIER.format(day=current)})
    if day < timezone.localdate() and day != current:
        raise ValidationError({"discharge_on": NOT_IN_PAST})
    return day


def _stay_history(ctx: Context, stay: Stay, old: str, new: str) -> PlanChange:
    """The stay's length lives in episodes; the plan's history shows it too."""
    entry = PlanChange(
        care_plan=ctx.plan,
        at=timezone.now(),
        by=ctx.by,
        action=AuditAction.STAY_EXTENDED,
        subject="stay",
        subject_id=stay.pk,
        label="Planned discharge",
        changes={"planned_discharge_on": {"old": old, "new": new}},
        reason=ctx.reason,
    )
    entry.save()
    return entry


STAY_WORDS = {
    DecisionKind.EXTEND_STAY: "Stay extended: planned discharge {old} → {new}",
    DecisionKind.SHORTEN_STAY: "Stay shortened: planned discharge {old} → {new}",
    DecisionKind.PLAN_DISCHARGE: "Discharge planned for {new}",
}


def _change_stay(ctx: Context) -> Applied:
    if not may_edit(ctx.by, Part.HEADER):
        raise PermissionDenied(STAY_NOT_YOURS)
    stay = Stay.objects.select_for_update().get(episode_id=ctx.item.episode_id)
    day = _new_discharge(ctx, stay)
    old, new = stay.planned_discharge_on.isoformat(), day.isoformat()
    change = None
    if day != stay.planned_discharge_on:
        stay_extend(stay=stay, planned_discharge_on=day, reason=ctx.reason, by=ctx.by)
        change = _stay_history(ctx, stay, old, new)
    summary = STAY_WORDS[DecisionKind(ctx.decision.kind)].format(old=old, new=new)
    return Applied({"from": old, "to": new}, summary, change)


# --- No change, other --------------------------------------------------------------


def _no_change(ctx: Context) -> Applied:
    return Applied({}, "No change to the plan")


def _other(ctx: Context) -> Applied:
    text = ctx.decision.rationale.strip()
    return Applied({}, f"Other: {text[:200]}")


APPLIERS: dict[str, Callable[[Context], Applied]] = {
    DecisionKind.CHANGE_PRESCRIPTION: _change_prescription,
    DecisionKind.STOP_PRESCRIPTION: _stop_prescription,
    DecisionKind.NEW_GOAL: _new_goal,
    DecisionKind.EXTEND_STAY: _change_stay,
    DecisionKind.SHORTEN_STAY: _change_stay,
    DecisionKind.PLAN_DISCHARGE: _change_stay,
    DecisionKind.NO_CHANGE: _no_change,
    DecisionKind.OTHER: _other,
}


def _apply(ctx: Context) -> Applied:
    """The applier's result; every refusal, the missing reason included, at once."""
    errors: dict[str, list[str]] = {}
    if not ctx.decision.rationale.strip():
        errors["rationale"] = [RATIONALE_REQUIRED]
    applied = None
    try:
        applied = APPLIERS[ctx.decision.kind](ctx)
    except ValidationError as error:
        for name, messages in _keyed(error).message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors or applied is None:
        # Raising here also undoes what the applier wrote (one transaction).
        raise ValidationError(errors)
    return applied


@transaction.atomic
def decision_apply(
    *, item: ConferenceItem, by: User, form_token: Any, decision: DecisionInput
) -> ConferenceDecision:
    """Apply one decision of the team to the child's plan (or stay), and record it.

    The same ``form_token`` again returns the first decision (a double click
    applies once). Refusals: ``PatientNotFound`` (funnel), ``PermissionDenied``
    (the plan's edit rule, or a stay change by anyone but the coordinator or a
    physician), ``ValidationError`` keyed by the decision form's fields.
    """
    locked = locked_item(item, by)
    existing = ConferenceDecision.objects.filter(form_token=form_token).first()
    if existing is not None:
        if existing.item_id != locked.pk:
            raise ValidationError({"form_token": FORM_REUSED})
        return existing
    if decision.kind not in APPLIERS:
        raise ValidationError({"kind": UNKNOWN_KIND})
    conference = locked.conference
    rationale = decision.rationale.strip()
    ctx = Context(
        item=locked,
        plan=care_plan_get_or_create(episode=locked.episode, by=by),
        by=by,
        decision=decision,
        form_token=form_token,
        reason=f"Team conference {conference.held_on.isoformat()}: {rationale}",
    )
    applied = _apply(ctx)
    row = ConferenceDecision(
        item=locked,
        kind=decision.kind,
        params=applied.params,
        summary=applied.summary[:300],
        rationale=rationale,
        decided_by=by,
        applied_at=timezone.now(),
        plan_change=applied.plan_change,
        form_token=form_token,
    )
    row.full_clean()
    row.save()
    record(
        action=AuditAction.CONFERENCE_DECISION_APPLIED,
        action_type=ActionType.CREATE,
        actor=by,
        patient_id=locked.episode.patient_id,
        data_category=DataCategory.CARE_PLAN,
        obj=row,
        changes={"kind": row.kind, "params": row.params, "rationale": rationale},
    )
    return row
