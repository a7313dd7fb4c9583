"""Care plans for the demo: each current inpatient's plan tailored by the team.

Plans exist from admission (the ``admitted`` signal); a child admitted before care
plans existed gets one here through ``care_plan_get_or_create``. Then, only through
the careplans services and each change made by the care team member of the right
discipline (the coordinator when the team has none):

- a formulation of two or three factors per domain, with a summary;
- three to six goals worded with the child (the starter goal of the domain, or a
  new goal), the others discontinued after the first week or left to word;
- goal attainment reviews: a baseline score two days after admission, then one a
  week, climbing towards the expected level;
- prescriptions changed from the template: acupuncture stopped for a needle-phobic
  child (the first inpatient), a second daily psychotherapy session for an anxious
  one (the second), family therapy twice a week for a third, and for some children
  shorter afternoon physical therapy.

Choices are drawn from ``rng``, so a seed gives the same program every time.
"""

import random
import uuid
from dataclasses import dataclass, replace
from datetime import date, timedelta

from painrehab.accounts.choices import DISCIPLINE_OF_ROLE, Discipline, Role
from painrehab.accounts.models import User
from painrehab.careplans import services
from painrehab.careplans.choices import (
    Factor,
    FormulationDomain,
    GoalDomain,
    GoalStatus,
    SessionMode,
    TimeOfDay,
)
from painrehab.careplans.inputs import (
    FactorItem,
    FormulationFields,
    GoalFields,
    PrescriptionFields,
)
from painrehab.careplans.models import CarePlan, Goal
from painrehab.episodes.choices import Phase
from painrehab.episodes.models import Stay
from painrehab.patients.models import CareTeamMember

F = Factor
WEEK = 7
NEEDLE_PHOBIC, ANXIOUS, FAMILY_THERAPY = 0, 1, 2
SHORTER_PT_CHANCE = 0.3

# The child's words, a measurable target and a baseline, per domain.
WORDS: dict[str, tuple[str, ...]] = {
    GoalDomain.PHYSICAL_FUNCTION: (
        "I want to walk to school with my friends",
        "Play soccer at recess again",
        "Climb the stairs at home without help",
        "Walk the dog around the block",
    ),
    GoalDomain.SCHOOL: (
        "Go back to my real school",
        "Sit through a whole class",
        "Be back for the start of next term",
    ),
    GoalDomain.SLEEP: (
        "Fall asleep without lying awake for hours",
        "Wake up feeling rested",
    ),
    GoalDomain.COPING: (
        "Keep going when it hurts",
        "Not be scared of moving my leg",
        "Use my breathing when the pain spikes",
    ),
    GoalDomain.EMOTIONAL: (
        "Feel less worried in the mornings",
        "Feel like myself again",
    ),
    GoalDomain.FAMILY: (
        "Mom and Dad worry less about me",
        "Do fun things with my family on weekends",
    ),
    GoalDomain.DAILY_LIVING: (
        "Shower and get dressed by myself",
        "Carry my own backpack",
    ),
    GoalDomain.RECREATION: (
        "Swim again",
        "Go back to dance class",
        "Ride my bike to the park",
    ),
}
TARGETS: dict[str, tuple[str, str]] = {
    GoalDomain.PHYSICAL_FUNCTION: (
        "Six-minute walk of {a} m without aids or stopping",
        "{b} m with crutches and two rests",
    ),
    GoalDomain.SCHOOL: (
        "Attends hospital school 2 hours a day; return-to-school plan agreed",
        "Out of school for {w} weeks",
    ),
    GoalDomain.SLEEP: (
        "Asleep by 22:00 on 6 of 7 nights, no daytime naps",
        "Asleep after midnight, naps most days",
    ),
    GoalDomain.COPING: (
        "Uses 3 coping skills to stay in therapy when pain rises",
        "Leaves therapy when pain rises",
    ),
    GoalDomain.EMOTIONAL: (
        "Worry 4/10 or less on 5 of 7 days",
        "Worry 8/10 most days",
    ),
    GoalDomain.FAMILY: (
        "Parents coach coping instead of rest on 5 of 7 evenings",
        "Parents suggest rest when pain rises",
    ),
    GoalDomain.DAILY_LIVING: (
        "Showers and dresses alone in 20 minutes",
        "Needs help; takes 45 minutes",
    ),
    GoalDomain.RECREATION: (
        "Back to a chosen activity twice a week",
        "No activities since the pain began",
    ),
}
FACTORS: dict[str, tuple[tuple[Factor, str], ...]] = {
    FormulationDomain.BIOLOGICAL: (
        (F.CENTRAL_SENSITIZATION, "Allodynia over the painful area"),
        (F.SLEEP_DISRUPTION, "Sleeps about 5 hours, wakes often"),
        (F.DECONDITIONING, "Weeks of rest at home"),
        (F.HYPERMOBILITY, "Beighton score 6 of 9"),
        (F.INJURY_TRIGGER, "Pain began after a sports injury"),
        (F.AUTONOMIC, "Dizzy on standing"),
    ),
    FormulationDomain.PSYCHOLOGICAL: (
        (F.FEAR_AVOIDANCE, "Avoids weight-bearing and reaching"),
        (F.CATASTROPHIZING, "Expects the worst when pain rises"),
        (F.ANXIETY, "Worries about falling behind at school"),
        (F.LOW_MOOD, "Withdrawn from friends"),
        (F.PERFECTIONISM, "High grades; fears failing"),
    ),
    FormulationDomain.SOCIAL: (
        (F.SCHOOL_ABSENCE, "Out of school most of this term"),
        (F.FAMILY_DISTRESS, "Parents disagree about activity"),
        (F.PROTECTIVE_RESPONSES, "Parents carry bags and drive everywhere"),
        (F.PEER_ISOLATION, "Lost touch with friends"),
        (F.ILLNESS_IN_FAMILY, "A parent lives with chronic migraine"),
    ),
}
SUMMARY = (
    "Pain is kept going by {bio}, {psy} and {social}; the plan builds function "
    "step by step while the family learns to coach coping instead of rest."
)


@dataclass(frozen=True)
class Child:
    """One inpatient being tailored: the plan, the team and the dates."""

    plan: CarePlan
    team: dict[str, User]
    coordinator: User
    admitted_on: date
    today: date
    rng: random.Random

    def by(self, discipline: str) -> User:
        return self.team.get(discipline, self.coordinator)

    @property
    def days_in(self) -> int:
        return (self.today - self.admitted_on).days


def careplans_populate(*, rng: random.Random, today: date) -> None:
    """Tailor the care plan of every current inpatient (see the module docstring)."""
    coordinator = _coordinator()
    stays = (
        Stay.objects.filter(episode__phase=Phase.INPATIENT, discharged_on=None)
        .select_related("episode__patient")
        .order_by("episode__patient__mrn")
    )
    for index, stay in enumerate(stays):
        plan = services.care_plan_get_or_create(episode=stay.episode, by=coordinator)
        child = Child(
            plan=plan,
            team=_team(stay.episode.patient_id),
            coordinator=coordinator,
            admitted_on=stay.admitted_on,
            today=today,
            rng=rng,
        )
        _formulation(child, needle_phobic=index == NEEDLE_PHOBIC)
        _goals(child)
        _prescriptions(child, index)


def _coordinator() -> User:
    found = User.objects.filter(role=Role.COORDINATOR, is_active=True).order_by("pk")
    coordinator = found.first()
    if coordinator is None:
        raise LookupError("The demo needs a coordinator to tailor care plans.")
    return coordinator


def _team(patient_id: int) -> dict[str, User]:
    """The care team by discipline (the role's usual one), first member wins."""
    team: dict[str, User] = {}
    members = (
        CareTeamMember.objects.filter(patient_id=patient_id, end_date=None)
        .select_related("member")
        .order_by("pk")
    )
    for membership in members:
        member = membership.member
        discipline = DISCIPLINE_OF_ROLE.get(Role(member.role))
        if discipline is not None and member.role != Role.COORDINATOR:
            team.setdefault(str(discipline), member)
    return team


# --- Formulation --------------------------------------------------------------


def _formulation(child: Child, *, needle_phobic: bool) -> None:
    picked: dict[str, tuple[FactorItem, ...]] = {}
    for domain, pool in FACTORS.items():
        chosen = child.rng.sample(pool, k=child.rng.randint(2, 3))
        picked[domain] = tuple(FactorItem(f.value, text) for f, text in chosen)
    if needle_phobic:
        needles = FactorItem(F.NEEDLE_FEAR.value, "Faints at the sight of needles")
        picked[FormulationDomain.PSYCHOLOGICAL] += (needles,)
    summary = SUMMARY.format(
        bio=_first_label(picked[FormulationDomain.BIOLOGICAL]),
        psy=_first_label(picked[FormulationDomain.PSYCHOLOGICAL]),
        social=_first_label(picked[FormulationDomain.SOCIAL]),
    )
    services.formulation_change(
        care_plan=child.plan,
        by=child.by(Discipline.PSY),
        version=child.plan.formulation.version,
        fields=FormulationFields(
            biological=picked[FormulationDomain.BIOLOGICAL],
            psychological=picked[FormulationDomain.PSYCHOLOGICAL],
            social=picked[FormulationDomain.SOCIAL],
            summary=summary,
        ),
        reason="Formulated at the admission team meeting",
    )


def _first_label(items: tuple[FactorItem, ...]) -> str:
    return str(Factor(items[0].code).label).lower()


# --- Goals --------------------------------------------------------------------


def _goals(child: Child) -> None:
    starters = list(child.plan.goals.filter(status=GoalStatus.ACTIVE).order_by("pk"))
    count = child.rng.randint(3, 6)
    worded = child.rng.sample(starters, k=min(count, len(starters)))
    for goal in worded:
        reviewed = _reviewed(child, _word(child, goal))
        if reviewed is not None and child.days_in >= 3 * WEEK:
            _mark_met_if_reached(child, reviewed)
    if child.rng.random() < 0.5:
        _reviewed(child, _extra_goal(child))
    if child.days_in >= WEEK:
        for goal in starters:
            if goal not in worded:
                _discontinue(child, goal)


def _fields_for(child: Child, domain: str, discipline: str) -> GoalFields:
    target, baseline = TARGETS[domain]
    walked = child.rng.randrange(120, 260, 10)
    return GoalFields(
        domain=domain,
        discipline=discipline,
        target=target.format(a=walked + 250),
        child_words=child.rng.choice(WORDS[domain]),
        baseline=baseline.format(b=walked, w=child.rng.randint(4, 16)),
        due_on=child.admitted_on + timedelta(days=28),
    )


def _word(child: Child, goal: Goal) -> Goal:
    fields = _fields_for(child, goal.domain, goal.discipline)
    return services.goal_change(
        goal=goal,
        by=child.by(goal.discipline),
        version=goal.version,
        fields=fields,
        reason="Worded with the child",
    )


def _extra_goal(child: Child) -> Goal:
    fields = replace(
        _fields_for(child, GoalDomain.PHYSICAL_FUNCTION, Discipline.PT),
        target="Stands for 10 minutes while cooking",
        baseline="Stands 2 minutes",
        child_words="Help make dinner at home",
    )
    return services.goal_create(
        care_plan=child.plan,
        by=child.by(Discipline.PT),
        form_token=uuid.UUID(int=child.rng.getrandbits(128)),
        fields=fields,
        reason="Added at the first team conference",
    )


def _reviewed(child: Child, goal: Goal) -> Goal | None:
    """A baseline score on day 3, then one a week; ``None`` when none is due."""
    days = [2, *range(WEEK, child.days_in + 1, WEEK)]
    days = [d for d in days if d <= child.days_in]
    score = child.rng.choice((-2, -2, -1))
    for week, offset in enumerate(days):
        if week:
            score = min(2, score + child.rng.choice((0, 1, 1)))
        services.goal_review(
            goal=goal,
            by=child.by(goal.discipline),
            form_token=uuid.UUID(int=child.rng.getrandbits(128)),
            reviewed_on=child.admitted_on + timedelta(days=offset),
            score=score,
            note="Reviewed at the weekly team conference" if week else "Baseline",
        )
    return goal if days else None


def _mark_met_if_reached(child: Child, goal: Goal) -> None:
    latest = goal.reviews.order_by("-reviewed_on", "-pk").first()
    if latest is None or latest.score < 1:
        return
    goal.refresh_from_db()
    services.goal_change(
        goal=goal,
        by=child.by(goal.discipline),
        version=goal.version,
        fields=replace(GoalFields.of(goal), status=GoalStatus.MET),
        reason="Target reached and held for a week",
    )


def _discontinue(child: Child, goal: Goal) -> None:
    services.goal_change(
        goal=goal,
        by=child.by(goal.discipline),
        version=goal.version,
        fields=replace(GoalFields.of(goal), status=GoalStatus.DISCONTINUED),
        reason="Not a focus for this stay (first team conference)",
    )


# --- Prescriptions ------------------------------------------------------------


def _prescriptions(child: Child, index: int) -> None:
    rows = {p.template_key: p for p in child.plan.prescriptions.all()}
    if index == NEEDLE_PHOBIC and "acupuncture" in rows:
        services.prescription_stop(
            prescription=rows["acupuncture"],
            by=child.by(Discipline.ACU),
            version=rows["acupuncture"].version,
            reason="Needle phobia: distressed at the first session; try again "
            "after exposure work in psychology",
            stopped_on=min(child.today, child.admitted_on + timedelta(days=1)),
        )
    if index == ANXIOUS and "psychotherapy" in rows:
        row = rows["psychotherapy"]
        services.prescription_change(
            prescription=row,
            by=child.by(Discipline.PSY),
            version=row.version,
            reason="High anxiety: two shorter sessions a day",
            fields=replace(PrescriptionFields.of(row), sessions_per_day=2, minutes=45),
        )
    if index == FAMILY_THERAPY:
        _family_therapy(child)
    if "pt" in rows and child.rng.random() < SHORTER_PT_CHANCE:
        row = rows["pt"]
        services.prescription_change(
            prescription=row,
            by=child.by(Discipline.PT),
            version=row.version,
            reason="Morning fatigue: shorter sessions in the afternoon",
            fields=replace(
                PrescriptionFields.of(row), minutes=45, time_of_day=TimeOfDay.AFTERNOON
            ),
        )


def _family_therapy(child: Child) -> None:
    services.prescription_create(
        care_plan=child.plan,
        by=child.by(Discipline.PSY),
        form_token=uuid.UUID(int=child.rng.getrandbits(128)),
        fields=PrescriptionFields(
            discipline=Discipline.PSY,
            minutes=60,
            mode=SessionMode.INDIVIDUAL,
            starts_on=child.admitted_on,
            sessions_per_day=None,
            sessions_per_week=2,
            label="Family therapy",
            time_of_day=TimeOfDay.EVENING,
            excluded_weekdays=(5, 6),
        ),
        reason="Parents' protective responses keep avoidance going",
    )
