"""The permission matrix of kiosk mode: every role, with and without a kiosk.

Handing over a tablet is for the clinical roles, on their own patients. The kiosk
pages themselves also need a kiosk on the session: without one they are "not
found" even for clinicians. The closing "thank you" page is public: the session
has already been signed out when it shows.
"""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import CLINICAL_ROLES, Role
from painrehab.common.testing import persona_for_role, sign_in
from painrehab.instruments.tests.support import start
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import PatientFactory
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db

OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404
EVERYONE = frozenset(Role)

# (page, kind of argument, roles allowed, status for an allowed role).
PAGES: list[tuple[str, str, frozenset[str], int]] = [
    ("instruments:kiosk_start", "patient-post", CLINICAL_ROLES, REDIRECT),
    ("instruments:kiosk", "", CLINICAL_ROLES, NOT_FOUND),
    ("instruments:kiosk_fill", "administration", CLINICAL_ROLES, NOT_FOUND),
    ("instruments:kiosk_save", "administration-post", CLINICAL_ROLES, NOT_FOUND),
    ("instruments:kiosk_finish", "-post", CLINICAL_ROLES, NOT_FOUND),
    ("instruments:kiosk_ended", "", EVERYONE, OK),
]


@pytest.fixture
def child() -> Patient:
    return PatientFactory()  # type: ignore[no-any-return]


def _url(name: str, kind: str, child: Patient) -> str:
    episode = journey.admitted(child, days_ago=1)
    if kind.startswith("patient"):
        return reverse(name, args=[child.pk])
    if kind.startswith("administration"):
        administration = start(episode, journey.coordinator(), "FDI-C")
        return reverse(name, args=[administration.pk])
    return reverse(name)


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
@pytest.mark.parametrize(
    ("page", "kind", "allowed", "status"),
    PAGES,
    ids=[p[0].replace(":", ".") for p in PAGES],
)
def test_role_reaches_only_its_kiosk_pages(
    role: Role,
    page: str,
    kind: str,
    allowed: frozenset[str],
    status: int,
    child: Patient,
) -> None:
    url = _url(page, kind, child)
    client = sign_in(Client(), persona_for_role(role, child))
    send = client.post if kind.endswith("-post") else client.get
    assert send(url).status_code == (status if role in allowed else FORBIDDEN)


@pytest.mark.parametrize(("page", "kind", "allowed", "status"), PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(
    page: str,
    kind: str,
    allowed: frozenset[str],
    status: int,
    child: Patient,
    client: Client,
) -> None:
    url = _url(page, kind, child)
    send = client.post if kind.endswith("-post") else client.get
    response = send(url)
    if allowed == EVERYONE:
        assert response.status_code == OK
    else:
        assert response.status_code == REDIRECT
        assert response["Location"].startswith(reverse("accounts:login"))


def test_every_kiosk_page_is_in_the_matrix(
    urlconf_names: Callable[[], set[str]],
) -> None:
    from painrehab.instruments.kiosk import KIOSK_VIEWS

    kiosk = {n for n in urlconf_names() if n.startswith("instruments:kiosk")}
    assert kiosk == {p[0] for p in PAGES}
    assert kiosk <= KIOSK_VIEWS
