"""Builders for the home programme tests: therapists on the team, exercises, ticks.

Everything goes through the services, so audit rows exist as in real use. Names
are fixed.
"""

import datetime as dt
import uuid
from dataclasses import replace

from django.utils import timezone

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.accounts.tests.factories import StaffFactory
from painrehab.homeprogram import services
from painrehab.homeprogram.models import HomeExercise
from painrehab.homeprogram.services import ExerciseFields
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import CareTeamMemberFactory


def today() -> dt.date:
    return timezone.localdate()


def days_ago(days: int) -> dt.date:
    return today() - dt.timedelta(days=days)


def on_team(
    patient: Patient,
    role: Role = Role.PHYSICAL_THERAPIST,
    *,
    username: str = "pat.pt",
    first_name: str = "Pat",
) -> User:
    """A staff member of ``role`` on ``patient``'s care team."""
    user: User = StaffFactory(
        role=role, username=username, first_name=first_name, last_name="Therapist"
    )
    CareTeamMemberFactory(patient=patient, member=user)
    return user


def fields(**changes: object) -> ExerciseFields:
    base = ExerciseFields(
        title="Stairs",
        instructions="Walk up and down the stairs at home, holding the rail.",
        repetitions="10 times",
        times_per_day=2,
        days_per_week=7,
        starts_on=today(),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def assign(
    patient: Patient,
    by: User,
    *,
    token: uuid.UUID | None = None,
    **changes: object,
) -> HomeExercise:
    return services.exercise_assign(
        patient=patient,
        by=by,
        fields=fields(**changes),
        form_token=token or uuid.uuid4(),
    )
