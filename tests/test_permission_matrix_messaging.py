"""The permission matrix of the team message pages: every role, every page.

As in ``test_permission_matrix_instruments_fill``: one persona per role, and
clinical personas sit on the child's care team, so a refusal here is the role's,
never the care team's. Families never see team messages, not even about their own
child; oversight roles (privacy officer, system administrator) read no charts.
"""

import uuid
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import CLINICAL_ROLES, Role
from painrehab.accounts.tests.factories import StaffFactory
from painrehab.common.testing import persona_for_role, sign_in
from painrehab.messaging.models import Message, Thread
from painrehab.messaging.tests.support import opened, start
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import PatientFactory
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db

OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404

# (page, kind of argument, roles allowed): each page opened with GET.
PAGES: list[tuple[str, str, frozenset[str]]] = [
    ("messaging:inbox", "", CLINICAL_ROLES),
    ("messaging:patient_threads", "patient", CLINICAL_ROLES),
    ("messaging:thread_new", "patient", CLINICAL_ROLES),
    ("messaging:thread", "thread", CLINICAL_ROLES),
]
# Pages that also take a POST (a reply, a new thread), which redirects when allowed.
POSTS: list[tuple[str, str, frozenset[str]]] = [
    ("messaging:thread_new", "patient", CLINICAL_ROLES),
    ("messaging:thread", "thread", CLINICAL_ROLES),
]


@pytest.fixture
def child() -> Patient:
    return PatientFactory()  # type: ignore[no-any-return]


@pytest.fixture
def thread(child: Patient) -> Thread:
    return start(opened(child), journey.coordinator())


def _url(name: str, kind: str, child: Patient, thread: Thread) -> str:
    if kind == "patient":
        return reverse(name, args=[child.pk])
    if kind == "thread":
        return reverse(name, args=[thread.pk])
    return reverse(name)


def _form() -> dict[str, str]:
    return {
        "subject": "Matrix",
        "body": "A short note.",
        "form_token": str(uuid.uuid4()),
    }


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
@pytest.mark.parametrize(
    ("page", "kind", "allowed"), PAGES, ids=[p[0].replace(":", ".") for p in PAGES]
)
def test_role_reaches_only_its_messaging_pages(
    role: Role,
    page: str,
    kind: str,
    allowed: frozenset[str],
    child: Patient,
    thread: Thread,
) -> None:
    client = sign_in(Client(), persona_for_role(role, child))

    response = client.get(_url(page, kind, child, thread))

    assert response.status_code == (OK if role in allowed else FORBIDDEN)


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
@pytest.mark.parametrize(
    ("page", "kind", "allowed"), POSTS, ids=[p[0].replace(":", ".") for p in POSTS]
)
def test_role_posts_only_where_allowed(
    role: Role,
    page: str,
    kind: str,
    allowed: frozenset[str],
    child: Patient,
    thread: Thread,
) -> None:
    client = sign_in(Client(), persona_for_role(role, child))
    before = Message.objects.count()

    response = client.post(_url(page, kind, child, thread), _form())

    assert response.status_code == (REDIRECT if role in allowed else FORBIDDEN)
    assert Message.objects.count() == before + (1 if role in allowed else 0)


@pytest.mark.parametrize(("page", "kind", "allowed"), PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(
    page: str,
    kind: str,
    allowed: frozenset[str],
    child: Patient,
    thread: Thread,
    client: Client,
) -> None:
    response = client.get(_url(page, kind, child, thread))

    assert response.status_code == REDIRECT
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", sorted(CLINICAL_ROLES - {Role.COORDINATOR}))
@pytest.mark.parametrize(
    ("page", "kind"), [(p, k) for p, k, _a in PAGES if k], ids=lambda v: str(v)
)
def test_clinicians_off_the_care_team_get_404(
    role: Role, page: str, kind: str, child: Patient, thread: Thread
) -> None:
    client = sign_in(Client(), StaffFactory(role=role))

    assert client.get(_url(page, kind, child, thread)).status_code == NOT_FOUND


def test_every_messaging_page_is_in_the_matrix(
    urlconf_names: Callable[[], set[str]],
) -> None:
    pages = {
        n
        for n in urlconf_names()
        if n.startswith("messaging:") and not n.startswith("messaging:family_")
    }

    assert pages == {p[0] for p in PAGES}
