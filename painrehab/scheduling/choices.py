"""Choices of the scheduling app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoomKind(models.TextChoices):
    """What a room serves: the timetable format's ``rooms[].kinds``."""

    PT = "PT", _("Physical therapy")
    GROUP_PT = "GROUP_PT", _("Group physical therapy")
    WELLNESS = "WELLNESS", _("Wellness activity")
    OT = "OT", _("Occupational therapy")
    PSY = "PSY", _("Psychotherapy")
    SW = "SW", _("Social work and family sessions")
    REC = "REC", _("Recreational therapy")
    ACU = "ACU", _("Acupuncture")
    CL = "CL", _("Child Life")


class AbsenceReason(models.TextChoices):
    LEAVE = "leave", _("Planned leave")
    SICK = "sick", _("Sick")
    TRAINING = "training", _("Training or meeting")
    OTHER = "other", _("Other")


class RunKind(models.TextChoices):
    SOLVE = "solve", _("Timetable for the week")
    REPAIR = "repair", _("Repair after an absence")


class RunStatus(models.TextChoices):
    """A solve's life: queued → running → done (sessions stored) or failed.

    A repair stops at ``proposed``: the coordinator accepts it (``applied``) or
    discards it (``discarded``); a proposal whose timetable changed meanwhile is
    ``stale`` and can only be discarded.
    """

    QUEUED = "queued", _("Waiting for the solver")
    RUNNING = "running", _("Solving")
    DONE = "done", _("Done")
    PROPOSED = "proposed", _("Proposed")
    APPLIED = "applied", _("Accepted")
    DISCARDED = "discarded", _("Discarded")
    STALE = "stale", _("Out of date")
    FAILED = "failed", _("Failed")


OPEN_RUN_STATUSES = frozenset({RunStatus.QUEUED, RunStatus.RUNNING})


class SessionSource(models.TextChoices):
    SOLVER = "solver", _("Solver")
    REPAIR = "repair", _("Repair")
    MANUAL = "manual", _("Coordinator")


class AttendanceStatus(models.TextChoices):
    ATTENDED = "attended", _("Attended")
    PARTIAL = "partial", _("Partly attended")
    MISSED = "missed", _("Missed")
    REFUSED = "refused", _("Refused")


# Statuses that need a reason.
ATTENDANCE_NEEDS_REASON = frozenset(
    {AttendanceStatus.PARTIAL, AttendanceStatus.MISSED, AttendanceStatus.REFUSED}
)


class FeedKind(models.TextChoices):
    STAFF = "staff", _("A therapist's sessions")
    PATIENT = "patient", _("A child's day, for the family")
