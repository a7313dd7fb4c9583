"""The chart's "Reports" tab: listing, making (preview, errors, double clicks),
downloading, and who may do which."""

import hashlib
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from painrehab.accounts.choices import Role
from painrehab.accounts.tests.factories import StaffFactory
from painrehab.audit.actions import AuditAction
from painrehab.audit.models import AuditEvent
from painrehab.common.testing import sign_in
from painrehab.outcomes import reports
from painrehab.outcomes.choices import ReportKind
from painrehab.outcomes.models import GeneratedReport
from painrehab.outcomes.tests import reports_support as support
from painrehab.patients.choices import TeamRole
from painrehab.patients.tests.factories import PatientFactory
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db


@pytest.fixture
def built() -> support.Stay:
    return support.stay(scores=False, canaries=False)


def _list(built: support.Stay) -> str:
    return reverse("outcomes:report_list", args=[built.child.pk])


def _create(built: support.Stay, kind: str) -> str:
    return reverse("outcomes:report_create", args=[built.child.pk, kind])


def _download(patient_id: int, report_id: int) -> str:
    return reverse("outcomes:report_download", args=[patient_id, report_id])


def _events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def _summary_form(**changes: str) -> dict[str, str]:
    data = {
        "recipient": "Dr. Synthetic Referrer, Valley Children's Clinic",
        "recipient_address": "referrer@example.org",
        "purpose": "Continuity of care",
        "form_token": str(uuid.uuid4()),
        "action": "generate",
    }
    return {**data, **changes}


def _letter_form(built: support.Stay, **changes: str) -> dict[str, str]:
    data = {
        "recipient": "Lincoln Middle School",
        "recipient_address": "",
        "purpose": "School re-entry",
        "accommodations": "A quiet place to rest.",
        "return_plan": "Half days in week one.",
        "contact": str(built.teacher.pk),
        "diagnosis_wording": "",
        "form_token": str(uuid.uuid4()),
        "action": "generate",
    }
    return {**data, **changes}


def test_the_tab_lists_stored_reports_with_their_digest_and_what_may_be_made(
    built: support.Stay,
) -> None:
    row = support.stored_row(built.episode, built.coordinator)
    client = sign_in(Client(), built.physician)

    response = client.get(_list(built))

    page = response.content.decode()
    assert response.status_code == 200
    assert row.sha256 in page
    assert _download(built.child.pk, row.pk) in page
    assert "Dr. Synthetic Referrer" in page and "Continuity of care" in page
    assert _create(built, ReportKind.DISCHARGE_SUMMARY) in page
    assert _create(built, ReportKind.FAMILY_PROGRESS) in page
    assert _create(built, ReportKind.SCHOOL_LETTER) not in page
    event = AuditEvent.objects.get(action=AuditAction.REPORTS_LISTED)
    assert event.patient_id == built.child.pk and event.changes == {"reports": [row.pk]}


def test_the_list_takes_the_same_queries_for_two_reports_as_for_eight(
    built: support.Stay,
) -> None:
    client = sign_in(Client(), built.physician)
    for _ in range(2):
        support.stored_row(built.episode, built.coordinator)
    client.get(_list(built))  # warm the session and the chart tabs
    with CaptureQueriesContext(connection) as two:
        client.get(_list(built))
    for _ in range(6):
        support.stored_row(built.episode, built.coordinator)
    with CaptureQueriesContext(connection) as eight:
        response = client.get(_list(built))

    assert response.content.decode().count('<code class="digest">') == 8
    assert len(eight) == len(two)


def test_the_create_page_shows_the_defaults_and_the_preview(
    built: support.Stay,
) -> None:
    client = sign_in(Client(), built.coordinator)

    response = client.get(_create(built, ReportKind.DISCHARGE_SUMMARY))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Dr. Synthetic Referrer, Valley Children&#x27;s Clinic"' in page
    assert 'value="Continuity of care"' in page
    assert "Preview, as it will be printed" in page
    assert "Preview: not sent" in page
    assert support.SCHOOL_PLAN in page
    assert GeneratedReport.objects.count() == 0
    event = AuditEvent.objects.get(action=AuditAction.REPORT_PREVIEWED)
    assert event.changes == {"kind": "discharge_summary", "language": "en"}


def test_before_discharge_the_page_explains_and_offers_nothing(db: None) -> None:
    admitted = support.stay(discharge=False, scores=False, canaries=False)
    client = sign_in(Client(), admitted.coordinator)

    page = client.get(_create(admitted, ReportKind.SCHOOL_LETTER))
    posted = client.post(
        _create(admitted, ReportKind.SCHOOL_LETTER), _letter_form(admitted)
    )

    assert page.status_code == 200
    assert str(reports.NEEDS_DISCHARGE) in page.content.decode()
    assert "<form" not in page.content.decode().split('id="h-report-form"')[1]
    assert posted.status_code == 409
    assert GeneratedReport.objects.count() == 0


def test_the_family_report_can_be_made_during_the_stay(db: None) -> None:
    admitted = support.stay(discharge=False, scores=False, canaries=False)
    client = sign_in(Client(), admitted.pt)

    response = client.get(_create(admitted, ReportKind.FAMILY_PROGRESS))

    page = response.content.decode()
    assert response.status_code == 200
    assert "once the team has planned the discharge" in page
    assert 'name="language"' in page


def test_bad_input_is_shown_next_to_the_field_and_nothing_is_stored(
    built: support.Stay,
) -> None:
    client = sign_in(Client(), built.coordinator)

    response = client.post(
        _create(built, ReportKind.DISCHARGE_SUMMARY), _summary_form(recipient="")
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_recipient_error"' in page
    assert "Nothing was stored" in page
    assert GeneratedReport.objects.count() == 0
    assert _events(AuditAction.REPORT_GENERATED) == 0


def test_a_diagnosis_wording_needs_the_familys_agreement(built: support.Stay) -> None:
    client = sign_in(Client(), built.teacher)

    response = client.post(
        _create(built, ReportKind.SCHOOL_LETTER),
        _letter_form(built, diagnosis_wording="a long-lasting pain condition"),
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_family_agreed_error"' in page
    assert "confirm the family agreed" in page
    assert GeneratedReport.objects.count() == 0


def test_update_the_preview_shows_what_was_typed_and_stores_nothing(
    built: support.Stay,
) -> None:
    client = sign_in(Client(), built.teacher)

    response = client.post(
        _create(built, ReportKind.SCHOOL_LETTER),
        _letter_form(
            built,
            action="preview",
            accommodations="Lift pass for two weeks.",
            diagnosis_wording="a long-lasting pain condition",
            family_agreed="on",
        ),
    )

    preview = response.content.decode().split('id="h-preview"')[1]
    assert response.status_code == 200
    assert "Lift pass for two weeks." in preview
    assert "a long-lasting pain condition" in preview
    assert "Terry Teamson, Hospital teacher" in preview
    assert GeneratedReport.objects.count() == 0


def test_a_double_click_makes_one_report_and_one_disclosure(
    built: support.Stay,
) -> None:
    client = sign_in(Client(), built.teacher)
    data = _letter_form(built)

    first = client.post(_create(built, ReportKind.SCHOOL_LETTER), data)
    second = client.post(_create(built, ReportKind.SCHOOL_LETTER), data)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == _list(built)
    row = GeneratedReport.objects.get()
    assert row.kind == ReportKind.SCHOOL_LETTER and row.created_by == built.teacher
    assert row.options["contact"]["name"] == "Terry Teamson"
    assert _events(AuditAction.REPORT_GENERATED) == 1
    event = AuditEvent.objects.get(action=AuditAction.REPORT_GENERATED)
    assert event.changes == {
        "kind": "school_letter",
        "language": "en",
        "recipient": "Lincoln Middle School",
        "recipient_address": "",
        "purpose": "School re-entry",
        "sha256": row.sha256,
        "size": row.size,
    }
    assert event.action_type == "X" and event.data_category == "outcomes"


@pytest.mark.parametrize(
    ("role", "kind"),
    [
        (Role.TEACHER, ReportKind.DISCHARGE_SUMMARY),
        (Role.PHYSICIAN, ReportKind.SCHOOL_LETTER),
        (Role.NURSE, ReportKind.FAMILY_PROGRESS),
    ],
)
def test_a_role_that_does_not_make_a_kind_gets_403(
    built: support.Stay, role: Role, kind: str
) -> None:
    member = {
        Role.TEACHER: built.teacher,
        Role.PHYSICIAN: built.physician,
    }.get(role) or support.member(built.child, role, TeamRole.NURSE, "Nina")
    client = sign_in(Client(), member)

    assert client.get(_create(built, kind)).status_code == 403
    assert client.post(_create(built, kind), _summary_form()).status_code == 403
    assert GeneratedReport.objects.count() == 0


def test_an_unknown_kind_is_404(built: support.Stay) -> None:
    client = sign_in(Client(), built.coordinator)

    assert client.get(_create(built, "referral_letter")).status_code == 404


def test_clinicians_off_the_team_get_404_everywhere(built: support.Stay) -> None:
    row = support.stored_row(built.episode, built.coordinator)
    client = sign_in(Client(), StaffFactory(role=Role.PHYSICIAN, username="off.team"))

    for url in (
        _list(built),
        _create(built, ReportKind.DISCHARGE_SUMMARY),
        _download(built.child.pk, row.pk),
    ):
        assert client.get(url).status_code == 404


def test_the_download_is_the_stored_bytes_with_their_digest(
    built: support.Stay,
) -> None:
    row = support.stored_row(built.episode, built.coordinator)
    client = sign_in(Client(), built.pt)

    response = client.get(_download(built.child.pk, row.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == bytes(row.pdf)
    assert response["X-Content-SHA256"] == hashlib.sha256(response.content).hexdigest()
    disposition = response["Content-Disposition"]
    assert disposition == f'attachment; filename="discharge-summary-{row.pk}.pdf"'
    assert "Avery" not in disposition and "Reportchild" not in disposition
    event = AuditEvent.objects.get(action=AuditAction.REPORT_DOWNLOADED)
    assert event.object_id == str(row.pk) and event.patient_id == built.child.pk


def test_another_childs_report_is_404_through_this_childs_address(
    built: support.Stay,
) -> None:
    other = journey.discharged(PatientFactory(given_name="Zephyr"))
    theirs = support.stored_row(other, built.coordinator)
    client = sign_in(Client(), built.coordinator)

    response = client.get(_download(built.child.pk, theirs.pk))

    assert response.status_code == 404
    assert _events(AuditAction.REPORT_DOWNLOADED) == 0


def test_a_stored_report_can_be_neither_changed_nor_deleted(
    built: support.Stay,
) -> None:
    row = support.stored_row(built.episode, built.coordinator)
    row.recipient = "Someone else"

    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()
    row.refresh_from_db()
    assert row.recipient == "Dr. Synthetic Referrer"
