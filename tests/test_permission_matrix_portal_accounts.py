"""The permission matrix of the portal's account pages: every role, every page.

Staff side ("Family access" tab): the coordinator and the social worker invite and
revoke, the director reads, every other role is refused. As in the other
matrices, clinical personas sit on the child's care team, so a refusal here is the
role's; a social worker or director off the care team gets the same 404 as a
missing child. Family side: ``portal:account`` is for guardians and teens only;
the join pages and the language switch are public.
"""

import uuid
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import Role
from painrehab.accounts.tests.factories import StaffFactory
from painrehab.common.testing import persona_for_role, sign_in, staff
from painrehab.patients.models import Guardian, Patient
from painrehab.patients.tests.factories import (
    GuardianFactory,
    PatientFactory,
    PatientGuardianFactory,
)
from painrehab.portal.models import Invitation, InvitationKind
from painrehab.portal.services.invitations import invitation_create

pytestmark = pytest.mark.django_db

OK, REDIRECT, BAD, FORBIDDEN, NOT_FOUND = 200, 302, 400, 403, 404
INVITERS = frozenset({Role.COORDINATOR, Role.SOCIAL_WORKER})
READERS = INVITERS | {Role.DIRECTOR}
FAMILY = frozenset({Role.GUARDIAN, Role.PATIENT})

# (page, the object in its URL, roles allowed); "-post" pages take only a POST.
PAGES: list[tuple[str, str, frozenset[str]]] = [
    ("portal_staff:family_access", "patient", READERS),
    ("portal_staff:invite", "invite-post", INVITERS),
    ("portal_staff:revoke", "revoke-post", INVITERS),
    ("portal:account", "", frozenset()),
]
PUBLIC = {"portal:join", "portal:join_code", "portal:language"}
STAFF_PAGES = [p for p in PAGES if p[0].startswith("portal_staff:")]


@pytest.fixture
def child() -> Patient:
    return PatientFactory()  # type: ignore[no-any-return]


@pytest.fixture
def guardian(child: Patient) -> Guardian:
    """A guardian of ``child`` without an account, to invite."""
    found: Guardian = GuardianFactory(given_name="Sam", family_name="Matrix")
    PatientGuardianFactory(patient=child, guardian=found)
    return found


def _invitation(child: Patient, guardian: Guardian) -> Invitation:
    made = invitation_create(
        patient_id=child.pk,
        created_by=staff(Role.COORDINATOR, username="matrix-inviter"),
        kind=InvitationKind.GUARDIAN,
        guardian=guardian,
        form_token=uuid.uuid4(),
    )
    return made.invitation


def _request(
    name: str, kind: str, child: Patient, guardian: Guardian
) -> tuple[str, dict[str, str]]:
    """The page's URL and, for a POST, what its form sends."""
    if kind == "patient":
        return reverse(name, args=[child.pk]), {}
    if kind == "invite-post":
        data = {
            "invitee": f"guardian:{guardian.pk}",
            "email": "",
            "language": "en",
            "form_token": str(uuid.uuid4()),
        }
        return reverse(name, args=[child.pk]), data
    if kind == "revoke-post":
        invitation = _invitation(child, guardian)
        return reverse(name, args=[child.pk, invitation.pk]), {}
    return reverse(name), {}


def _send(client: Client, kind: str, url: str, data: dict[str, str]) -> int:
    response = client.post(url, data) if kind.endswith("-post") else client.get(url)
    return response.status_code


def _expected(kind: str, allowed: frozenset[str], role: Role) -> int:
    if role not in allowed:
        return FORBIDDEN
    return REDIRECT if kind == "revoke-post" else OK


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
@pytest.mark.parametrize(
    ("page", "kind", "allowed"),
    STAFF_PAGES,
    ids=[p[0].replace(":", ".") for p in STAFF_PAGES],
)
def test_role_reaches_only_its_family_access_pages(
    role: Role,
    page: str,
    kind: str,
    allowed: frozenset[str],
    child: Patient,
    guardian: Guardian,
) -> None:
    url, data = _request(page, kind, child, guardian)
    client = sign_in(Client(), persona_for_role(role, child))
    before = Invitation.objects.count()

    status = _send(client, kind, url, data)

    assert status == _expected(kind, allowed, role)
    made = 1 if kind == "invite-post" and role in allowed else 0
    assert Invitation.objects.count() == before + made


@pytest.mark.parametrize(("page", "kind", "allowed"), STAFF_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(
    page: str,
    kind: str,
    allowed: frozenset[str],
    child: Patient,
    guardian: Guardian,
    client: Client,
) -> None:
    url, data = _request(page, kind, child, guardian)
    response = client.post(url, data) if kind.endswith("-post") else client.get(url)

    assert response.status_code == REDIRECT
    assert response["Location"].startswith(reverse("accounts:login"))


# Roles whose reach is the care team, on the pages their role opens.
OFF_TEAM = [
    (role, page, kind)
    for page, kind, allowed in STAFF_PAGES
    for role in (Role.SOCIAL_WORKER, Role.DIRECTOR)
    if role in allowed
]


@pytest.mark.parametrize(
    ("role", "page", "kind"), OFF_TEAM, ids=[f"{r}-{p}" for r, p, _k in OFF_TEAM]
)
def test_staff_off_the_care_team_get_the_404_of_a_missing_child(
    role: Role, page: str, kind: str, child: Patient, guardian: Guardian
) -> None:
    url, data = _request(page, kind, child, guardian)
    client = sign_in(Client(), StaffFactory(role=role))
    before = Invitation.objects.filter(revoked_at__isnull=True).count()

    assert _send(client, kind, url, data) == NOT_FOUND
    assert Invitation.objects.filter(revoked_at__isnull=True).count() == before


def test_a_missing_child_and_an_unseen_child_look_the_same(child: Patient) -> None:
    client = sign_in(Client(), StaffFactory(role=Role.SOCIAL_WORKER))

    refused = client.get(reverse("portal_staff:family_access", args=[child.pk]))
    missing = client.get(reverse("portal_staff:family_access", args=[child.pk + 999]))

    assert refused.status_code == missing.status_code == NOT_FOUND
    assert refused.content == missing.content


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_only_family_members_open_their_account_page(
    role: Role, child: Patient
) -> None:
    client = sign_in(Client(), persona_for_role(role, child))

    response = client.get(reverse("portal:account"))

    assert response.status_code == (OK if role in FAMILY else FORBIDDEN)


def test_the_join_pages_and_the_language_switch_are_open_to_visitors(
    client: Client,
) -> None:
    assert client.get(reverse("portal:join")).status_code == OK
    unknown = reverse("portal:join_code", args=["ABCD-EFGH-2345"])
    assert client.get(unknown).status_code == BAD
    switch = client.post(reverse("portal:language"), {"language": "es"})
    assert switch.status_code == REDIRECT


def test_every_portal_account_page_is_in_the_matrix(
    urlconf_names: Callable[[], set[str]],
) -> None:
    names = urlconf_names()
    staff_pages = {n for n in names if n.startswith("portal_staff:")}

    assert staff_pages == {p[0] for p in STAFF_PAGES}
    assert {"portal:account"} | PUBLIC <= names
