"""Phases of an episode and the named transitions between them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    """Where a child is on the journey (DESIGN.md, "The patient's journey")."""

    REFERRED = "referred", _("Referred")
    EVALUATION = "evaluation", _("Evaluation")
    DECIDED = "decided", _("Accepted")
    WAITLISTED = "waitlisted", _("Waitlisted")
    INPATIENT = "inpatient", _("Inpatient")
    STEP_DOWN = "step_down", _("Step-down")
    FOLLOW_UP = "follow_up", _("Follow-up")
    DECLINED = "declined", _("Declined")
    CLOSED = "closed", _("Closed")


# Phases in which an episode is still part of the journey; a patient has at most one.
OPEN_PHASES = frozenset(Phase) - {Phase.DECLINED, Phase.CLOSED}


class Transition(models.TextChoices):
    """Every way an episode changes phase; each is one function in services.py."""

    OPEN = "open", _("Referral received")
    START_EVALUATION = "start_evaluation", _("Evaluation scheduled")
    ACCEPT = "accept", _("Accepted for admission")
    DECLINE = "decline", _("Declined")
    WAITLIST = "waitlist", _("Added to the waitlist")
    ADMIT = "admit", _("Admitted")
    DISCHARGE = "discharge", _("Discharged to step-down")
    START_FOLLOW_UP = "start_follow_up", _("Step-down completed")
    CLOSE = "close", _("Closed")


# from phase -> {transition: to phase}
TRANSITIONS: dict[str, dict[str, str]] = {
    Phase.REFERRED: {
        Transition.START_EVALUATION: Phase.EVALUATION,
        Transition.DECLINE: Phase.DECLINED,
        Transition.CLOSE: Phase.CLOSED,
    },
    Phase.EVALUATION: {
        Transition.ACCEPT: Phase.DECIDED,
        Transition.DECLINE: Phase.DECLINED,
        Transition.CLOSE: Phase.CLOSED,
    },
    Phase.DECIDED: {
        Transition.WAITLIST: Phase.WAITLISTED,
        Transition.CLOSE: Phase.CLOSED,
    },
    Phase.WAITLISTED: {
        Transition.ADMIT: Phase.INPATIENT,
        Transition.CLOSE: Phase.CLOSED,
    },
    Phase.INPATIENT: {Transition.DISCHARGE: Phase.STEP_DOWN},
    Phase.STEP_DOWN: {
        Transition.START_FOLLOW_UP: Phase.FOLLOW_UP,
        Transition.CLOSE: Phase.CLOSED,
    },
    Phase.FOLLOW_UP: {Transition.CLOSE: Phase.CLOSED},
    Phase.DECLINED: {Transition.CLOSE: Phase.CLOSED},
    Phase.CLOSED: {},
}


class WaitlistPriority(models.IntegerChoices):
    URGENT = 1, _("Urgent")
    HIGH = 2, _("High")
    ROUTINE = 3, _("Routine")


class Disposition(models.TextChoices):
    HOME = "home", _("Home with step-down program")
    HOME_OTHER_SERVICES = "home_services", _("Home with other outpatient services")
    TRANSFER = "transfer", _("Transfer to another facility")
    LEFT_EARLY = "left_early", _("Left the program early")


class FollowUpStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    COMPLETED = "completed", _("Completed")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("Cancelled")
