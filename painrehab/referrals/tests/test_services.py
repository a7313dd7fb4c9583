"""The services added for the pages: one-step intake and save-and-sign."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from painrehab.audit.models import AuditEvent
from painrehab.episodes.models import Episode
from painrehab.patients.choices import Relationship, Sex
from painrehab.patients.models import Guardian, Patient
from painrehab.patients.tests.factories import PatientFactory
from painrehab.referrals import services
from painrehab.referrals.choices import EvaluationStatus, SchoolAttendance
from painrehab.referrals.models import Evaluation, Referral, ReferralAttachment
from painrehab.referrals.services import (
    DiagnosisEntry,
    NewGuardian,
    NewPatient,
    ReferralDetails,
)
from painrehab.referrals.tests import journey
from painrehab.referrals.tests.journey import coordinator, today
from painrehab.referrals.tests.support import pdf

pytestmark = pytest.mark.django_db

DETAILS = ReferralDetails(
    received_on=today(),
    referrer_name="Dr. Synthetic",
    referrer_organisation="Coast Pediatrics",
    reason="Daily headaches.",
    pain_history="Two years.",
    pain_duration_months=24,
    school_attendance=SchoolAttendance.MINIMAL,
    diagnoses_given=(DiagnosisEntry("G43.709", is_primary=True),),
)


def _new(**overrides: object) -> NewPatient:
    fields: dict[str, object] = {
        "mrn": "PR777",
        "given_name": "Wren",
        "family_name": "Fictional",
        "date_of_birth": today().replace(year=today().year - 11),
        "sex": Sex.MALE,
        "guardian": NewGuardian("Ada", "Fictional", Relationship.FATHER, "555-0100"),
    }
    fields.update(overrides)
    return NewPatient(**fields)  # type: ignore[arg-type]


def _counts() -> tuple[int, ...]:
    models = (Patient, Guardian, Episode, Referral, ReferralAttachment)
    return tuple(m.objects.count() for m in models)


def test_intake_registers_the_child_and_guardian_with_the_referral() -> None:
    referral = services.referral_intake(
        by=coordinator(), details=DETAILS, new_patient=_new(), uploads=[pdf()]
    )
    patient = referral.episode.patient
    assert (patient.mrn, patient.given_name) == ("PR777", "Wren")
    assert patient.guardian_links.get().guardian.given_name == "Ada"
    assert referral.diagnoses.get().code == "G43.709"
    assert referral.attachments.count() == 1
    assert AuditEvent.objects.filter(patient_id=patient.pk).count() >= 5


def test_intake_for_a_registered_patient() -> None:
    patient = PatientFactory()
    referral = services.referral_intake(
        by=coordinator(), details=DETAILS, patient=patient
    )
    assert referral.episode.patient == patient and Patient.objects.count() == 1


def test_intake_needs_exactly_one_patient() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        services.referral_intake(by=coordinator(), details=DETAILS)
    with pytest.raises(ValueError, match="exactly one"):
        services.referral_intake(
            by=coordinator(),
            details=DETAILS,
            patient=PatientFactory(),
            new_patient=_new(),
        )


def test_a_known_mrn_is_refused_whatever_its_case() -> None:
    PatientFactory(mrn="PR777")
    before = _counts()
    with pytest.raises(ValidationError) as refused:
        services.referral_intake(
            by=coordinator(), details=DETAILS, new_patient=_new(mrn="pr777")
        )
    assert "belongs to an existing patient" in refused.value.message_dict["mrn"][0]
    assert _counts() == before


def test_the_same_child_twice_needs_confirmation() -> None:
    born = today().replace(year=today().year - 11)
    PatientFactory(given_name="wren", family_name="Fictional", date_of_birth=born)
    with pytest.raises(ValidationError) as refused:
        services.referral_intake(by=coordinator(), details=DETAILS, new_patient=_new())
    assert "different_child" in refused.value.message_dict
    services.referral_intake(
        by=coordinator(), details=DETAILS, new_patient=_new(), different_child=True
    )
    assert Patient.objects.count() == 2


def test_a_bad_file_undoes_the_patient_and_the_referral() -> None:
    bad = SimpleUploadedFile("scan.png", b"GIF89a not a png")
    with pytest.raises(ValidationError) as refused:
        services.referral_intake(
            by=coordinator(),
            details=DETAILS,
            new_patient=_new(),
            uploads=[pdf(), bad],
        )
    assert refused.value.message_dict == {"attachment": [services.FILE_TYPE]}
    assert _counts() == (0, 0, 0, 0, 0)
    assert not AuditEvent.objects.filter(action="patient.created").exists()


def test_guardian_errors_are_named_for_the_guardian_fields() -> None:
    guardian = NewGuardian("Ada", "Fictional", Relationship.FATHER, email="not-mail")
    with pytest.raises(ValidationError) as refused:
        services.referral_intake(
            by=coordinator(), details=DETAILS, new_patient=_new(guardian=guardian)
        )
    assert set(refused.value.message_dict) == {"guardian_email"}
    assert _counts() == (0, 0, 0, 0, 0)


def _first_evaluation() -> Evaluation:
    return journey.in_evaluation().evaluation_visit.evaluations.get(discipline="PT")


def test_save_and_sign_signs_the_text_just_saved() -> None:
    evaluation = _first_evaluation()
    signed = services.evaluation_save_and_sign(
        evaluation=evaluation,
        by=evaluation.evaluator,
        version=1,
        summary="Deconditioned; motivated.",
        function_notes="Needs a wheelchair outdoors.",
        recommendation="recommend",
        exclusions={"cannot_participate": False},
    )
    assert signed.status == EvaluationStatus.SIGNED and signed.version == 3
    assert signed.summary == "Deconditioned; motivated."
    assert signed.content_sha256 == signed.digest()


def test_save_and_sign_saves_nothing_when_signing_is_refused() -> None:
    evaluation = _first_evaluation()
    with pytest.raises(ValidationError) as refused:
        services.evaluation_save_and_sign(
            evaluation=evaluation,
            by=evaluation.evaluator,
            version=1,
            summary="Deconditioned.",
            function_notes="",
            recommendation="recommend",
            exclusions={},
        )
    assert refused.value.message_dict == {"exclusions": [services.EXCLUSIONS_MISSING]}
    stored = Evaluation.objects.get(pk=evaluation.pk)
    assert (stored.version, stored.summary, stored.status) == (1, "", "draft")
    assert not AuditEvent.objects.filter(action="evaluation.saved").exists()
