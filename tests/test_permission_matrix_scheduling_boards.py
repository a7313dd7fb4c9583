"""The permission matrix of the timetable boards: every role against every page.

As in the other matrices, one persona per role, and clinical personas sit on the
child's care team, so a refusal here is the role's, never the care team's. A
therapist's day is open to the therapist themself ("self") and to the coordinator
and the director (anyone's: "therapist"); "my day" sends each clinician to their
own (a redirect).
"""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import CLINICAL_ROLES, Role
from painrehab.accounts.models import User
from painrehab.common.testing import persona_for_role, sign_in
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import PatientFactory
from painrehab.referrals.tests import journey
from painrehab.scheduling.tests.factories import therapist

pytestmark = pytest.mark.django_db

OK, REDIRECT, FORBIDDEN = 200, 302, 403
LEADS = frozenset({Role.COORDINATOR, Role.DIRECTOR})

# (page, the object in its URL, roles that get the page)
PAGES: list[tuple[str, str, frozenset[str]]] = [
    ("scheduling:unit_day", "", CLINICAL_ROLES),
    ("scheduling:my_day", "redirect", CLINICAL_ROLES),
    ("scheduling:staff_day", "self", CLINICAL_ROLES),
    ("scheduling:staff_day", "therapist", LEADS),
    ("scheduling:unscheduled", "", LEADS),
    ("scheduling:patient_week", "child", CLINICAL_ROLES),
    ("scheduling:patient_print", "child", CLINICAL_ROLES),
]


@pytest.fixture
def child() -> Patient:
    patient = PatientFactory()
    journey.admitted(patient, days_ago=2)
    return patient  # type: ignore[no-any-return]


def _url(name: str, kind: str, child: Patient, user: User | None) -> str:
    if kind == "child":
        return reverse(name, args=[child.pk])
    if kind == "self":
        return reverse(name, args=[user.pk if user else 1])
    if kind == "therapist":
        return reverse(name, args=[therapist().pk])
    return reverse(name)


def _expected(kind: str, allowed: frozenset[str], role: Role) -> int:
    if role not in allowed:
        return FORBIDDEN
    return REDIRECT if kind == "redirect" else OK


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
@pytest.mark.parametrize(
    ("page", "kind", "allowed"),
    PAGES,
    ids=[f"{p[0].replace(':', '.')}-{p[1] or 'page'}" for p in PAGES],
)
def test_role_reaches_only_its_timetable_pages(
    role: Role, page: str, kind: str, allowed: frozenset[str], child: Patient
) -> None:
    user = persona_for_role(role, child)
    client = sign_in(Client(), user)
    response = client.get(_url(page, kind, child, user))
    assert response.status_code == _expected(kind, allowed, role)


@pytest.mark.parametrize(("page", "kind", "allowed"), PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(
    page: str, kind: str, allowed: frozenset[str], child: Patient, client: Client
) -> None:
    response = client.get(_url(page, kind, child, None))
    assert response.status_code == REDIRECT
    assert response["Location"].startswith(reverse("accounts:login"))


def test_every_timetable_board_is_in_the_matrix(
    urlconf_names: Callable[[], set[str]],
) -> None:
    from painrehab.scheduling.views import boards

    pages = {f"scheduling:{p.name}" for p in boards.urlpatterns}
    assert pages == {p[0] for p in PAGES}
    assert pages <= urlconf_names()
