"""The permission matrix of the team conference pages: every role, every page.

As in the other matrices, one persona per role, and clinical personas sit on the
child's care team, so a refusal here is the role's, never the care team's. The
child is an inpatient on today's conference (started); "-post" pages take only a
POST and answer with a redirect. Guardians and patients see no conference: the
family reads released summaries in the portal (``family_summaries_for``).
"""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import CLINICAL_ROLES, Role
from painrehab.careplans.choices import DecisionKind
from painrehab.careplans.services import conferences
from painrehab.careplans.tests.conference_support import item_of, planned, started
from painrehab.common.testing import persona_for_role, sign_in
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import PatientFactory
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db

OK, REDIRECT, FORBIDDEN = 200, 302, 403
LEAD = frozenset({Role.COORDINATOR, Role.PHYSICIAN})
PLANNER = frozenset({Role.COORDINATOR})

# (page, the object in its URL, roles that get the page)
PAGES: list[tuple[str, str, frozenset[str]]] = [
    ("careplans:conference_list", "", CLINICAL_ROLES),
    ("careplans:conference_new", "", PLANNER),
    ("careplans:conference_detail", "conference", CLINICAL_ROLES),
    ("careplans:conference_start", "planned-post", LEAD),
    ("careplans:conference_add_child", "addable-post", LEAD),
    ("careplans:conference_close", "conference", LEAD),
    ("careplans:conference_child", "item", CLINICAL_ROLES),
    ("careplans:conference_update", "item-post", CLINICAL_ROLES),
    ("careplans:conference_decide", "decide", CLINICAL_ROLES),
    ("careplans:conference_summary", "item-post", CLINICAL_ROLES),
    ("careplans:conference_summary_release", "summary-post", CLINICAL_ROLES),
]


@pytest.fixture
def child() -> Patient:
    return PatientFactory()  # type: ignore[no-any-return]


def _request(name: str, kind: str, child: Patient) -> tuple[str, dict[str, str]]:
    """The page's URL and, for a POST, what the form sends."""
    if kind == "":
        return reverse(name), {}
    if kind == "planned-post":
        journey.admitted(child, days_ago=2)
        return reverse(name, args=[planned().pk]), {}
    if kind == "addable-post":
        conference = started()  # before the child's admission
        episode = journey.admitted(child, days_ago=0)
        return reverse(name, args=[conference.pk]), {"episode": str(episode.pk)}
    episode = journey.admitted(child, days_ago=2)
    conference = started()
    if kind == "conference":
        return reverse(name, args=[conference.pk]), {}
    item = item_of(conference, episode)
    args: list[object] = [conference.pk, item.pk]
    if kind == "decide":
        return reverse(name, args=[*args, DecisionKind.CHANGE_PRESCRIPTION]), {}
    if kind == "summary-post":
        conferences.family_summary_save(
            item=item, by=journey.coordinator(), version=0, text="A good week."
        )
        return reverse(name, args=args), {"version": "1"}
    return reverse(name, args=args), {"version": "0", "text": "A good week."}


def _expected(kind: str, allowed: frozenset[str], role: Role) -> int:
    if role not in allowed:
        return FORBIDDEN
    return REDIRECT if kind.endswith("-post") else OK


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
@pytest.mark.parametrize(
    ("page", "kind", "allowed"), PAGES, ids=[p[0].replace(":", ".") for p in PAGES]
)
def test_role_reaches_only_its_conference_pages(
    role: Role, page: str, kind: str, allowed: frozenset[str], child: Patient
) -> None:
    url, data = _request(page, kind, child)
    client = sign_in(Client(), persona_for_role(role, child))
    response = client.post(url, data) if kind.endswith("-post") else client.get(url)
    assert response.status_code == _expected(kind, allowed, role)


@pytest.mark.parametrize(("page", "kind", "allowed"), PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(
    page: str, kind: str, allowed: frozenset[str], child: Patient, client: Client
) -> None:
    url, data = _request(page, kind, child)
    send = client.post if kind.endswith("-post") else client.get
    response = send(url, data)
    assert response.status_code == REDIRECT
    assert response["Location"].startswith(reverse("accounts:login"))


def test_every_conference_page_is_in_the_matrix(
    urlconf_names: Callable[[], set[str]],
) -> None:
    pages = {n for n in urlconf_names() if n.startswith("careplans:conference")}
    assert pages == {p[0] for p in PAGES}
