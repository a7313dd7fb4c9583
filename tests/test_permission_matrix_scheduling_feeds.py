"""Permission matrix: the scheduling feeds pages (see test_permission_matrix).

Every clinical role keeps calendars of its own sessions; only the coordinator
makes a family's calendar of a child. The feed itself (``scheduling:feed``) is
public: a calendar app fetches it without signing in, and its token is the key.
"""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import CLINICAL_ROLES, Role
from painrehab.common.testing import persona_for_role, sign_in
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import PatientFactory
from painrehab.scheduling import feeds
from painrehab.scheduling.views import feeds as feed_views

pytestmark = pytest.mark.django_db

OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404
COORDINATOR = frozenset({Role.COORDINATOR})

# (page, args, roles allowed), as in tests/test_permission_matrix.py.
PAGES: list[tuple[str, str, frozenset[str]]] = [
    ("scheduling:feed_list", "", CLINICAL_ROLES),
    ("scheduling:patient_feeds", "child", COORDINATOR),
]
PUBLIC: set[str] = {"scheduling:feed"}  # token-protected pages open without signing in


@pytest.fixture
def child() -> Patient:
    return PatientFactory()  # type: ignore[no-any-return]


def _url(name: str, arg: str, child: Patient) -> str:
    return reverse(name, args=[child.pk] if arg == "child" else [])


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
@pytest.mark.parametrize(
    ("page", "arg", "allowed"), PAGES, ids=[p[0].replace(":", ".") for p in PAGES]
)
def test_role_reaches_only_its_calendar_pages(
    role: Role, page: str, arg: str, allowed: frozenset[str], child: Patient
) -> None:
    client = sign_in(Client(), persona_for_role(role, child))
    response = client.get(_url(page, arg, child))
    assert response.status_code == (OK if role in allowed else FORBIDDEN)


@pytest.mark.parametrize(("page", "arg", "allowed"), PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(
    page: str, arg: str, allowed: frozenset[str], child: Patient, client: Client
) -> None:
    response = client.get(_url(page, arg, child))
    assert response.status_code == REDIRECT
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_feed_opens_without_signing_in_but_only_with_a_live_token(
    client: Client,
) -> None:
    response = client.get(reverse("scheduling:feed", args=[feeds.token_new()]))
    assert response.status_code == NOT_FOUND


def test_every_calendar_page_is_in_the_matrix(
    urlconf_names: Callable[[], set[str]],
) -> None:
    names = {f"scheduling:{p.name}" for p in feed_views.urlpatterns}
    assert names <= urlconf_names()
    assert names == {p[0] for p in PAGES} | PUBLIC
