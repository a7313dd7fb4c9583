"""Team conferences for the demo: last week's, closed, and today's, in progress.

Runs after ``careplans_populate`` and only through the careplans services, each
write by the care team member of the right discipline (the coordinator when the
team has none):

- last week's conference (seven days before ``today``): every child in a bed that
  day is on it, with two to four disciplines' updates; the decisions are applied
  to the plans of the children still in a bed today (physical therapy shortened
  for the first, a new school goal for the second, the third's stay extended by
  a week, "no change" for the others and for children discharged since); the
  first one's family summary is drafted from those decisions and released to
  the portal; then the conference is closed, which writes each agenda down;
- today's conference, started, with a first update or two per child, waiting for
  the team's decisions (left for the person trying the demo).

Choices are drawn from ``rng``, so a seed gives the same conferences every time.
"""

import random
import uuid
from datetime import date, timedelta

from django.utils import timezone

from painrehab.accounts.choices import Discipline, Role
from painrehab.accounts.models import User
from painrehab.careplans.agenda import agenda_build
from painrehab.careplans.choices import DecisionKind, GoalDomain
from painrehab.careplans.family_draft import family_summary_draft
from painrehab.careplans.inputs import DecisionInput, GoalFields
from painrehab.careplans.models import ConferenceItem, TeamConference
from painrehab.careplans.rules import discipline_of
from painrehab.careplans.services import conferences, decisions
from painrehab.patients.models import CareTeamMember

WEEK = 7
UPDATES: dict[str, tuple[str, ...]] = {
    Discipline.PT: (
        "Walks further each day; managed the stairs with one rail.",
        "Six-minute walk up by 80 m; still guards the leg on uneven ground.",
    ),
    Discipline.OT: (
        "Dresses independently in the mornings; practising carrying the bag.",
        "Desensitisation twice a day; tolerates socks and sheets now.",
    ),
    Discipline.PSY: (
        "Uses breathing and pacing when pain rises; less avoidance in therapy.",
        "Worry lower in the mornings; working on school-return fears.",
    ),
    Discipline.SW: (
        "Parents attending the family sessions; school meeting booked.",
        "Family coaching coping at home visits instead of rest.",
    ),
    Discipline.MED: (
        "Medically stable; night-time analgesic tapered as planned.",
        "No new symptoms; sleep medication stopped.",
    ),
    Discipline.NURSE: (
        "Sleeping about seven hours; woke once with pain this week.",
        "Up and dressed for breakfast every day.",
    ),
    Discipline.COORD: (
        "Discharge planning started; step-down dates offered to the family.",
        "Family asked for a school visit before discharge.",
    ),
}
RATIONALE = {
    DecisionKind.CHANGE_PRESCRIPTION: "Tired by the afternoon; shorter sessions "
    "keep the quality up",
    DecisionKind.NEW_GOAL: "Ready for a school goal after a good week in class",
    DecisionKind.EXTEND_STAY: "Still building tolerance for the school day; one "
    "more week agreed with the family",
    DecisionKind.NO_CHANGE: "Progressing as planned",
}


def conferences_populate(*, rng: random.Random, today: date) -> None:
    """Last week's conference, closed; today's, in progress (module docstring)."""
    coordinator = _coordinator()
    last_week = _started(coordinator, today - timedelta(days=WEEK))
    in_bed = 0  # decisions go to children still in a bed today
    for item in _items(last_week):
        team = _team(item, coordinator)
        _updates(item, team, rng, k=rng.randint(2, 4))
        index = in_bed if item.episode.stay.discharged_on is None else None
        _decide(item, team, coordinator, index)
        if index == 0:
            _release_summary(item, coordinator)
        in_bed += index is not None
    if last_week.is_open:
        conferences.conference_close(conference=last_week, by=coordinator)
    this_week = _started(coordinator, today)
    if this_week.is_open:
        for item in _items(this_week):
            _updates(item, _team(item, coordinator), rng, k=rng.randint(1, 2))


def _coordinator() -> User:
    found = User.objects.filter(role=Role.COORDINATOR, is_active=True).order_by("pk")
    coordinator = found.first()
    if coordinator is None:
        raise LookupError("The demo needs a coordinator to run team conferences.")
    return coordinator


def _started(coordinator: User, held_on: date) -> TeamConference:
    conference = conferences.conference_create(
        by=coordinator,
        held_on=held_on,
        chaired_by=coordinator,
        form_token=uuid.uuid5(uuid.NAMESPACE_URL, f"demo-conference-{held_on}"),
    )
    if held_on > timezone.localdate():  # a demo built for a later day
        return conference
    return conferences.conference_start(conference=conference, by=coordinator)


def _items(conference: TeamConference) -> list[ConferenceItem]:
    return list(
        conference.items.select_related("episode__patient", "episode__stay").order_by(
            "episode__patient__mrn"
        )
    )


def _team(item: ConferenceItem, coordinator: User) -> dict[str, User]:
    """The child's care team by discipline; the coordinator writes as COORD."""
    team: dict[str, User] = {Discipline.COORD: coordinator}
    members = CareTeamMember.objects.filter(
        patient_id=item.episode.patient_id, end_date=None
    ).select_related("member")
    for membership in members.order_by("pk"):
        discipline = discipline_of(membership.member)
        if discipline in UPDATES:
            team.setdefault(discipline, membership.member)
    return team


def _updates(
    item: ConferenceItem, team: dict[str, User], rng: random.Random, *, k: int
) -> None:
    for discipline in rng.sample(sorted(team), k=min(k, len(team))):
        conferences.discipline_update_save(
            item=item,
            by=team[discipline],
            version=0,
            text=rng.choice(UPDATES[discipline]),
        )


def _decide(
    item: ConferenceItem, team: dict[str, User], coordinator: User, index: int | None
) -> None:
    decision = _decision(item, index) if index is not None else None
    by = coordinator
    if decision is not None and decision.kind == DecisionKind.CHANGE_PRESCRIPTION:
        by = team.get(Discipline.PT, coordinator)
    decisions.decision_apply(
        item=item,
        by=by,
        form_token=uuid.uuid5(uuid.NAMESPACE_URL, f"demo-decision-{item.pk}"),
        decision=decision
        or DecisionInput(
            kind=DecisionKind.NO_CHANGE, rationale=RATIONALE[DecisionKind.NO_CHANGE]
        ),
    )


def _decision(item: ConferenceItem, index: int) -> DecisionInput | None:
    stay = item.episode.stay
    if index == 0:
        pt = item.episode.care_plan.prescriptions.filter(
            template_key="pt", status="active"
        ).first()
        if pt is None:
            return None
        return DecisionInput(
            kind=DecisionKind.CHANGE_PRESCRIPTION,
            rationale=RATIONALE[DecisionKind.CHANGE_PRESCRIPTION],
            prescription_id=pt.pk,
            prescription_version=pt.version,
            minutes=45 if pt.minutes != 45 else 30,
        )
    if index == 1:
        return DecisionInput(
            kind=DecisionKind.NEW_GOAL,
            rationale=RATIONALE[DecisionKind.NEW_GOAL],
            goal=GoalFields(
                domain=GoalDomain.SCHOOL,
                discipline=Discipline.SCHOOL,
                target="Attends the hospital school for the whole afternoon block",
                child_words="Stay in class the whole afternoon",
                due_on=stay.planned_discharge_on,
            ),
        )
    if index == 2:
        return DecisionInput(
            kind=DecisionKind.EXTEND_STAY,
            rationale=RATIONALE[DecisionKind.EXTEND_STAY],
            discharge_on=stay.planned_discharge_on + timedelta(days=WEEK),
        )
    return None


def _release_summary(item: ConferenceItem, coordinator: User) -> None:
    patient = item.episode.patient
    draft = family_summary_draft(
        first_name=patient.preferred_name or patient.given_name,
        agenda=agenda_build(item),
        decisions=list(item.decisions.all()),
    )
    saved = conferences.family_summary_save(
        item=item, by=coordinator, version=0, text=draft
    )
    conferences.family_summary_release(item=item, by=coordinator, version=saved.version)
