"""The permission matrix: for every role and every page, allowed or refused.

Each role gets one persona. Clinical personas sit on ``child``'s care team, so a
200 on the chart means the role may see charts of its own patients; the off-team
rows prove that membership, not the role alone, opens a chart.
"""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import CLINICAL_ROLES, STAFF_ROLES, Role
from painrehab.accounts.models import User
from painrehab.accounts.tests.factories import StaffFactory
from painrehab.common.testing import persona_for_role, sign_in
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import (
    PatientFactory,
)
from tests import test_permission_matrix_careplans as careplans_matrix
from tests import test_permission_matrix_conferences as conferences_matrix
from tests import test_permission_matrix_episodes as episodes_matrix
from tests import test_permission_matrix_homeprogram as homeprogram_matrix
from tests import test_permission_matrix_instruments_daily as instruments_daily_matrix
from tests import test_permission_matrix_instruments_fill as instruments_fill_matrix
from tests import test_permission_matrix_instruments_kiosk as instruments_kiosk_matrix
from tests import test_permission_matrix_messaging as messaging_matrix
from tests import test_permission_matrix_notes as notes_matrix
from tests import test_permission_matrix_outcomes as outcomes_matrix
from tests import test_permission_matrix_outcomes_reports as outcomes_reports_matrix
from tests import (
    test_permission_matrix_outcomes_trajectory as outcomes_trajectory_matrix,
)
from tests import test_permission_matrix_portal_accounts as portal_accounts_matrix
from tests import test_permission_matrix_portal_core as portal_core_matrix
from tests import test_permission_matrix_portal_day as portal_day_matrix
from tests import test_permission_matrix_portal_messages as portal_messages_matrix
from tests import test_permission_matrix_portal_progress as portal_progress_matrix
from tests import (
    test_permission_matrix_portal_questionnaires as portal_questionnaires_matrix,
)
from tests import test_permission_matrix_referrals as referrals_matrix
from tests import test_permission_matrix_scheduling_boards as scheduling_boards_matrix
from tests import test_permission_matrix_scheduling_changes as scheduling_changes_matrix
from tests import test_permission_matrix_scheduling_feeds as scheduling_feeds_matrix
from tests import test_permission_matrix_scheduling_runs as scheduling_runs_matrix
from tests import test_permission_matrix_scheduling_setup as scheduling_setup_matrix

pytestmark = pytest.mark.django_db

OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404
PRIVACY = frozenset({Role.PRIVACY_OFFICER})
SYSADMIN = frozenset({Role.SYSADMIN})


def _expected(allowed: frozenset[str], role: Role) -> int:
    return OK if role in allowed else FORBIDDEN


# (page, args, roles allowed): every page built so far.
PAGES: list[tuple[str, str, frozenset[str]]] = [
    ("patients:patient_list", "", CLINICAL_ROLES),
    ("patients:patient_detail", "child", CLINICAL_ROLES),
    ("audit:event_list", "", PRIVACY),
    ("audit:event_export", "", PRIVACY),
    ("admin:index", "", SYSADMIN),
    ("admin:accounts_user_changelist", "", SYSADMIN),
]


@pytest.fixture
def child() -> Patient:
    return PatientFactory()  # type: ignore[no-any-return]


def _url(name: str, arg: str, child: Patient) -> str:
    return reverse(name, args=[child.pk] if arg == "child" else [])


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
@pytest.mark.parametrize(
    ("page", "arg", "allowed"), PAGES, ids=[p[0].replace(":", ".") for p in PAGES]
)
def test_role_reaches_only_its_pages(
    role: Role, page: str, arg: str, allowed: frozenset[str], child: Patient
) -> None:
    client = sign_in(Client(), persona_for_role(role, child))
    response = client.get(_url(page, arg, child))
    assert response.status_code == _expected(allowed, role)


@pytest.mark.parametrize(("page", "arg", "allowed"), PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(
    page: str, arg: str, allowed: frozenset[str], child: Patient, client: Client
) -> None:
    response = client.get(_url(page, arg, child))
    assert response.status_code == REDIRECT
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    "role",
    sorted(CLINICAL_ROLES - {Role.COORDINATOR}),
)
def test_clinicians_off_the_care_team_get_the_same_404_as_a_missing_chart(
    role: Role, child: Patient
) -> None:
    client = sign_in(Client(), StaffFactory(role=role))
    refused = client.get(reverse("patients:patient_detail", args=[child.pk]))
    missing = client.get(reverse("patients:patient_detail", args=[child.pk + 999]))
    assert refused.status_code == missing.status_code == NOT_FOUND
    assert refused.content == missing.content


@pytest.mark.parametrize("role", sorted(STAFF_ROLES), ids=str)
def test_staff_without_the_second_factor_reach_no_staff_page(role: Role) -> None:
    user: User = StaffFactory(role=role)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    for page, _arg, allowed in PAGES:
        if role in allowed and "child" not in _arg:
            assert client.get(reverse(page)).status_code in (FORBIDDEN, REDIRECT)


def test_every_page_is_in_the_matrix(urlconf_names: Callable[[], set[str]]) -> None:
    public = {"accounts:login", "accounts:verify", "accounts:enrol", "common:healthz"}
    public |= scheduling_feeds_matrix.PUBLIC
    public |= portal_accounts_matrix.PUBLIC
    signed_in_only = {
        "accounts:home",
        "accounts:recovery_codes",
        "accounts:logout",
        "accounts:keepalive",
    }
    every_matrix = (
        PAGES,
        episodes_matrix.PAGES,
        referrals_matrix.PAGES,
        instruments_daily_matrix.PAGES,
        instruments_fill_matrix.PAGES,
        instruments_kiosk_matrix.PAGES,
        messaging_matrix.PAGES,
        notes_matrix.PAGES,
        careplans_matrix.PAGES,
        conferences_matrix.PAGES,
        scheduling_boards_matrix.PAGES,
        scheduling_runs_matrix.PAGES,
        scheduling_changes_matrix.PAGES,
        scheduling_feeds_matrix.PAGES,
        scheduling_setup_matrix.PAGES,
        homeprogram_matrix.PAGES,
        portal_accounts_matrix.PAGES,
        portal_core_matrix.PAGES,
        portal_day_matrix.PAGES,
        portal_messages_matrix.PAGES,
        portal_progress_matrix.PAGES,
        portal_questionnaires_matrix.PAGES,
        outcomes_matrix.PAGES,
        outcomes_reports_matrix.PAGES,
        outcomes_trajectory_matrix.PAGES,
    )
    covered = {p[0] for pages in every_matrix for p in pages} | public | signed_in_only
    assert {n for n in urlconf_names() if not n.startswith("admin:")} <= covered
