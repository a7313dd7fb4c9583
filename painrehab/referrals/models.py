"""Referral intake, the interdisciplinary evaluation, and the team's decisions."""

import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from painrehab.common.models import TimeStampedModel
from painrehab.episodes.models import Episode
from painrehab.referrals.choices import (
    DecisionOutcome,
    EvaluationDiscipline,
    EvaluationStatus,
    EvaluatorRecommendation,
    SchoolAttendance,
    TriageStatus,
)


class Referral(TimeStampedModel):
    """The referral that opened an episode: who sent the child, and why."""

    episode = models.OneToOneField(
        Episode, on_delete=models.PROTECT, related_name="referral"
    )
    received_on = models.DateField(_("received"))
    referrer_name = models.CharField(_("referring clinician"), max_length=120)
    referrer_organisation = models.CharField(_("organisation"), max_length=160)
    referrer_phone = models.CharField(_("phone"), max_length=30, blank=True)
    referrer_email = models.EmailField(_("email"), blank=True)
    reason = models.TextField(_("reason for referral"))
    pain_history = models.TextField(_("pain history"))
    pain_duration_months = models.PositiveSmallIntegerField(_("pain duration (months)"))
    prior_treatments = models.JSONField(_("treatments tried"), default=list, blank=True)
    prior_treatments_other = models.CharField(
        _("other treatments tried"), max_length=300, blank=True
    )
    school_attendance = models.CharField(
        _("school attendance, last month"),
        max_length=16,
        choices=SchoolAttendance.choices,
    )
    school_days_missed = models.PositiveSmallIntegerField(
        _("school days missed, last month"), null=True, blank=True
    )
    triage_status = models.CharField(
        max_length=8, choices=TriageStatus.choices, default=TriageStatus.NEW
    )
    triage_note = models.TextField(_("triage note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["received_on", "pk"]

    def __str__(self) -> str:
        return f"Referral of {self.episode.patient} on {self.received_on}"


class ReferralDiagnosis(models.Model):
    """One ICD-10-CM diagnosis of a referral (code, title and group as listed)."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="diagnoses"
    )
    code = models.CharField(max_length=10)
    title = models.CharField(max_length=200)
    group = models.CharField(max_length=32)
    is_primary = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_primary", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "code"], name="referrals_dx_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


def attachment_path(instance: "ReferralAttachment", filename: str) -> str:
    # The stored name never carries the uploaded name (which may hold a child's name).
    return f"referrals/{instance.referral_id}/{instance.sha256}"


class ReferralAttachment(models.Model):
    """A document sent with the referral, served only after an access check."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class EvaluationVisit(models.Model):
    """The interdisciplinary evaluation visit in the Pain Medicine Clinic."""

    episode = models.OneToOneField(
        Episode, on_delete=models.PROTECT, related_name="evaluation_visit"
    )
    scheduled_for = models.DateField(_("visit date"))
    location = models.CharField(
        _("location"), max_length=120, default="Pain Medicine Clinic"
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"Evaluation of {self.episode.patient} on {self.scheduled_for}"


class Evaluation(models.Model):
    """One discipline's structured evaluation; signed by its author, then fixed."""

    visit = models.ForeignKey(
        EvaluationVisit, on_delete=models.PROTECT, related_name="evaluations"
    )
    discipline = models.CharField(max_length=8, choices=EvaluationDiscipline.choices)
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evaluations"
    )
    status = models.CharField(
        max_length=8, choices=EvaluationStatus.choices, default=EvaluationStatus.DRAFT
    )
    summary = models.TextField(_("findings"), blank=True)
    function_notes = models.TextField(_("function and participation"), blank=True)
    recommendation = models.CharField(
        _("recommendation"),
        max_length=16,
        choices=EvaluatorRecommendation.choices,
        blank=True,
    )
    exclusions = models.JSONField(_("exclusion checks"), default=dict, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    content_sha256 = models.CharField(max_length=64, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["discipline"]
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "discipline"],
                name="referrals_one_evaluation_per_discipline",
            )
        ]

    def __str__(self) -> str:
        discipline = self.get_discipline_display()
        return f"{discipline} evaluation of {self.visit.episode.patient}"

    def content(self) -> dict[str, object]:
        """What the signature covers."""
        return {
            "discipline": self.discipline,
            "evaluator": self.evaluator_id,
            "summary": self.summary,
            "function_notes": self.function_notes,
            "recommendation": self.recommendation,
            "exclusions": self.exclusions,
        }

    def digest(self) -> str:
        body = json.dumps(self.content(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(body.encode()).hexdigest()

    @property
    def is_signed(self) -> bool:
        return self.status == EvaluationStatus.SIGNED


class EligibilityDecision(models.Model):
    """The team's decision, beside what the program's rules recommended and why."""

    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="decisions"
    )
    outcome = models.CharField(max_length=8, choices=DecisionOutcome.choices)
    rationale = models.TextField(_("rationale"))
    recommendations = models.TextField(
        _("recommendations for the family and referrer"), blank=True
    )
    rule_recommendation = models.CharField(max_length=12)
    rule_reasons = models.JSONField(default=list)
    rules_version = models.CharField(max_length=20)
    disagreement_reason = models.TextField(
        _("why the team differs from the rules"), blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} for {self.episode.patient}"
