"""Permission matrix: the scheduling setup pages (see test_permission_matrix).

The coordinator sets up the unit; the director reads the overview and the lists.
Pages with an object in their URL get a room, a therapist or a group made here.
"""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import Role
from painrehab.common.testing import persona_for_role, sign_in
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import PatientFactory
from painrehab.scheduling.tests.factories import (
    RoomFactory,
    TherapyGroupFactory,
    therapist,
)
from painrehab.scheduling.views import setup

pytestmark = pytest.mark.django_db

OK, REDIRECT, FORBIDDEN = 200, 302, 403
EDITORS = frozenset({Role.COORDINATOR})
READERS = frozenset({Role.COORDINATOR, Role.DIRECTOR})

# (page, args, roles allowed), as in tests/test_permission_matrix.py.
PAGES: list[tuple[str, str, frozenset[str]]] = [
    ("scheduling:setup", "", READERS),
    ("scheduling:room_list", "", READERS),
    ("scheduling:room_new", "", EDITORS),
    ("scheduling:room_edit", "room", EDITORS),
    ("scheduling:shift_list", "", READERS),
    ("scheduling:shift_edit", "staff", EDITORS),
    ("scheduling:template_edit", "", EDITORS),
    ("scheduling:group_list", "", READERS),
    ("scheduling:group_new", "", EDITORS),
    ("scheduling:group_edit", "group", EDITORS),
]


@pytest.fixture
def child() -> Patient:
    return PatientFactory()  # type: ignore[no-any-return]


def _url(name: str, kind: str) -> str:
    if kind == "room":
        return reverse(name, args=[RoomFactory().pk])
    if kind == "staff":
        return reverse(name, args=[therapist().pk])
    if kind == "group":
        return reverse(name, args=[TherapyGroupFactory().pk])
    return reverse(name)


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
@pytest.mark.parametrize(
    ("page", "kind", "allowed"), PAGES, ids=[p[0].replace(":", ".") for p in PAGES]
)
def test_role_reaches_only_its_setup_pages(
    role: Role, page: str, kind: str, allowed: frozenset[str], child: Patient
) -> None:
    url = _url(page, kind)
    client = sign_in(Client(), persona_for_role(role, child))
    response = client.get(url)
    assert response.status_code == (OK if role in allowed else FORBIDDEN)


@pytest.mark.parametrize(("page", "kind", "allowed"), PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(
    page: str, kind: str, allowed: frozenset[str], client: Client
) -> None:
    response = client.get(_url(page, kind))
    assert response.status_code == REDIRECT
    assert response["Location"].startswith(reverse("accounts:login"))


def test_every_setup_page_is_in_the_matrix(
    urlconf_names: Callable[[], set[str]],
) -> None:
    names = {f"scheduling:{p.name}" for p in setup.urlpatterns}
    assert names <= urlconf_names()
    assert names == {p[0] for p in PAGES}
