"""Reads of one episode: through the access funnel, audited, for the action pages."""

from collections.abc import Collection
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, DataCategory, Outcome
from painrehab.audit.services import record
from painrehab.episodes.choices import OPEN_PHASES, TRANSITIONS, Phase, Transition
from painrehab.episodes.models import (
    Bed,
    Discharge,
    Episode,
    FollowUp,
    PhaseChange,
    Stay,
    StayExtension,
    StepDownPlan,
)
from painrehab.episodes.services import WRONG_PHASE
from painrehab.patients.access import PatientNotFound
from painrehab.patients.choices import TeamRole
from painrehab.patients.models import CareTeamMember, Patient

EPISODE_VIEWED = "episode.viewed"
REFUSED = "not found or not permitted"
INPATIENT_PHASES = frozenset({Phase.INPATIENT})
STEP_DOWN_PHASES = frozenset({Phase.STEP_DOWN})

# The care team chosen at admission: each team role is filled from one staff role.
ADMISSION_TEAM: tuple[tuple[TeamRole, Role, bool], ...] = (
    (TeamRole.ATTENDING, Role.PHYSICIAN, True),
    (TeamRole.PRIMARY_PSYCHOLOGIST, Role.PSYCHOLOGIST, True),
    (TeamRole.PRIMARY_PT, Role.PHYSICAL_THERAPIST, True),
    (TeamRole.PRIMARY_OT, Role.OCCUPATIONAL_THERAPIST, True),
    (TeamRole.SOCIAL_WORKER, Role.SOCIAL_WORKER, False),
    (TeamRole.CHILD_LIFE, Role.CHILD_LIFE, False),
    (TeamRole.NURSE, Role.NURSE, False),
    (TeamRole.RECREATIONAL_THERAPIST, Role.RECREATIONAL_THERAPIST, False),
    (TeamRole.TEACHER, Role.TEACHER, False),
    (TeamRole.ACUPUNCTURIST, Role.ACUPUNCTURIST, False),
)


def episode_current(*, patient: Patient) -> Episode | None:
    """The open episode, or else the most recent one."""
    episodes = Episode.objects.filter(patient=patient).select_related("stay__bed")
    open_first = episodes.filter(phase__in=sorted(OPEN_PHASES)).first()
    return open_first or episodes.first()


def episode_history(*, episode: Episode) -> QuerySet[PhaseChange]:
    return episode.history.select_related("by").order_by("at", "pk")


def chart_header(patient: Patient) -> dict[str, object]:
    """The chart header's journey facts (registered with patients.chart)."""
    episode = episode_current(patient=patient)
    if episode is None:
        return {}
    return {"episode": episode, "phase": episode.get_phase_display()}


def _audit_read(
    *, user: User, patient_id: int | None, obj: Episode | None, refused: bool
) -> None:
    record(
        action=EPISODE_VIEWED,
        action_type=ActionType.READ,
        actor=user,
        patient_id=patient_id,
        data_category=DataCategory.EPISODE,
        obj=obj,
        outcome=Outcome.FAILURE if refused else Outcome.SUCCESS,
        outcome_reason=REFUSED if refused else "",
    )


def episode_get(*, user: User, episode_id: int) -> Episode:
    """One episode whose patient ``user`` may see; refused and missing are a 404."""
    visible = Patient.objects.visible_to(user)
    episode = (
        Episode.objects.select_related("patient", "stay__bed")
        .filter(pk=episode_id, patient__in=visible)
        .first()
    )
    if episode is None:
        _audit_read(user=user, patient_id=None, obj=None, refused=True)
        raise PatientNotFound
    _audit_read(user=user, patient_id=episode.patient_id, obj=episode, refused=False)
    return episode


def follow_up_get(*, user: User, follow_up_id: int) -> FollowUp:
    """One follow-up visit of a patient ``user`` may see; otherwise a 404."""
    visible = Patient.objects.visible_to(user)
    follow_up = (
        FollowUp.objects.select_related("episode__patient")
        .filter(pk=follow_up_id, episode__patient__in=visible)
        .first()
    )
    if follow_up is None:
        _audit_read(user=user, patient_id=None, obj=None, refused=True)
        raise PatientNotFound
    episode = follow_up.episode
    _audit_read(user=user, patient_id=episode.patient_id, obj=episode, refused=False)
    return follow_up


def phase_refusal(
    *, episode: Episode, phases: Collection[str], action: str
) -> str | None:
    """Why ``action`` cannot be done in the episode's phase, or ``None`` if it can."""
    if episode.phase in phases:
        return None
    return WRONG_PHASE.format(phase=episode.get_phase_display().lower(), action=action)


def transition_refusal(*, episode: Episode, transition: Transition) -> str | None:
    """The services' own refusal text when ``transition`` is not allowed now."""
    phases = [p for p, moves in TRANSITIONS.items() if transition in moves]
    return phase_refusal(
        episode=episode, phases=phases, action=str(transition.label).lower()
    )


def related(episode: Episode, name: str) -> object | None:
    """A reverse one-to-one of ``episode`` (stay, discharge, …), or ``None``."""
    try:
        return getattr(episode, name)  # type: ignore[no-any-return]
    except ObjectDoesNotExist:
        return None


def episode_stay(*, episode: Episode) -> Stay | None:
    stay = related(episode, "stay")
    return stay if isinstance(stay, Stay) else None


def stay_extensions(*, stay: Stay) -> QuerySet[StayExtension]:
    return stay.extensions.select_related("by").order_by("at", "pk")


@dataclass(frozen=True)
class AdmissionOptions:
    """What the admission form offers: free beds, staff per team role, current team."""

    free_beds: tuple[Bed, ...]
    active_beds: QuerySet[Bed]
    staff: dict[TeamRole, QuerySet[User]]
    current_team: dict[TeamRole, int]


def free_beds() -> QuerySet[Bed]:
    """Active beds without a current stay."""
    occupied = Stay.objects.filter(discharged_on__isnull=True).values("bed_id")
    return Bed.objects.filter(active=True).exclude(pk__in=occupied)


def admission_options(*, episode: Episode) -> AdmissionOptions:
    """Choices for admitting ``episode``'s patient, with the team they already have."""
    members = CareTeamMember.objects.filter(
        patient_id=episode.patient_id, end_date__isnull=True
    ).order_by("start_date", "pk")
    current: dict[TeamRole, int] = {}
    for role, member_id in members.values_list("team_role", "member_id"):
        current.setdefault(TeamRole(role), member_id)
    staff = {
        team_role: User.objects.filter(role=role, is_active=True).order_by(
            "last_name", "first_name", "pk"
        )
        for team_role, role, _required in ADMISSION_TEAM
    }
    return AdmissionOptions(
        free_beds=tuple(free_beds()),
        active_beds=Bed.objects.filter(active=True),
        staff=staff,
        current_team=current,
    )


@dataclass(frozen=True)
class Aftercare:
    """What follows a discharge: the record, the step-down plan and the visits."""

    discharge: Discharge | None
    step_down: StepDownPlan | None
    follow_ups: tuple[FollowUp, ...]


def aftercare_get(*, episode: Episode) -> Aftercare:
    """Discharge, step-down plan and follow-ups (the episode passed the funnel)."""
    found = (
        Episode.objects.select_related("discharge__recorded_by", "step_down")
        .prefetch_related("follow_ups")
        .get(pk=episode.pk)
    )
    discharge = related(found, "discharge")
    plan = related(found, "step_down")
    return Aftercare(
        discharge=discharge if isinstance(discharge, Discharge) else None,
        step_down=plan if isinstance(plan, StepDownPlan) else None,
        follow_ups=tuple(found.follow_ups.all()),
    )
