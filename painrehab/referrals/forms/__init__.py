"""Input parsing for intake, triage, scheduling, evaluations and decisions.

Forms check what the input alone can show; the services own every rule that needs
the database.
"""

from painrehab.referrals.forms.decision import DecisionForm
from painrehab.referrals.forms.intake import IntakeForm
from painrehab.referrals.forms.review import (
    EvaluationForm,
    ScheduleForm,
    TriageForm,
    evaluation_initial,
)

__all__ = [
    "DecisionForm",
    "EvaluationForm",
    "IntakeForm",
    "ScheduleForm",
    "TriageForm",
    "evaluation_initial",
]
