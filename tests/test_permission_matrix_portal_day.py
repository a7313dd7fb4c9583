"""The permission matrix of the portal's day, week, calendar and after-discharge
pages: family pages about one child, for no staff role (``frozenset()``).

The generic portal walk checks them as staff, another family and anonymous; the
guardian and teen behaviour is tested in painrehab/portal/tests (test_day,
test_calendar, test_after).
"""

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import STAFF_ROLES
from painrehab.accounts.tests.factories import StaffFactory
from painrehab.common.testing import sign_in
from painrehab.portal.tests.support import family

PAGES: list[tuple[str, str, frozenset[str]]] = [
    ("portal:today", "child", frozenset()),
    ("portal:week", "child", frozenset()),
    ("portal:calendar", "child", frozenset()),
    ("portal:after", "child", frozenset()),
    ("portal:school_letter", "child", frozenset()),
]


@pytest.mark.django_db
def test_staff_are_refused_and_strangers_sent_to_sign_in() -> None:
    fam = family(age=9, stage="none")
    clients = {
        role: sign_in(Client(), StaffFactory(role=role, username=f"day-{role}"))
        for role in sorted(STAFF_ROLES)
    }
    for name, _kind, _allowed in PAGES:
        url = reverse(name, args=[fam.child.pk])
        anonymous = Client().get(url)
        assert anonymous.status_code == 302 and "login" in anonymous["Location"]
        for role, client in clients.items():
            assert client.get(url).status_code == 403, (name, role)
