"""The permission matrix of the daily instrument pages: for every role, allowed or
refused. Clinical personas sit on the child's care team, so a refusal here is the
role's, never the care team's."""

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import CLINICAL_ROLES, Role
from painrehab.common.testing import persona_for_role, sign_in
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import PatientFactory
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db

OK, REDIRECT, FORBIDDEN = 200, 302, 403
MEASURES = frozenset(
    {
        Role.PHYSICAL_THERAPIST,
        Role.OCCUPATIONAL_THERAPIST,
        Role.PHYSICIAN,
        Role.NURSE,
        Role.TEACHER,
        Role.COORDINATOR,
    }
)

# (page, kind of argument, roles allowed)
PAGES: list[tuple[str, str, frozenset[str]]] = [
    ("instruments:checkin", "patient", CLINICAL_ROLES),
    ("instruments:body_map", "patient", CLINICAL_ROLES),
    ("instruments:clinician_measures", "patient", MEASURES),
]


@pytest.fixture
def child() -> Patient:
    patient: Patient = PatientFactory()
    journey.admitted(patient, days_ago=2)
    return patient


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
@pytest.mark.parametrize(
    ("page", "kind", "allowed"), PAGES, ids=[p[0].replace(":", ".") for p in PAGES]
)
def test_role_reaches_only_its_daily_pages(
    role: Role, page: str, kind: str, allowed: frozenset[str], child: Patient
) -> None:
    client = sign_in(Client(), persona_for_role(role, child))
    response = client.get(reverse(page, args=[child.pk]))
    assert response.status_code == (OK if role in allowed else FORBIDDEN)


@pytest.mark.parametrize(("page", "kind", "allowed"), PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(
    page: str, kind: str, allowed: frozenset[str], child: Patient, client: Client
) -> None:
    response = client.get(reverse(page, args=[child.pk]))
    assert response.status_code == REDIRECT
    assert response["Location"].startswith(reverse("accounts:login"))
