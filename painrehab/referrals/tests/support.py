"""Small builders for the referral page tests (the journey helpers walk phases)."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.accounts.tests.factories import StaffFactory
from painrehab.common.testing import sign_in
from painrehab.episodes.models import Episode
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import CareTeamMemberFactory, PatientFactory
from painrehab.referrals import services
from painrehab.referrals.choices import SchoolAttendance
from painrehab.referrals.services import DiagnosisEntry
from painrehab.referrals.tests.journey import coordinator, today

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def refer(
    patient: Patient | None = None, *, days_ago: int = 10, code: str = "G90.521"
) -> Episode:
    """A referral received ``days_ago`` days ago (journey.referred uses 10)."""
    patient = patient or PatientFactory(
        date_of_birth=today().replace(year=today().year - 13)
    )
    referral = services.referral_create(
        patient=patient,
        by=coordinator(),
        received_on=today() - dt.timedelta(days=days_ago),
        referrer_name="Dr. Synthetic Referrer",
        referrer_organisation="Valley Children's Clinic",
        reason="Disabling leg pain.",
        pain_history="Since an ankle sprain.",
        pain_duration_months=8,
        school_attendance=SchoolAttendance.NONE,
        diagnoses_given=[DiagnosisEntry(code, is_primary=True)],
    )
    return referral.episode


def clinician(role: Role, patient: Patient | None = None, **kwargs: object) -> User:
    """A staff member of ``role``, on ``patient``'s care team when one is given."""
    user: User = StaffFactory(role=role, **kwargs)
    if patient is not None:
        CareTeamMemberFactory(patient=patient, member=user)
    return user


def client_as(user: User) -> Client:
    return sign_in(Client(), user)


def pdf(name: str = "letter.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def attach(episode: Episode, name: str = "letter.pdf") -> int:
    """Attach a small PDF to the episode's referral; returns the attachment id."""
    attachment = services.referral_attachment_add(
        referral=episode.referral, upload=pdf(name), by=coordinator()
    )
    return attachment.pk
