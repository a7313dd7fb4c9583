"""A child's journey through the program: every episode as a timeline (chart tab)."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, DataCategory, Outcome
from painrehab.audit.services import record
from painrehab.episodes.choices import Disposition, Phase, Transition, WaitlistPriority
from painrehab.episodes.models import (
    Discharge,
    Episode,
    FollowUp,
    PhaseChange,
    Stay,
    StayExtension,
    StepDownPlan,
    WaitlistEntry,
)
from painrehab.episodes.selectors.episodes import EPISODE_VIEWED, REFUSED, related
from painrehab.patients.access import PatientNotFound, patient_get_for_user
from painrehab.patients.models import Patient

SYSTEM = _("the system")
DETAIL_LABELS = {
    "evaluation_on": _("Evaluation"),
    "priority": _("Priority"),
    "accepted_on": _("Accepted"),
    "bed": _("Bed"),
    "planned_discharge_on": _("Planned discharge"),
    "age_override_reason": _("Age override"),
    "discharged_on": _("Discharge date"),
    "disposition": _("Disposition"),
}


@dataclass(frozen=True)
class TimelineEvent:
    """One phase change as the timeline shows it."""

    at: datetime
    label: str
    from_phase: str
    to_phase: str
    by: str
    reason: str
    details: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class StayFacts:
    bed: str
    admitted_on: date
    planned_discharge_on: date
    discharged_on: date | None
    day: int | None  # while the child is on the unit
    planned_days: int
    extensions: tuple[StayExtension, ...]


@dataclass(frozen=True)
class EpisodeJourney:
    episode: Episode
    phase: str
    events: tuple[TimelineEvent, ...]
    waitlist: WaitlistEntry | None
    stay: StayFacts | None
    discharge: Discharge | None
    step_down: StepDownPlan | None
    follow_ups: tuple[FollowUp, ...]


@dataclass(frozen=True)
class Journey:
    patient: Patient
    episodes: tuple[EpisodeJourney, ...]


def _phase_label(value: str) -> str:
    return str(Phase(value).label) if value in Phase.values else value


def _detail(key: str, value: Any) -> tuple[str, str]:
    label = str(DETAIL_LABELS.get(key, key.replace("_", " ").capitalize()))
    if key == "priority" and value in WaitlistPriority.values:
        return label, str(WaitlistPriority(value).label)
    if key == "disposition" and value in Disposition.values:
        return label, str(Disposition(value).label)
    return label, str(value)


def _event(change: PhaseChange) -> TimelineEvent:
    known = change.transition in Transition.values
    by = change.by
    return TimelineEvent(
        at=change.at,
        label=str(Transition(change.transition).label) if known else change.transition,
        from_phase=_phase_label(change.from_phase) if change.from_phase else "",
        to_phase=_phase_label(change.to_phase),
        by=(by.get_full_name() or by.get_username()) if by else str(SYSTEM),
        reason=change.reason,
        details=tuple(_detail(k, v) for k, v in change.details.items()),
    )


def _stay(stay: Stay | None, today: date) -> StayFacts | None:
    if stay is None:
        return None
    return StayFacts(
        bed=str(stay.bed),
        admitted_on=stay.admitted_on,
        planned_discharge_on=stay.planned_discharge_on,
        discharged_on=stay.discharged_on,
        day=stay.day_of_stay(today) if stay.discharged_on is None else None,
        planned_days=stay.planned_days,
        extensions=tuple(stay.extensions.all()),
    )


def _one(episode: Episode, name: str, kind: type[Any]) -> Any:
    found = related(episode, name)
    return found if isinstance(found, kind) else None


def _episode(episode: Episode, today: date) -> EpisodeJourney:
    return EpisodeJourney(
        episode=episode,
        phase=episode.get_phase_display(),
        events=tuple(_event(c) for c in episode.history.all()),
        waitlist=_one(episode, "waitlist_entry", WaitlistEntry),
        stay=_stay(_one(episode, "stay", Stay), today),
        discharge=_one(episode, "discharge", Discharge),
        step_down=_one(episode, "step_down", StepDownPlan),
        follow_ups=tuple(episode.follow_ups.all()),
    )


def _episodes(patient: Patient) -> list[Episode]:
    history = PhaseChange.objects.select_related("by").order_by("at", "pk")
    extensions = StayExtension.objects.select_related("by").order_by("at", "pk")
    return list(
        Episode.objects.filter(patient=patient)
        .select_related(
            "stay__bed", "discharge__recorded_by", "step_down", "waitlist_entry"
        )
        .prefetch_related(
            Prefetch("history", queryset=history),
            Prefetch("stay__extensions", queryset=extensions),
            Prefetch("follow_ups", queryset=FollowUp.objects.order_by("due_on", "pk")),
        )
        .order_by("-opened_on", "-pk")
    )


def _audit(user: User, patient_id: int, *, refused: bool) -> None:
    record(
        action=EPISODE_VIEWED,
        action_type=ActionType.READ,
        actor=user,
        patient_id=patient_id,
        data_category=DataCategory.EPISODE,
        outcome=Outcome.FAILURE if refused else Outcome.SUCCESS,
        outcome_reason=REFUSED if refused else "",
    )


def journey_get(*, user: User, patient_id: int) -> Journey:
    """Every episode of a patient ``user`` may see, newest first; audited."""
    try:
        patient = patient_get_for_user(user=user, patient_id=patient_id)
    except PatientNotFound:
        _audit(user, patient_id, refused=True)
        raise
    _audit(user, patient.pk, refused=False)
    today = timezone.localdate()
    episodes = tuple(_episode(e, today) for e in _episodes(patient))
    return Journey(patient=patient, episodes=episodes)
