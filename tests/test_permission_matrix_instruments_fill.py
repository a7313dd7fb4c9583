"""The permission matrix of the questionnaire and results pages: every role.

As in ``test_permission_matrix_episodes``: one persona per role, and clinical
personas sit on the child's care team, so a refusal here is the role's, never the
care team's. Guardians and patients fill their forms in the portal, not here.
"""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import CLINICAL_ROLES, Role
from painrehab.common.testing import persona_for_role, sign_in
from painrehab.instruments.tests.support import all_answers, fill_and_submit, start
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import PatientFactory
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db

OK, REDIRECT, FORBIDDEN = 200, 302, 403
ALERTS = frozenset({Role.PSYCHOLOGIST, Role.COORDINATOR, Role.PHYSICIAN})

# (page, kind of argument, roles allowed). "-post" pages take only a POST, which
# answers with a redirect (an empty start form, a save without HTMX, an ack, a
# correction with its reason).
PAGES: list[tuple[str, str, frozenset[str]]] = [
    ("instruments:measures", "patient", CLINICAL_ROLES),
    ("instruments:start", "patient-post", CLINICAL_ROLES),
    ("instruments:fill", "administration", CLINICAL_ROLES),
    ("instruments:save", "administration-post", CLINICAL_ROLES),
    ("instruments:correct", "submitted-post", CLINICAL_ROLES),
    ("instruments:alerts", "", ALERTS),
    ("instruments:alert_acknowledge", "score-post", ALERTS),
]


@pytest.fixture
def child() -> Patient:
    return PatientFactory()  # type: ignore[no-any-return]


def _url(name: str, kind: str, child: Patient) -> str:
    if kind.startswith("patient"):
        return reverse(name, args=[child.pk])
    if kind.startswith(("administration", "submitted")):
        episode = journey.admitted(child, days_ago=1)
        by = journey.coordinator()
        administration = start(episode, by, "FDI-C")
        if kind.startswith("submitted"):
            fill_and_submit(administration, by, all_answers("FDI-C", 1))
        return reverse(name, args=[administration.pk])
    if kind.startswith("score"):
        episode = journey.admitted(child, days_ago=1)
        by = journey.coordinator()
        score = fill_and_submit(
            start(episode, by, "CES-DC"), by, all_answers("CES-DC", 3)
        )
        return reverse(name, args=[score.pk])
    return reverse(name)


def _expected(kind: str, allowed: frozenset[str], role: Role) -> int:
    if role not in allowed:
        return FORBIDDEN
    return REDIRECT if kind.endswith("-post") else OK


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
@pytest.mark.parametrize(
    ("page", "kind", "allowed"), PAGES, ids=[p[0].replace(":", ".") for p in PAGES]
)
def test_role_reaches_only_its_instrument_pages(
    role: Role, page: str, kind: str, allowed: frozenset[str], child: Patient
) -> None:
    url = _url(page, kind, child)
    client = sign_in(Client(), persona_for_role(role, child))
    if kind.endswith("-post"):
        response = client.post(url, {"reason": "Typed against the wrong item"})
    else:
        response = client.get(url)
    assert response.status_code == _expected(kind, allowed, role)


@pytest.mark.parametrize(("page", "kind", "allowed"), PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(
    page: str, kind: str, allowed: frozenset[str], child: Patient, client: Client
) -> None:
    url = _url(page, kind, child)
    send = client.post if kind.endswith("-post") else client.get
    response = send(url)
    assert response.status_code == REDIRECT
    assert response["Location"].startswith(reverse("accounts:login"))


def test_every_fill_and_results_page_is_in_the_matrix(
    urlconf_names: Callable[[], set[str]],
) -> None:
    daily = {"instruments:" + n for n in _daily_names()}
    pages = {
        n
        for n in urlconf_names()
        if n.startswith("instruments:") and not n.startswith("instruments:kiosk")
    } - daily
    assert pages == {p[0] for p in PAGES}


def _daily_names() -> set[str]:
    from painrehab.instruments import urls_daily

    return {p.name for p in urls_daily.urlpatterns if getattr(p, "name", None)}
