"""Reads of the care plan.

The public interface for the weekly conference and the timetable takes an episode
the caller has already obtained through the access funnel and records nothing:
``care_plan_for``, ``prescriptions_active``, ``goals_with_attainment``,
``prescription_totals`` and ``plan_history``. The page readers (``*_get``,
``care_plan_page``) take the user, ask the funnel, and audit the read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from painrehab.accounts.choices import Discipline
from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory, Outcome
from painrehab.audit.services import record
from painrehab.careplans import services
from painrehab.careplans.choices import (
    GOAL_DISCIPLINES,
    PRESCRIBABLE_DISCIPLINES,
    Attainment,
    GoalDomain,
    PrescriptionStatus,
)
from painrehab.careplans.history import HistoryLine, history_lines
from painrehab.careplans.models import (
    CarePlan,
    Goal,
    GoalReview,
    PlanChange,
    Prescription,
)
from painrehab.careplans.rules import Part, editable_disciplines, may_edit
from painrehab.episodes.models import Episode, Stay
from painrehab.episodes.selectors import episode_current
from painrehab.patients.access import PatientNotFound, patient_get_for_user
from painrehab.patients.models import Patient

REFUSED = "not found or not permitted"


# --- The interface for later parts (conference, timetable) -------------------


def care_plan_for(episode: Episode) -> CarePlan | None:
    """The episode's care plan, or ``None`` before admission.

    ``episode`` must come through the access funnel; nothing is audited here.
    """
    return (
        CarePlan.objects.select_related("formulation", "episode")
        .filter(episode=episode)
        .first()
    )


def prescriptions_active(episode: Episode, *, on: date) -> list[Prescription]:
    """Prescriptions in force on ``on``: started, not ended, not stopped by then.

    Values are the current ones (earlier values are in ``plan_history``). Whether a
    session is wanted on that weekday is ``Prescription.requested_on(on)``.
    """
    rows = Prescription.objects.filter(care_plan__episode=episode).order_by(
        "discipline", "pk"
    )
    return [p for p in rows if p.in_force_on(on)]


@dataclass(frozen=True)
class GoalAttainment:
    """A goal with its reviews, oldest first; the latest is its attainment."""

    goal: Goal
    reviews: tuple[GoalReview, ...]

    @property
    def latest(self) -> GoalReview | None:
        return self.reviews[-1] if self.reviews else None

    @property
    def score(self) -> int | None:
        return self.latest.score if self.latest is not None else None

    @property
    def score_label(self) -> str:
        return str(Attainment(self.score).label) if self.score is not None else ""

    @property
    def reviewed_on(self) -> date | None:
        return self.latest.reviewed_on if self.latest is not None else None


def goals_with_attainment(episode: Episode) -> list[GoalAttainment]:
    """Every goal of the episode's plan (all statuses) with its reviews, in the
    domains' order, then oldest first. ``episode`` comes through the funnel."""
    order = {d: i for i, d in enumerate(GoalDomain.values)}
    goals = (
        Goal.objects.filter(care_plan__episode=episode)
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=GoalReview.objects.select_related("by").order_by(
                    "reviewed_on", "recorded_at", "pk"
                ),
            )
        )
        .order_by("pk")
    )
    found = [GoalAttainment(g, tuple(g.reviews.all())) for g in goals]
    return sorted(found, key=lambda a: (order.get(a.goal.domain, 99), a.goal.pk))


@dataclass(frozen=True)
class DisciplineTotal:
    """Prescribed minutes of one discipline (``per_day`` counts daily ones only)."""

    discipline: str
    label: str
    minutes_per_day: int
    minutes_per_week: int


def prescription_totals(
    prescriptions: Iterable[Prescription],
) -> list[DisciplineTotal]:
    """Minutes a day and a week per discipline, in the disciplines' order."""
    day: dict[str, int] = {}
    week: dict[str, int] = {}
    for p in prescriptions:
        day[p.discipline] = day.get(p.discipline, 0) + p.minutes_per_day
        week[p.discipline] = week.get(p.discipline, 0) + p.minutes_per_week
    return [
        DisciplineTotal(str(d), str(d.label), day[d], week[d])
        for d in Discipline
        if d in week
    ]


def plan_history(plan: CarePlan) -> list[HistoryLine]:
    """Every change to the plan, newest first, in words."""
    changes = plan.changes.select_related("by").order_by("-at", "-pk")
    return history_lines(changes)


def last_change(plan: CarePlan, subject: str, subject_id: int) -> PlanChange | None:
    """The latest change of one row (who to name in a conflict)."""
    return (
        plan.changes.filter(subject=subject, subject_id=subject_id)
        .select_related("by")
        .order_by("-at", "-pk")
        .first()
    )


@dataclass(frozen=True)
class PlanDates:
    admitted_on: date | None
    planned_discharge_on: date | None


def plan_dates(plan: CarePlan) -> PlanDates:
    """The stay's dates, for the forms' defaults."""
    stay = Stay.objects.filter(episode_id=plan.episode_id).first()
    if stay is None:
        return PlanDates(None, None)
    return PlanDates(stay.admitted_on, stay.planned_discharge_on)


def reviews_of(goal: Goal) -> list[GoalReview]:
    """The goal's reviews, oldest first."""
    return list(
        goal.reviews.select_related("by").order_by("reviewed_on", "recorded_at", "pk")
    )


# --- Page readers: through the funnel, audited --------------------------------


def _audit_read(
    user: User, patient_id: int, obj: CarePlan | Goal | Prescription | None
) -> None:
    record(
        action=AuditAction.CARE_PLAN_VIEWED,
        action_type=ActionType.READ,
        actor=user,
        patient_id=patient_id,
        data_category=DataCategory.CARE_PLAN,
        obj=obj,
    )


def _refused(user: User, patient_id: int) -> PatientNotFound:
    record(
        action=AuditAction.CARE_PLAN_VIEWED,
        action_type=ActionType.READ,
        actor=user,
        patient_id=None,
        data_category=DataCategory.CARE_PLAN,
        outcome=Outcome.FAILURE,
        outcome_reason=REFUSED,
        changes={"patient_id_requested": patient_id},
    )
    return PatientNotFound()


def _patient(user: User, patient_id: int) -> Patient:
    try:
        return patient_get_for_user(user=user, patient_id=patient_id)
    except PatientNotFound:
        raise _refused(user, patient_id) from None


def plan_get(*, user: User, patient_id: int) -> CarePlan:
    """The care plan of the patient's current episode (for the edit pages).

    ``PatientNotFound`` when the patient is not visible or has no plan.
    """
    patient = _patient(user, patient_id)
    episode = episode_current(patient=patient)
    plan = care_plan_for(episode) if episode is not None else None
    if plan is None:
        raise PatientNotFound
    _audit_read(user, patient.pk, plan)
    return plan


def goal_get(*, user: User, patient_id: int, goal_id: int) -> Goal:
    """One goal of the patient's plans; a goal of another patient is "not found"."""
    patient = _patient(user, patient_id)
    goal = (
        Goal.objects.select_related("care_plan__episode__patient")
        .filter(pk=goal_id, care_plan__episode__patient=patient)
        .first()
    )
    if goal is None:
        raise PatientNotFound
    _audit_read(user, patient.pk, goal)
    return goal


def prescription_get(
    *, user: User, patient_id: int, prescription_id: int
) -> Prescription:
    """One prescription of the patient's plans, else "not found"."""
    patient = _patient(user, patient_id)
    found = (
        Prescription.objects.select_related("care_plan__episode__patient")
        .filter(pk=prescription_id, care_plan__episode__patient=patient)
        .first()
    )
    if found is None:
        raise PatientNotFound
    _audit_read(user, patient.pk, found)
    return found


@dataclass(frozen=True)
class DomainGoals:
    domain: str
    label: str
    goals: list[GoalAttainment]


@dataclass(frozen=True)
class PlanPage:
    """Everything the "Care plan" tab shows, and what the viewer may change."""

    patient: Patient
    episode: Episode | None
    plan: CarePlan | None
    domains: list[DomainGoals] = field(default_factory=list)
    current: list[Prescription] = field(default_factory=list)
    ended: list[Prescription] = field(default_factory=list)
    totals: list[DisciplineTotal] = field(default_factory=list)
    weekday_minutes: int = 0
    history: list[HistoryLine] = field(default_factory=list)
    may_edit_header: bool = False
    may_edit_formulation: bool = False
    goal_disciplines: Sequence[str] = ()
    prescription_disciplines: Sequence[str] = ()

    @property
    def total_per_day(self) -> int:
        return sum(t.minutes_per_day for t in self.totals)

    @property
    def total_per_week(self) -> int:
        return sum(t.minutes_per_week for t in self.totals)

    @property
    def over_daily_limit(self) -> bool:
        plan = self.plan
        return (
            plan is not None and self.weekday_minutes > plan.max_therapy_minutes_per_day
        )


def _by_domain(goals: list[GoalAttainment]) -> list[DomainGoals]:
    return [
        DomainGoals(
            str(domain),
            str(domain.label),
            [g for g in goals if g.goal.domain == domain],
        )
        for domain in GoalDomain
    ]


def _split(
    rows: list[Prescription], today: date
) -> tuple[list[Prescription], list[Prescription]]:
    """Current (in force today or starting later) and ended or stopped ones."""
    current = [
        p
        for p in rows
        if p.status == PrescriptionStatus.ACTIVE
        and (p.ends_on is None or p.ends_on >= today)
    ]
    return current, [p for p in rows if p not in current]


def _busiest_weekday(rows: list[Prescription]) -> int:
    """The most daily-prescription minutes on any weekday (weekly ones excluded)."""
    return max(
        sum(p.minutes_per_day for p in rows if day not in p.excluded_weekdays)
        for day in range(7)
    )


def _plan_for_page(user: User, episode: Episode) -> CarePlan | None:
    plan = care_plan_for(episode)
    if plan is None and Stay.objects.filter(episode=episode).exists():
        services.care_plan_get_or_create(episode=episode, by=user)
        plan = care_plan_for(episode)
    return plan


def care_plan_page(*, user: User, patient_id: int) -> PlanPage:
    """The "Care plan" tab of the patient's current episode, audited.

    An episode admitted before care plans existed gets its plan from the template
    on this first visit (through the service, so the creation is audited too).
    """
    patient = _patient(user, patient_id)
    episode = episode_current(patient=patient)
    plan = _plan_for_page(user, episode) if episode is not None else None
    _audit_read(user, patient.pk, plan)
    if plan is None or episode is None:
        return PlanPage(patient=patient, episode=episode, plan=None)
    today = timezone.localdate()
    # Template rows were created in the order of the sample day.
    rows = list(Prescription.objects.filter(care_plan=plan).order_by("pk"))
    current, ended = _split(rows, today)
    return PlanPage(
        patient=patient,
        episode=episode,
        plan=plan,
        domains=_by_domain(goals_with_attainment(episode)),
        current=current,
        ended=ended,
        totals=prescription_totals(current),
        weekday_minutes=_busiest_weekday(current),
        history=plan_history(plan),
        may_edit_header=may_edit(user, Part.HEADER),
        may_edit_formulation=may_edit(user, Part.FORMULATION),
        goal_disciplines=editable_disciplines(user, Part.GOAL, GOAL_DISCIPLINES),
        prescription_disciplines=editable_disciplines(
            user, Part.PRESCRIPTION, PRESCRIBABLE_DISCIPLINES
        ),
    )
