"""The permission matrix of a child's outcome trajectory: every role, every page.

As in ``test_permission_matrix_homeprogram``: one persona per role, and clinical
personas sit on the child's care team, so a refusal here is the role's, never the
care team's. Every clinician on the team reads the tab; a clinician off the team
gets the same 404 as a missing child; families and non-clinical staff get 403;
an anonymous visitor is sent to sign in.
"""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from painrehab.accounts.choices import CLINICAL_ROLES, Role
from painrehab.accounts.tests.factories import StaffFactory
from painrehab.audit.actions import AuditAction
from painrehab.audit.models import AuditEvent
from painrehab.common.testing import persona_for_role, sign_in
from painrehab.episodes.services import episode_open
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import PatientFactory
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db

OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404
MISSING_PATIENT_ID = 987_654

# (page, kind of argument, roles allowed).
PAGES: list[tuple[str, str, frozenset[str]]] = [
    ("outcomes:trajectory", "patient", CLINICAL_ROLES),
]


@pytest.fixture
def child() -> Patient:
    patient: Patient = PatientFactory()
    episode_open(
        patient=patient, opened_on=timezone.localdate(), by=journey.coordinator()
    )
    return patient


def _url(name: str, patient_id: int) -> str:
    return reverse(name, args=[patient_id])


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
@pytest.mark.parametrize(
    ("page", "kind", "allowed"), PAGES, ids=[p[0].replace(":", ".") for p in PAGES]
)
def test_role_reaches_the_trajectory_only_if_clinical(
    role: Role, page: str, kind: str, allowed: frozenset[str], child: Patient
) -> None:
    client = sign_in(Client(), persona_for_role(role, child))

    response = client.get(_url(page, child.pk))

    assert response.status_code == (OK if role in allowed else FORBIDDEN)
    viewed = AuditEvent.objects.filter(
        action=AuditAction.TRAJECTORY_VIEWED, patient_id=child.pk
    )
    assert viewed.exists() == (role in allowed)


# Every clinician the page lets in, off the child's care team (the coordinator sees
# every child, so has no "off the team").
OFF_TEAM = [
    (role, page)
    for page, _kind, allowed in PAGES
    for role in sorted((allowed & CLINICAL_ROLES) - {Role.COORDINATOR})
]


@pytest.mark.parametrize(
    ("role", "page"), OFF_TEAM, ids=[f"{p}-{r}" for r, p in OFF_TEAM]
)
def test_clinicians_off_the_care_team_get_the_404_of_a_missing_child(
    role: Role, page: str, child: Patient
) -> None:
    client = sign_in(Client(), StaffFactory(role=role))

    off_team = client.get(_url(page, child.pk))
    missing = client.get(_url(page, MISSING_PATIENT_ID))

    assert off_team.status_code == missing.status_code == NOT_FOUND
    assert not AuditEvent.objects.filter(
        action=AuditAction.TRAJECTORY_VIEWED, patient_id=child.pk
    ).exists()


@pytest.mark.parametrize(
    ("page", "kind", "allowed"), PAGES, ids=[p[0].replace(":", ".") for p in PAGES]
)
def test_anonymous_visitors_are_sent_to_sign_in(
    page: str, kind: str, allowed: frozenset[str], child: Patient, client: Client
) -> None:
    response = client.get(_url(page, child.pk))

    assert response.status_code == REDIRECT
    assert response["Location"].startswith(reverse("accounts:login"))


def test_every_trajectory_page_is_in_the_matrix(
    urlconf_names: Callable[[], set[str]],
) -> None:
    pages = {n for n in urlconf_names() if n == "outcomes:trajectory"}

    assert pages == {p[0] for p in PAGES}
