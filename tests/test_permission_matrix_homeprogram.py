"""The permission matrix of the home exercise programme: every role, every page.

As in ``test_permission_matrix_messaging``: one persona per role, and clinical
personas sit on the child's care team, so a refusal here is the role's, never the
care team's. Every clinician on the team reads the chart tab; only physical and
occupational therapists add, change and stop exercises. The family's pages (the
portal rows, allowed to no staff role) are walked by the portal's own tests and
by painrehab/portal/tests/test_exercises.py.
"""

import uuid
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from painrehab.accounts.choices import CLINICAL_ROLES, Role
from painrehab.accounts.tests.factories import StaffFactory
from painrehab.common.testing import persona_for_role, sign_in
from painrehab.episodes.services import episode_open
from painrehab.homeprogram import services
from painrehab.homeprogram.models import HomeExercise
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import CareTeamMemberFactory, PatientFactory
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db

OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404
THERAPISTS = frozenset({Role.PHYSICAL_THERAPIST, Role.OCCUPATIONAL_THERAPIST})

# (page, kind of argument, roles allowed).
PAGES: list[tuple[str, str, frozenset[str]]] = [
    ("homeprogram:exercise_list", "patient", CLINICAL_ROLES),
    ("homeprogram:exercise_edit", "exercise", THERAPISTS),
    ("homeprogram:exercise_stop", "exercise", THERAPISTS),
    ("portal:exercises", "child", frozenset()),
    ("portal:exercise_tick", "child", frozenset()),
]
# Staff pages opened with GET.
GETS = [
    p
    for p in PAGES
    if p[0] in {"homeprogram:exercise_list", "homeprogram:exercise_edit"}
]
# Staff pages that take a POST (add, change, stop), which redirects when allowed.
POSTS = [p for p in PAGES if p[0].startswith("homeprogram:")]


@pytest.fixture
def child() -> Patient:
    patient: Patient = PatientFactory()
    episode_open(
        patient=patient, opened_on=timezone.localdate(), by=journey.coordinator()
    )
    return patient


@pytest.fixture
def exercise(child: Patient) -> HomeExercise:
    assigner = StaffFactory(role=Role.PHYSICAL_THERAPIST, username="matrix-assigner")
    CareTeamMemberFactory(patient=child, member=assigner)
    return services.exercise_assign(
        patient=child,
        by=assigner,
        fields=services.ExerciseFields(
            title="Stairs",
            instructions="Up and down, holding the rail.",
            repetitions="10 times",
            times_per_day=2,
            days_per_week=7,
            starts_on=timezone.localdate(),
        ),
        form_token=uuid.uuid4(),
    )


def _url(name: str, kind: str, child: Patient, exercise: HomeExercise) -> str:
    if kind == "exercise":
        return reverse(name, args=[child.pk, exercise.pk])
    return reverse(name, args=[child.pk])


def _form(name: str) -> dict[str, str]:
    if name == "homeprogram:exercise_stop":
        return {"version": "1"}
    data = {
        "title": "Walking",
        "instructions": "Walk to the corner and back.",
        "repetitions": "15 minutes",
        "times_per_day": "1",
        "days_per_week": "7",
        "starts_on": str(timezone.localdate()),
    }
    if name == "homeprogram:exercise_edit":
        return {**data, "version": "1"}
    return {**data, "form_token": str(uuid.uuid4())}


def _written(name: str, exercise: HomeExercise) -> bool:
    """Whether the POST to ``name`` changed anything."""
    exercise.refresh_from_db()
    if name == "homeprogram:exercise_list":
        return HomeExercise.objects.count() == 2
    return exercise.version == 2


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
@pytest.mark.parametrize(
    ("page", "kind", "allowed"), GETS, ids=[p[0].replace(":", ".") for p in GETS]
)
def test_role_reaches_only_its_home_programme_pages(
    role: Role,
    page: str,
    kind: str,
    allowed: frozenset[str],
    child: Patient,
    exercise: HomeExercise,
) -> None:
    client = sign_in(Client(), persona_for_role(role, child))

    response = client.get(_url(page, kind, child, exercise))

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
    exercise: HomeExercise,
) -> None:
    client = sign_in(Client(), persona_for_role(role, child))
    # Adding is for the therapists; the others' refusal is the role's (403).
    expected_allowed = THERAPISTS if page == "homeprogram:exercise_list" else allowed

    response = client.post(_url(page, kind, child, exercise), _form(page))

    assert response.status_code == (REDIRECT if role in expected_allowed else FORBIDDEN)
    assert _written(page, exercise) == (role in expected_allowed)


@pytest.mark.parametrize(
    ("page", "kind", "allowed"), POSTS, ids=[p[0].replace(":", ".") for p in POSTS]
)
def test_anonymous_visitors_are_sent_to_sign_in(
    page: str,
    kind: str,
    allowed: frozenset[str],
    child: Patient,
    exercise: HomeExercise,
    client: Client,
) -> None:
    url = _url(page, kind, child, exercise)

    response = (
        client.post(url, _form(page)) if page.endswith("stop") else client.get(url)
    )

    assert response.status_code == REDIRECT
    assert response["Location"].startswith(reverse("accounts:login"))


# Every clinician a page lets in, off the child's care team (the coordinator sees
# every child, so has no "off the team").
OFF_TEAM = [
    (role, page, kind)
    for page, kind, allowed in POSTS
    for role in sorted((allowed & CLINICAL_ROLES) - {Role.COORDINATOR})
]


@pytest.mark.parametrize(
    ("role", "page", "kind"), OFF_TEAM, ids=[f"{p}-{r}" for r, p, _k in OFF_TEAM]
)
def test_clinicians_off_the_care_team_get_404(
    role: Role, page: str, kind: str, child: Patient, exercise: HomeExercise
) -> None:
    client = sign_in(Client(), StaffFactory(role=role))
    url = _url(page, kind, child, exercise)

    response = (
        client.post(url, _form(page)) if page.endswith("stop") else client.get(url)
    )

    assert response.status_code == NOT_FOUND
    assert _written(page, exercise) is False


def test_every_home_programme_page_is_in_the_matrix(
    urlconf_names: Callable[[], set[str]],
) -> None:
    pages = {n for n in urlconf_names() if n.startswith("homeprogram:")}
    pages |= {"portal:exercises", "portal:exercise_tick"}

    assert pages == {p[0] for p in PAGES}
