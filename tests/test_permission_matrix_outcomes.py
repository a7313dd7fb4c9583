"""The permission matrix of the program's outcome pages: every role, every page.

These pages show aggregate figures (no patient), so no care team is involved:
the director and the coordinator read the dashboard and the cohort tables, only
the director opens the research export; every other role gets 403 and an
anonymous visitor is sent to sign in. The export's POST is a disclosure, so the
refusal is checked there too (nothing exported, nothing audited).
"""

import uuid
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import Role
from painrehab.audit.actions import AuditAction
from painrehab.audit.models import AuditEvent
from painrehab.common.testing import persona_for_role, sign_in
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

OK, REDIRECT, FORBIDDEN = 200, 302, 403
PROGRAM = frozenset({Role.DIRECTOR, Role.COORDINATOR})

# (page, kind of argument, roles allowed).
PAGES: list[tuple[str, str, frozenset[str]]] = [
    ("outcomes:dashboard", "", PROGRAM),
    ("outcomes:cohort", "code", PROGRAM),
    ("outcomes:export", "", frozenset({Role.DIRECTOR})),
]
IDS = [p[0].replace(":", ".") for p in PAGES]


@pytest.fixture
def child() -> Patient:
    """The personas' child (clinicians on its team, its guardian)."""
    return PatientFactory()  # type: ignore[no-any-return]


def _url(name: str, kind: str) -> str:
    return reverse(name, args=["FDI-C"] if kind == "code" else [])


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
@pytest.mark.parametrize(("page", "kind", "allowed"), PAGES, ids=IDS)
def test_role_reaches_only_its_outcome_pages(
    role: Role, page: str, kind: str, allowed: frozenset[str], child: Patient
) -> None:
    client = sign_in(Client(), persona_for_role(role, child))

    response = client.get(_url(page, kind))

    assert response.status_code == (OK if role in allowed else FORBIDDEN)


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_only_the_director_can_post_an_export(role: Role, child: Patient) -> None:
    client = sign_in(Client(), persona_for_role(role, child))
    form = {"purpose": "Study", "recipient": "Dr. Stats", "form_token": uuid.uuid4()}

    response = client.post(reverse("outcomes:export"), form)

    exported = AuditEvent.objects.filter(action=AuditAction.OUTCOMES_EXPORTED)
    assert response.status_code == (OK if role == Role.DIRECTOR else FORBIDDEN)
    assert exported.exists() == (role == Role.DIRECTOR)


@pytest.mark.parametrize(("page", "kind", "allowed"), PAGES, ids=IDS)
def test_anonymous_visitors_are_sent_to_sign_in(
    page: str, kind: str, allowed: frozenset[str], client: Client
) -> None:
    response = client.get(_url(page, kind))

    assert response.status_code == REDIRECT
    assert response["Location"].startswith(reverse("accounts:login"))


def test_every_program_outcome_page_is_in_the_matrix(
    urlconf_names: Callable[[], set[str]],
) -> None:
    # A child's trajectory and reports have their own matrices.
    others = ("outcomes:trajectory", "outcomes:report")
    pages = {
        n
        for n in urlconf_names()
        if n.startswith("outcomes:") and not n.startswith(others)
    }

    assert pages == {p[0] for p in PAGES}
