"""The permission matrix of the referral pages: for every role, allowed or refused.

Built like tests/test_permission_matrix.py: one persona per role, clinical personas
on ``child``'s care team, so a 200 means the role may use the page for its own
patients and a 403 that the role may not use it at all. ``child`` is in evaluation,
with a document attached; the evaluation page is the pain-medicine evaluation,
which none of the personas wrote (so evaluators' read-only view is what is tested).
"""

from collections.abc import Callable

import pytest
from django.http import HttpResponseBase
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import FAMILY_ROLES, STAFF_ROLES, Role
from painrehab.accounts.models import User
from painrehab.accounts.tests.factories import StaffFactory
from painrehab.common.testing import persona_for_role, sign_in
from painrehab.episodes.models import Episode
from painrehab.referrals.tests import journey
from painrehab.referrals.tests.support import attach

pytestmark = pytest.mark.django_db

OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404
COORDINATOR = frozenset({Role.COORDINATOR})
QUEUE = frozenset({Role.COORDINATOR, Role.PHYSICIAN, Role.PSYCHOLOGIST})
DECIDERS = frozenset({Role.COORDINATOR, Role.PHYSICIAN})
# Teachers, acupuncturists, recreational therapists and the director do not evaluate.
READERS = frozenset(
    {
        Role.COORDINATOR,
        Role.PHYSICIAN,
        Role.PSYCHOLOGIST,
        Role.PHYSICAL_THERAPIST,
        Role.OCCUPATIONAL_THERAPIST,
        Role.SOCIAL_WORKER,
        Role.NURSE,
        Role.CHILD_LIFE,
    }
)

# kind -> (HTTP method, the page's normal status for an allowed role)
KINDS = {
    "list": ("get", OK),
    "referral": ("get", OK),
    "attachment": ("get", OK),
    "evaluation": ("get", OK),
    "triage": ("post", REDIRECT),
}

# (page, kind, roles allowed): every referrals page.
PAGES: list[tuple[str, str, frozenset[str]]] = [
    ("referrals:triage", "list", QUEUE),
    ("referrals:intake", "list", COORDINATOR),
    ("referrals:referral_detail", "referral", READERS),
    ("referrals:attachment", "attachment", READERS),
    ("referrals:triage_update", "triage", COORDINATOR),
    ("referrals:schedule", "referral", COORDINATOR),
    ("referrals:evaluation", "evaluation", READERS),
    ("referrals:decision", "referral", DECIDERS),
]
PATIENT_PAGES = [p for p in PAGES if p[1] != "list"]


@pytest.fixture
def episode() -> Episode:
    return journey.in_evaluation()


def _persona(role: Role, episode: Episode) -> User:
    return persona_for_role(role, episode.patient)


def _url(name: str, kind: str, episode: Episode, shift: int = 0) -> str:
    pk = episode.pk + shift
    args: dict[str, list[object]] = {
        "list": [],
        "referral": [pk],
        "triage": [pk],
        "attachment": [pk, attach(episode)],
        "evaluation": [pk, "MED"],
    }
    return reverse(name, args=args[kind])


def _request(
    client: Client, name: str, kind: str, episode: Episode, shift: int = 0
) -> HttpResponseBase:
    method, _ok = KINDS[kind]
    data = {"note": "Matrix triage."} if method == "post" else None
    response: HttpResponseBase = getattr(client, method)(
        _url(name, kind, episode, shift), data
    )
    return response


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
@pytest.mark.parametrize(
    ("page", "kind", "allowed"), PAGES, ids=[p[0].replace(":", ".") for p in PAGES]
)
def test_role_reaches_only_its_referral_pages(
    role: Role, page: str, kind: str, allowed: frozenset[str], episode: Episode
) -> None:
    client = sign_in(Client(), _persona(role, episode))
    response = _request(client, page, kind, episode)
    assert response.status_code == (KINDS[kind][1] if role in allowed else FORBIDDEN)


@pytest.mark.parametrize(("page", "kind", "allowed"), PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(
    page: str, kind: str, allowed: frozenset[str], episode: Episode, client: Client
) -> None:
    response = _request(client, page, kind, episode)
    assert response.status_code == REDIRECT
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("page", "kind", "allowed"),
    PATIENT_PAGES,
    ids=[p[0].replace(":", ".") for p in PATIENT_PAGES],
)
def test_allowed_clinicians_off_the_care_team_get_the_same_404_as_missing(
    page: str, kind: str, allowed: frozenset[str], episode: Episode
) -> None:
    for role in sorted(allowed - COORDINATOR):
        client = sign_in(Client(), StaffFactory(role=role))
        refused = _request(client, page, kind, episode)
        missing = _request(client, page, kind, episode, 999)
        assert refused.status_code == missing.status_code == NOT_FOUND, role
        assert refused.content == missing.content


@pytest.mark.parametrize("role", sorted(STAFF_ROLES), ids=str)
def test_staff_without_the_second_factor_reach_no_referral_page(
    role: Role, episode: Episode
) -> None:
    client = Client()
    client.force_login(
        StaffFactory(role=role), backend="django.contrib.auth.backends.ModelBackend"
    )
    for page, kind, _allowed in PAGES:
        assert _request(client, page, kind, episode).status_code == FORBIDDEN


def test_families_reach_no_referral_page(episode: Episode) -> None:
    assert not any(FAMILY_ROLES & allowed for _page, _kind, allowed in PAGES)


def test_every_referral_page_is_in_the_matrix(
    urlconf_names: Callable[[], set[str]],
) -> None:
    referral_pages = {n for n in urlconf_names() if n.startswith("referrals:")}
    assert referral_pages == {p[0] for p in PAGES}
