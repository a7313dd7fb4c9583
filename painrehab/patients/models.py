"""Patients, their guardians and their care team."""

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from painrehab.common.models import TimeStampedModel
from painrehab.domain.ages import age_on
from painrehab.patients.choices import Relationship, Sex, TeamRole

if TYPE_CHECKING:
    from painrehab.accounts.models import User


class PatientQuerySet(models.QuerySet["Patient"]):
    def visible_to(self, user: "User") -> "PatientQuerySet":
        """Only the patients ``user`` may see (the rules live in patients.access)."""
        from painrehab.patients.access import visible_patient_filter

        return self.filter(visible_patient_filter(user))


class Patient(TimeStampedModel):
    """A child or teenager in (or referred to) the program."""

    mrn = models.CharField(_("MRN"), max_length=20, unique=True)
    given_name = models.CharField(_("given name"), max_length=80)
    family_name = models.CharField(_("family name"), max_length=80)
    preferred_name = models.CharField(_("preferred name"), max_length=80, blank=True)
    date_of_birth = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    school_name = models.CharField(_("school"), max_length=120, blank=True)
    school_grade = models.CharField(_("grade"), max_length=20, blank=True)
    address_line = models.CharField(_("address"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=80, blank=True)
    state = models.CharField(_("state"), max_length=2, blank=True)
    postal_code = models.CharField(_("ZIP code"), max_length=10, blank=True)
    allergies = models.TextField(
        _("allergies"),
        blank=True,
        help_text=_("Free text until medications are coded."),
    )
    # The adolescent's own portal account (12 and over).
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="patient_record",
    )

    objects = PatientQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name", "pk"]
        indexes = [models.Index(fields=["family_name", "given_name"])]

    def __str__(self) -> str:
        return f"{self.family_name}, {self.given_name} ({self.mrn})"

    def get_absolute_url(self) -> str:
        return reverse("patients:patient_detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        given = self.preferred_name or self.given_name
        return f"{given} {self.family_name}"

    def age(self, on: date | None = None) -> int:
        return age_on(self.date_of_birth, on or timezone.localdate())


class Guardian(TimeStampedModel):
    """A parent or caregiver; with an account, they use the family portal."""

    given_name = models.CharField(_("given name"), max_length=80)
    family_name = models.CharField(_("family name"), max_length=80)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="guardian_record",
    )

    class Meta:
        ordering = ["family_name", "given_name", "pk"]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"


class PatientGuardian(models.Model):
    """How a guardian is related to a patient, and whether the portal shows them."""

    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, related_name="guardian_links"
    )
    guardian = models.ForeignKey(
        Guardian, on_delete=models.CASCADE, related_name="patient_links"
    )
    relationship = models.CharField(
        _("relationship"), max_length=20, choices=Relationship.choices
    )
    is_primary_contact = models.BooleanField(_("primary contact"), default=False)
    has_legal_authority = models.BooleanField(_("can consent"), default=True)
    portal_access = models.BooleanField(_("portal access"), default=True)
    # Guardian access ends at 18 unless the patient, as an adult, grants it.
    adult_access_granted_at = models.DateTimeField(
        _("access granted by the adult patient"), null=True, blank=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "guardian"],
                name="patients_guardian_once_per_patient",
            )
        ]

    def __str__(self) -> str:
        return f"{self.guardian} ({self.get_relationship_display()}) of {self.patient}"


class CareTeamMember(models.Model):
    """A staff member on a patient's care team; membership grants chart access."""

    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, related_name="care_team"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="care_teams"
    )
    team_role = models.CharField(
        _("team role"), max_length=32, choices=TeamRole.choices
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["team_role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "member", "team_role"],
                condition=models.Q(end_date__isnull=True),
                name="patients_care_team_active_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} as {self.get_team_role_display()} for {self.patient}"
