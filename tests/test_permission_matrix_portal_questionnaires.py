"""The permission matrix of the portal's questionnaire and check-in pages.

Family pages: no staff role may open them (``frozenset()``); the generic portal
walk (every portal URL as staff, another family and anonymous) uses these rows.
The checks below cover the same for these pages until that walk exists; the
guardian and teen behaviour is in painrehab/portal/tests/test_questionnaires.py
and test_checkin.py.
"""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import STAFF_ROLES, Role
from painrehab.common.testing import persona_for_role, sign_in
from painrehab.instruments.tests.support import start
from painrehab.portal.tests.support import Family, family

pytestmark = pytest.mark.django_db

PAGES: list[tuple[str, str, frozenset[str]]] = [
    ("portal:questionnaires", "child", frozenset()),
    ("portal:questionnaire", "child", frozenset()),
    ("portal:checkin", "child", frozenset()),
]


@pytest.fixture
def fam() -> Family:
    return family(age=14, name="Sam", surname="Matrixfamily", teen_account=True)


def _urls(fam: Family) -> list[str]:
    a = start(fam.episode, fam.teen_user, "CES-DC")  # type: ignore[arg-type]
    args = {"portal:questionnaire": [fam.child.pk, a.pk]}
    return [reverse(name, args=args.get(name, [fam.child.pk])) for name, *_ in PAGES]


def test_anonymous_visitors_are_sent_to_sign_in(fam: Family) -> None:
    for url in _urls(fam):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", sorted(STAFF_ROLES), ids=str)
def test_no_staff_role_opens_a_family_page(fam: Family, role: Role) -> None:
    client = sign_in(Client(), persona_for_role(role, fam.child))
    for url in _urls(fam):
        assert client.get(url).status_code == 403
    start_form = {"instrument_code": "CES-DC", "form_token": str(uuid.uuid4())}
    assert client.post(_urls(fam)[0], start_form).status_code == 403


def test_another_family_gets_the_404_of_a_missing_page(fam: Family) -> None:
    other = family(age=9, name="Robin", surname="Elsewhere", parent="Kim")
    client = other.guardian_client()
    for url in _urls(fam):
        assert client.get(url).status_code == 404
