"""The permission matrix of the notes pages: every page and every role.

As in ``test_permission_matrix_instruments_fill``: one persona per role, clinical
personas on the child's care team, so a refusal is the role's, never the team's.
Pages that act on "your own" note (sign an addendum, mark confidential, discard a
draft, co-sign your trainee's note, open your group or psychotherapy note) are
given one the persona wrote or supervises when the role may write notes at all.

Roles outside a page's list get 403, except the psychotherapy note itself, which
answers every other signed-in person with the same 404 as a missing page (PN-1).
"""

import uuid
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import CLINICAL_ROLES, Role
from painrehab.accounts.models import User
from painrehab.common.testing import persona_for_role, sign_in
from painrehab.notes import groups
from painrehab.notes.choices import (
    NOTE_WRITER_ROLES,
    PSYCHOTHERAPY_NOTE_ROLES,
    ConfidentialityReason,
)
from painrehab.notes.templates_catalog import GROUP_LEADER_ROLES
from painrehab.notes.tests.support import (
    born_years_ago,
    clinician,
    draft,
    psychotherapy_note,
    signed,
    today,
)
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import PatientFactory
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db

OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404

# (page, kind of argument, roles allowed). "-post" pages take only a POST, which
# answers with a redirect; "-404" pages refuse everyone else with the missing page.
PAGES: list[tuple[str, str, frozenset[str]]] = [
    ("notes:note_list", "patient", CLINICAL_ROLES),
    ("notes:note_new", "patient", NOTE_WRITER_ROLES),
    ("notes:note_detail", "note", CLINICAL_ROLES),
    ("notes:note_addendum", "own-signed-post", NOTE_WRITER_ROLES),
    ("notes:note_confidentiality", "own-signed-post", NOTE_WRITER_ROLES),
    ("notes:note_discard", "own-draft-post", NOTE_WRITER_ROLES),
    ("notes:note_cosign", "supervised-post", NOTE_WRITER_ROLES),
    ("notes:my_notes", "", NOTE_WRITER_ROLES),
    ("notes:group_new", "", GROUP_LEADER_ROLES),
    ("notes:group_detail", "own-group", GROUP_LEADER_ROLES),
    ("notes:pn_list", "", PSYCHOTHERAPY_NOTE_ROLES),
    ("notes:pn_new", "", PSYCHOTHERAPY_NOTE_ROLES),
    ("notes:pn_detail", "own-pn-404", PSYCHOTHERAPY_NOTE_ROLES),
]
POSTED = {
    "text": "Pain score was 4, not 7.",
    "reason": "Correction",
    "confidential": "on",
}


@pytest.fixture
def child() -> Patient:
    # Fixed names: a random one (e.g. "Day") could occur in the group text below.
    return PatientFactory(  # type: ignore[no-any-return]
        date_of_birth=born_years_ago(14), given_name="Robin", family_name="Quill"
    )


def _writer(persona: User, allowed: frozenset[str], child: Patient) -> User:
    """The persona when its role may use the page, else a colleague who may."""
    if persona.role in allowed:
        return persona
    role = Role.PSYCHOLOGIST if Role.PSYCHOLOGIST in allowed else Role.NURSE
    return clinician(role, child)


def _object_id(kind: str, author: User, child: Patient) -> int:
    journey.referred(child)
    if kind == "note":
        return signed(child, clinician(Role.PHYSICAL_THERAPIST, child)).pk
    if kind.startswith("own-signed"):
        return signed(child, author).pk
    if kind.startswith("own-draft"):
        return draft(child, author).pk
    if kind.startswith("supervised"):
        trainee = clinician(Role.NURSE, child, trainee=True, supervisor=author)
        return signed(child, trainee).pk
    if kind.startswith("own-group"):
        return groups.group_session_create(
            leader=author,
            service_date=today(),
            topic="Pacing group",
            group_content="Planning the day in blocks.",
            patients=[child],
            form_token=uuid.uuid4(),
        ).pk
    return psychotherapy_note(child, author, "Session notes.").pk


def _url(
    name: str, kind: str, persona: User, allowed: frozenset[str], child: Patient
) -> str:
    if kind == "patient":
        return reverse(name, args=[child.pk])
    if not kind:
        return reverse(name)
    author = _writer(persona, allowed, child)
    return reverse(name, args=[_object_id(kind, author, child)])


def _expected(kind: str, allowed: frozenset[str], role: Role) -> int:
    if role not in allowed:
        return NOT_FOUND if kind.endswith("-404") else FORBIDDEN
    return REDIRECT if kind.endswith("-post") else OK


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
@pytest.mark.parametrize(
    ("page", "kind", "allowed"), PAGES, ids=[p[0].replace(":", ".") for p in PAGES]
)
def test_role_reaches_only_its_notes_pages(
    role: Role, page: str, kind: str, allowed: frozenset[str], child: Patient
) -> None:
    persona = persona_for_role(role, child)
    url = _url(page, kind, persona, allowed, child)
    client = sign_in(Client(), persona)
    if kind.endswith("-post"):
        data = {
            **POSTED,
            "reason": ConfidentialityReason.TEEN_REQUEST
            if "confidentiality" in page
            else POSTED["reason"],
            "form_token": str(uuid.uuid4()),
        }
        response = client.post(url, data)
    else:
        response = client.get(url)
    assert response.status_code == _expected(kind, allowed, role)


@pytest.mark.parametrize(("page", "kind", "allowed"), PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(
    page: str, kind: str, allowed: frozenset[str], child: Patient, client: Client
) -> None:
    author = clinician(Role.PSYCHOLOGIST, child)
    url = _url(page, kind, author, allowed | {Role.PSYCHOLOGIST}, child)
    send = client.post if kind.endswith("-post") else client.get
    response = send(url)
    assert response.status_code == REDIRECT
    assert response["Location"].startswith(reverse("accounts:login"))


def test_every_notes_page_is_in_the_matrix(
    urlconf_names: Callable[[], set[str]],
) -> None:
    pages = {n for n in urlconf_names() if n.startswith("notes:")}
    assert pages == {p[0] for p in PAGES}
