"""The agenda of one child: the stay, scores and their change since admission,
goals with attainment, prescriptions, attendance and the open issues."""

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from dataclasses import replace

import pytest

from painrehab.careplans import agenda as agenda_module
from painrehab.careplans import services
from painrehab.careplans.agenda import (
    NO_TIMETABLE,
    Agenda,
    Attendance,
    agenda_build,
    register_attendance,
)
from painrehab.careplans.choices import GoalStatus
from painrehab.careplans.inputs import GoalFields, PlanHeaderFields
from painrehab.careplans.tests.conference_support import item_of, scored, started
from painrehab.careplans.tests.support import add_goal, admitted_plan
from painrehab.domain.scoring import get
from painrehab.episodes.models import Episode
from painrehab.instruments import services as instruments
from painrehab.instruments.choices import TimePoint
from painrehab.instruments.selectors import administration_history
from painrehab.instruments.views.results import _rows
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db
WEEKLY = {"time_point": TimePoint.WEEKLY, "index": 1}


def _agenda(episode: Episode) -> Agenda:
    conference = started()
    return agenda_build(item_of(conference, episode))


def test_the_agenda_counts_the_days_of_the_stay() -> None:
    plan = admitted_plan(days_ago=9)
    found = _agenda(plan.episode)
    stay = plan.episode.stay
    assert found.day_of_stay == 10
    assert found.planned_days == 28
    assert found.admitted_on == stay.admitted_on.isoformat()
    assert found.planned_discharge_on == stay.planned_discharge_on.isoformat()
    assert found.name == plan.episode.patient.display_name


@pytest.mark.parametrize(
    ("admission", "latest", "change", "meaningful", "improved", "verdict"),
    [
        (8, 5, -3.0, True, True, "Meaningful change (better)"),
        (3, 6, 3.0, True, False, "Meaningful change (worse)"),
        (5, 5, 0.0, False, None, "Below the meaningful change of 1"),
    ],
    ids=["better_case", "worse_case", "unchanged_case"],
)
def test_pain_intensity_change_since_admission_is_judged_by_its_threshold(
    admission: int,
    latest: int,
    change: float,
    meaningful: bool,
    improved: bool | None,
    verdict: str,
) -> None:
    plan = admitted_plan(days_ago=8)
    scored(plan.episode, "NRS", admission)
    scored(plan.episode, "NRS", latest, **WEEKLY)  # type: ignore[arg-type]
    (line,) = _agenda(plan.episode).scores
    assert (line.code, line.baseline, line.latest) == ("NRS", admission, latest)
    assert (line.change, line.meaningful, line.improved) == (
        change,
        meaningful,
        improved,
    )
    assert line.threshold == get("NRS").meaningful_change
    assert line.verdict == verdict


def test_an_instrument_without_a_threshold_says_so() -> None:
    plan = admitted_plan(days_ago=8)
    scored(plan.episode, "FDI-C", 2)
    scored(plan.episode, "FDI-C", 1, **WEEKLY)  # type: ignore[arg-type]
    (line,) = _agenda(plan.episode).scores
    assert (line.baseline, line.latest, line.change) == (30, 15, -15)
    assert line.meaningful is None and line.improved is True
    assert line.verdict == "No meaningful-change threshold published"


def test_the_change_is_the_one_the_measures_tab_shows() -> None:
    plan = admitted_plan(days_ago=8)
    scored(plan.episode, "NRS", 7)
    scored(plan.episode, "NRS", 4, **WEEKLY)  # type: ignore[arg-type]
    points = administration_history(patient=plan.episode.patient)["NRS"]
    tab = _rows(points, get("NRS").meaningful_change, on_t=False)[-1]
    (line,) = _agenda(plan.episode).scores
    assert (line.change, line.meaningful) == (tab.change, tab.meaningful)


def test_goals_show_their_latest_attainment_and_closed_goals_are_left_out() -> None:
    plan = admitted_plan(days_ago=6)
    coordinator = journey.coordinator()
    goal = add_goal(plan, coordinator)
    for days, score in ((2, -2), (5, -1)):
        services.goal_review(
            goal=goal,
            by=coordinator,
            form_token=uuid.uuid4(),
            reviewed_on=plan.episode.stay.admitted_on + dt.timedelta(days=days),
            score=score,
        )
    dropped = plan.goals.get(template_key="walk")
    services.goal_change(
        goal=dropped,
        by=coordinator,
        version=dropped.version,
        fields=replace(GoalFields.of(dropped), status=GoalStatus.DISCONTINUED),
        reason="Replaced by the child's own goal",
    )
    goals = {g.target: g for g in _agenda(plan.episode).goals}
    line = goals[goal.target]
    assert (line.attainment, line.words) == (-1, goal.child_words)
    assert line.attainment_label.startswith("−1")
    assert dropped.target not in goals


@pytest.fixture
def flagged_child() -> Episode:
    plan = admitted_plan(days_ago=10)
    scored(plan.episode, "CES-DC", 3)
    return plan.episode


def test_open_issues_list_flagged_scores_until_acknowledged(
    flagged_child: Episode,
) -> None:
    kinds = [i.kind for i in _agenda(flagged_child).issues]
    assert "flagged_score" in kinds
    score = flagged_child.administrations.get().score
    instruments.score_acknowledge(score=score, by=journey.coordinator())
    item = item_of(started(journey.today() - dt.timedelta(days=1)), flagged_child)
    assert "flagged_score" not in [i.kind for i in agenda_build(item).issues]


def test_open_issues_list_overdue_questionnaires_and_unworded_goals() -> None:
    plan = admitted_plan(days_ago=10)  # nothing answered since admission
    issues = _agenda(plan.episode).issues
    overdue = [i.text for i in issues if i.kind == "overdue_questionnaire"]
    assert overdue[0].startswith("Overdue (Admission): FDI-C, ")
    assert overdue[1].startswith("Overdue (Weekly 1): ")
    unworded = [i.text for i in issues if i.kind == "goals_unworded"]
    assert unworded == ["8 goals are not yet in the child's own words"]


def test_open_issues_warn_when_prescriptions_exceed_the_daily_limit() -> None:
    plan = admitted_plan(days_ago=3)
    assert "over_daily_limit" not in [i.kind for i in _agenda(plan.episode).issues]
    services.care_plan_change(
        care_plan=plan,
        by=journey.coordinator(),
        version=plan.version,
        fields=replace(PlanHeaderFields.of(plan), max_therapy_minutes_per_day=300),
    )
    item = item_of(started(journey.today() - dt.timedelta(days=1)), plan)
    (issue,) = [i for i in agenda_build(item).issues if i.kind == "over_daily_limit"]
    assert "390 minutes" in issue.text and "300" in issue.text


@pytest.fixture
def attendance_hook() -> Iterator[None]:
    saved = list(agenda_module._attendance_provider)
    yield
    agenda_module._attendance_provider[:] = saved


def test_attendance_waits_for_the_timetable(attendance_hook: None) -> None:
    plan = admitted_plan(days_ago=4)
    assert _agenda(plan.episode).attendance == Attendance(False, NO_TIMETABLE)
    register_attendance(lambda episode, since, until: Attendance(True, "", 9, 10))
    item = item_of(started(journey.today() - dt.timedelta(days=1)), plan)
    assert agenda_build(item).attendance == Attendance(True, "", 9, 10)


def test_the_agenda_survives_a_json_round_trip(flagged_child: Episode) -> None:
    scored(flagged_child, "NRS", 6)
    found = _agenda(flagged_child)
    stored = json.loads(json.dumps(found.as_json()))
    assert Agenda.from_json(stored) == found
