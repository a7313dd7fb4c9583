"""One referral's page, the triage note, and document downloads."""

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.audit.models import AuditEvent
from painrehab.episodes.models import Episode
from painrehab.patients.models import Patient
from painrehab.referrals import services
from painrehab.referrals.choices import DecisionOutcome, TriageStatus
from painrehab.referrals.tests import journey
from painrehab.referrals.tests.support import PDF, attach, client_as, clinician, refer

pytestmark = pytest.mark.django_db


def _detail(episode: Episode) -> str:
    return reverse("referrals:referral_detail", args=[episode.pk])


def _download(episode: Episode, attachment_id: int) -> str:
    return reverse("referrals:attachment", args=[episode.pk, attachment_id])


def test_the_coordinator_sees_the_whole_referral(
    coordinator: User, referred: Episode, child: Patient
) -> None:
    attach(referred)
    page = client_as(coordinator).get(_detail(referred)).content.decode()
    assert child.display_name in page and child.mrn in page
    assert "Dr. Synthetic Referrer" in page and "Disabling leg pain" in page
    assert "G90.521" in page and "Complex regional pain syndrome" in page
    assert _download(referred, referred.referral.attachments.get().pk) in page
    assert (
        'action="{}"'.format(reverse("referrals:triage_update", args=[referred.pk]))
        in page
    )
    assert reverse("referrals:schedule", args=[referred.pk]) in page


def test_the_rules_and_each_reason_are_shown(
    coordinator: User, referred: Episode
) -> None:
    page = client_as(coordinator).get(_detail(referred)).content.decode()
    assert "Incomplete (some rules cannot be checked yet)" in page
    assert "Has a qualifying condition: complex regional pain syndrome." in page
    assert "No planned admission date yet" in page
    assert page.count('class="badge verdict-unknown"') == 6  # age + 5 exclusions
    assert page.count('class="badge verdict-met"') == 1


def test_evaluations_and_decisions_are_listed(
    coordinator: User, evaluating: Episode
) -> None:
    journey.sign_all(evaluating)
    services.decision_record(
        episode=evaluating,
        by=journey.coordinator(),
        outcome=DecisionOutcome.DEFER,
        rationale="Waiting for school records.",
    )
    page = client_as(coordinator).get(_detail(evaluating)).content.decode()
    for discipline in ("MED", "PSY", "PT", "OT", "SW"):
        assert reverse("referrals:evaluation", args=[evaluating.pk, discipline]) in page
    assert page.count(">Signed</span>") == 5
    assert "Defer the decision" in page and "Waiting for school records." in page
    assert "incomplete" in page  # the rules' advice at the time of the decision


def test_viewing_a_referral_is_audited(pt_on_team: User, referred: Episode) -> None:
    assert client_as(pt_on_team).get(_detail(referred)).status_code == 200
    event = AuditEvent.objects.get(action="referral.viewed")
    assert (event.actor_id, event.patient_id) == (pt_on_team.pk, referred.patient_id)
    assert event.data_category == "referral" and event.outcome == "success"


@pytest.mark.parametrize(
    "role",
    [
        Role.PHYSICIAN,
        Role.PSYCHOLOGIST,
        Role.OCCUPATIONAL_THERAPIST,
        Role.SOCIAL_WORKER,
        Role.NURSE,
        Role.CHILD_LIFE,
    ],
    ids=str,
)
def test_clinicians_on_the_team_read_without_the_coordinator_tools(
    role: Role, referred: Episode, child: Patient
) -> None:
    page = client_as(clinician(role, child)).get(_detail(referred)).content.decode()
    assert "G90.521" in page
    assert reverse("referrals:triage_update", args=[referred.pk]) not in page
    assert reverse("referrals:schedule", args=[referred.pk]) not in page


def test_off_team_looks_the_same_as_missing(
    pt_off_team: User, referred: Episode
) -> None:
    client = client_as(pt_off_team)
    refused = client.get(_detail(referred))
    missing = client.get(reverse("referrals:referral_detail", args=[referred.pk + 99]))
    assert refused.status_code == missing.status_code == 404
    assert refused.content == missing.content
    failures = AuditEvent.objects.filter(action="referral.viewed", outcome="failure")
    assert failures.count() == 2


def test_a_teacher_on_the_care_team_is_refused(
    teacher_on_team: User, referred: Episode
) -> None:
    assert client_as(teacher_on_team).get(_detail(referred)).status_code == 403


def test_guardians_are_refused_even_their_own_childs(
    guardian: User, other_guardian: User, referred: Episode
) -> None:
    assert client_as(guardian).get(_detail(referred)).status_code == 403
    assert client_as(other_guardian).get(_detail(referred)).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(
    client: Client, referred: Episode
) -> None:
    response = client.get(_detail(referred))
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_coordinator_saves_the_triage_note(
    coordinator: User, referred: Episode
) -> None:
    url = reverse("referrals:triage_update", args=[referred.pk])
    response = client_as(coordinator).post(url, {"note": "Book the clinic visit."})
    assert response.status_code == 302 and response["Location"] == _detail(referred)
    referred.referral.refresh_from_db()
    assert referred.referral.triage_status == TriageStatus.TRIAGED
    assert referred.referral.triage_note == "Book the clinic visit."


def test_an_empty_triage_note_is_refused_beside_the_field(
    coordinator: User, referred: Episode
) -> None:
    url = reverse("referrals:triage_update", args=[referred.pk])
    response = client_as(coordinator).post(url, {"note": ""})
    assert response.status_code == 200
    assert response.context["triage_form"].errors["note"]
    referred.referral.refresh_from_db()
    assert referred.referral.triage_status == TriageStatus.NEW


def test_only_the_coordinator_triages(pt_on_team: User, referred: Episode) -> None:
    url = reverse("referrals:triage_update", args=[referred.pk])
    assert client_as(pt_on_team).post(url, {"note": "x"}).status_code == 403
    assert client_as(pt_on_team).get(url).status_code == 405


def test_a_document_downloads_under_a_neutral_name(
    pt_on_team: User, referred: Episode, child: Patient
) -> None:
    attach(referred, name="x.pdf")
    second = attach(referred, name=f"{child.given_name} {child.family_name}.pdf")
    response = client_as(pt_on_team).get(_download(referred, second))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition == f'attachment; filename="referral-{referred.pk}-2.pdf"'
    assert child.given_name not in disposition and child.family_name not in disposition
    assert b"".join(response.streaming_content) == PDF
    event = AuditEvent.objects.get(action="referral.attachment_downloaded")
    assert event.action_type == "X" and event.patient_id == child.pk


def test_a_document_is_behind_the_funnel(
    pt_off_team: User, teacher_on_team: User, referred: Episode
) -> None:
    url = _download(referred, attach(referred))
    assert client_as(pt_off_team).get(url).status_code == 404
    assert client_as(teacher_on_team).get(url).status_code == 403


def test_a_document_of_another_referral_is_not_found(
    coordinator: User, referred: Episode
) -> None:
    other = attach(refer())
    assert client_as(coordinator).get(_download(referred, other)).status_code == 404


def test_guardians_cannot_download(guardian: User, referred: Episode) -> None:
    url = _download(referred, attach(referred))
    assert client_as(guardian).get(url).status_code == 403
