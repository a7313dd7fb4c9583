"""Builders for the care plan tests, on top of ``referrals.tests.journey``.

Plans come from a real admission (the ``admitted`` signal), and rows are added
through the services, so history and audit rows exist as in real use.
"""

import uuid
from dataclasses import replace
from datetime import date
from typing import Any

from painrehab.accounts.choices import Discipline, Role
from painrehab.accounts.models import User
from painrehab.careplans import services
from painrehab.careplans.choices import GoalDomain, SessionMode
from painrehab.careplans.inputs import GoalFields, PrescriptionFields
from painrehab.careplans.models import CarePlan, Goal, Prescription
from painrehab.common.testing import staff
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import CareTeamMemberFactory
from painrehab.referrals.tests import journey


def admitted_plan(patient: Patient | None = None, *, days_ago: int = 3) -> CarePlan:
    episode = journey.admitted(patient, days_ago=days_ago)
    return CarePlan.objects.get(episode=episode)


def on_team(plan: CarePlan, role: Role, **kwargs: Any) -> User:
    user = staff(role, **kwargs)
    CareTeamMemberFactory(patient=plan.episode.patient, member=user)
    return user


def admitted_on(plan: CarePlan) -> date:
    return plan.episode.stay.admitted_on


def goal_fields(**overrides: Any) -> GoalFields:
    base = GoalFields(
        domain=GoalDomain.PHYSICAL_FUNCTION,
        discipline=Discipline.PT,
        target="Walks 400 m in six minutes",
        child_words="I want to walk to school with my friends",
        baseline="150 m with two rests",
    )
    return replace(base, **overrides)


def add_goal(plan: CarePlan, by: User, **overrides: Any) -> Goal:
    return services.goal_create(
        care_plan=plan, by=by, form_token=uuid.uuid4(), fields=goal_fields(**overrides)
    )


def prescription_fields(plan: CarePlan, **overrides: Any) -> PrescriptionFields:
    base = PrescriptionFields(
        discipline=Discipline.PSY,
        minutes=45,
        mode=SessionMode.INDIVIDUAL,
        starts_on=admitted_on(plan),
        sessions_per_day=None,
        sessions_per_week=2,
        label="Family therapy",
    )
    return replace(base, **overrides)


def add_prescription(plan: CarePlan, by: User, **overrides: Any) -> Prescription:
    return services.prescription_create(
        care_plan=plan,
        by=by,
        form_token=uuid.uuid4(),
        fields=prescription_fields(plan, **overrides),
    )


def template_row(plan: CarePlan, key: str) -> Prescription:
    return plan.prescriptions.get(template_key=key)
