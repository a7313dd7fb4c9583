"""Families for the portal tests: a child of a given age, their guardian's account,
optionally the teen's own account, and an admitted episode, built through the
services. Names are fixed, so no random name can collide with a canary or another
family's text.
"""

import datetime as dt
from dataclasses import dataclass

from django.test import Client
from django.utils import timezone

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.accounts.tests.factories import UserFactory
from painrehab.common.testing import sign_in
from painrehab.episodes.models import Episode
from painrehab.patients.models import Guardian, Patient
from painrehab.patients.tests.factories import (
    GuardianFactory,
    PatientFactory,
    PatientGuardianFactory,
)
from painrehab.referrals.tests import journey


@dataclass
class Family:
    child: Patient
    guardian: Guardian
    guardian_user: User
    teen_user: User | None
    episode: Episode | None

    def guardian_client(self) -> Client:
        return sign_in(Client(), self.guardian_user)

    def teen_client(self) -> Client:
        assert self.teen_user is not None, "this family has no teen account"
        return sign_in(Client(), self.teen_user)


def born_years_ago(years: int, *, days: int = 0) -> dt.date:
    """A date of birth ``years`` years (plus ``days`` days) before today."""
    today = timezone.localdate()
    try:
        birthday = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        birthday = today.replace(year=today.year - years, day=28)
    return birthday - dt.timedelta(days=days)


def family(
    *,
    age: int = 9,
    name: str = "Robin",
    surname: str = "Testfamily",
    parent: str = "Dana",
    teen_account: bool = False,
    stage: str = "admitted",
) -> Family:
    """A child of ``age`` with one guardian account (and the teen's, if asked).

    ``stage`` is "admitted" (admitted today), "discharged" (after a 4-week stay),
    "referred" (an episode opened) or "none" (no episode).
    """
    slug = f"{parent}.{surname}".lower()
    guardian_user = UserFactory(
        role=Role.GUARDIAN,
        username=slug,
        first_name=parent,
        last_name=surname,
        email=f"{slug}@example.org",
    )
    guardian = GuardianFactory(
        given_name=parent,
        family_name=surname,
        email=f"{slug}@example.org",
        phone="555-0100",
        user=guardian_user,
    )
    teen_user = None
    if teen_account:
        teen_slug = f"{name}.{surname}".lower()
        teen_user = UserFactory(
            role=Role.PATIENT,
            username=teen_slug,
            first_name=name,
            last_name=surname,
            email=f"{teen_slug}@example.net",
            phone="555-0199",
        )
    child = PatientFactory(
        given_name=name,
        family_name=surname,
        date_of_birth=born_years_ago(age, days=30),
        user=teen_user,
    )
    PatientGuardianFactory(patient=child, guardian=guardian)
    episode: Episode | None = None
    if stage == "admitted":
        episode = journey.admitted(child)
    elif stage == "discharged":
        episode = journey.discharged(child)
    elif stage == "referred":
        episode = journey.referred(child)
    return Family(child, guardian, guardian_user, teen_user, episode)
