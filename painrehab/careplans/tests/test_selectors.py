"""The care plan's public reads and the plan page's data."""

import datetime as dt
import uuid
from dataclasses import replace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from painrehab.accounts.choices import Role
from painrehab.audit.models import AuditEvent
from painrehab.careplans import selectors, services
from painrehab.careplans.inputs import PrescriptionFields
from painrehab.careplans.tests.support import (
    add_goal,
    add_prescription,
    admitted_on,
    admitted_plan,
    on_team,
    template_row,
)
from painrehab.common.testing import staff
from painrehab.patients.access import PatientNotFound
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db


def test_care_plan_for_is_none_before_admission() -> None:
    assert selectors.care_plan_for(journey.waitlisted()) is None
    plan = admitted_plan()
    assert selectors.care_plan_for(plan.episode) == plan


def test_prescriptions_active_follows_dates_and_stops() -> None:
    plan = admitted_plan(days_ago=6)
    by = journey.coordinator()
    start = admitted_on(plan)
    later = add_prescription(
        plan,
        by,
        starts_on=start + dt.timedelta(days=3),
        ends_on=start + dt.timedelta(days=4),
    )
    services.prescription_stop(
        prescription=template_row(plan, "acupuncture"),
        by=by,
        version=1,
        reason="Needle phobia",
        stopped_on=start + dt.timedelta(days=2),
    )
    on_day_1 = selectors.prescriptions_active(plan.episode, on=start)
    on_day_4 = selectors.prescriptions_active(
        plan.episode, on=start + dt.timedelta(days=3)
    )
    on_day_6 = selectors.prescriptions_active(
        plan.episode, on=start + dt.timedelta(days=5)
    )
    assert "acupuncture" in {p.template_key for p in on_day_1}
    assert later not in on_day_1 and later in on_day_4 and later not in on_day_6
    assert "acupuncture" not in {p.template_key for p in on_day_4}
    assert len(on_day_1) == 8


def test_requested_on_leaves_out_excluded_weekdays() -> None:
    plan = admitted_plan(days_ago=8)
    pt = template_row(plan, "pt")
    days = [admitted_on(plan) + dt.timedelta(days=n) for n in range(7)]
    requested = {d.weekday() for d in days if pt.requested_on(d)}
    assert requested == {0, 1, 2, 3, 4}


def test_totals_per_discipline() -> None:
    plan = admitted_plan()
    add_prescription(plan, journey.coordinator())  # PSY 2 x 45 a week
    totals = {
        t.discipline: (t.minutes_per_day, t.minutes_per_week)
        for t in selectors.prescription_totals(plan.prescriptions.all())
    }
    assert totals["PT"] == (120, 600)
    assert totals["PSY"] == (60, 390)
    assert totals["ACU"] == (30, 150)


def test_goals_with_attainment_in_domain_order() -> None:
    plan = admitted_plan()
    add_goal(plan, journey.coordinator(), domain="recreation", discipline="REC")
    lines = selectors.goals_with_attainment(plan.episode)
    domains = [a.goal.domain for a in lines]
    assert domains[0] == "physical_function"
    assert domains.index("recreation") > domains.index("daily_living")
    assert all(a.score is None for a in lines)


def test_history_in_words_newest_first() -> None:
    plan = admitted_plan()
    row = template_row(plan, "pt")
    services.prescription_change(
        prescription=row,
        by=journey.coordinator(),
        version=1,
        reason="Morning fatigue",
        fields=replace(
            PrescriptionFields.of(row), time_of_day="afternoon", excluded_weekdays=(6,)
        ),
    )
    first, creation = selectors.plan_history(plan)
    assert first.action == "Therapy prescription changed"
    assert {(c.label, c.old, c.new) for c in first.changes} == {
        ("Preferred time of day", "Morning", "Afternoon"),
        ("Days excluded", "Saturday, Sunday", "Sunday"),
    }
    assert first.reason == "Morning fatigue"
    assert creation.action == "Care plan created from the template"


def test_the_page_reader_audits_and_refuses_other_patients() -> None:
    plan = admitted_plan()
    pt = on_team(plan, Role.PHYSICAL_THERAPIST)
    page = selectors.care_plan_page(user=pt, patient_id=plan.episode.patient_id)
    assert page.plan == plan
    assert page.goal_disciplines == ("PT",)
    assert not page.may_edit_header and page.may_edit_formulation
    assert AuditEvent.objects.filter(
        action="care_plan.viewed", actor=pt, outcome="success"
    ).exists()
    stranger = staff(Role.PHYSICAL_THERAPIST)
    with pytest.raises(PatientNotFound):
        selectors.care_plan_page(user=stranger, patient_id=plan.episode.patient_id)
    assert AuditEvent.objects.filter(
        action="care_plan.viewed", actor=stranger, outcome="failure"
    ).exists()


def test_the_page_takes_a_fixed_number_of_queries() -> None:
    plan = admitted_plan(days_ago=10)
    by = journey.coordinator()
    for goal in plan.goals.all()[:3]:
        for day in range(3):
            services.goal_review(
                goal=goal,
                by=by,
                form_token=uuid.uuid4(),
                reviewed_on=admitted_on(plan) + dt.timedelta(days=day),
                score=-1,
            )
    patient_id = plan.episode.patient_id
    with CaptureQueriesContext(connection) as small:
        selectors.care_plan_page(user=by, patient_id=patient_id)
    for goal in plan.goals.all():
        services.goal_review(
            goal=goal,
            by=by,
            form_token=uuid.uuid4(),
            reviewed_on=admitted_on(plan),
            score=0,
        )
    add_prescription(plan, by)
    with CaptureQueriesContext(connection) as large:
        selectors.care_plan_page(user=by, patient_id=patient_id)
    assert len(large) == len(small)
