"""Writes of the care plan: keyword-only, typed, atomic, audited, with history.

Every write checks, in this order: the access funnel (``PatientNotFound``), that
the episode is open, the edit rule of ``careplans.rules`` (``PermissionDenied``),
the version the user saw (``ValidationError({"version": STALE})``), then the
values (``ValidationError`` keyed by field, messages in ``careplans.validation``).
Nothing is written when a check refuses. Every write leaves a ``PlanChange`` row
and an audit event with the same field-level diff (``{"old": …, "new": …}``).
"""

from painrehab.careplans.services._common import (
    EPISODE_CLOSED,
    FORM_REUSED,
    NOT_ADMITTED,
    NOT_IN_FUTURE,
    REASON_REQUIRED,
    STALE,
)
from painrehab.careplans.services.goals import (
    GOAL_CLOSED,
    SCORE_RANGE,
    goal_change,
    goal_create,
    goal_label,
    goal_review,
)
from painrehab.careplans.services.plans import (
    care_plan_change,
    care_plan_create_from_template,
    care_plan_get_or_create,
    formulation_change,
)
from painrehab.careplans.services.prescriptions import (
    ALREADY_STOPPED,
    STOP_BEFORE_START,
    prescription_change,
    prescription_create,
    prescription_label,
    prescription_stop,
)

__all__ = [
    "ALREADY_STOPPED",
    "EPISODE_CLOSED",
    "FORM_REUSED",
    "GOAL_CLOSED",
    "NOT_ADMITTED",
    "NOT_IN_FUTURE",
    "REASON_REQUIRED",
    "SCORE_RANGE",
    "STALE",
    "STOP_BEFORE_START",
    "care_plan_change",
    "care_plan_create_from_template",
    "care_plan_get_or_create",
    "formulation_change",
    "goal_change",
    "goal_create",
    "goal_label",
    "goal_review",
    "prescription_change",
    "prescription_create",
    "prescription_label",
    "prescription_stop",
]
