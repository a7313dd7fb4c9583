"""The referral form: new and existing patients, duplicates, files, double submits."""

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.audit.models import AuditEvent
from painrehab.episodes.choices import Phase
from painrehab.episodes.models import Episode
from painrehab.patients.models import Guardian, Patient
from painrehab.patients.tests.factories import PatientFactory
from painrehab.referrals import services
from painrehab.referrals.models import Referral, ReferralAttachment
from painrehab.referrals.tests.journey import today
from painrehab.referrals.tests.support import client_as, clinician, pdf
from painrehab.referrals.views.intake import SESSION_KEY

pytestmark = pytest.mark.django_db
INTAKE = reverse("referrals:intake")


def _token(client: Client) -> str:
    assert client.get(INTAKE).status_code == 200
    return list(client.session[SESSION_KEY])[-1]


def _data(client: Client, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "form_token": _token(client),
        "patient_mode": "new",
        "mrn": "PR900001",
        "given_name": "Juniper",
        "family_name": "Synthetica",
        "date_of_birth": today().replace(year=today().year - 12).isoformat(),
        "sex": "female",
        "preferred_language": "es",
        "school_name": "Harbor Middle School",
        "school_grade": "7",
        "guardian_given_name": "Marisol",
        "guardian_family_name": "Synthetica",
        "guardian_relationship": "mother",
        "guardian_phone": "555-0142",
        "received_on": today().isoformat(),
        "referrer_name": "Dr. Synthetic Referrer",
        "referrer_organisation": "Coast Pediatrics",
        "reason": "Widespread pain; out of school for six weeks.",
        "pain_history": "Pain for a year, worse since the winter.",
        "pain_duration_months": "12",
        "diagnoses": ["M79.7", "G90.521"],
        "primary_diagnosis": "M79.7",
        "prior_treatments": ["outpatient_pt", "psychology"],
        "school_attendance": "none",
        "school_days_missed": "20",
    }
    data.update(overrides)
    return data


def _counts() -> tuple[int, int, int, int, int]:
    return (
        Patient.objects.count(),
        Guardian.objects.count(),
        Episode.objects.count(),
        Referral.objects.count(),
        ReferralAttachment.objects.count(),
    )


def _errors_of(response: Any, field: str) -> list[str]:
    return [str(e) for e in response.context["form"].errors.get(field, [])]


def test_a_new_patient_is_registered_with_the_referral(coordinator: User) -> None:
    client = client_as(coordinator)
    data = _data(client, attachments=[pdf("Juniper Synthetica letter.pdf")])
    response = client.post(INTAKE, data)
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "referrals:referral_detail", args=[referral.episode_id]
    )
    patient = referral.episode.patient
    assert (patient.mrn, patient.given_name, patient.preferred_language) == (
        "PR900001",
        "Juniper",
        "es",
    )
    link = patient.guardian_links.get()
    assert link.guardian.given_name == "Marisol" and link.is_primary_contact
    assert referral.episode.phase == Phase.REFERRED
    assert [(d.code, d.is_primary) for d in referral.diagnoses.all()] == [
        ("M79.7", True),
        ("G90.521", False),
    ]
    assert referral.prior_treatments == ["outpatient_pt", "psychology"]
    assert referral.attachments.get().content_type == "application/pdf"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "patient.created",
        "guardian.linked",
        "episode.open",
        "referral.created",
        "referral.attachment_added",
    } <= actions


def test_a_referral_for_an_existing_patient(coordinator: User) -> None:
    known = PatientFactory(mrn="PR123")
    client = client_as(coordinator)
    # What was typed in the new-patient part is ignored, even when invalid.
    data = _data(
        client, patient_mode="existing", patient="pr123", date_of_birth="2999-01-01"
    )
    response = client.post(INTAKE, data)
    assert response.status_code == 302
    assert Referral.objects.get().episode.patient == known
    assert Patient.objects.count() == 1 and Guardian.objects.count() == 0


def test_an_unknown_mrn_is_reported_beside_the_patient_field(
    coordinator: User,
) -> None:
    client = client_as(coordinator)
    response = client.post(INTAKE, _data(client, patient_mode="existing", patient="X9"))
    assert response.status_code == 200
    assert "No patient with this MRN" in _errors_of(response, "patient")[0]


def test_a_second_open_referral_is_refused_and_nothing_is_saved(
    coordinator: User, referred: Episode, child: Patient
) -> None:
    client = client_as(coordinator)
    before = _counts()
    data = _data(
        client, patient_mode="existing", patient=child.mrn, attachments=[pdf()]
    )
    response = client.post(INTAKE, data)
    assert response.status_code == 200
    assert "already has an open episode" in _errors_of(response, "patient")[0]
    assert _counts() == before


def test_a_birth_date_in_the_future_is_refused(coordinator: User) -> None:
    client = client_as(coordinator)
    tomorrow = today() + dt.timedelta(days=1)
    response = client.post(INTAKE, _data(client, date_of_birth=tomorrow.isoformat()))
    assert _errors_of(response, "date_of_birth") == [
        "The date cannot be in the future."
    ]
    assert _counts() == (0, 0, 0, 0, 0)


def test_a_child_must_be_under_twenty(coordinator: User) -> None:
    client = client_as(coordinator)
    born = today().replace(year=today().year - 20).isoformat()
    response = client.post(INTAKE, _data(client, date_of_birth=born))
    assert "under 20" in _errors_of(response, "date_of_birth")[0]
    assert _counts() == (0, 0, 0, 0, 0)


def test_a_wrong_file_type_saves_nothing(coordinator: User) -> None:
    client = client_as(coordinator)
    script = SimpleUploadedFile("notes.pdf", b"#!/bin/sh\necho hi\n")
    response = client.post(INTAKE, _data(client, attachments=[pdf(), script]))
    assert _errors_of(response, "attachments") == [services.FILE_TYPE]
    assert _counts() == (0, 0, 0, 0, 0)
    assert "choose them again" in response.content.decode()


def test_a_new_patient_with_a_known_mrn_is_pointed_to_that_patient(
    coordinator: User,
) -> None:
    PatientFactory(mrn="PR900001")
    client = client_as(coordinator)
    response = client.post(INTAKE, _data(client))
    assert "belongs to an existing patient" in _errors_of(response, "mrn")[0]
    assert Referral.objects.count() == 0


def test_the_same_name_and_birth_date_needs_confirmation(coordinator: User) -> None:
    PatientFactory(
        given_name="Juniper",
        family_name="SYNTHETICA",
        date_of_birth=today().replace(year=today().year - 12),
    )
    client = client_as(coordinator)
    data = _data(client)
    refused = client.post(INTAKE, data)
    assert "This is a different child" in _errors_of(refused, "different_child")[0]
    assert 'name="different_child"' in refused.content.decode()
    assert Referral.objects.count() == 0
    accepted = client.post(INTAKE, {**data, "different_child": "on"})
    assert accepted.status_code == 302 and Patient.objects.count() == 2


def test_the_primary_diagnosis_must_be_one_of_those_chosen(coordinator: User) -> None:
    client = client_as(coordinator)
    response = client.post(INTAKE, _data(client, primary_diagnosis="G43.709"))
    assert "primary diagnosis" in _errors_of(response, "primary_diagnosis")[0]
    assert _counts() == (0, 0, 0, 0, 0)


def test_a_double_submit_makes_one_referral(coordinator: User) -> None:
    client = client_as(coordinator)
    data = _data(client)
    first = client.post(INTAKE, data)
    second = client.post(INTAKE, data)
    assert Referral.objects.count() == 1
    assert second.status_code == 302 and second["Location"] == first["Location"]


def test_a_form_without_a_known_token_is_shown_again(coordinator: User) -> None:
    client = client_as(coordinator)
    response = client.post(INTAKE, _data(client, form_token="forged"))
    assert "This form has expired" in response.content.decode()
    assert Referral.objects.count() == 0
    new_token = response.context["form"]["form_token"].value()
    assert new_token in client.session[SESSION_KEY]
    assert client.post(INTAKE, _data(client, form_token=new_token)).status_code == 302


def test_the_form_groups_diagnoses_and_labels_radio_groups(coordinator: User) -> None:
    page = client_as(coordinator).get(INTAKE).content.decode()
    assert '<optgroup label="Complex regional pain syndrome">' in page
    assert "<legend>School attendance, last month" in page
    assert 'enctype="multipart/form-data"' in page


@pytest.mark.parametrize(
    "role", [Role.PHYSICIAN, Role.PSYCHOLOGIST, Role.NURSE], ids=str
)
def test_only_the_coordinator_takes_referrals(role: Role) -> None:
    assert client_as(clinician(role)).get(INTAKE).status_code == 403


def test_guardians_are_refused(guardian: User, other_guardian: User) -> None:
    assert client_as(guardian).get(INTAKE).status_code == 403
    assert client_as(other_guardian).post(INTAKE, {}).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(INTAKE)
    assert response["Location"].startswith(reverse("accounts:login"))
