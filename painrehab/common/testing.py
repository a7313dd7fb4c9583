"""Shared pytest fixtures: named personas and signing in with a second factor.

Personas (as in Healthchecks' Alice/Bob/Charlie):
- ``coordinator`` sees the whole program;
- ``pt_on_team`` is on ``child``'s care team, ``pt_off_team`` is not;
- ``guardian`` is ``child``'s mother, ``other_guardian`` has another child;
- ``teen`` is a patient with their own account.
"""

import contextlib
import importlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.sessions.backends.base import SessionBase
from django.db import connection
from django.test import Client
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY

from painrehab.accounts.choices import CLINICAL_ROLES, STAFF_ROLES, Role
from painrehab.accounts.models import User
from painrehab.accounts.tests.factories import StaffFactory, UserFactory, totp_device
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import (
    CareTeamMemberFactory,
    GuardianFactory,
    PatientFactory,
    PatientGuardianFactory,
)

AUDIT_TRIGGERS = importlib.import_module(
    "painrehab.audit.migrations.0002_append_only_triggers"
)
NOTE_TRIGGERS = importlib.import_module(
    "painrehab.notes.migrations.0002_signed_rows_triggers"
)
# Every table whose rows the database itself keeps from changing or going away.
APPEND_ONLY_TRIGGERS = (AUDIT_TRIGGERS, NOTE_TRIGGERS)


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts and ends in the default language.

    ``LocaleMiddleware`` activates a request's language for the thread and leaves it
    there; without this a Spanish request in one test would translate the next test's
    directly called views on the same worker.
    """
    translation.deactivate()
    yield
    translation.deactivate()


@contextlib.contextmanager
def audit_triggers_lifted(django_db_blocker: Any) -> Iterator[None]:
    """Lift the append-only triggers (audit trail, signed notes) around tests with
    real commits.

    ``transactional_db`` empties every table after each test (DELETE on SQLite,
    TRUNCATE on PostgreSQL), which the triggers refuse. Use it from a module- or
    package-scoped fixture; the triggers come back from the migrations' own SQL.
    painrehab/audit/tests and painrehab/notes/tests cover the triggers themselves.
    """
    with django_db_blocker.unblock():
        with connection.schema_editor() as editor:
            for triggers in APPEND_ONLY_TRIGGERS:
                triggers.reverse(None, editor)
        connection.close()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            with connection.schema_editor() as editor:
                for triggers in APPEND_ONLY_TRIGGERS:
                    triggers.forward(None, editor)
            # Else PostgreSQL refuses to drop the test database ("being accessed").
            connection.close()


def sign_in(client: Client, user: User) -> Client:
    """Sign ``user`` in as the login flow would: staff also pass the second factor."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if user.requires_mfa:
        device = totp_device(user)
        session: SessionBase = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def persona_for_role(role: Role, child: Patient) -> User:
    """One person of ``role`` for the permission matrices: clinicians on ``child``'s
    care team, a guardian of ``child``, a patient with their own record."""
    if role in STAFF_ROLES:
        user: User = StaffFactory(role=role, username=f"matrix-{role}")
        if role in CLINICAL_ROLES and role != Role.COORDINATOR:
            CareTeamMemberFactory(patient=child, member=user)
        return user
    user = UserFactory(role=role, username=f"matrix-{role}")
    if role == Role.GUARDIAN:
        PatientGuardianFactory(patient=child, guardian=GuardianFactory(user=user))
    else:
        PatientFactory(user=user)
    return user


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
