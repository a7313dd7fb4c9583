"""The home exercise programme: what PT/OT assign, and the family's daily tick."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from painrehab.common.models import TimeStampedModel
from painrehab.episodes.models import Episode


class ExerciseDiscipline(models.TextChoices):
    PHYSICAL_THERAPY = "physical_therapy", _("Physical therapy")
    OCCUPATIONAL_THERAPY = "occupational_therapy", _("Occupational therapy")


class HomeExercise(TimeStampedModel):
    """One exercise assigned to the child for home (and the unit's evenings)."""

    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="home_exercises"
    )
    discipline = models.CharField(
        _("discipline"), max_length=24, choices=ExerciseDiscipline.choices
    )
    title = models.CharField(_("exercise"), max_length=120)
    instructions = models.TextField(_("instructions"), max_length=2000)
    repetitions = models.CharField(
        _("repetitions"), max_length=80, help_text=_("For example: 10 each side")
    )
    times_per_day = models.PositiveSmallIntegerField(_("times a day"), default=1)
    days_per_week = models.PositiveSmallIntegerField(_("days a week"), default=7)
    starts_on = models.DateField(_("from"))
    stopped_on = models.DateField(_("stopped from"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    form_token = models.UUIDField(unique=True, default=uuid.uuid4)

    class Meta:
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(times_per_day__gte=1, times_per_day__lte=6),
                name="homeprogram_times_per_day_1_6",
            ),
            models.CheckConstraint(
                condition=Q(days_per_week__gte=1, days_per_week__lte=7),
                name="homeprogram_days_per_week_1_7",
            ),
            models.CheckConstraint(
                condition=Q(stopped_on__isnull=True)
                | Q(stopped_on__gte=models.F("starts_on")),
                name="homeprogram_stopped_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ExerciseTick(models.Model):
    """The family (or the teen) did this exercise on this day: one tick a day."""

    exercise = models.ForeignKey(
        HomeExercise, on_delete=models.PROTECT, related_name="ticks"
    )
    done_on = models.DateField(_("done on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        ordering = ["done_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["exercise", "done_on"], name="homeprogram_one_tick_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exercise_id} done {self.done_on}"
