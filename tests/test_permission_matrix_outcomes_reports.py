"""The permission matrix of reports: every role, every page.

As in ``test_permission_matrix_homeprogram``: one persona per role, and clinical
personas sit on the child's care team, so a refusal here is the role's, never the
care team's. Every clinician on the team lists and downloads the stored reports;
each kind of report is made only by its roles (docs/reports.md). The child is
discharged, so every kind can be made.
"""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import CLINICAL_ROLES, Role
from painrehab.accounts.tests.factories import StaffFactory
from painrehab.common.testing import persona_for_role, sign_in
from painrehab.outcomes.choices import ReportKind
from painrehab.outcomes.models import GeneratedReport
from painrehab.outcomes.reports import MAY_GENERATE
from painrehab.outcomes.tests.reports_support import stored_row
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import PatientFactory
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db

OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404

# (page, kind of argument, roles allowed). "kind:<report kind>" is the create page
# of that kind.
PAGES: list[tuple[str, str, frozenset[str]]] = [
    ("outcomes:report_list", "patient", CLINICAL_ROLES),
    (
        "outcomes:report_create",
        f"kind:{ReportKind.DISCHARGE_SUMMARY}",
        MAY_GENERATE[ReportKind.DISCHARGE_SUMMARY],
    ),
    (
        "outcomes:report_create",
        f"kind:{ReportKind.SCHOOL_LETTER}",
        MAY_GENERATE[ReportKind.SCHOOL_LETTER],
    ),
    (
        "outcomes:report_create",
        f"kind:{ReportKind.FAMILY_PROGRESS}",
        MAY_GENERATE[ReportKind.FAMILY_PROGRESS],
    ),
    ("outcomes:report_download", "report", CLINICAL_ROLES),
]


@pytest.fixture
def child() -> Patient:
    patient: Patient = PatientFactory()
    journey.discharged(patient)
    return patient


@pytest.fixture
def report(child: Patient) -> GeneratedReport:
    episode = child.episodes.get()
    row: GeneratedReport = stored_row(episode, journey.coordinator())
    return row


def _url(name: str, kind: str, child: Patient, report: GeneratedReport) -> str:
    if kind == "report":
        return reverse(name, args=[child.pk, report.pk])
    if kind.startswith("kind:"):
        return reverse(name, args=[child.pk, kind.removeprefix("kind:")])
    return reverse(name, args=[child.pk])


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_role_reaches_only_its_report_pages(
    role: Role, child: Patient, report: GeneratedReport
) -> None:
    client = sign_in(Client(), persona_for_role(role, child))

    reached = {
        (page, kind): client.get(_url(page, kind, child, report)).status_code
        for page, kind, _allowed in PAGES
    }

    assert reached == {
        (page, kind): OK if role in allowed else FORBIDDEN
        for page, kind, allowed in PAGES
    }


@pytest.mark.parametrize(
    ("page", "kind", "allowed"), PAGES, ids=[f"{p[0]}-{p[1]}" for p in PAGES]
)
def test_anonymous_visitors_are_sent_to_sign_in(
    page: str,
    kind: str,
    allowed: frozenset[str],
    child: Patient,
    report: GeneratedReport,
    client: Client,
) -> None:
    response = client.get(_url(page, kind, child, report))

    assert response.status_code == REDIRECT
    assert response["Location"].startswith(reverse("accounts:login"))


# Every clinician a page lets in, off the child's care team (the coordinator sees
# every child, so has no "off the team").
OFF_TEAM = sorted(
    {role for _p, _k, allowed in PAGES for role in allowed} - {Role.COORDINATOR}
)


@pytest.mark.parametrize("role", OFF_TEAM)
def test_clinicians_off_the_care_team_get_the_404_of_a_missing_chart(
    role: Role, child: Patient, report: GeneratedReport
) -> None:
    client = sign_in(Client(), StaffFactory(role=role))

    for page, kind, allowed in PAGES:
        if role not in allowed:
            continue
        refused = client.get(_url(page, kind, child, report))
        missing = client.get(
            _url(page, kind, child, report).replace(
                f"/patients/{child.pk}/", f"/patients/{child.pk + 999}/"
            )
        )
        assert refused.status_code == missing.status_code == NOT_FOUND, page
        assert refused.content == missing.content


def test_every_report_page_is_in_the_matrix(
    urlconf_names: Callable[[], set[str]],
) -> None:
    pages = {n for n in urlconf_names() if n.startswith("outcomes:report")}

    assert pages == {p[0] for p in PAGES}
    assert {p[1] for p in PAGES if p[1].startswith("kind:")} == {
        f"kind:{kind}" for kind in ReportKind
    }
