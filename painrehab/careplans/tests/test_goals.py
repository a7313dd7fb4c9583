"""Goals: added, worded, changed, reviewed with GAS; never deleted; every change in
the history and the audit trail with its diff."""

import datetime as dt
import uuid
from dataclasses import replace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from painrehab.accounts.choices import Role
from painrehab.audit.models import AuditEvent
from painrehab.careplans import services
from painrehab.careplans.choices import GoalStatus
from painrehab.careplans.inputs import GoalFields
from painrehab.careplans.models import Goal, GoalReview, PlanChange
from painrehab.careplans.selectors import goals_with_attainment
from painrehab.careplans.tests.support import (
    add_goal,
    admitted_on,
    admitted_plan,
    goal_fields,
    on_team,
)
from painrehab.careplans.validation import BEFORE_ADMISSION, TARGET_REQUIRED
from painrehab.common.testing import staff
from painrehab.episodes import services as episodes
from painrehab.patients.access import PatientNotFound
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db
TODAY = journey.today


def test_a_clinician_adds_a_goal_of_their_discipline() -> None:
    plan = admitted_plan()
    pt = on_team(plan, Role.PHYSICAL_THERAPIST)
    goal = add_goal(plan, pt)
    assert goal.child_words == "I want to walk to school with my friends"
    assert (goal.status, goal.version, goal.created_by) == ("active", 1, pt)
    entry = PlanChange.objects.get(subject="goal", subject_id=goal.pk)
    assert entry.action == "goal.created" and entry.by == pt
    assert entry.changes["target"] == {"old": None, "new": "Walks 400 m in six minutes"}
    event = AuditEvent.objects.get(action="goal.created", object_id=str(goal.pk))
    assert event.changes["fields"]["child_words"]["new"].startswith("I want")


def test_a_double_clicked_add_makes_one_goal() -> None:
    plan = admitted_plan()
    coordinator = journey.coordinator()
    token = uuid.uuid4()
    fields = goal_fields()
    first = services.goal_create(
        care_plan=plan, by=coordinator, form_token=token, fields=fields
    )
    second = services.goal_create(
        care_plan=plan, by=coordinator, form_token=token, fields=fields
    )
    assert first.pk == second.pk
    assert Goal.objects.filter(form_token=token).count() == 1
    assert AuditEvent.objects.filter(action="goal.created").count() == 1


def test_a_form_token_of_another_plan_is_refused() -> None:
    plan, other = admitted_plan(), admitted_plan()
    goal = add_goal(plan, journey.coordinator())
    with pytest.raises(ValidationError) as refused:
        services.goal_create(
            care_plan=other,
            by=journey.coordinator(),
            form_token=goal.form_token,
            fields=goal_fields(),
        )
    assert refused.value.message_dict == {"form_token": [services.FORM_REUSED]}


def test_a_goal_needs_a_measurable_target_and_a_due_date_in_the_stay() -> None:
    plan = admitted_plan(days_ago=3)
    early = admitted_on(plan) - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        add_goal(plan, journey.coordinator(), target="  ", due_on=early)
    assert refused.value.message_dict == {
        "target": [TARGET_REQUIRED],
        "due_on": [BEFORE_ADMISSION.format(admitted=admitted_on(plan))],
    }
    assert plan.goals.filter(template_key="").count() == 0


@pytest.mark.parametrize(
    ("role", "discipline", "allowed"),
    [
        (Role.PHYSICAL_THERAPIST, "PT", True),
        (Role.PHYSICAL_THERAPIST, "PSY", False),
        (Role.PSYCHOLOGIST, "PSY", True),
        (Role.TEACHER, "SCHOOL", True),
        (Role.NURSE, "PT", False),
        (Role.PHYSICIAN, "PSY", True),
        (Role.COORDINATOR, "OT", True),
    ],
    ids=lambda v: str(v),
)
def test_who_may_add_which_goal(role: Role, discipline: str, allowed: bool) -> None:
    plan = admitted_plan()
    user = staff(role) if role == Role.COORDINATOR else on_team(plan, role)
    if allowed:
        assert add_goal(plan, user, discipline=discipline).discipline == discipline
    else:
        with pytest.raises(PermissionDenied):
            add_goal(plan, user, discipline=discipline)


def test_a_clinician_off_the_team_finds_no_plan() -> None:
    plan = admitted_plan()
    with pytest.raises(PatientNotFound):
        add_goal(plan, staff(Role.PHYSICAL_THERAPIST))


def test_the_team_words_a_starter_goal_and_the_diff_is_kept() -> None:
    plan = admitted_plan()
    pt = on_team(plan, Role.PHYSICAL_THERAPIST)
    starter = plan.goals.get(template_key="walk")
    fields = replace(
        GoalFields.of(starter),
        child_words="Walk the dog with my brother",
        target="Six-minute walk of 450 m without aids or stopping",
        baseline="200 m with crutches",
    )
    saved = services.goal_change(
        goal=starter, by=pt, version=1, fields=fields, reason="Worded with Robin"
    )
    assert saved.version == 2 and not saved.needs_wording
    entry = PlanChange.objects.filter(action="goal.changed").get()
    assert entry.changes["child_words"] == {
        "old": "",
        "new": "Walk the dog with my brother",
    }
    assert set(entry.changes) == {"child_words", "target", "baseline"}
    assert entry.reason == "Worded with Robin"
    event = AuditEvent.objects.get(action="goal.changed")
    assert event.changes == {"fields": entry.changes, "reason": "Worded with Robin"}


def test_a_stale_goal_save_is_refused_and_changes_nothing() -> None:
    plan = admitted_plan()
    goal = add_goal(plan, journey.coordinator())
    first = replace(GoalFields.of(goal), baseline="180 m")
    services.goal_change(goal=goal, by=journey.coordinator(), version=1, fields=first)
    late = replace(GoalFields.of(goal), baseline="120 m")
    with pytest.raises(ValidationError) as refused:
        services.goal_change(
            goal=goal, by=journey.coordinator(), version=1, fields=late
        )
    assert refused.value.message_dict == {"version": [services.STALE]}
    goal.refresh_from_db()
    assert (goal.baseline, goal.version) == ("180 m", 2)


def test_saving_the_same_values_changes_nothing() -> None:
    plan = admitted_plan()
    goal = add_goal(plan, journey.coordinator())
    saved = services.goal_change(
        goal=goal, by=journey.coordinator(), version=1, fields=GoalFields.of(goal)
    )
    assert saved.version == 1
    assert not PlanChange.objects.filter(action="goal.changed").exists()


def test_a_status_change_needs_a_reason_and_the_goal_stays() -> None:
    plan = admitted_plan()
    goal = add_goal(plan, journey.coordinator())
    stop = replace(GoalFields.of(goal), status=GoalStatus.DISCONTINUED)
    with pytest.raises(ValidationError) as refused:
        services.goal_change(
            goal=goal, by=journey.coordinator(), version=1, fields=stop
        )
    assert refused.value.message_dict == {"reason": [services.REASON_REQUIRED]}
    services.goal_change(
        goal=goal,
        by=journey.coordinator(),
        version=1,
        fields=stop,
        reason="Replaced by a school goal",
    )
    goal.refresh_from_db()
    assert goal.status == GoalStatus.DISCONTINUED
    with pytest.raises(PermissionError):
        goal.delete()
    assert Goal.objects.filter(pk=goal.pk).exists()


def test_a_clinician_cannot_hand_their_goal_to_another_discipline() -> None:
    plan = admitted_plan()
    pt = on_team(plan, Role.PHYSICAL_THERAPIST)
    goal = add_goal(plan, pt)
    with pytest.raises(PermissionDenied):
        services.goal_change(
            goal=goal,
            by=pt,
            version=1,
            fields=replace(GoalFields.of(goal), discipline="OT"),
        )


def _review(
    goal: Goal, by: object, on: dt.date, score: int, **kw: object
) -> GoalReview:
    return services.goal_review(
        goal=goal,
        by=by,  # type: ignore[arg-type]
        form_token=kw.pop("token", uuid.uuid4()),  # type: ignore[arg-type]
        reviewed_on=on,
        score=score,
        note=str(kw.pop("note", "")),
    )


def test_the_latest_review_is_the_goals_attainment() -> None:
    plan = admitted_plan(days_ago=14)
    pt = on_team(plan, Role.PHYSICAL_THERAPIST)
    goal = add_goal(plan, pt)
    start = admitted_on(plan)
    _review(goal, pt, start + dt.timedelta(days=7), 0, note="Walked 300 m")
    _review(goal, pt, start, -2)
    line = next(a for a in goals_with_attainment(plan.episode) if a.goal == goal)
    assert [r.score for r in line.reviews] == [-2, 0]
    assert (line.score, line.reviewed_on) == (0, start + dt.timedelta(days=7))
    event = AuditEvent.objects.filter(action="goal.reviewed").order_by("seq").last()
    assert event is not None
    assert event.changes["fields"]["attainment"] == {"old": 0, "new": -2}


def test_a_double_clicked_review_records_one_score() -> None:
    plan = admitted_plan()
    goal = add_goal(plan, journey.coordinator())
    token = uuid.uuid4()
    _review(goal, journey.coordinator(), TODAY(), 1, token=token)
    _review(goal, journey.coordinator(), TODAY(), 1, token=token)
    assert goal.reviews.count() == 1


@pytest.mark.parametrize(
    ("days", "score", "field", "message"),
    [
        (1, 0, "reviewed_on", services.NOT_IN_FUTURE),
        (0, 3, "score", services.SCORE_RANGE),
        (-30, 0, "reviewed_on", None),
    ],
    ids=["future_case", "score_case", "before_admission_case"],
)
def test_a_bad_review_is_refused(
    days: int, score: int, field: str, message: str | None
) -> None:
    plan = admitted_plan(days_ago=3)
    goal = add_goal(plan, journey.coordinator())
    expected = message or BEFORE_ADMISSION.format(admitted=admitted_on(plan))
    with pytest.raises(ValidationError) as refused:
        _review(goal, journey.coordinator(), TODAY() + dt.timedelta(days=days), score)
    assert refused.value.message_dict == {field: [expected]}
    assert not GoalReview.objects.exists()


def test_a_discontinued_goal_takes_no_review() -> None:
    plan = admitted_plan()
    goal = add_goal(plan, journey.coordinator())
    services.goal_change(
        goal=goal,
        by=journey.coordinator(),
        version=1,
        fields=replace(GoalFields.of(goal), status=GoalStatus.DISCONTINUED),
        reason="No longer relevant",
    )
    with pytest.raises(ValidationError) as refused:
        _review(goal, journey.coordinator(), TODAY(), 0)
    assert "discontinued" in refused.value.messages[0]


def test_reviews_are_final() -> None:
    plan = admitted_plan()
    goal = add_goal(plan, journey.coordinator())
    review = _review(goal, journey.coordinator(), TODAY(), 0)
    review.note = "changed"
    with pytest.raises(PermissionError):
        review.save()
    with pytest.raises(PermissionError):
        review.delete()


def test_a_closed_episode_keeps_its_plan_as_it_was() -> None:
    episode = journey.discharged()
    plan = episode.care_plan
    by = journey.coordinator()
    episodes.episode_start_follow_up(episode=episode, by=by)
    episodes.episode_close(episode=episode, by=by, reason="Follow-up complete")
    with pytest.raises(ValidationError) as refused:
        add_goal(plan, by)
    assert refused.value.messages == [services.EPISODE_CLOSED]
