"""Episodes (one journey each), their phase history, beds, stays and aftercare."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from painrehab.common.models import TimeStampedModel
from painrehab.episodes.choices import (
    OPEN_PHASES,
    Disposition,
    FollowUpStatus,
    Phase,
    WaitlistPriority,
)
from painrehab.patients.models import Patient


class Episode(TimeStampedModel):
    """One journey of one patient through the program, from referral to closing.

    The phase changes only through the transitions in ``episodes.services``.
    """

    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="episodes"
    )
    phase = models.CharField(
        _("phase"), max_length=16, choices=Phase.choices, default=Phase.REFERRED
    )
    opened_on = models.DateField(_("opened"))
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-opened_on", "-pk"]
        constraints = [
            # A second open referral for the same child is refused by the database too.
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(phase__in=sorted(OPEN_PHASES)),
                name="episodes_one_open_episode_per_patient",
            )
        ]

    def __str__(self) -> str:
        return f"Episode {self.pk} of {self.patient} ({self.get_phase_display()})"

    @property
    def is_open(self) -> bool:
        return self.phase in OPEN_PHASES


class PhaseChange(models.Model):
    """One step in an episode's history: which transition, who, when and why."""

    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, related_name="history"
    )
    transition = models.CharField(max_length=24)
    from_phase = models.CharField(max_length=16, blank=True)
    to_phase = models.CharField(max_length=16, choices=Phase.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_phase or '-'} -> {self.to_phase} ({self.transition})"


class Bed(models.Model):
    """A bed on the unit (12 by default, PAINREHAB_BEDS)."""

    number = models.PositiveSmallIntegerField(unique=True)
    label = models.CharField(max_length=40, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return self.label or f"Bed {self.number}"


class WaitlistEntry(models.Model):
    """An accepted patient waiting for a bed."""

    episode = models.OneToOneField(
        Episode, on_delete=models.CASCADE, related_name="waitlist_entry"
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"),
        choices=WaitlistPriority.choices,
        default=WaitlistPriority.ROUTINE,
    )
    accepted_on = models.DateField(_("accepted"))
    preferred_start = models.DateField(_("preferred start"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["priority", "accepted_on", "pk"]

    def __str__(self) -> str:
        return f"Waitlist: {self.episode}"


class Stay(models.Model):
    """The inpatient stay: which bed, from when, until when (planned and actual)."""

    episode = models.OneToOneField(
        Episode, on_delete=models.CASCADE, related_name="stay"
    )
    bed = models.ForeignKey(Bed, on_delete=models.PROTECT, related_name="stays")
    admitted_on = models.DateField(_("admission date"))
    planned_discharge_on = models.DateField(_("planned discharge"))
    discharged_on = models.DateField(_("discharged"), null=True, blank=True)

    class Meta:
        ordering = ["bed__number"]
        constraints = [
            # Two admissions into one bed: the database lets exactly one commit.
            models.UniqueConstraint(
                fields=["bed"],
                condition=Q(discharged_on__isnull=True),
                name="episodes_one_patient_per_bed",
            ),
            models.CheckConstraint(
                condition=Q(planned_discharge_on__gt=F("admitted_on")),
                name="episodes_stay_planned_after_admission",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.episode.patient} in {self.bed}"

    def day_of_stay(self, on: date) -> int:
        """Day 1 is the admission day."""
        return (on - self.admitted_on).days + 1

    @property
    def planned_days(self) -> int:
        return (self.planned_discharge_on - self.admitted_on).days


class StayExtension(models.Model):
    """A change of the planned discharge date, with its reason."""

    stay = models.ForeignKey(Stay, on_delete=models.CASCADE, related_name="extensions")
    previous_planned_discharge_on = models.DateField()
    planned_discharge_on = models.DateField()
    reason = models.TextField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.previous_planned_discharge_on} -> {self.planned_discharge_on}"


class Discharge(models.Model):
    """The discharge record: disposition, summaries by discipline, plans for home."""

    episode = models.OneToOneField(
        Episode, on_delete=models.CASCADE, related_name="discharge"
    )
    discharged_on = models.DateField(_("discharge date"))
    disposition = models.CharField(
        _("disposition"), max_length=16, choices=Disposition.choices
    )
    summary_medicine = models.TextField(_("pain medicine summary"), blank=True)
    summary_psychology = models.TextField(_("psychology summary"), blank=True)
    summary_physical_therapy = models.TextField(
        _("physical therapy summary"), blank=True
    )
    summary_occupational_therapy = models.TextField(
        _("occupational therapy summary"), blank=True
    )
    summary_social_work = models.TextField(_("social work summary"), blank=True)
    summary_other = models.TextField(_("other disciplines"), blank=True)
    home_programme = models.TextField(_("home exercise programme"), blank=True)
    school_reentry_plan = models.TextField(_("school re-entry plan"), blank=True)
    medications = models.TextField(
        _("medications at discharge"),
        blank=True,
        help_text=_("Free text until medications are coded."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Discharge of {self.episode.patient} on {self.discharged_on}"


class StepDownPlan(models.Model):
    """Weekly outpatient therapy for about four weeks after discharge."""

    episode = models.OneToOneField(
        Episode, on_delete=models.CASCADE, related_name="step_down"
    )
    starts_on = models.DateField(_("starts"))
    weeks = models.PositiveSmallIntegerField(_("weeks"), default=4)
    psychology_per_week = models.PositiveSmallIntegerField(
        _("psychotherapy sessions a week"), default=1
    )
    physical_therapy_per_week = models.PositiveSmallIntegerField(
        _("PT sessions a week"), default=1
    )
    occupational_therapy_per_week = models.PositiveSmallIntegerField(
        _("OT sessions a week"), default=1
    )
    notes = models.TextField(_("notes"), blank=True)

    def __str__(self) -> str:
        return f"Step-down for {self.episode.patient}"


class FollowUp(models.Model):
    """A follow-up visit in the Pain Medicine Clinic, some months after discharge."""

    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, related_name="follow_ups"
    )
    months_after = models.PositiveSmallIntegerField(_("months after discharge"))
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=FollowUpStatus.choices,
        default=FollowUpStatus.SCHEDULED,
    )
    completed_on = models.DateField(_("seen on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "months_after"], name="episodes_follow_up_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.months_after}-month follow-up of {self.episode.patient}"
