"""The permission matrix of the episode pages: for every role, allowed or refused.

As in ``test_permission_matrix``: one persona per role, and clinical personas sit on
the child's care team, so a refusal here is the role's, never the care team's.
"""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import CLINICAL_ROLES, Role
from painrehab.accounts.tests.factories import StaffFactory
from painrehab.common.testing import persona_for_role, sign_in
from painrehab.episodes.models import Episode
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import (
    PatientFactory,
)
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db

OK, REDIRECT, FORBIDDEN = 200, 302, 403
COORDINATOR = frozenset({Role.COORDINATOR})
UNIT = frozenset({Role.COORDINATOR, Role.DIRECTOR, Role.PHYSICIAN, Role.NURSE})
WAITLIST = frozenset({Role.COORDINATOR, Role.DIRECTOR, Role.PHYSICIAN})
STAY = frozenset({Role.COORDINATOR, Role.PHYSICIAN})
STEP_DOWN = frozenset(
    {
        Role.COORDINATOR,
        Role.PHYSICIAN,
        Role.PSYCHOLOGIST,
        Role.PHYSICAL_THERAPIST,
        Role.OCCUPATIONAL_THERAPIST,
    }
)

# (page, kind of argument, roles allowed). "episode-post" pages take only a POST,
# which answers with a redirect (here: the refusal for an episode just referred).
PAGES: list[tuple[str, str, frozenset[str]]] = [
    ("episodes:census", "", UNIT),
    ("episodes:waitlist", "", WAITLIST),
    ("episodes:follow_ups", "", COORDINATOR),
    ("episodes:waitlist_add", "episode", COORDINATOR),
    ("episodes:admit", "episode", COORDINATOR),
    ("episodes:extend", "episode", STAY),
    ("episodes:discharge", "episode", STAY),
    ("episodes:step_down", "episode", STEP_DOWN),
    ("episodes:step_down_complete", "episode-post", COORDINATOR),
    ("episodes:close", "episode", COORDINATOR),
    ("episodes:follow_up_record", "follow_up", STAY),
    ("episodes:journey", "patient", CLINICAL_ROLES),
]


@pytest.fixture
def child() -> Patient:
    return PatientFactory()  # type: ignore[no-any-return]


def _url(name: str, kind: str, child: Patient) -> str:
    if kind == "patient":
        return reverse(name, args=[child.pk])
    if kind == "follow_up":
        visit = journey.discharged(child).follow_ups.first()
        return reverse(name, args=[visit.pk])
    if kind.startswith("episode"):
        episode: Episode = journey.referred(child)
        return reverse(name, args=[episode.pk])
    return reverse(name)


def _request(client: Client, kind: str, url: str) -> int:
    send = client.post if kind.endswith("-post") else client.get
    return send(url).status_code


def _expected(kind: str, allowed: frozenset[str], role: Role) -> int:
    if role not in allowed:
        return FORBIDDEN
    return REDIRECT if kind.endswith("-post") else OK


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
@pytest.mark.parametrize(
    ("page", "kind", "allowed"), PAGES, ids=[p[0].replace(":", ".") for p in PAGES]
)
def test_role_reaches_only_its_episode_pages(
    role: Role, page: str, kind: str, allowed: frozenset[str], child: Patient
) -> None:
    client = sign_in(Client(), persona_for_role(role, child))
    url = _url(page, kind, child)
    assert _request(client, kind, url) == _expected(kind, allowed, role)


@pytest.mark.parametrize(("page", "kind", "allowed"), PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(
    page: str, kind: str, allowed: frozenset[str], child: Patient, client: Client
) -> None:
    url = _url(page, kind, child)
    send = client.post if kind.endswith("-post") else client.get
    response = send(url)
    assert response.status_code == REDIRECT
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", sorted(UNIT | WAITLIST | COORDINATOR), ids=str)
def test_staff_without_the_second_factor_reach_no_episode_list(role: Role) -> None:
    client = Client()
    client.force_login(
        StaffFactory(role=role), backend="django.contrib.auth.backends.ModelBackend"
    )
    for page, kind, _allowed in PAGES:
        if not kind:
            assert client.get(reverse(page)).status_code in (FORBIDDEN, REDIRECT)


def test_every_episode_page_is_in_the_matrix(
    urlconf_names: Callable[[], set[str]],
) -> None:
    episode_pages = {n for n in urlconf_names() if n.startswith("episodes:")}
    assert episode_pages == {p[0] for p in PAGES}
