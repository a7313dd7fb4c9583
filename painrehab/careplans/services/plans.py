"""The plan itself: created from the template at admission, its header and its
biopsychosocial formulation."""

from django.core.exceptions import ValidationError
from django.db import transaction

from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction
from painrehab.careplans.inputs import (
    FormulationFields,
    GoalFields,
    PlanHeaderFields,
    PrescriptionFields,
)
from painrehab.careplans.models import CarePlan, Formulation, Goal, Prescription
from painrehab.careplans.rules import Part, check_may_edit
from painrehab.careplans.services._common import (
    NOT_ADMITTED,
    changed,
    check_open,
    check_reader,
    check_version,
    diff,
    locked_plan,
    raise_if,
    stay_of,
)
from painrehab.careplans.template import (
    DEFAULT_TEMPLATE,
    PlanTemplate,
    TemplateGoal,
    TemplatePrescription,
)
from painrehab.careplans.validation import (
    formulation_errors,
    header_errors,
    prescription_errors,
)
from painrehab.episodes.models import Episode, Stay
from painrehab.patients.access import patient_get_for_user

TEMPLATE_INVALID = "The program template's {key} prescription is invalid: {errors}"


def _prescription(
    plan: CarePlan, stay: Stay, item: TemplatePrescription, by: User
) -> Prescription:
    fields = PrescriptionFields(
        discipline=item.discipline,
        minutes=item.minutes,
        mode=item.mode,
        starts_on=stay.admitted_on,
        sessions_per_day=item.sessions_per_day,
        label=item.label,
        time_of_day=item.time_of_day,
        excluded_weekdays=tuple(int(d) for d in item.excluded_weekdays),
        continuity=item.continuity,
    )
    errors = prescription_errors(fields, admitted_on=stay.admitted_on)
    if errors:
        raise ValidationError(TEMPLATE_INVALID.format(key=item.key, errors=errors))
    row = Prescription(
        care_plan=plan, template_key=item.key, created_by=by, **fields.as_stored()
    )
    row.full_clean()
    row.save()
    return row


def _goal(plan: CarePlan, stay: Stay, item: TemplateGoal, by: User) -> Goal:
    fields = GoalFields(
        domain=item.domain,
        discipline=item.discipline,
        target=item.target,
        due_on=stay.planned_discharge_on,
    )
    row = Goal(
        care_plan=plan, template_key=item.key, created_by=by, **fields.as_stored()
    )
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def care_plan_create_from_template(
    *, episode: Episode, by: User, template: PlanTemplate = DEFAULT_TEMPLATE
) -> CarePlan:
    """The plan of a newly admitted episode: template prescriptions from the
    admission date, starter goals due at the planned discharge, an empty
    formulation. Called inside the admission (``episodes.signals.admitted``): a
    failure here refuses the admission too. Returns the existing plan if any."""
    existing = CarePlan.objects.filter(episode=episode).first()
    if existing is not None:
        return existing
    stay = stay_of(episode)
    if stay is None:
        raise ValidationError(NOT_ADMITTED)
    plan = CarePlan(
        episode=episode,
        template=template.key,
        max_therapy_minutes_per_day=template.max_therapy_minutes_per_day,
        created_by=by,
    )
    plan.full_clean()
    plan.save()
    Formulation.objects.create(care_plan=plan)
    prescriptions = [_prescription(plan, stay, p, by) for p in template.prescriptions]
    goals = [_goal(plan, stay, g, by) for g in template.goals]
    created = {
        "template": template.key,
        "prescriptions": [p.pk for p in prescriptions],
        "goals": [g.pk for g in goals],
    }
    changed(
        plan=plan,
        by=by,
        action=AuditAction.CARE_PLAN_CREATED,
        action_type=ActionType.CREATE,
        obj=plan,
        subject="plan",
        label="Care plan",
        changes={k: {"old": None, "new": v} for k, v in created.items()},
    )
    return plan


@transaction.atomic
def care_plan_get_or_create(*, episode: Episode, by: User) -> CarePlan:
    """The episode's plan; for an episode admitted before care plans existed, the
    plan is created from the template now (audited as any creation)."""
    patient_get_for_user(user=by, patient_id=episode.patient_id)
    existing = CarePlan.objects.filter(episode=episode).first()
    if existing is not None:
        return existing
    # Two first visits at once: the episode row lock makes the second one wait.
    locked = Episode.objects.select_for_update().get(pk=episode.pk)
    return care_plan_create_from_template(episode=locked, by=by)


@transaction.atomic
def care_plan_change(
    *,
    care_plan: CarePlan,
    by: User,
    version: int,
    fields: PlanHeaderFields,
    reason: str = "",
) -> CarePlan:
    """Change the header: summary, the child's hopes, the daily therapy limit."""
    locked = locked_plan(care_plan)
    check_reader(by, locked)
    check_open(locked)
    check_may_edit(by, Part.HEADER)
    check_version(locked, version)
    raise_if(header_errors(fields.max_therapy_minutes_per_day))
    changes = diff(PlanHeaderFields.of(locked).as_stored(), fields.as_stored())
    if not changes:
        return locked
    for name, change in changes.items():
        setattr(locked, name, change["new"])
    locked.version += 1
    locked.full_clean()
    locked.save(update_fields=[*changes, "version", "updated_at"])
    changed(
        plan=locked,
        by=by,
        action=AuditAction.CARE_PLAN_CHANGED,
        action_type=ActionType.UPDATE,
        obj=locked,
        subject="plan",
        label="Care plan",
        changes=changes,
        reason=reason.strip(),
    )
    return locked


@transaction.atomic
def formulation_change(
    *,
    care_plan: CarePlan,
    by: User,
    version: int,
    fields: FormulationFields,
    reason: str = "",
) -> Formulation:
    """Replace the formulation's factor lists and summary (any clinician on the
    team may); the previous lists stay in the history."""
    plan = locked_plan(care_plan)
    check_reader(by, plan)
    check_open(plan)
    check_may_edit(by, Part.FORMULATION)
    locked = Formulation.objects.select_for_update().get(care_plan=plan)
    check_version(locked, version)
    raise_if(formulation_errors(fields))
    changes = diff(FormulationFields.of(locked).as_stored(), fields.as_stored())
    if not changes:
        return locked
    for name, change in changes.items():
        setattr(locked, name, change["new"])
    locked.version += 1
    locked.save(update_fields=[*changes, "version", "updated_at"])
    changed(
        plan=plan,
        by=by,
        action=AuditAction.FORMULATION_CHANGED,
        action_type=ActionType.UPDATE,
        obj=locked,
        subject="formulation",
        label="Formulation",
        changes=changes,
        reason=reason.strip(),
    )
    return locked
