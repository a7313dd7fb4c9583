"""The named transitions of an episode.

Each transition locks the episode row, checks its preconditions, changes the phase,
keeps the history (``PhaseChange``) and records an audit event, all in one
transaction. A refused transition raises ``TransitionRefused`` naming the field and
the precondition that failed, and changes nothing.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, DataCategory
from painrehab.audit.services import record
from painrehab.episodes.choices import (
    OPEN_PHASES,
    TRANSITIONS,
    Phase,
    Transition,
    WaitlistPriority,
)
from painrehab.episodes.models import (
    Episode,
    PhaseChange,
    WaitlistEntry,
)
from painrehab.patients.models import Patient

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
        episode,
        Transition.WAITLIST,
        by=by,
        details={"priority": int(priority), "accepted_on": accepted_on.isoformat()},
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


@transaction.atomic
def episode_start_follow_up(*, episode: Episode, by: User, reason: str = "") -> Episode:
    """Step-down → follow-up: the weekly outpatient sessions have ended."""
    return _move(episode, Transition.START_FOLLOW_UP, by=by, reason=reason)


@transaction.atomic
def episode_close(*, episode: Episode, by: User, reason: str) -> Episode:
    """Close the journey (after follow-up, after a decline, or when withdrawn)."""
    return _move(episode, Transition.CLOSE, by=by, reason=_require(reason))
