"""The conference agenda of one child, computed from the plan, instruments and stay.

While a conference is open the agenda is computed on every read; when it closes,
``Agenda.as_json()`` is stored on the item and ``Agenda.from_json()`` gives the same
agenda back, so the record of what the team saw never changes afterwards. Every
value here is plain data (text, numbers, ISO dates) for that reason.

The agenda is "as of" the conference day (or today, for a conference not yet
held): the day of the stay, scores answered by then, the latest goal review by
then, prescriptions in force then. The score change follows the chart's Measures
tab: the first admission score is the baseline, PROMIS forms compare T-scores and
the others raw totals, and a change is meaningful when it reaches the instrument's
published threshold (``domain.scoring`` definitions).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from painrehab.careplans.choices import CLOSED_GOAL_STATUSES, GoalStatus
from painrehab.careplans.models import ConferenceItem, Prescription
from painrehab.careplans.selectors import (
    care_plan_for,
    goals_with_attainment,
    prescriptions_active,
)
from painrehab.domain.scoring import get as instrument_definition
from painrehab.episodes.models import Episode, Stay
from painrehab.instruments.choices import TimePoint
from painrehab.instruments.models import Score
from painrehab.instruments.selectors import (
    HistoryPoint,
    administration_history,
    admission_baseline,
    change_from,
    compared_value,
    due_list,
)

NO_TIMETABLE = "No timetable yet"
WEEKDAYS = range(7)


@dataclass(frozen=True)
class ScoreLine:
    """The latest score of one instrument and its change since admission."""

    code: str
    name: str
    latest: float | None
    latest_on: str
    baseline: float | None
    change: float | None
    threshold: float | None
    meaningful: bool | None
    improved: bool | None
    on_t: bool

    @property
    def latest_text(self) -> str:
        return _number(self.latest)

    @property
    def baseline_text(self) -> str:
        return _number(self.baseline)

    @property
    def change_text(self) -> str:
        return "—" if self.change is None else f"{self.change:+g}"

    @property
    def verdict(self) -> str:
        """The change in words: meaningful or not, better or worse."""
        if self.change is None:
            return "No admission score to compare with"
        if self.threshold is None:
            return "No meaningful-change threshold published"
        if not self.meaningful:
            return f"Below the meaningful change of {self.threshold:g}"
        better = "better" if self.improved else "worse"
        return f"Meaningful change ({better})"


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


@dataclass(frozen=True)
class GoalLine:
    domain: str
    words: str
    target: str
    status: str
    discipline: str
    attainment: int | None
    attainment_label: str
    reviewed_on: str
    needs_wording: bool
    met: bool


@dataclass(frozen=True)
class PrescriptionLine:
    name: str
    discipline: str
    frequency: str
    mode: str
    minutes_per_week: int


@dataclass(frozen=True)
class Attendance:
    """Sessions attended out of those scheduled since admission (the timetable's)."""

    available: bool
    text: str
    attended: int = 0
    scheduled: int = 0


@dataclass(frozen=True)
class Issue:
    """Something open for the team to look at: ``kind`` is a stable code."""

    kind: str
    text: str


@dataclass(frozen=True)
class Agenda:
    """Everything one child's agenda card shows."""

    name: str
    age: int
    bed: str
    on: str
    admitted_on: str
    planned_discharge_on: str
    day_of_stay: int
    planned_days: int
    scores: tuple[ScoreLine, ...]
    goals: tuple[GoalLine, ...]
    prescriptions: tuple[PrescriptionLine, ...]
    busiest_weekday_minutes: int
    max_minutes_per_day: int | None
    attendance: Attendance
    issues: tuple[Issue, ...]
    computed_at: str

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values (lists, not tuples), as the snapshot stores them."""
        stored: dict[str, Any] = json.loads(json.dumps(asdict(self)))
        return stored

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Agenda:
        return cls(
            **{
                **data,
                "scores": tuple(ScoreLine(**s) for s in data["scores"]),
                "goals": tuple(GoalLine(**g) for g in data["goals"]),
                "prescriptions": tuple(
                    PrescriptionLine(**p) for p in data["prescriptions"]
                ),
                "attendance": Attendance(**data["attendance"]),
                "issues": tuple(Issue(**i) for i in data["issues"]),
            }
        )


# --- The attendance hook -------------------------------------------------------

# (episode, from, until) -> attendance, or None when there is no timetable.
AttendanceProvider = Callable[[Episode, date, date], Attendance | None]
_attendance_provider: list[AttendanceProvider] = []


def register_attendance(provider: AttendanceProvider) -> None:
    """The scheduling app's hook: session attendance for the agenda card.

    Until a provider is registered (or when it answers ``None``) the card says
    "No timetable yet".
    """
    _attendance_provider[:] = [provider]


def attendance_for(episode: Episode, since: date, until: date) -> Attendance:
    for provider in _attendance_provider:
        found = provider(episode, since, until)
        if found is not None:
            return found
    return Attendance(available=False, text=NO_TIMETABLE)


# --- Scores: the Measures tab's comparison --------------------------------------


def score_line(code: str, points: list[HistoryPoint]) -> ScoreLine:
    """The latest of ``points`` (oldest first) against the first admission score."""
    definition = instrument_definition(code)
    on_t = definition.converts_to_t
    threshold = definition.meaningful_change
    baseline = admission_baseline(points, on_t=on_t)
    latest = points[-1]
    value = compared_value(latest, on_t=on_t)
    change, meaningful = change_from(baseline, value, threshold)
    improved = (
        (change < 0) == definition.higher_is_worse if change else None  # 0: neither
    )
    return ScoreLine(
        code=code,
        name=definition.name,
        latest=value,
        latest_on=latest.answered_on.isoformat(),
        baseline=baseline,
        change=change,
        threshold=threshold,
        meaningful=meaningful,
        improved=improved,
        on_t=on_t,
    )


def _scores(episode: Episode, stay: Stay, on: date) -> tuple[ScoreLine, ...]:
    history = administration_history(patient=episode.patient)
    lines = []
    for code, points in sorted(history.items()):
        kept = [p for p in points if stay.admitted_on <= p.answered_on <= on]
        if kept:
            lines.append(score_line(code, kept))
    return tuple(lines)


# --- Goals and prescriptions ----------------------------------------------------


def _goals(episode: Episode, on: date) -> tuple[GoalLine, ...]:
    lines = []
    for found in goals_with_attainment(episode):
        goal = found.goal
        if goal.status in CLOSED_GOAL_STATUSES:
            continue
        latest = next((r for r in reversed(found.reviews) if r.reviewed_on <= on), None)
        lines.append(
            GoalLine(
                domain=str(goal.get_domain_display()),
                words=goal.child_words,
                target=goal.target,
                status=str(goal.get_status_display()),
                discipline=goal.discipline,
                attainment=latest.score if latest else None,
                attainment_label=str(latest.get_score_display()) if latest else "",
                reviewed_on=latest.reviewed_on.isoformat() if latest else "",
                needs_wording=goal.needs_wording and goal.status == GoalStatus.ACTIVE,
                met=goal.status == GoalStatus.MET,
            )
        )
    return tuple(lines)


def _prescription_line(p: Prescription) -> PrescriptionLine:
    return PrescriptionLine(
        name=p.name,
        discipline=p.discipline,
        frequency=p.frequency_text,
        mode=str(p.get_mode_display()),
        minutes_per_week=p.minutes_per_week,
    )


def busiest_weekday(prescriptions: list[Prescription]) -> int:
    """The most daily-prescription minutes on any weekday (as the plan page warns)."""
    return max(
        sum(p.minutes_per_day for p in prescriptions if d not in p.excluded_weekdays)
        for d in WEEKDAYS
    )


# --- Open issues -----------------------------------------------------------------


def _flagged(episode: Episode) -> list[Issue]:
    scores = Score.objects.filter(
        administration__episode=episode, flagged=True, acknowledged_at__isnull=True
    ).select_related("administration__instrument_version")
    return [
        Issue(
            "flagged_score",
            f"{s.administration.instrument_version.code} score flagged "
            f"({s.band or 'at or over its cut-off'}), not yet acknowledged",
        )
        for s in scores.order_by("scored_at", "pk")
    ]


def _overdue(episode: Episode, on: date) -> list[Issue]:
    """One issue per time point, naming its overdue questionnaires."""
    groups: dict[str, list[str]] = {}
    for item in due_list(episode=episode, today=on):
        if item.overdue:
            point = str(TimePoint(item.time_point).label)
            if item.time_point == TimePoint.WEEKLY:
                point = f"{point} {item.time_point_index}"
            groups.setdefault(point, []).append(item.instrument_code)
    return [
        Issue("overdue_questionnaire", f"Overdue ({point}): {', '.join(codes)}")
        for point, codes in groups.items()
    ]


def _issues(
    episode: Episode,
    on: date,
    goals: tuple[GoalLine, ...],
    minutes: int,
    limit: int | None,
) -> tuple[Issue, ...]:
    found = [*_flagged(episode), *_overdue(episode, on)]
    unworded = sum(1 for g in goals if g.needs_wording)
    if unworded:
        text = (
            "1 goal is not yet in the child's own words"
            if unworded == 1
            else f"{unworded} goals are not yet in the child's own words"
        )
        found.append(Issue("goals_unworded", text))
    if limit is not None and minutes > limit:
        found.append(
            Issue(
                "over_daily_limit",
                f"Busiest weekday has {minutes} minutes of therapy, over the "
                f"plan's daily limit of {limit}",
            )
        )
    return tuple(found)


# --- The agenda -----------------------------------------------------------------


def agenda_day(held_on: date) -> date:
    """The day the agenda describes: the conference day, or today before it."""
    return min(held_on, timezone.localdate())


def _stay(episode: Episode) -> Stay:
    try:
        return episode.stay
    except ObjectDoesNotExist:
        raise ValueError("A conference item needs an admitted episode.") from None


def agenda_build(item: ConferenceItem) -> Agenda:
    """The live agenda of ``item``; the caller has checked the funnel."""
    episode = item.episode
    stay = _stay(episode)
    on = agenda_day(item.conference.held_on)
    plan = care_plan_for(episode)
    active = prescriptions_active(episode, on=on) if plan is not None else []
    goals = _goals(episode, on)
    minutes = busiest_weekday(active)
    limit = plan.max_therapy_minutes_per_day if plan is not None else None
    return Agenda(
        name=episode.patient.display_name,
        age=episode.patient.age(on),
        bed=str(stay.bed),
        on=on.isoformat(),
        admitted_on=stay.admitted_on.isoformat(),
        planned_discharge_on=stay.planned_discharge_on.isoformat(),
        day_of_stay=stay.day_of_stay(on),
        planned_days=stay.planned_days,
        scores=_scores(episode, stay, on),
        goals=goals,
        prescriptions=tuple(_prescription_line(p) for p in active),
        busiest_weekday_minutes=minutes,
        max_minutes_per_day=limit,
        attendance=attendance_for(episode, stay.admitted_on, on),
        issues=_issues(episode, on, goals, minutes, limit),
        computed_at=timezone.now().isoformat(),
    )


def agenda_of(item: ConferenceItem) -> Agenda:
    """The stored snapshot of a closed conference's item, else the live agenda."""
    if item.snapshot is not None:
        return Agenda.from_json(item.snapshot)
    return agenda_build(item)
