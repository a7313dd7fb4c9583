"""The care plan of one episode: goals, prescriptions, formulation and history.

Nothing here is deleted: a goal is discontinued or marked met, a prescription is
stopped, and every change leaves a ``PlanChange`` row. Editable rows carry a
``version`` that the services compare with the one the user saw, so a stale save is
refused instead of overwriting someone else's work.
"""

import uuid
from datetime import date
from typing import Any, NoReturn

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.choices import Discipline
from painrehab.careplans.choices import (
    Attainment,
    ConferenceStatus,
    Continuity,
    DecisionKind,
    Factor,
    FormulationDomain,
    GoalDomain,
    GoalStatus,
    PrescriptionStatus,
    SessionMode,
    TimeOfDay,
    Weekday,
)
from painrehab.common.models import TimeStampedModel
from painrehab.episodes.models import Episode

NEVER_DELETED = "Care plan records are never deleted; stop or discontinue instead."
RECORD_IS_FINAL = "This record is part of the plan's history and cannot change."
DAYS_PER_WEEK = 7


class _Kept(models.Model):
    """A row that may change through the services but is never deleted."""

    class Meta:
        abstract = True

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError(NEVER_DELETED)


class _Final(models.Model):
    """A row written once: a review or a history entry."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError(RECORD_IS_FINAL)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError(RECORD_IS_FINAL)


class CarePlan(_Kept, TimeStampedModel):
    """The personalized plan of one episode, created from the program template at
    admission. The header holds the plan's summary, the child's own hopes for the
    stay and the daily therapy limit the timetable must keep."""

    episode = models.OneToOneField(
        Episode, on_delete=models.PROTECT, related_name="care_plan"
    )
    template = models.CharField(_("created from template"), max_length=40)
    summary = models.TextField(_("plan summary"), blank=True, max_length=2000)
    child_hopes = models.TextField(
        _("what the child wants to get back to, in their words"),
        blank=True,
        max_length=1000,
    )
    max_therapy_minutes_per_day = models.PositiveSmallIntegerField(
        _("therapy minutes a day at most"),
        validators=[MinValueValidator(60), MaxValueValidator(600)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"Care plan of episode {self.episode_id}"


class Formulation(_Kept, TimeStampedModel):
    """The biopsychosocial formulation: three short lists of coded factors, each
    ``{"code": <choices.Factor>, "text": <free text>}``, and a summary."""

    care_plan = models.OneToOneField(
        CarePlan, on_delete=models.PROTECT, related_name="formulation"
    )
    biological = models.JSONField(_("biological factors"), default=list, blank=True)
    psychological = models.JSONField(
        _("psychological factors"), default=list, blank=True
    )
    social = models.JSONField(_("social factors"), default=list, blank=True)
    summary = models.TextField(_("formulation summary"), blank=True, max_length=3000)
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"Formulation of {self.care_plan}"

    def factor_lines(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """(domain, [(factor, text)]) for each domain, in words."""
        return [
            (
                str(domain.label),
                [
                    (_factor_label(item.get("code", "")), item.get("text", ""))
                    for item in getattr(self, domain.value)
                ],
            )
            for domain in FormulationDomain
        ]

    @property
    def is_empty(self) -> bool:
        return not (
            self.biological or self.psychological or self.social or self.summary
        )


def _factor_label(code: str) -> str:
    return str(Factor(code).label) if code in Factor.values else code


class Goal(_Kept, TimeStampedModel):
    """One goal of the plan, in the child's words, with a measurable target.

    Its current attainment is the score of its latest ``GoalReview``. Starter goals
    from the template (``template_key`` set) wait for the team to word them.
    """

    care_plan = models.ForeignKey(
        CarePlan, on_delete=models.PROTECT, related_name="goals"
    )
    domain = models.CharField(_("domain"), max_length=20, choices=GoalDomain.choices)
    discipline = models.CharField(
        _("discipline responsible"), max_length=8, choices=Discipline.choices
    )
    child_words = models.CharField(
        _("the child's own words"), max_length=300, blank=True
    )
    target = models.CharField(_("measurable target"), max_length=300)
    baseline = models.CharField(_("baseline"), max_length=300, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=GoalStatus.choices,
        default=GoalStatus.ACTIVE,
    )
    template_key = models.CharField(max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    form_token = models.UUIDField(unique=True, default=uuid.uuid4)

    class Meta:
        ordering = ["care_plan", "pk"]

    def __str__(self) -> str:
        return f"{self.get_domain_display()}: {self.child_words or self.target}"

    @property
    def needs_wording(self) -> bool:
        return not self.child_words.strip()


class GoalReview(_Final):
    """One goal attainment scaling score, recorded at a review (often the weekly
    conference); the latest is the goal's current attainment."""

    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField(_("review date"))
    score = models.SmallIntegerField(_("attainment"), choices=Attainment.choices)
    note = models.TextField(_("note"), blank=True, max_length=1000)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"))
    form_token = models.UUIDField(unique=True, default=uuid.uuid4)

    class Meta:
        ordering = ["reviewed_on", "recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=-2, score__lte=2),
                name="careplans_review_score_in_gas_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.score:+d} on {self.reviewed_on} for goal {self.goal_id}"


class Prescription(_Kept, TimeStampedModel):
    """A therapy the child is to receive: what, how often, how long, with whom.

    Each field maps onto the timetable format's ``activities[]`` (docs/careplans.md).
    Exactly one of ``sessions_per_day`` and ``sessions_per_week`` is set. A stopped
    prescription gives no session from ``stopped_on`` on.
    """

    care_plan = models.ForeignKey(
        CarePlan, on_delete=models.PROTECT, related_name="prescriptions"
    )
    label = models.CharField(_("name"), max_length=80, blank=True)
    discipline = models.CharField(
        _("discipline"), max_length=8, choices=Discipline.choices
    )
    sessions_per_day = models.PositiveSmallIntegerField(
        _("sessions a day"), null=True, blank=True
    )
    sessions_per_week = models.PositiveSmallIntegerField(
        _("sessions a week"), null=True, blank=True
    )
    minutes = models.PositiveSmallIntegerField(_("minutes a session"))
    mode = models.CharField(
        _("individual or group"), max_length=12, choices=SessionMode.choices
    )
    time_of_day = models.CharField(
        _("preferred time of day"),
        max_length=12,
        choices=TimeOfDay.choices,
        default=TimeOfDay.ANY,
    )
    excluded_weekdays = models.JSONField(_("days excluded"), default=list, blank=True)
    continuity = models.CharField(
        _("same therapist"),
        max_length=16,
        choices=Continuity.choices,
        default=Continuity.SAME_PREFERRED,
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=PrescriptionStatus.choices,
        default=PrescriptionStatus.ACTIVE,
    )
    stopped_on = models.DateField(_("stopped from"), null=True, blank=True)
    stop_reason = models.TextField(_("reason for stopping"), blank=True)
    template_key = models.CharField(max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    form_token = models.UUIDField(unique=True, default=uuid.uuid4)

    class Meta:
        ordering = ["care_plan", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sessions_per_day__isnull=False, sessions_per_week=None)
                | Q(sessions_per_day=None, sessions_per_week__isnull=False),
                name="careplans_prescription_one_frequency",
            ),
            models.CheckConstraint(
                condition=Q(minutes__gte=15, minutes__lte=180),
                name="careplans_prescription_minutes_range",
            ),
            models.CheckConstraint(
                condition=Q(status="active", stopped_on=None)
                | Q(status="stopped", stopped_on__isnull=False),
                name="careplans_prescription_stopped_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.frequency_text}"

    @property
    def name(self) -> str:
        return self.label or str(self.get_discipline_display())

    @property
    def frequency_text(self) -> str:
        if self.sessions_per_day is not None:
            return f"{self.sessions_per_day}× {self.minutes} min a day"
        return f"{self.sessions_per_week}× {self.minutes} min a week"

    @property
    def excluded_text(self) -> str:
        return ", ".join(str(Weekday(d).label) for d in self.excluded_weekdays)

    @property
    def days_a_week(self) -> int:
        return DAYS_PER_WEEK - len(self.excluded_weekdays)

    @property
    def minutes_per_day(self) -> int:
        """On a day it is given; 0 for a weekly prescription (days vary)."""
        return (self.sessions_per_day or 0) * self.minutes

    @property
    def minutes_per_week(self) -> int:
        if self.sessions_per_day is not None:
            return self.sessions_per_day * self.minutes * self.days_a_week
        return (self.sessions_per_week or 0) * self.minutes

    def in_force_on(self, day: date) -> bool:
        """Started, not ended and not stopped on ``day`` (excluded weekdays aside)."""
        if day < self.starts_on or (self.ends_on is not None and day > self.ends_on):
            return False
        return self.stopped_on is None or day < self.stopped_on

    def requested_on(self, day: date) -> bool:
        """In force on ``day`` and ``day`` is not an excluded weekday."""
        return self.in_force_on(day) and day.weekday() not in self.excluded_weekdays


class PlanChange(_Final):
    """One entry of the plan's history: who changed what, when and why.

    ``changes`` maps each changed field to ``{"old": …, "new": …}`` (codes and ISO
    dates, as in the audit event written with it).
    """

    care_plan = models.ForeignKey(
        CarePlan, on_delete=models.PROTECT, related_name="changes"
    )
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=40)
    subject = models.CharField(max_length=20)
    subject_id = models.PositiveIntegerField(null=True, blank=True)
    label = models.CharField(max_length=200)
    changes = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["care_plan", "subject", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.label} at {self.at:%Y-%m-%d %H:%M}"


# =============================================================================
# Team conference (issue 5, part 2)
#
# A weekly meeting: one item per inpatient, each discipline's update, the team's
# decisions (applied to the plan in one step by ``services.decisions``) and a
# plain-language summary for the family. While the conference is open the agenda
# is computed from the plan, instruments and stay (``careplans.agenda``); closing
# writes it on each item as JSON, and from then on nothing of the conference
# changes: every model below refuses saves, bulk updates and deletes once its
# conference is closed (the stored row decides, not a stale instance).
# =============================================================================

CONFERENCE_CLOSED = "This conference is closed; its record no longer changes."
SUMMARY_RELEASED = "This summary was released to the family; it no longer changes."
SNAPSHOT_FINAL = "The agenda snapshot is written once, when the conference closes."


def _conference_closed(conference_id: int | None) -> bool:
    return (
        conference_id is not None
        and TeamConference.objects.filter(
            pk=conference_id, status=ConferenceStatus.CLOSED
        ).exists()
    )


def _refuse_closed(queryset: models.QuerySet[Any], lookup: str) -> None:
    """Bulk ``update()`` goes around ``save()``: refused for a closed conference."""
    if queryset.filter(**{lookup: ConferenceStatus.CLOSED}).exists():
        raise PermissionError(CONFERENCE_CLOSED)


class TeamConferenceQuerySet(models.QuerySet["TeamConference"]):
    def update(self, **kwargs: Any) -> int:
        _refuse_closed(self, "status")
        return super().update(**kwargs)

    def delete(self) -> NoReturn:
        raise PermissionError(NEVER_DELETED)


class ConferenceItemQuerySet(models.QuerySet["ConferenceItem"]):
    def update(self, **kwargs: Any) -> int:
        _refuse_closed(self, "conference__status")
        return super().update(**kwargs)

    def delete(self) -> NoReturn:
        raise PermissionError(NEVER_DELETED)


class DisciplineUpdateQuerySet(models.QuerySet["DisciplineUpdate"]):
    def update(self, **kwargs: Any) -> int:
        _refuse_closed(self, "item__conference__status")
        return super().update(**kwargs)

    def delete(self) -> NoReturn:
        raise PermissionError(NEVER_DELETED)


class ConferenceDecisionQuerySet(models.QuerySet["ConferenceDecision"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError(RECORD_IS_FINAL)

    def delete(self) -> NoReturn:
        raise PermissionError(RECORD_IS_FINAL)


class FamilySummaryQuerySet(models.QuerySet["FamilySummary"]):
    def update(self, **kwargs: Any) -> int:
        _refuse_closed(self, "item__conference__status")
        if self.filter(released_at__isnull=False).exists():
            raise PermissionError(SUMMARY_RELEASED)
        return super().update(**kwargs)

    def delete(self) -> NoReturn:
        raise PermissionError(NEVER_DELETED)


class _ConferenceRecord(models.Model):
    """A row of a conference: saved freely while it is open, never once closed."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if _conference_closed(self.conference_pk()):
            raise PermissionError(CONFERENCE_CLOSED)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError(NEVER_DELETED)

    def conference_pk(self) -> int | None:
        raise NotImplementedError


class TeamConference(_ConferenceRecord, TimeStampedModel):
    """The weekly team conference of one day: planned, held, then closed.

    ``form_token`` makes a double-clicked "New conference" create one row.
    """

    held_on = models.DateField(_("date"), unique=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ConferenceStatus.choices,
        default=ConferenceStatus.PLANNED,
    )
    chaired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("chair"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    form_token = models.UUIDField(unique=True, default=uuid.uuid4)

    objects = TeamConferenceQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
                name="careplans_conference_closed_has_time",
            )
        ]

    def __str__(self) -> str:
        return f"Team conference {self.held_on}"

    def conference_pk(self) -> int | None:
        return self.pk

    @property
    def is_open(self) -> bool:
        return self.status == ConferenceStatus.IN_PROGRESS

    @property
    def is_closed(self) -> bool:
        return self.status == ConferenceStatus.CLOSED


class ConferenceItem(_ConferenceRecord):
    """One child on the conference's agenda (an inpatient episode).

    ``snapshot`` holds the agenda as the team saw it, written when the conference
    closes (``careplans.agenda.Agenda.as_json``); before that the agenda is live.
    """

    conference = models.ForeignKey(
        TeamConference, on_delete=models.PROTECT, related_name="items"
    )
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="conference_items"
    )
    added_at = models.DateTimeField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    snapshot = models.JSONField(null=True, blank=True)
    snapshot_at = models.DateTimeField(null=True, blank=True)

    objects = ConferenceItemQuerySet.as_manager()

    class Meta:
        ordering = ["conference", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "episode"],
                name="careplans_conference_item_once",
            )
        ]

    def __str__(self) -> str:
        return f"Episode {self.episode_id} at {self.conference_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        stored = type(self).objects.filter(pk=self.pk, snapshot__isnull=False)
        if self.pk is not None and stored.exists():
            raise PermissionError(SNAPSHOT_FINAL)
        super().save(*args, **kwargs)

    def conference_pk(self) -> int | None:
        return self.conference_id


class DisciplineUpdate(_ConferenceRecord, TimeStampedModel):
    """One discipline's update on one child, editable until the conference closes.

    ``version`` starts at 1; a save based on an older version is refused.
    """

    item = models.ForeignKey(
        ConferenceItem, on_delete=models.PROTECT, related_name="updates"
    )
    discipline = models.CharField(
        _("discipline"), max_length=8, choices=Discipline.choices
    )
    text = models.TextField(_("update"), max_length=3000)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    objects = DisciplineUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["item", "discipline"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "discipline"], name="careplans_update_per_discipline"
            )
        ]

    def __str__(self) -> str:
        return f"{self.discipline} update on item {self.item_id}"

    def conference_pk(self) -> int | None:
        return _item_conference(self.item_id)


def _item_conference(item_id: int | None) -> int | None:
    if item_id is None:
        return None
    return (
        ConferenceItem.objects.filter(pk=item_id)
        .values_list("conference_id", flat=True)
        .first()
    )


class ConferenceDecision(_ConferenceRecord):
    """A decision of the team for one child: what, with which values, who and why.

    Written once, when it is applied to the plan (``applied_at``); ``params`` holds
    the decision's values (old and new, ISO dates), ``plan_change`` the history
    row it produced, ``summary`` the decision in words.
    """

    item = models.ForeignKey(
        ConferenceItem, on_delete=models.PROTECT, related_name="decisions"
    )
    kind = models.CharField(_("decision"), max_length=24, choices=DecisionKind.choices)
    params = models.JSONField(default=dict, blank=True)
    summary = models.CharField(max_length=300)
    rationale = models.TextField(_("why"), max_length=1000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    applied_at = models.DateTimeField()
    plan_change = models.ForeignKey(
        PlanChange,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    form_token = models.UUIDField(unique=True, default=uuid.uuid4)

    objects = ConferenceDecisionQuerySet.as_manager()

    class Meta:
        ordering = ["item", "applied_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} on item {self.item_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError(RECORD_IS_FINAL)
        super().save(*args, **kwargs)

    def conference_pk(self) -> int | None:
        return _item_conference(self.item_id)


class FamilySummary(_ConferenceRecord, TimeStampedModel):
    """What the family is told after the conference, in plain words.

    Edited by the team while the conference is open; "released" marks it for the
    family portal (``released_at``/``released_by``), after which it never changes.
    """

    item = models.OneToOneField(
        ConferenceItem, on_delete=models.PROTECT, related_name="family_summary"
    )
    text = models.TextField(_("summary for the family"), max_length=4000)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    objects = FamilySummaryQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(released_at__isnull=True, released_by__isnull=True)
                | Q(released_at__isnull=False, released_by__isnull=False),
                name="careplans_family_summary_release_by_whom",
            )
        ]

    def __str__(self) -> str:
        return f"Family summary of item {self.item_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        stored = type(self).objects.filter(pk=self.pk, released_at__isnull=False)
        if self.pk is not None and stored.exists():
            raise PermissionError(SUMMARY_RELEASED)
        super().save(*args, **kwargs)

    def conference_pk(self) -> int | None:
        return _item_conference(self.item_id)

    @property
    def is_released(self) -> bool:
        return self.released_at is not None
