"""The permission matrix of messages between families and the team.

Staff pages (the family inbox, a child's "Family messages" tab, one conversation):
one persona per role, clinical personas on the child's care team, so a refusal here
is the role's, never the care team's. Families reach none of them, not even about
their own child; oversight roles read no charts.

Portal pages (``frozenset()``: no staff role): every staff role is refused; a
guardian of the child and the child's own teen account reach them. The portal's
other refusals (another family, the teen's private conversation) are in
painrehab/portal/tests/test_messages.py.
"""

import uuid
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import CLINICAL_ROLES, STAFF_ROLES, Role
from painrehab.accounts.tests.factories import StaffFactory
from painrehab.common.testing import persona_for_role, sign_in
from painrehab.messaging.models import FamilyMessage, FamilyThread
from painrehab.messaging.services_family import family_thread_start
from painrehab.patients.models import Patient
from painrehab.portal.tests.support import Family, family

pytestmark = pytest.mark.django_db

OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404

# (page, kind of argument, roles allowed): each page opened with GET.
PAGES: list[tuple[str, str, frozenset[str]]] = [
    ("messaging:family_inbox", "", CLINICAL_ROLES),
    ("messaging:family_threads", "patient", CLINICAL_ROLES),
    ("messaging:family_thread", "thread", CLINICAL_ROLES),
    ("portal:messages", "child", frozenset()),
    ("portal:message_new", "child", frozenset()),
    ("portal:thread", "child", frozenset()),
]
STAFF_PAGES = [p for p in PAGES if p[0].startswith("messaging:")]
PORTAL_PAGES = [p for p in PAGES if p[0].startswith("portal:")]


@pytest.fixture
def fam() -> Family:
    return family(
        age=14,
        name="Matrix",
        surname="Matrixfamily",
        parent="Maude",
        teen_account=True,
        stage="referred",
    )


@pytest.fixture
def child(fam: Family) -> Patient:
    return fam.child


@pytest.fixture
def thread(fam: Family) -> FamilyThread:
    return family_thread_start(
        patient=fam.child,
        author=fam.guardian_user,
        subject="Visiting",
        body="Can we visit on Sunday?",
        form_token=uuid.uuid4(),
    )


def _url(name: str, kind: str, child: Patient, thread: FamilyThread) -> str:
    if kind == "patient":
        return reverse(name, args=[child.pk])
    if kind == "thread":
        return reverse(name, args=[thread.pk])
    if kind == "child" and name == "portal:thread":
        return reverse(name, args=[child.pk, thread.pk])
    if kind == "child":
        return reverse(name, args=[child.pk])
    return reverse(name)


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
@pytest.mark.parametrize(
    ("page", "kind", "allowed"),
    STAFF_PAGES,
    ids=[p[0].replace(":", ".") for p in STAFF_PAGES],
)
def test_role_reaches_only_its_family_message_pages(
    role: Role,
    page: str,
    kind: str,
    allowed: frozenset[str],
    child: Patient,
    thread: FamilyThread,
) -> None:
    client = sign_in(Client(), persona_for_role(role, child))

    response = client.get(_url(page, kind, child, thread))

    assert response.status_code == (OK if role in allowed else FORBIDDEN)


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_role_replies_to_a_family_only_where_allowed(
    role: Role, child: Patient, thread: FamilyThread
) -> None:
    client = sign_in(Client(), persona_for_role(role, child))
    before = FamilyMessage.objects.count()

    response = client.post(
        reverse("messaging:family_thread", args=[thread.pk]),
        {"body": "A short answer.", "form_token": str(uuid.uuid4())},
    )

    allowed = role in CLINICAL_ROLES
    assert response.status_code == (REDIRECT if allowed else FORBIDDEN)
    assert FamilyMessage.objects.count() == before + (1 if allowed else 0)


@pytest.mark.parametrize("role", sorted(STAFF_ROLES), ids=str)
@pytest.mark.parametrize(
    ("page", "kind", "allowed"),
    PORTAL_PAGES,
    ids=[p[0].replace(":", ".") for p in PORTAL_PAGES],
)
def test_no_staff_role_reaches_the_portal_message_pages(
    role: Role,
    page: str,
    kind: str,
    allowed: frozenset[str],
    child: Patient,
    thread: FamilyThread,
) -> None:
    client = sign_in(Client(), persona_for_role(role, child))

    response = client.get(_url(page, kind, child, thread))

    assert response.status_code == (OK if role in allowed else FORBIDDEN)


@pytest.mark.parametrize(
    ("page", "kind", "allowed"),
    PORTAL_PAGES,
    ids=[p[0].replace(":", ".") for p in PORTAL_PAGES],
)
def test_the_childs_guardian_and_the_teen_reach_the_portal_message_pages(
    page: str,
    kind: str,
    allowed: frozenset[str],
    fam: Family,
    thread: FamilyThread,
) -> None:
    url = _url(page, kind, fam.child, thread)

    assert fam.guardian_client().get(url).status_code == OK
    assert fam.teen_client().get(url).status_code == OK


@pytest.mark.parametrize(("page", "kind", "allowed"), PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(
    page: str,
    kind: str,
    allowed: frozenset[str],
    child: Patient,
    thread: FamilyThread,
    client: Client,
) -> None:
    response = client.get(_url(page, kind, child, thread))

    assert response.status_code == REDIRECT
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", sorted(CLINICAL_ROLES - {Role.COORDINATOR}))
@pytest.mark.parametrize(
    ("page", "kind"), [(p, k) for p, k, _a in STAFF_PAGES if k], ids=lambda v: str(v)
)
def test_clinicians_off_the_care_team_get_404(
    role: Role, page: str, kind: str, child: Patient, thread: FamilyThread
) -> None:
    client = sign_in(Client(), StaffFactory(role=role))

    assert client.get(_url(page, kind, child, thread)).status_code == NOT_FOUND


def test_the_matrix_names_every_family_message_page(
    urlconf_names: Callable[[], set[str]],
) -> None:
    family_pages = {
        n
        for n in urlconf_names()
        if n.startswith("messaging:family_")
        or n in {"portal:messages", "portal:message_new", "portal:thread"}
    }

    assert family_pages == {p[0] for p in PAGES}
