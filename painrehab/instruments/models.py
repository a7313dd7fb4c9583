"""Instrument versions, administrations (one filled-in form each) and their scores."""

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NoReturn

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from painrehab.common.models import TimeStampedModel
from painrehab.episodes.models import Episode
from painrehab.instruments.choices import (
    AdministrationStatus,
    RespondentKind,
    TimePoint,
)
from painrehab.patients.models import Guardian, Patient

SUBMITTED_IS_FINAL = (
    "A submitted administration cannot be changed or deleted; correct it instead."
)
SCORE_IS_FINAL = "A score cannot be changed or deleted, only acknowledged."
SCORE_MUTABLE_FIELDS = frozenset({"acknowledged_at", "acknowledged_by"})


class InstrumentVersion(TimeStampedModel):
    """One version of one questionnaire, as the scoring catalog defined it.

    ``definition`` is a JSON snapshot of the catalog's frozen definition (scoring
    logic only, never item wording), written by ``catalog_sync``; it keeps a record
    of what each stored score was computed against.
    """

    code = models.CharField(_("code"), max_length=40)
    version = models.CharField(_("version"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    respondent = models.CharField(
        _("respondent"), max_length=12, choices=RespondentKind.choices
    )
    definition = models.JSONField(_("definition"), default=dict)

    class Meta:
        ordering = ["code", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], name="instruments_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


class Administration(TimeStampedModel):
    """One questionnaire given once: to whom, at which time point, with what answers.

    Drafts (in progress) are saved as answers arrive; once submitted the row is
    final and a correction is a new administration pointing at it (``corrects``).
    ``form_token`` makes a double submit of the start form land on one row.
    """

    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="administrations"
    )
    instrument_version = models.ForeignKey(
        InstrumentVersion, on_delete=models.PROTECT, related_name="administrations"
    )
    time_point = models.CharField(
        _("time point"), max_length=20, choices=TimePoint.choices
    )
    # Week number for weekly, months after discharge for follow-up, else 0.
    time_point_index = models.PositiveSmallIntegerField(
        _("time point index"), default=0
    )
    respondent_kind = models.CharField(
        _("respondent"), max_length=12, choices=RespondentKind.choices
    )
    respondent_patient = models.ForeignKey(
        Patient,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    respondent_guardian = models.ForeignKey(
        Guardian,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="administrations",
    )
    respondent_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AdministrationStatus.choices,
        default=AdministrationStatus.IN_PROGRESS,
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # The day the respondent answered: today, or the date on a paper form entered
    # later (a late entry). Results are placed in time by this date.
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    # The child answered alone on a tablet handed over in kiosk mode.
    via_kiosk = models.BooleanField(_("answered in kiosk mode"), default=False)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    correction_reason = models.TextField(_("reason for correction"), blank=True)
    version = models.PositiveIntegerField(default=1)
    form_token = models.UUIDField(unique=True, default=uuid.uuid4)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["episode", "time_point", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status="in_progress",
                    submitted_at__isnull=True,
                    answered_on__isnull=True,
                )
                | Q(
                    status="submitted",
                    submitted_at__isnull=False,
                    answered_on__isnull=False,
                ),
                name="instruments_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=Q(respondent_kind="child", respondent_patient__isnull=False)
                | Q(respondent_kind="parent", respondent_guardian__isnull=False)
                | Q(respondent_kind="clinician", respondent_user__isnull=False),
                name="instruments_respondent_recorded",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.instrument_version} at {self.get_time_point_display()} "
            f"for episode {self.episode_id}"
        )

    @property
    def is_submitted(self) -> bool:
        return self.status == AdministrationStatus.SUBMITTED

    def _stored_as_submitted(self) -> bool:
        return (
            self.pk is not None
            and type(self)
            .objects.filter(pk=self.pk, status=AdministrationStatus.SUBMITTED)
            .exists()
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The stored row decides, not the instance: a stale copy must not slip through.
        if not self._state.adding and self._stored_as_submitted():
            raise PermissionError(SUBMITTED_IS_FINAL)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self._stored_as_submitted():
            raise PermissionError(SUBMITTED_IS_FINAL)
        return super().delete(*args, **kwargs)


class Score(models.Model):
    """The scored result of one submitted administration, fixed once written.

    ``engine_version`` and ``definition_version`` say which scoring code and which
    instrument version produced it, so a later re-score is explainable. A flagged
    score (a scale at or over its flag cut point) waits for a clinician's
    acknowledgement, the only change a score allows.
    """

    administration = models.OneToOneField(
        Administration, on_delete=models.PROTECT, related_name="score"
    )
    total = models.FloatField(_("total"), null=True, blank=True)
    scales = models.JSONField(_("scales"), default=dict)
    t_score = models.FloatField(_("T-score"), null=True, blank=True)
    band = models.CharField(_("band"), max_length=60, blank=True)
    flagged = models.BooleanField(_("flagged"), default=False)
    scorable = models.BooleanField(_("scorable"), default=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    engine_version = models.CharField(_("scoring engine version"), max_length=20)
    definition_version = models.CharField(_("instrument version"), max_length=20)
    scored_at = models.DateTimeField(_("scored"))
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-scored_at", "-pk"]

    def __str__(self) -> str:
        return f"Score of {self.administration}: {self.total}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if not self._state.adding and not (
            update_fields is not None and set(update_fields) <= SCORE_MUTABLE_FIELDS
        ):
            raise PermissionError(SCORE_IS_FINAL)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError(SCORE_IS_FINAL)


# --- Daily check-in, pain body map and clinician measures (instruments.daily) ---


class SleepQuality(models.TextChoices):
    GOOD = "good", _("Good")
    OK = "ok", _("OK")
    POOR = "poor", _("Poor")


class Mood(models.TextChoices):
    """Five faces, from very sad to very happy, in plain words."""

    VERY_SAD = "very_sad", _("Very sad")
    SAD = "sad", _("Sad")
    OKAY = "okay", _("Okay")
    HAPPY = "happy", _("Happy")
    VERY_HAPPY = "very_happy", _("Very happy")


class DailyRespondent(models.TextChoices):
    """Who gave the answers: the child, or a clinician on the child's behalf."""

    CHILD = "child", _("Child")
    CLINICIAN = "clinician", _("Clinician on the child's behalf")


class MeasureKind(models.TextChoices):
    SIX_MINUTE_WALK = "six_minute_walk", _("Six-minute walk distance")
    TIMED_UP_AND_GO = "timed_up_and_go", _("Timed up-and-go")
    SIT_TO_STAND_30S = "sit_to_stand_30s", _("30-second sit-to-stand")
    GRIP_LEFT = "grip_left", _("Grip strength, left")
    GRIP_RIGHT = "grip_right", _("Grip strength, right")
    SCHOOL_ATTENDANCE = "school_attendance", _("School attendance")


@dataclass(frozen=True)
class MeasureRange:
    """The unit and the plausible range of one kind of clinician measure."""

    unit: str
    low: Decimal
    high: Decimal
    whole: bool  # counts (repetitions, days) take whole numbers only


# Plausible ranges for a child: values outside are almost surely typing errors.
MEASURE_RANGES: dict[str, MeasureRange] = {
    MeasureKind.SIX_MINUTE_WALK: MeasureRange("m", Decimal(0), Decimal(1000), False),
    MeasureKind.TIMED_UP_AND_GO: MeasureRange("s", Decimal(2), Decimal(60), False),
    MeasureKind.SIT_TO_STAND_30S: MeasureRange(
        "repetitions", Decimal(0), Decimal(40), True
    ),
    MeasureKind.GRIP_LEFT: MeasureRange("kg", Decimal(0), Decimal(80), False),
    MeasureKind.GRIP_RIGHT: MeasureRange("kg", Decimal(0), Decimal(80), False),
    # Days attended of days offered in one week; "offered" is at most 7.
    MeasureKind.SCHOOL_ATTENDANCE: MeasureRange("days", Decimal(0), Decimal(7), True),
}


class DailyCheckIn(models.Model):
    """One inpatient day in a few taps: pain now, sleep, mood and the day's goal.

    One per episode per day; a second entry for a day is refused, not merged.
    """

    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="daily_check_ins"
    )
    date = models.DateField(_("date"))
    pain_now = models.PositiveSmallIntegerField(
        _("pain now"), validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    sleep_hours = models.DecimalField(
        _("sleep hours"),
        max_digits=3,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(16))],
    )
    sleep_quality = models.CharField(
        _("sleep quality"), max_length=8, choices=SleepQuality.choices
    )
    mood = models.CharField(_("mood"), max_length=12, choices=Mood.choices)
    goal_met = models.BooleanField(_("functional goal met"))
    goal_text = models.CharField(_("goal"), max_length=200, blank=True)
    respondent = models.CharField(
        _("respondent"), max_length=12, choices=DailyRespondent.choices
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "date"], name="instruments_check_in_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"Check-in of episode {self.episode_id} on {self.date}"


class BodyMap(models.Model):
    """Where it hurts on one day: codes of body regions from ``bodymap.REGIONS``."""

    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="body_maps"
    )
    recorded_on = models.DateField(_("recorded on"))
    regions = models.JSONField(_("regions"), default=list)
    respondent = models.CharField(
        _("respondent"), max_length=12, choices=DailyRespondent.choices
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        ordering = ["-recorded_on", "-pk"]

    def __str__(self) -> str:
        return f"Body map of episode {self.episode_id} on {self.recorded_on}"


class ClinicianMeasure(models.Model):
    """One clinician-measured value (walk distance, grip, attendance…) on one day.

    ``value`` is in the unit of ``MEASURE_RANGES[kind]``; school attendance also
    stores the days offered in ``offered`` (``value`` is the days attended).
    """

    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="clinician_measures"
    )
    measured_on = models.DateField(_("measured on"))
    kind = models.CharField(_("measure"), max_length=24, choices=MeasureKind.choices)
    value = models.DecimalField(_("value"), max_digits=6, decimal_places=1)
    offered = models.PositiveSmallIntegerField(_("days offered"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        ordering = ["measured_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value} on {self.measured_on}"

    @property
    def unit(self) -> str:
        return MEASURE_RANGES[self.kind].unit
