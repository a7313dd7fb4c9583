"""Test helpers on top of ``referrals.tests.journey`` for stays in chosen beds.

``journey.admitted`` picks its own bed; the census tests need the unit's real beds
and chosen dates, so these helpers admit through the same services.
"""

import datetime as dt

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.common.testing import staff
from painrehab.episodes import selectors, services
from painrehab.episodes.choices import Disposition
from painrehab.episodes.models import Bed, Episode
from painrehab.patients.choices import TeamRole
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import CareTeamMemberFactory
from painrehab.referrals.tests import journey

today = journey.today


def admit(
    patient: Patient | None = None,
    *,
    days_ago: int = 0,
    stay_days: int = 28,
    bed: Bed | None = None,
) -> Episode:
    """A waitlisted child admitted into ``bed`` (or the first free bed)."""
    episode = journey.waitlisted(patient, received_days_ago=days_ago + 10)
    admitted_on = today() - dt.timedelta(days=days_ago)
    services.episode_admit(
        episode=episode,
        by=journey.coordinator(),
        bed=bed or selectors.free_beds().first(),
        admitted_on=admitted_on,
        planned_discharge_on=admitted_on + dt.timedelta(days=stay_days),
    )
    return episode


def discharge(episode: Episode, *, days_ago: int = 0) -> Episode:
    """Discharge an inpatient ``days_ago`` days ago (step-down and visits follow)."""
    services.episode_discharge(
        episode=episode,
        by=journey.coordinator(),
        discharged_on=today() - dt.timedelta(days=days_ago),
        disposition=Disposition.HOME,
        texts={"summary_physical_therapy": "Walks 2 km without crutches."},
    )
    return episode


def on_team(patient: Patient, role: Role, **kwargs: object) -> User:
    """A clinician of ``role`` on ``patient``'s care team."""
    user = staff(role, **kwargs)
    CareTeamMemberFactory(patient=patient, member=user, team_role=TeamRole.MEMBER)
    return user


def count_queries(client: Client, url: str) -> int:
    """Queries of one GET of ``url``, after a warm-up (the audit chain head)."""
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)
