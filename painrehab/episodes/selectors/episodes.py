"""Reads of episodes. Callers have already passed the patient through the funnel."""

from django.db.models import QuerySet

from painrehab.episodes.choices import OPEN_PHASES
from painrehab.episodes.models import Episode, PhaseChange
from painrehab.patients.models import Patient


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
