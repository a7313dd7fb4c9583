"""The named transitions of an episode, and the writes around a stay.

Each transition locks the episode row, checks its preconditions, changes the phase,
keeps the history (``PhaseChange``) and records an audit event, all in one
transaction. A refused transition raises ``TransitionRefused`` naming the field and
the precondition that failed, and changes nothing.
"""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, DataCategory
from painrehab.audit.services import record
from painrehab.domain.ages import age_on
from painrehab.domain.dates import add_months
from painrehab.episodes.choices import (
    OPEN_PHASES,
    TRANSITIONS,
    Disposition,
    FollowUpStatus,
    Phase,
    Transition,
    WaitlistPriority,
)
from painrehab.episodes.models import (
    Bed,
    Discharge,
    Episode,
    FollowUp,
    PhaseChange,
    Stay,
    StayExtension,
    StepDownPlan,
    WaitlistEntry,
)
from painrehab.patients.choices import TeamRole
from painrehab.patients.models import CareTeamMember, Patient
from painrehab.patients.services import care_team_member_add

MIN_ADMISSION_AGE, MAX_ADMISSION_AGE = 7, 19
ALREADY_OPEN = "{patient} already has an open episode ({phase}, since {since})."
WRONG_PHASE = "This episode is {phase}; it cannot be {action} now."
REASON_REQUIRED = "Give a reason."
BED_TAKEN = "{bed} is no longer free: another admission took it. Choose another bed."
BED_INACTIVE = "{bed} is out of service."
AGE_OUTSIDE = (
    "{name} will be {age} on the admission date; the program admits ages {lo}–{hi}. "
    "Give a reason to admit anyway."
)
NOT_BEFORE_ADMISSION = "The date must be after the admission date ({admitted})."
NOT_IN_FUTURE = "The date cannot be in the future."
PLANNED_NOT_LATER = "The new planned date must differ from the current one ({current})."
STEP_DOWN_NOT_STARTED = "Step-down follow-up starts only after the step-down plan."


class TransitionRefused(ValidationError):
    """A transition's precondition failed; ``message_dict`` names the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__({field: [message]})


def _audit(
    *, action: str, episode: Episode, by: User | None, obj: Any, changes: dict[str, Any]
) -> None:
    record(
        action=action,
        action_type=ActionType.UPDATE,
        actor=by,
        patient_id=episode.patient_id,
        data_category=DataCategory.EPISODE,
        obj=obj,
        changes=changes,
    )


def _locked(episode: Episode) -> Episode:
    return (
        Episode.objects.select_for_update().select_related("patient").get(pk=episode.pk)
    )


def _move(
    episode: Episode,
    transition: Transition,
    *,
    by: User | None,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> Episode:
    """Lock, check ``transition`` is allowed, change phase, keep history, audit."""
    locked = _locked(episode)
    target = TRANSITIONS[locked.phase].get(transition)
    if target is None:
        raise TransitionRefused(
            "phase",
            WRONG_PHASE.format(
                phase=locked.get_phase_display().lower(),
                action=transition.label.lower(),
            ),
        )
    previous = locked.phase
    locked.phase = target
    locked.version += 1
    if target == Phase.CLOSED:
        locked.closed_on = timezone.localdate()
    locked.save(update_fields=["phase", "version", "closed_on", "updated_at"])
    PhaseChange.objects.create(
        episode=locked,
        transition=transition,
        from_phase=previous,
        to_phase=target,
        at=timezone.now(),
        by=by,
        reason=reason,
        details=details or {},
    )
    _audit(
        action=f"episode.{transition}",
        episode=locked,
        by=by,
        obj=locked,
        changes={"from": previous, "to": target, **(details or {})},
    )
    episode.refresh_from_db()
    return locked


def _require(reason: str, field: str = "reason") -> str:
    if not reason.strip():
        raise TransitionRefused(field, REASON_REQUIRED)
    return reason.strip()


@transaction.atomic
def episode_open(*, patient: Patient, opened_on: date, by: User | None) -> Episode:
    """Start a journey for ``patient``; refused while another episode is open."""
    Patient.objects.select_for_update().filter(pk=patient.pk).first()
    current = Episode.objects.filter(
        patient=patient, phase__in=sorted(OPEN_PHASES)
    ).first()
    if current is not None:
        raise TransitionRefused(
            "patient",
            ALREADY_OPEN.format(
                patient=patient.display_name,
                phase=current.get_phase_display().lower(),
                since=current.opened_on.isoformat(),
            ),
        )
    try:
        with transaction.atomic():
            episode = Episode.objects.create(patient=patient, opened_on=opened_on)
    except IntegrityError as error:  # a concurrent referral for the same child
        raise TransitionRefused(
            "patient",
            ALREADY_OPEN.format(
                patient=patient.display_name,
                phase="referred",
                since=opened_on.isoformat(),
            ),
        ) from error
    PhaseChange.objects.create(
        episode=episode,
        transition=Transition.OPEN,
        to_phase=Phase.REFERRED,
        at=timezone.now(),
        by=by,
    )
    _audit(action="episode.open", episode=episode, by=by, obj=episode, changes={})
    return episode


@transaction.atomic
def episode_start_evaluation(
    *, episode: Episode, by: User, scheduled_for: date
) -> Episode:
    """Referred → evaluation, once the clinic visit is booked."""
    details = {"evaluation_on": scheduled_for.isoformat()}
    return _move(episode, Transition.START_EVALUATION, by=by, details=details)


@transaction.atomic
def episode_accept(*, episode: Episode, by: User, reason: str) -> Episode:
    """Evaluation → accepted (the team decided to admit)."""
    return _move(episode, Transition.ACCEPT, by=by, reason=_require(reason))


@transaction.atomic
def episode_decline(*, episode: Episode, by: User, reason: str) -> Episode:
    """Referred or evaluation → declined (with the team's recommendations)."""
    return _move(episode, Transition.DECLINE, by=by, reason=_require(reason))


@transaction.atomic
def episode_waitlist(
    *,
    episode: Episode,
    by: User,
    priority: WaitlistPriority,
    accepted_on: date,
    preferred_start: date | None = None,
    notes: str = "",
) -> WaitlistEntry:
    """Accepted → waitlisted, with a priority and a preferred start."""
    if preferred_start is not None and preferred_start < accepted_on:
        raise TransitionRefused(
            "preferred_start", "The preferred start is before the date accepted."
        )
    moved = _move(
        episode, Transition.WAITLIST, by=by, details={"priority": int(priority)}
    )
    entry = WaitlistEntry(
        episode=moved,
        priority=priority,
        accepted_on=accepted_on,
        preferred_start=preferred_start,
        notes=notes,
    )
    entry.full_clean()
    entry.save()
    return entry


def _check_age(patient: Patient, admitted_on: date, override_reason: str) -> None:
    age = age_on(patient.date_of_birth, admitted_on)
    if MIN_ADMISSION_AGE <= age <= MAX_ADMISSION_AGE or override_reason.strip():
        return
    raise TransitionRefused(
        "age_override_reason",
        AGE_OUTSIDE.format(
            name=patient.display_name,
            age=age,
            lo=MIN_ADMISSION_AGE,
            hi=MAX_ADMISSION_AGE,
        ),
    )


def _check_stay_dates(admitted_on: date, planned_discharge_on: date) -> None:
    if admitted_on > timezone.localdate():
        raise TransitionRefused("admitted_on", NOT_IN_FUTURE)
    if planned_discharge_on <= admitted_on:
        raise TransitionRefused(
            "planned_discharge_on", NOT_BEFORE_ADMISSION.format(admitted=admitted_on)
        )


def _claim_bed(bed: Bed) -> Bed:
    """Lock the bed row so concurrent admissions to it queue, then check it is free."""
    locked = Bed.objects.select_for_update().get(pk=bed.pk)
    if not locked.active:
        raise TransitionRefused("bed", BED_INACTIVE.format(bed=locked))
    if Stay.objects.filter(bed=locked, discharged_on__isnull=True).exists():
        raise TransitionRefused("bed", BED_TAKEN.format(bed=locked))
    return locked


@transaction.atomic
def episode_admit(
    *,
    episode: Episode,
    by: User,
    bed: Bed,
    admitted_on: date,
    planned_discharge_on: date,
    care_team: Mapping[TeamRole, User] | None = None,
    age_override_reason: str = "",
) -> Stay:
    """Waitlisted → inpatient: a bed, planned dates and the primary care team."""
    _check_stay_dates(admitted_on, planned_discharge_on)
    _check_age(episode.patient, admitted_on, age_override_reason)
    claimed = _claim_bed(bed)
    details = {
        "bed": claimed.number,
        "planned_discharge_on": planned_discharge_on.isoformat(),
    }
    if age_override_reason.strip():
        details["age_override_reason"] = age_override_reason.strip()
    moved = _move(episode, Transition.ADMIT, by=by, details=details)
    try:
        with transaction.atomic():
            stay = Stay.objects.create(
                episode=moved,
                bed=claimed,
                admitted_on=admitted_on,
                planned_discharge_on=planned_discharge_on,
            )
    except IntegrityError as error:  # the database's own guard on the bed
        raise TransitionRefused("bed", BED_TAKEN.format(bed=claimed)) from error
    WaitlistEntry.objects.filter(episode=moved).delete()
    _care_team_assign(moved.patient, care_team or {}, start=admitted_on, by=by)
    return stay


def _care_team_assign(
    patient: Patient, team: Mapping[TeamRole, User], *, start: date, by: User
) -> None:
    current = set(
        CareTeamMember.objects.filter(
            patient=patient, end_date__isnull=True
        ).values_list("team_role", "member_id")
    )
    for role, member in team.items():
        if (role, member.pk) not in current:
            care_team_member_add(
                patient=patient,
                member=member,
                team_role=role,
                start_date=start,
                added_by=by,
            )


@transaction.atomic
def stay_extend(
    *, stay: Stay, planned_discharge_on: date, reason: str, by: User
) -> StayExtension:
    """Change the planned discharge date (longer or shorter), with a reason."""
    locked = Stay.objects.select_for_update().get(pk=stay.pk)
    if locked.discharged_on is not None:
        raise TransitionRefused("planned_discharge_on", "The stay has ended.")
    if planned_discharge_on <= locked.admitted_on:
        raise TransitionRefused(
            "planned_discharge_on",
            NOT_BEFORE_ADMISSION.format(admitted=locked.admitted_on),
        )
    if planned_discharge_on == locked.planned_discharge_on:
        raise TransitionRefused(
            "planned_discharge_on",
            PLANNED_NOT_LATER.format(current=planned_discharge_on),
        )
    extension = StayExtension.objects.create(
        stay=locked,
        previous_planned_discharge_on=locked.planned_discharge_on,
        planned_discharge_on=planned_discharge_on,
        reason=_require(reason),
        by=by,
        at=timezone.now(),
    )
    locked.planned_discharge_on = planned_discharge_on
    locked.save(update_fields=["planned_discharge_on"])
    _audit(
        action="stay.extended",
        episode=locked.episode,
        by=by,
        obj=locked,
        changes={
            "from": extension.previous_planned_discharge_on.isoformat(),
            "to": planned_discharge_on.isoformat(),
        },
    )
    stay.refresh_from_db()
    return extension


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
def episode_start_follow_up(*, episode: Episode, by: User, reason: str = "") -> Episode:
    """Step-down → follow-up: the weekly outpatient sessions have ended."""
    return _move(episode, Transition.START_FOLLOW_UP, by=by, reason=reason)


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


@transaction.atomic
def episode_close(*, episode: Episode, by: User, reason: str) -> Episode:
    """Close the journey (after follow-up, after a decline, or when withdrawn)."""
    return _move(episode, Transition.CLOSE, by=by, reason=_require(reason))


@transaction.atomic
def beds_configure(*, count: int, by: User | None) -> list[Bed]:
    """Put beds 1…count in service; beds above ``count`` go out of service."""
    for number in range(1, count + 1):
        Bed.objects.get_or_create(number=number, defaults={"label": f"Bed {number}"})
    Bed.objects.filter(number__lte=count).update(active=True)
    Bed.objects.filter(number__gt=count).update(active=False)
    record(
        action="beds.configured",
        action_type=ActionType.UPDATE,
        actor=by,
        changes={"count": count},
    )
    return list(Bed.objects.filter(active=True))
