"""The permission matrix of the solver runs' pages: every role against every page.

Only the coordinator builds the timetable, so only the coordinator reaches these
pages; one persona per role, as in the other matrices. "run" pages take a run's
id; "-post" pages take only a POST and answer a valid form with a redirect.
"""

import uuid
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import Role
from painrehab.common.testing import persona_for_role, sign_in
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import PatientFactory
from painrehab.referrals.tests import journey
from painrehab.scheduling.models import SolveRun
from painrehab.scheduling.tests.factories import finished_run, next_monday

pytestmark = pytest.mark.django_db

OK, REDIRECT, FORBIDDEN = 200, 302, 403
COORDINATOR = frozenset({Role.COORDINATOR})

# (page, the object in its URL, roles that get the page)
PAGES: list[tuple[str, str, frozenset[str]]] = [
    ("scheduling:run_list", "", COORDINATOR),
    ("scheduling:solve", "form-post", COORDINATOR),
    ("scheduling:run_detail", "run", COORDINATOR),
]


@pytest.fixture
def child() -> Patient:
    return PatientFactory()  # type: ignore[no-any-return]


def _run() -> SolveRun:
    monday = next_monday()
    return finished_run(monday, monday, by=journey.coordinator())


def _request(name: str, kind: str) -> tuple[str, dict[str, str]]:
    """The page's URL and, for a POST, what the form sends."""
    if kind == "run":
        return reverse(name, args=[_run().pk]), {}
    if kind == "form-post":
        form = {
            "week": next_monday().isoformat(),
            "time_limit": "30",
            "form_token": str(uuid.uuid4()),
        }
        return reverse(name), form
    return reverse(name), {}


def _expected(kind: str, allowed: frozenset[str], role: Role) -> int:
    if role not in allowed:
        return FORBIDDEN
    return REDIRECT if kind.endswith("-post") else OK


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
@pytest.mark.parametrize(
    ("page", "kind", "allowed"), PAGES, ids=[p[0].replace(":", ".") for p in PAGES]
)
def test_role_reaches_only_its_run_pages(
    role: Role, page: str, kind: str, allowed: frozenset[str], child: Patient
) -> None:
    url, data = _request(page, kind)
    client = sign_in(Client(), persona_for_role(role, child))
    response = client.post(url, data) if kind.endswith("-post") else client.get(url)
    assert response.status_code == _expected(kind, allowed, role)


@pytest.mark.parametrize(("page", "kind", "allowed"), PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(
    page: str, kind: str, allowed: frozenset[str], client: Client
) -> None:
    url, data = _request(page, kind)
    send = client.post if kind.endswith("-post") else client.get
    response = send(url, data)
    assert response.status_code == REDIRECT
    assert response["Location"].startswith(reverse("accounts:login"))


def test_every_run_page_is_in_the_matrix(
    urlconf_names: Callable[[], set[str]],
) -> None:
    names = {"scheduling:run_list", "scheduling:solve", "scheduling:run_detail"}
    assert names <= urlconf_names()
    assert {p[0] for p in PAGES} == names
