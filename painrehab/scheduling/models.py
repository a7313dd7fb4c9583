"""The unit's timetable: rooms, staff availability, the day template, groups,
solver runs, sessions and their attendance, and calendar feeds.

The solver itself is ``painrehab.domain.timetable`` (no Django); this app turns
the database into a problem (``builder.py``), runs solves in the background
(``tasks.py``) and stores what they return as ``Session`` rows. Editable rows
carry a ``version`` that the services compare with the one the user saw, and
creations carry a ``form_token`` so a double click records once.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.choices import Discipline
from painrehab.careplans.choices import SessionMode
from painrehab.careplans.models import Prescription
from painrehab.episodes.models import Episode
from painrehab.patients.models import Patient
from painrehab.scheduling.choices import (
    AbsenceReason,
    AttendanceStatus,
    FeedKind,
    RunKind,
    RunStatus,
    SessionSource,
)

WEEKDAYS = 7


class Room(models.Model):
    """A room on the unit: the kinds of session it serves and how many fit."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    kinds = models.JSONField(_("kinds of session"), default=list)  # RoomKind values
    capacity = models.PositiveSmallIntegerField(
        _("patients at once"), validators=[MinValueValidator(1)]
    )
    active = models.BooleanField(_("in use"), default=True)
    version = models.PositiveIntegerField(default=1)
    # A double click on "add" records once (nullable: rows before 0002 have none).
    form_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StaffShift(models.Model):
    """When a staff member sees patients on a weekday (0 = Monday).

    A day may hold several shifts; the gaps between them are breaks.
    """

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shifts"
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), validators=[MaxValueValidator(WEEKDAYS - 1)]
    )
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))

    class Meta:
        ordering = ["staff", "weekday", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="scheduling_shift_order"
            ),
            models.UniqueConstraint(
                fields=["staff", "weekday", "start"], name="scheduling_shift_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff} {self.weekday} {self.start:%H:%M}–{self.end:%H:%M}"


class Absence(models.Model):
    """A staff member away for a whole day (no times) or part of it."""

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="absences"
    )
    day = models.DateField(_("day"))
    start = models.TimeField(_("from"), null=True, blank=True)
    end = models.TimeField(_("until"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=12, choices=AbsenceReason.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    form_token = models.UUIDField(unique=True, default=uuid.uuid4)

    class Meta:
        ordering = ["day", "start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start=None, end=None)
                | Q(start__isnull=False, end__isnull=False, end__gt=models.F("start")),
                name="scheduling_absence_whole_day_or_interval",
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff} absent {self.day}"

    @property
    def whole_day(self) -> bool:
        return self.start is None


class DayTemplate(models.Model):
    """The program's functional day: when therapy may happen and the fixed blocks.

    One template is active; its blocks become every child's ``blocked`` times.
    """

    name = models.CharField(_("name"), max_length=80)
    active = models.BooleanField(default=True)
    earliest = models.TimeField(_("first session from"))
    latest = models.TimeField(_("last session ends by"))
    max_consecutive_minutes = models.PositiveSmallIntegerField(
        _("longest run of sessions (minutes)"), null=True, blank=True
    )
    min_break_minutes = models.PositiveSmallIntegerField(
        _("shortest break between runs (minutes)"), null=True, blank=True
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["active"],
                condition=Q(active=True),
                name="scheduling_one_active_template",
            )
        ]

    def __str__(self) -> str:
        return self.name


class TemplateBlock(models.Model):
    """A time of the functional day: a fixed block (meal, school, family time)
    that keeps therapy out, or a label of the sample day shown on the boards."""

    template = models.ForeignKey(
        DayTemplate, on_delete=models.CASCADE, related_name="blocks"
    )
    label = models.CharField(_("label"), max_length=80)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))
    fixed = models.BooleanField(
        _("keeps therapy out"),
        default=True,
        help_text=_("Meals, school and family time: no session is placed here."),
    )

    class Meta:
        ordering = ["template", "start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="scheduling_block_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.start:%H:%M} {self.label}"


class PatientBlock(models.Model):
    """A one-off time a child is away from therapy: a clinic visit, an exam."""

    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="schedule_blocks"
    )
    day = models.DateField(_("day"))
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))
    label = models.CharField(_("what"), max_length=80)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    form_token = models.UUIDField(unique=True, default=uuid.uuid4)

    class Meta:
        ordering = ["day", "start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")),
                name="scheduling_patient_block_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.day} {self.start:%H:%M}"


class TherapyGroup(models.Model):
    """A cohort for group sessions, e.g. group PT for the teenagers.

    Group prescriptions of ``discipline`` named ``label`` are gathered into the
    groups whose age band fits the child, up to ``max_patients`` each.
    """

    name = models.CharField(_("name"), max_length=80, unique=True)
    discipline = models.CharField(
        _("discipline"), max_length=8, choices=Discipline.choices
    )
    label = models.CharField(
        _("prescription name"),
        max_length=80,
        help_text=_("Group prescriptions with this name join this group."),
    )
    min_age = models.PositiveSmallIntegerField(_("from age"), default=0)
    max_age = models.PositiveSmallIntegerField(_("to age"), default=99)
    max_patients = models.PositiveSmallIntegerField(
        _("at most"), default=8, validators=[MinValueValidator(2)]
    )
    staff_required = models.PositiveSmallIntegerField(
        _("staff needed"), default=1, validators=[MinValueValidator(1)]
    )
    active = models.BooleanField(default=True)
    # A double click on "add" records once (nullable: rows before 0002 have none).
    form_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["discipline", "label", "min_age", "name"]

    def __str__(self) -> str:
        return self.name


class SolveRun(models.Model):
    """One solve (a week's timetable) or repair (a proposal after an absence).

    ``problem`` and ``solution`` are the exchange format's documents
    (spec/timetable-format.md); ``keys`` maps the format's ids back to rows.
    """

    kind = models.CharField(max_length=8, choices=RunKind.choices)
    status = models.CharField(
        max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("until"))
    time_limit = models.PositiveSmallIntegerField(_("time limit (s)"), default=60)
    progress = models.CharField(max_length=200, blank=True)
    message = models.TextField(blank=True)
    absence = models.ForeignKey(
        Absence, on_delete=models.PROTECT, null=True, blank=True, related_name="runs"
    )
    problem = models.JSONField(null=True, blank=True)
    solution = models.JSONField(null=True, blank=True)
    keys = models.JSONField(default=dict, blank=True)
    objective = models.PositiveIntegerField(null=True, blank=True)
    bound = models.PositiveIntegerField(null=True, blank=True)
    baseline_objective = models.PositiveIntegerField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    form_token = models.UUIDField(unique=True, default=uuid.uuid4)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.first_day}–{self.last_day}"


class Session(models.Model):
    """One scheduled meeting: an individual or group session of a discipline.

    ``activity`` is the format's activity id it was placed for; ``locked``
    sessions stay where they are in later solves and repairs.
    """

    day = models.DateField(_("day"))
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))
    activity = models.CharField(max_length=120)
    discipline = models.CharField(
        _("discipline"), max_length=8, choices=Discipline.choices
    )
    label = models.CharField(_("what"), max_length=80)
    mode = models.CharField(max_length=12, choices=SessionMode.choices)
    prescription = models.ForeignKey(
        Prescription,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
    )
    group = models.ForeignKey(
        TherapyGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
    )
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, null=True, blank=True, related_name="sessions"
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="scheduled_sessions"
    )
    locked = models.BooleanField(_("locked"), default=False)
    source = models.CharField(max_length=8, choices=SessionSource.choices)
    run = models.ForeignKey(
        SolveRun,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["day", "start", "pk"]
        indexes = [models.Index(fields=["day", "start"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")),
                name="scheduling_session_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.day} {self.start:%H:%M}"


class SessionPatient(models.Model):
    """A child in a session, and whether they attended."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendees"
    )
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="scheduled_sessions"
    )
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=AttendanceStatus.choices, blank=True
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["session", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "episode"], name="scheduling_patient_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.episode_id} in {self.session_id}"


class UnscheduledItem(models.Model):
    """Requested sessions a run could not place, with the reason."""

    run = models.ForeignKey(
        SolveRun, on_delete=models.CASCADE, related_name="unscheduled"
    )
    day = models.DateField()
    activity = models.CharField(max_length=120)
    discipline = models.CharField(max_length=8, choices=Discipline.choices)
    label = models.CharField(max_length=80)
    count = models.PositiveSmallIntegerField(default=1)
    reason = models.CharField(max_length=300)
    episodes = models.ManyToManyField(Episode, related_name="+")

    class Meta:
        ordering = ["day", "pk"]

    def __str__(self) -> str:
        return f"{self.label} {self.day}: {self.reason}"


class CalendarFeed(models.Model):
    """A revocable iCalendar feed of a therapist's or a child's sessions.

    Only a SHA-256 digest of the token is stored; the address is shown once.
    """

    kind = models.CharField(max_length=8, choices=FeedKind.choices)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_feeds",
    )
    patient = models.ForeignKey(
        Patient,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_feeds",
    )
    token_digest = models.CharField(max_length=64, unique=True)
    label = models.CharField(_("name"), max_length=80, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # A double click on "add" records once (nullable: rows before 0002 have none).
    form_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=FeedKind.STAFF, staff__isnull=False, patient=None)
                | Q(kind=FeedKind.PATIENT, patient__isnull=False, staff=None),
                name="scheduling_feed_owner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} feed {self.pk}"
