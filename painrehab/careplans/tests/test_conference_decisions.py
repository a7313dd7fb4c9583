"""Conference decisions are applied to the plan in one step, with who and why;
a refusal leaves nothing applied; a double click applies once."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from painrehab.accounts.choices import Role
from painrehab.audit.models import AuditEvent
from painrehab.careplans import validation
from painrehab.careplans.choices import DecisionKind as K
from painrehab.careplans.inputs import DecisionInput
from painrehab.careplans.models import (
    CarePlan,
    ConferenceDecision,
    ConferenceItem,
    Goal,
    PlanChange,
)
from painrehab.careplans.selectors import plan_history
from painrehab.careplans.services import STALE, conferences, decisions
from painrehab.careplans.tests.conference_support import decide, item_of, started
from painrehab.careplans.tests.support import (
    admitted_plan,
    goal_fields,
    on_team,
    template_row,
)
from painrehab.episodes.models import StayExtension
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db
WHY = "Morning fatigue; shorter sessions"


@pytest.fixture
def plan() -> CarePlan:
    return admitted_plan(days_ago=8)


@pytest.fixture
def item(plan: CarePlan) -> ConferenceItem:
    return item_of(started(), plan)


def _nothing_applied(plan: CarePlan) -> None:
    assert not ConferenceDecision.objects.exists()
    assert not PlanChange.objects.filter(reason__startswith="Team conference").exists()
    assert not AuditEvent.objects.filter(action="conference.decision_applied").exists()


def test_changing_pt_minutes_changes_the_plan_with_the_conference_as_reason(
    plan: CarePlan, item: ConferenceItem
) -> None:
    pt = template_row(plan, "pt")
    decision = decide(
        item,
        journey.coordinator(),
        K.CHANGE_PRESCRIPTION,
        rationale=WHY,
        prescription_id=pt.pk,
        prescription_version=pt.version,
        minutes=45,
    )
    pt.refresh_from_db()
    assert (pt.minutes, pt.sessions_per_day) == (45, 1)
    assert decision.params["old"]["minutes"] == 60
    assert decision.params["new"]["minutes"] == 45
    assert decision.summary == "Physical therapy: 1× 60 min a day → 1× 45 min a day"
    change = decision.plan_change
    assert change is not None and change.action == "prescription.changed"
    assert change.changes == {"minutes": {"old": 60, "new": 45}}
    day = item.conference.held_on.isoformat()
    assert change.reason == f"Team conference {day}: {WHY}"
    assert plan_history(plan)[0].reason == change.reason
    event = AuditEvent.objects.get(action="conference.decision_applied")
    assert event.patient_id == plan.episode.patient_id
    assert event.changes["kind"] == K.CHANGE_PRESCRIPTION
    assert (decision.decided_by, decision.rationale) == (journey.coordinator(), WHY)


def test_the_frequency_can_change_from_daily_to_weekly(
    plan: CarePlan, item: ConferenceItem
) -> None:
    row = template_row(plan, "acupuncture")
    decide(
        item,
        journey.coordinator(),
        K.CHANGE_PRESCRIPTION,
        prescription_id=row.pk,
        prescription_version=row.version,
        minutes=30,
        sessions_per_week=2,
    )
    row.refresh_from_db()
    assert (row.sessions_per_day, row.sessions_per_week) == (None, 2)


def test_a_new_goal_is_created_in_the_plan(
    plan: CarePlan, item: ConferenceItem
) -> None:
    fields = goal_fields(child_words="Swim with my sister")
    decision = decide(item, journey.coordinator(), K.NEW_GOAL, goal=fields)
    goal = Goal.objects.get(pk=decision.params["goal"])
    assert (goal.care_plan, goal.child_words) == (plan, "Swim with my sister")
    assert decision.plan_change is not None
    assert decision.plan_change.action == "goal.created"


def test_extending_the_stay_moves_the_planned_discharge(
    plan: CarePlan, item: ConferenceItem
) -> None:
    stay = plan.episode.stay
    later = stay.planned_discharge_on + dt.timedelta(days=7)
    decision = decide(item, journey.coordinator(), K.EXTEND_STAY, discharge_on=later)
    stay.refresh_from_db()
    assert stay.planned_discharge_on == later
    extension = StayExtension.objects.get(stay=stay)
    assert extension.reason.startswith("Team conference ")
    change = decision.plan_change
    assert change is not None and change.subject == "stay"
    assert change.changes["planned_discharge_on"]["new"] == later.isoformat()
    assert AuditEvent.objects.filter(action="stay.extended").exists()


def test_shortening_the_stay_uses_the_same_episode_service(
    plan: CarePlan, item: ConferenceItem
) -> None:
    stay = plan.episode.stay
    sooner = stay.planned_discharge_on - dt.timedelta(days=5)
    decide(item, journey.coordinator(), K.SHORTEN_STAY, discharge_on=sooner)
    stay.refresh_from_db()
    assert stay.planned_discharge_on == sooner


def test_planning_the_discharge_on_the_planned_day_changes_nothing_but_is_kept(
    plan: CarePlan, item: ConferenceItem
) -> None:
    stay = plan.episode.stay
    decision = decide(
        item,
        journey.coordinator(),
        K.PLAN_DISCHARGE,
        discharge_on=stay.planned_discharge_on,
    )
    assert decision.plan_change is None
    assert not StayExtension.objects.exists()
    assert decision.summary.startswith("Discharge planned for ")


def test_stopping_a_prescription(plan: CarePlan, item: ConferenceItem) -> None:
    row = template_row(plan, "acupuncture")
    decide(
        item,
        journey.coordinator(),
        K.STOP_PRESCRIPTION,
        prescription_id=row.pk,
        prescription_version=row.version,
        stopped_on=journey.today(),
    )
    row.refresh_from_db()
    assert row.status == "stopped" and row.stop_reason.startswith("Team conference")


def test_no_change_is_recorded_without_touching_the_plan(
    plan: CarePlan, item: ConferenceItem
) -> None:
    decision = decide(item, journey.coordinator(), K.NO_CHANGE)
    assert decision.plan_change is None
    assert decision.summary == "No change to the plan"


def test_a_double_click_applies_once(plan: CarePlan, item: ConferenceItem) -> None:
    pt = template_row(plan, "pt")
    token = uuid.uuid4()
    values = {"prescription_id": pt.pk, "prescription_version": pt.version}
    first = decide(
        item,
        journey.coordinator(),
        K.CHANGE_PRESCRIPTION,
        token=token,
        minutes=45,
        **values,
    )
    again = decide(
        item,
        journey.coordinator(),
        K.CHANGE_PRESCRIPTION,
        token=token,
        minutes=45,
        **values,
    )
    assert again == first
    assert ConferenceDecision.objects.count() == 1
    assert PlanChange.objects.filter(action="prescription.changed").count() == 1


def test_a_stale_prescription_is_refused_and_nothing_is_applied(
    plan: CarePlan, item: ConferenceItem
) -> None:
    pt = template_row(plan, "pt")
    seen = pt.version
    decide(
        item,
        journey.coordinator(),
        K.CHANGE_PRESCRIPTION,
        prescription_id=pt.pk,
        prescription_version=seen,
        minutes=30,
    )
    before = ConferenceDecision.objects.count()
    with pytest.raises(ValidationError) as refused:
        decide(
            item,
            journey.coordinator(),
            K.CHANGE_PRESCRIPTION,
            prescription_id=pt.pk,
            prescription_version=seen,
            minutes=45,
        )
    assert refused.value.message_dict == {"prescription": [STALE]}
    pt.refresh_from_db()
    assert pt.minutes == 30
    assert ConferenceDecision.objects.count() == before


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        ({"minutes": 50}, {"minutes": [validation.MINUTES_STEP]}),
        ({"minutes": 200}, {"minutes": [validation.MINUTES_RANGE]}),
        ({"minutes": 60}, {"minutes": [decisions.SAME_AS_NOW]}),
        (
            {"minutes": 45, "rationale": " "},
            {"rationale": [decisions.RATIONALE_REQUIRED]},
        ),
        (
            {"minutes": 50, "rationale": ""},
            {
                "rationale": [decisions.RATIONALE_REQUIRED],
                "minutes": [validation.MINUTES_STEP],
            },
        ),
    ],
    ids=[
        "not_a_slot_case",
        "too_long_case",
        "unchanged_case",
        "no_reason_case",
        "both_case",
    ],
)
def test_bad_values_leave_nothing_applied(
    plan: CarePlan,
    item: ConferenceItem,
    values: dict[str, object],
    errors: dict[str, list[str]],
) -> None:
    pt = template_row(plan, "pt")
    with pytest.raises(ValidationError) as refused:
        decide(
            item,
            journey.coordinator(),
            K.CHANGE_PRESCRIPTION,
            prescription_id=pt.pk,
            prescription_version=pt.version,
            **values,  # type: ignore[arg-type]
        )
    assert refused.value.message_dict == errors
    pt.refresh_from_db()
    assert (pt.minutes, pt.version) == (60, 1)
    _nothing_applied(plan)


def test_a_goal_refused_by_its_rules_leaves_no_goal(
    plan: CarePlan, item: ConferenceItem
) -> None:
    goals = plan.goals.count()
    with pytest.raises(ValidationError) as refused:
        decide(
            item,
            journey.coordinator(),
            K.NEW_GOAL,
            rationale="",
            goal=goal_fields(target=" "),
        )
    assert set(refused.value.message_dict) == {"target", "rationale"}
    assert plan.goals.count() == goals
    _nothing_applied(plan)


def test_a_stay_change_in_the_wrong_direction_is_refused(
    plan: CarePlan, item: ConferenceItem
) -> None:
    stay = plan.episode.stay
    earlier = stay.planned_discharge_on - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        decide(item, journey.coordinator(), K.EXTEND_STAY, discharge_on=earlier)
    assert list(refused.value.message_dict) == ["discharge_on"]
    stay.refresh_from_db()
    assert stay.planned_discharge_on == earlier + dt.timedelta(days=1)
    _nothing_applied(plan)


def test_a_therapist_changes_only_their_own_discipline(
    plan: CarePlan, item: ConferenceItem
) -> None:
    pt_user = on_team(plan, Role.PHYSICAL_THERAPIST)
    ot = template_row(plan, "ot")
    with pytest.raises(PermissionDenied):
        decide(
            item,
            pt_user,
            K.CHANGE_PRESCRIPTION,
            prescription_id=ot.pk,
            prescription_version=ot.version,
            minutes=45,
        )
    with pytest.raises(PermissionDenied):
        later = plan.episode.stay.planned_discharge_on + dt.timedelta(days=3)
        decide(item, pt_user, K.EXTEND_STAY, discharge_on=later)
    _nothing_applied(plan)
    pt = template_row(plan, "pt")
    decide(
        item,
        pt_user,
        K.CHANGE_PRESCRIPTION,
        prescription_id=pt.pk,
        prescription_version=pt.version,
        minutes=45,
    )


def test_a_prescription_of_another_child_is_not_offered(
    plan: CarePlan, item: ConferenceItem
) -> None:
    other = admitted_plan(days_ago=2)
    theirs = template_row(other, "pt")
    with pytest.raises(ValidationError) as refused:
        decide(
            item,
            journey.coordinator(),
            K.CHANGE_PRESCRIPTION,
            prescription_id=theirs.pk,
            prescription_version=theirs.version,
            minutes=45,
        )
    assert refused.value.message_dict == {"prescription": [decisions.NOT_ON_PLAN]}


def test_no_decision_once_the_conference_is_closed(
    plan: CarePlan, item: ConferenceItem
) -> None:
    conferences.conference_close(conference=item.conference, by=journey.coordinator())
    with pytest.raises(ValidationError):
        decisions.decision_apply(
            item=item,
            by=journey.coordinator(),
            form_token=uuid.uuid4(),
            decision=DecisionInput(kind=K.NO_CHANGE, rationale="Late"),
        )
    _nothing_applied(plan)
