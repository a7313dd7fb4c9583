"""The permission matrix of the care plan pages: every role against every page.

As in the other matrices, one persona per role, and clinical personas sit on the
child's care team, so a refusal here is the role's (or the edit rule's), never the
care team's. The objects edited are physical therapy's: the template's PT goal and
PT prescription, so the physical therapist may edit them and other disciplines may
not (careplans/rules.py). Guardians and patients see no care plan here.
"""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import CLINICAL_ROLES, Role
from painrehab.careplans.models import CarePlan
from painrehab.common.testing import persona_for_role, sign_in
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import PatientFactory
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db

OK, REDIRECT, FORBIDDEN = 200, 302, 403
# Who may change the header, or a physical therapy goal or prescription.
HEADER_EDITORS = frozenset({Role.COORDINATOR, Role.PHYSICIAN})
PT_EDITORS = HEADER_EDITORS | {Role.PHYSICAL_THERAPIST}
# Hospital school is a fixed block of the day, not a prescribed therapy.
PRESCRIBERS = CLINICAL_ROLES - {Role.TEACHER}

# (page, the object in its URL, roles that get the page)
PAGES: list[tuple[str, str, frozenset[str]]] = [
    ("careplans:plan", "patient", CLINICAL_ROLES),
    ("careplans:plan_edit", "patient", HEADER_EDITORS),
    ("careplans:formulation_edit", "patient", CLINICAL_ROLES),
    ("careplans:goal_add", "patient", CLINICAL_ROLES),
    ("careplans:goal_edit", "pt-goal", PT_EDITORS),
    ("careplans:goal_review", "pt-goal", PT_EDITORS),
    ("careplans:prescription_add", "patient", PRESCRIBERS),
    ("careplans:prescription_edit", "pt-prescription", PT_EDITORS),
    ("careplans:prescription_stop", "pt-prescription", PT_EDITORS),
]


@pytest.fixture
def child() -> Patient:
    patient = PatientFactory()
    journey.admitted(patient, days_ago=2)
    return patient  # type: ignore[no-any-return]


def _url(name: str, kind: str, child: Patient) -> str:
    plan = CarePlan.objects.get(episode__patient=child)
    if kind == "pt-goal":
        args = [child.pk, plan.goals.get(template_key="walk").pk]
    elif kind == "pt-prescription":
        args = [child.pk, plan.prescriptions.get(template_key="pt").pk]
    else:
        args = [child.pk]
    return reverse(name, args=args)


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
@pytest.mark.parametrize(
    ("page", "kind", "allowed"), PAGES, ids=[p[0].replace(":", ".") for p in PAGES]
)
def test_role_reaches_only_its_care_plan_pages(
    role: Role, page: str, kind: str, allowed: frozenset[str], child: Patient
) -> None:
    url = _url(page, kind, child)
    client = sign_in(Client(), persona_for_role(role, child))
    response = client.get(url)
    assert response.status_code == (OK if role in allowed else FORBIDDEN)


@pytest.mark.parametrize(("page", "kind", "allowed"), PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(
    page: str, kind: str, allowed: frozenset[str], child: Patient, client: Client
) -> None:
    response = client.get(_url(page, kind, child))
    assert response.status_code == REDIRECT
    assert response["Location"].startswith(reverse("accounts:login"))


def test_every_care_plan_page_is_in_the_matrix(
    urlconf_names: Callable[[], set[str]],
) -> None:
    pages = {
        n
        for n in urlconf_names()
        if n.startswith("careplans:") and not n.startswith("careplans:conference")
    }  # the conference pages: test_permission_matrix_conferences
    assert pages == {p[0] for p in PAGES}
