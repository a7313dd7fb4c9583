"""Intake: a referral with coded diagnoses and documents, for a new or known patient."""

import dataclasses
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, DataCategory
from painrehab.episodes import services as episodes
from painrehab.patients.choices import Relationship, Sex
from painrehab.patients.models import Patient
from painrehab.patients.services import (
    guardian_link,
    patient_create,
)
from painrehab.referrals.choices import (
    PriorTreatment,
    SchoolAttendance,
    TriageStatus,
)
from painrehab.referrals.codes import diagnoses
from painrehab.referrals.models import (
    Referral,
    ReferralAttachment,
    ReferralDiagnosis,
)
from painrehab.referrals.services._common import _audit

NO_DIAGNOSIS = "Give at least one diagnosis."
UNKNOWN_CODE = "{code} is not on the program's diagnosis list."
ONE_PRIMARY = "Mark exactly one diagnosis as primary."
BAD_TREATMENT = "{value} is not a listed treatment."
FILE_TOO_BIG = "The file is larger than 10 MB."
FILE_TYPE = "Attach PDF, JPEG or PNG files only."
MRN_TAKEN = (
    "MRN {mrn} belongs to an existing patient: use that patient instead "
    "(choose “An existing patient” and enter the MRN)."
)
SAME_CHILD = (
    "A patient with the same name and date of birth is already registered "
    "(MRN {mrn}). Use that patient instead, or tick “This is a different child”."
)
MAX_UPLOAD = 10 * 1024 * 1024
ALLOWED_TYPES = {
    "application/pdf": b"%PDF",
    "image/jpeg": b"\xff\xd8\xff",
    "image/png": b"\x89PNG",
}


@dataclass(frozen=True)
class DiagnosisEntry:
    code: str
    is_primary: bool = False


def _validated_diagnoses(entries: Sequence[DiagnosisEntry]) -> list[DiagnosisEntry]:
    if not entries:
        raise ValidationError({"diagnoses": NO_DIAGNOSIS})
    listed = diagnoses()
    for entry in entries:
        if entry.code not in listed:
            raise ValidationError({"diagnoses": UNKNOWN_CODE.format(code=entry.code)})
    if sum(e.is_primary for e in entries) != 1:
        raise ValidationError({"diagnoses": ONE_PRIMARY})
    return list({e.code: e for e in entries}.values())


def _validated_treatments(values: Sequence[str]) -> list[str]:
    for value in values:
        if value not in PriorTreatment.values:
            raise ValidationError(
                {"prior_treatments": BAD_TREATMENT.format(value=value)}
            )
    return list(dict.fromkeys(values))


@transaction.atomic
def referral_create(
    *,
    patient: Patient,
    by: User,
    received_on: date,
    referrer_name: str,
    referrer_organisation: str,
    reason: str,
    pain_history: str,
    pain_duration_months: int,
    school_attendance: SchoolAttendance,
    diagnoses_given: Sequence[DiagnosisEntry],
    prior_treatments: Sequence[str] = (),
    prior_treatments_other: str = "",
    school_days_missed: int | None = None,
    referrer_phone: str = "",
    referrer_email: str = "",
) -> Referral:
    """Open an episode for ``patient`` from a referral; a duplicate is refused."""
    entries = _validated_diagnoses(diagnoses_given)
    treatments = _validated_treatments(prior_treatments)
    episode = episodes.episode_open(patient=patient, opened_on=received_on, by=by)
    referral = Referral(
        episode=episode,
        received_on=received_on,
        referrer_name=referrer_name,
        referrer_organisation=referrer_organisation,
        referrer_phone=referrer_phone,
        referrer_email=referrer_email,
        reason=reason,
        pain_history=pain_history,
        pain_duration_months=pain_duration_months,
        prior_treatments=treatments,
        prior_treatments_other=prior_treatments_other,
        school_attendance=school_attendance,
        school_days_missed=school_days_missed,
        created_by=by,
    )
    referral.full_clean()
    referral.save()
    listed = diagnoses()
    ReferralDiagnosis.objects.bulk_create(
        ReferralDiagnosis(
            referral=referral,
            code=e.code,
            title=listed[e.code].title,
            group=listed[e.code].group,
            is_primary=e.is_primary,
        )
        for e in entries
    )
    _audit(
        action="referral.created",
        action_type=ActionType.CREATE,
        episode=episode,
        by=by,
        obj=referral,
        category=DataCategory.REFERRAL,
        changes={"diagnoses": [e.code for e in entries]},
    )
    return referral


@transaction.atomic
def referral_attachment_add(
    *, referral: Referral, upload: UploadedFile, by: User
) -> ReferralAttachment:
    """Store a PDF or image sent with the referral, checked by size and content."""
    if upload.size is None or upload.size > MAX_UPLOAD:
        raise ValidationError({"attachment": FILE_TOO_BIG})
    head = upload.read(8)
    upload.seek(0)
    content_type = next(
        (ctype for ctype, magic in ALLOWED_TYPES.items() if head.startswith(magic)),
        None,
    )
    if content_type is None:
        raise ValidationError({"attachment": FILE_TYPE})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = ReferralAttachment(
        referral=referral,
        original_name=(upload.name or "attachment")[:200],
        content_type=content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=by,
        uploaded_at=timezone.now(),
    )
    attachment.file.save(digest.hexdigest(), upload, save=False)
    attachment.save()
    _audit(
        action="referral.attachment_added",
        action_type=ActionType.CREATE,
        episode=referral.episode,
        by=by,
        obj=attachment,
        category=DataCategory.REFERRAL,
        changes={"sha256": attachment.sha256, "size": attachment.size},
    )
    return attachment


@transaction.atomic
def referral_triage(*, referral: Referral, by: User, note: str) -> Referral:
    """The coordinator has read the referral; the note says what happens next."""
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    locked.triage_status = TriageStatus.TRIAGED
    locked.triage_note = note
    locked.save(update_fields=["triage_status", "triage_note", "updated_at"])
    _audit(
        action="referral.triaged",
        action_type=ActionType.UPDATE,
        episode=locked.episode,
        by=by,
        obj=locked,
        category=DataCategory.REFERRAL,
    )
    referral.refresh_from_db()
    return locked


@dataclass(frozen=True)
class NewGuardian:
    """The parent or caregiver who comes with a newly registered child."""

    given_name: str
    family_name: str
    relationship: Relationship
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class NewPatient:
    """A child registered at intake, with the guardian the referral names."""

    mrn: str
    given_name: str
    family_name: str
    date_of_birth: date
    sex: Sex
    guardian: NewGuardian
    preferred_name: str = ""
    preferred_language: str = "en"
    school_name: str = ""
    school_grade: str = ""


@dataclass(frozen=True)
class ReferralDetails:
    """What ``referral_create`` takes besides the patient and the author."""

    received_on: date
    referrer_name: str
    referrer_organisation: str
    reason: str
    pain_history: str
    pain_duration_months: int
    school_attendance: SchoolAttendance
    diagnoses_given: tuple[DiagnosisEntry, ...]
    prior_treatments: tuple[str, ...] = ()
    prior_treatments_other: str = ""
    school_days_missed: int | None = None
    referrer_phone: str = ""
    referrer_email: str = ""


def _check_not_registered(new: NewPatient, *, different_child: bool) -> None:
    mrn = new.mrn.strip()
    if Patient.objects.filter(mrn__iexact=mrn).exists():
        raise ValidationError({"mrn": MRN_TAKEN.format(mrn=mrn)})
    twin = Patient.objects.filter(
        given_name__iexact=new.given_name.strip(),
        family_name__iexact=new.family_name.strip(),
        date_of_birth=new.date_of_birth,
    ).first()
    if twin is not None and not different_child:
        raise ValidationError({"different_child": SAME_CHILD.format(mrn=twin.mrn)})


def _guardian_add(patient: Patient, new: NewPatient, by: User) -> None:
    guardian = new.guardian
    try:
        guardian_link(
            patient=patient,
            given_name=guardian.given_name.strip(),
            family_name=guardian.family_name.strip(),
            relationship=guardian.relationship,
            phone=guardian.phone,
            email=guardian.email,
            preferred_language=new.preferred_language,
            is_primary_contact=True,
            linked_by=by,
        )
    except ValidationError as error:  # the guardian's fields share the patient's names
        raise ValidationError(
            {f"guardian_{key}": value for key, value in error.message_dict.items()}
        ) from error


def _patient_register(new: NewPatient, *, by: User, different_child: bool) -> Patient:
    _check_not_registered(new, different_child=different_child)
    patient = patient_create(
        mrn=new.mrn,
        given_name=new.given_name.strip(),
        family_name=new.family_name.strip(),
        preferred_name=new.preferred_name.strip(),
        date_of_birth=new.date_of_birth,
        sex=new.sex,
        preferred_language=new.preferred_language,
        school_name=new.school_name,
        school_grade=new.school_grade,
        created_by=by,
    )
    _guardian_add(patient, new, by)
    return patient


@transaction.atomic
def referral_intake(
    *,
    by: User,
    details: ReferralDetails,
    patient: Patient | None = None,
    new_patient: NewPatient | None = None,
    different_child: bool = False,
    uploads: Sequence[UploadedFile] = (),
) -> Referral:
    """Register the child if new, open the referral and store its documents, as one.

    Give exactly one of ``patient`` (already registered) and ``new_patient``. Any
    refusal (an open referral, an MRN in use, the same child registered twice, a
    bad file) saves nothing at all.
    """
    if (patient is None) == (new_patient is None):
        raise ValueError("give exactly one of patient and new_patient")
    child = patient
    if new_patient is not None:
        child = _patient_register(new_patient, by=by, different_child=different_child)
    if child is None:  # pragma: no cover - ruled out above; narrows the type
        raise ValueError("no patient")
    fields = {f.name: getattr(details, f.name) for f in dataclasses.fields(details)}
    referral = referral_create(patient=child, by=by, **fields)
    for upload in uploads:
        referral_attachment_add(referral=referral, upload=upload, by=by)
    return referral
