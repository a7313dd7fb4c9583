"""Adding, editing and reviewing goals through the pages."""

import datetime as dt
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from painrehab.accounts.choices import Role
from painrehab.careplans.models import CarePlan, Goal, GoalReview
from painrehab.careplans.tests.support import (
    add_goal,
    admitted_on,
    admitted_plan,
    on_team,
)
from painrehab.careplans.validation import BEFORE_ADMISSION
from painrehab.common.testing import sign_in
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db


def _add_url(plan: CarePlan) -> str:
    return reverse("careplans:goal_add", args=[plan.episode.patient_id])


def _goal_url(name: str, goal: Goal) -> str:
    return reverse(name, args=[goal.care_plan.episode.patient_id, goal.pk])


def _new_goal(**overrides: str) -> dict[str, str]:
    return {
        "form_token": str(uuid.uuid4()),
        "domain": "school",
        "discipline": "SCHOOL",
        "child_words": "Go back to my own class",
        "target": "Attends hospital school 2 hours a day",
        "baseline": "No school for 3 months",
        **overrides,
    }


def test_a_teacher_adds_a_school_goal_once_however_often_clicked() -> None:
    plan = admitted_plan()
    client = sign_in(Client(), on_team(plan, Role.TEACHER))
    form = client.get(_add_url(plan)).content.decode()
    assert '<option value="SCHOOL"' in form and '<option value="PT"' not in form
    data = _new_goal()
    first = client.post(_add_url(plan), data)
    second = client.post(_add_url(plan), data)
    assert first.status_code == second.status_code == 302
    assert plan.goals.filter(child_words="Go back to my own class").count() == 1


def test_a_goal_without_a_target_is_refused_beside_the_field() -> None:
    plan = admitted_plan()
    client = sign_in(Client(), journey.coordinator())
    response = client.post(_add_url(plan), _new_goal(target=""))
    assert response.status_code == 400
    page = response.content.decode()
    assert "id_target_error" in page
    assert not plan.goals.filter(child_words="Go back to my own class").exists()


def test_the_service_message_shows_beside_its_field() -> None:
    plan = admitted_plan(days_ago=2)
    client = sign_in(Client(), journey.coordinator())
    early = admitted_on(plan) - dt.timedelta(days=1)
    response = client.post(_add_url(plan), _new_goal(due_on=early.isoformat()))
    assert response.status_code == 400
    page = response.content.decode()
    message = BEFORE_ADMISSION.format(admitted=admitted_on(plan))
    assert 'id="id_due_on_error"' in page and escape(message) in page


def test_a_clinician_may_not_open_another_disciplines_goal() -> None:
    plan = admitted_plan()
    ot_goal = plan.goals.get(template_key="daily_living")
    client = sign_in(Client(), on_team(plan, Role.PHYSICAL_THERAPIST))
    assert client.get(_goal_url("careplans:goal_edit", ot_goal)).status_code == 403
    assert client.get(_goal_url("careplans:goal_review", ot_goal)).status_code == 403


def test_the_team_words_a_starter_goal() -> None:
    plan = admitted_plan()
    goal = plan.goals.get(template_key="walk")
    client = sign_in(Client(), on_team(plan, Role.PHYSICAL_THERAPIST))
    response = client.post(
        _goal_url("careplans:goal_edit", goal),
        {
            "version": "1",
            "domain": goal.domain,
            "discipline": "PT",
            "child_words": "Walk around the mall with my friends",
            "target": "Six-minute walk of 450 m",
            "baseline": "220 m",
            "due_on": goal.due_on.isoformat(),  # type: ignore[union-attr]
            "status": "active",
        },
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.child_words, goal.version) == (
        "Walk around the mall with my friends",
        2,
    )


def test_a_review_is_recorded_once() -> None:
    plan = admitted_plan()
    pt = on_team(plan, Role.PHYSICAL_THERAPIST)
    goal = add_goal(plan, pt)
    client = sign_in(Client(), pt)
    url = _goal_url("careplans:goal_review", goal)
    assert "−2 much less than expected" in client.get(url).content.decode()
    data = {
        "form_token": str(uuid.uuid4()),
        "reviewed_on": journey.today().isoformat(),
        "score": "-1",
        "note": "300 m with one rest",
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    review = GoalReview.objects.get()
    assert (review.score, review.by) == (-1, pt)
    plan_page = client.get(reverse("careplans:plan", args=[plan.episode.patient_id]))
    assert "−1 somewhat less than expected" in plan_page.content.decode()


def test_a_review_in_the_future_is_refused() -> None:
    plan = admitted_plan()
    goal = add_goal(plan, journey.coordinator())
    client = sign_in(Client(), journey.coordinator())
    response = client.post(
        _goal_url("careplans:goal_review", goal),
        {
            "form_token": str(uuid.uuid4()),
            "reviewed_on": "2999-01-01",
            "score": "0",
        },
    )
    assert response.status_code == 400
    assert "id_reviewed_on_error" in response.content.decode()
    assert not GoalReview.objects.exists()
