"""Fixtures for the referral tests: a referred child and the people around them."""

import pytest

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.episodes.models import Episode
from painrehab.patients.models import Patient
from painrehab.referrals import services
from painrehab.referrals.tests import journey
from painrehab.referrals.tests.support import clinician


@pytest.fixture
def referred(child: Patient) -> Episode:
    """``child`` (the shared persona, 2012-born), referred ten days ago."""
    return journey.referred(child)


@pytest.fixture
def evaluating(referred: Episode) -> Episode:
    """The referred child's evaluation visit booked, one evaluator per discipline."""
    services.evaluation_schedule(
        episode=referred,
        by=journey.coordinator(),
        scheduled_for=journey.today(),
        evaluators=journey.evaluators(),
    )
    referred.refresh_from_db()
    return referred


@pytest.fixture
def teacher_on_team(child: Patient) -> User:
    return clinician(Role.TEACHER, child)
