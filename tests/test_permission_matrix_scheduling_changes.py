"""The permission matrix of manual changes, absences, repairs and attendance.

As in the other matrices, one persona per role, and clinical personas sit on the
child's care team, so a refusal here is the role's, never the care team's. Every
clinical role opens a session's page (children they may not see are shown by
bed); only the coordinator changes the timetable, records absences and decides
repairs. Attendance is recorded by the session's own staff and the coordinator:
the personas here do not deliver the session, so only the coordinator gets
through. "-post" pages take only a POST and answer a success with a redirect.
"""

import datetime as dt
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import CLINICAL_ROLES, Role
from painrehab.common.testing import persona_for_role, sign_in
from painrehab.domain import timetable as tt
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import PatientFactory
from painrehab.referrals.tests import journey
from painrehab.scheduling.builder import Keys, range_fingerprint, sessions_to_domain
from painrehab.scheduling.choices import RunKind, RunStatus
from painrehab.scheduling.models import Session, SolveRun
from painrehab.scheduling.tests.factories import (
    absence,
    day_template,
    session,
    therapist,
    weekday_ahead,
)
from painrehab.scheduling.views import changes

pytestmark = pytest.mark.django_db

OK, REDIRECT, FORBIDDEN = 200, 302, 403
COORDINATOR = frozenset({Role.COORDINATOR})

# (page, the object in its URL, roles that get the page)
PAGES: list[tuple[str, str, frozenset[str]]] = [
    ("scheduling:session_detail", "session", CLINICAL_ROLES),
    ("scheduling:session_move", "move-post", COORDINATOR),
    ("scheduling:session_swap", "swap-post", COORDINATOR),
    ("scheduling:session_lock", "lock-post", COORDINATOR),
    ("scheduling:attendance", "attendance-post", COORDINATOR),
    ("scheduling:absence_list", "", COORDINATOR),
    ("scheduling:absence_new", "", COORDINATOR),
    ("scheduling:absence_cancel", "absence-post", COORDINATOR),
    ("scheduling:absence_repair", "absence-post", COORDINATOR),
    ("scheduling:repair", "repair", COORDINATOR),
    ("scheduling:repair_accept", "repair-post", COORDINATOR),
    ("scheduling:repair_discard", "repair-post", COORDINATOR),
]


@pytest.fixture
def child() -> Patient:
    return PatientFactory()  # type: ignore[no-any-return]


def _proposed(day: dt.date) -> SolveRun:
    """A repair proposing the day exactly as it is (accepting changes nothing)."""
    rows = Session.objects.filter(day=day).prefetch_related("staff", "attendees")
    solution = tt.Solution(status=tt.Status.FEASIBLE, sessions=sessions_to_domain(rows))
    return SolveRun.objects.create(
        kind=RunKind.REPAIR,
        status=RunStatus.PROPOSED,
        first_day=day,
        last_day=day,
        absence=absence(therapist(), day, journey.coordinator()),
        requested_by=journey.coordinator(),
        solution=tt.solution_to_json(solution),
        keys=Keys(fingerprint=range_fingerprint(day, day)).to_json(),
    )


def _request(name: str, kind: str, child: Patient) -> tuple[str, dict[str, object]]:
    """The page's URL and, for a POST, what its form sends."""
    if kind == "":
        return reverse(name), {}
    day_template()
    episode = journey.admitted(child)
    day = weekday_ahead()
    pt = therapist()
    row = session(episode, day=day, staff=pt)
    if kind == "session":
        return reverse(name, args=[row.pk]), {}
    if kind == "move-post":
        data = {"version": 1, "day": day.isoformat(), "start": "15:00", "staff": pt.pk}
        return reverse(name, args=[row.pk]), data
    if kind == "swap-post":
        other = session(journey.admitted(), day=day, start="14:00", staff=therapist())
        return reverse(name, args=[row.pk]), {"version": 1, "other": f"{other.pk}:1"}
    if kind == "lock-post":
        return reverse(name, args=[row.pk]), {"version": 1, "locked": "True"}
    if kind == "attendance-post":
        past = session(episode, day=day - dt.timedelta(days=14), staff=pt)
        data = {
            "attendee": past.attendees.get().pk,
            "version": 1,
            "status": "attended",
        }
        return reverse(name, args=[past.pk]), data
    if kind == "absence-post":
        away = absence(pt, day, journey.coordinator())
        return reverse(name, args=[away.pk]), {}
    run = _proposed(day)
    return reverse(name, args=[run.pk]), {"form_token": str(uuid.uuid4())}


def _expected(kind: str, allowed: frozenset[str], role: Role) -> int:
    if role not in allowed:
        return FORBIDDEN
    return REDIRECT if kind.endswith("-post") else OK


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
@pytest.mark.parametrize(
    ("page", "kind", "allowed"), PAGES, ids=[p[0].replace(":", ".") for p in PAGES]
)
def test_role_reaches_only_its_change_pages(
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


def test_every_change_page_is_in_the_matrix() -> None:
    mine = {f"scheduling:{p.name}" for p in changes.urlpatterns}
    assert mine == {p[0] for p in PAGES}
