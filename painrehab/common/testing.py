"""Shared pytest fixtures: named personas and signing in with a second factor.

Personas (as in Healthchecks' Alice/Bob/Charlie):
- ``coordinator`` sees the whole program;
- ``pt_on_team`` is on ``child``'s care team, ``pt_off_team`` is not;
- ``guardian`` is ``child``'s mother, ``other_guardian`` has another child;
- ``teen`` is a patient with their own account.
"""

from collections.abc import Callable

import pytest
from django.contrib.sessions.backends.base import SessionBase
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.accounts.tests.factories import StaffFactory, UserFactory, totp_device
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import (
    CareTeamMemberFactory,
    GuardianFactory,
    PatientFactory,
    PatientGuardianFactory,
)


def sign_in(client: Client, user: User) -> Client:
    """Sign ``user`` in as the login flow would: staff also pass the second factor."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if user.requires_mfa:
        device = totp_device(user)
        session: SessionBase = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def staff(role: Role, **kwargs: object) -> User:
    return StaffFactory(role=role, **kwargs)  # type: ignore[no-any-return]


@pytest.fixture
def child(db: None) -> Patient:
    return PatientFactory(given_name="Robin", family_name="Testchild")  # type: ignore[no-any-return]


@pytest.fixture
def coordinator(db: None) -> User:
    return staff(Role.COORDINATOR, username="alice")


@pytest.fixture
def pt_on_team(child: Patient) -> User:
    user = staff(Role.PHYSICAL_THERAPIST, username="pat")
    CareTeamMemberFactory(patient=child, member=user)
    return user


@pytest.fixture
def pt_off_team(db: None) -> User:
    return staff(Role.PHYSICAL_THERAPIST, username="bob")


@pytest.fixture
def guardian(child: Patient) -> User:
    user = UserFactory(role=Role.GUARDIAN, username="charlie")
    PatientGuardianFactory(patient=child, guardian=GuardianFactory(user=user))
    return user  # type: ignore[no-any-return]


@pytest.fixture
def other_guardian(db: None) -> User:
    user = UserFactory(role=Role.GUARDIAN, username="dana")
    PatientGuardianFactory(guardian=GuardianFactory(user=user))
    return user  # type: ignore[no-any-return]


@pytest.fixture
def teen(db: None) -> User:
    user = UserFactory(role=Role.PATIENT, username="teen")
    PatientFactory(user=user, given_name="Sam")
    return user  # type: ignore[no-any-return]


@pytest.fixture
def client_for(client: Client) -> Callable[[User], Client]:
    """``client_for(user)``: a test client signed in as ``user``."""

    def make(user: User) -> Client:
        return sign_in(Client(), user)

    return make
