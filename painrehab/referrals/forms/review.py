"""Forms of the evaluation: triage note, clinic visit, each discipline's findings."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.models import User
from painrehab.domain.eligibility import Exclusion
from painrehab.referrals import selectors
from painrehab.referrals.choices import (
    REQUIRED_DISCIPLINES,
    EvaluationDiscipline,
    EvaluatorRecommendation,
)
from painrehab.referrals.forms._fields import date_field, text_field
from painrehab.referrals.models import Evaluation

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class TriageForm(forms.Form):
    """The coordinator's note on what happens next with a referral."""

    note = text_field(_("Triage note"), max_length=4000)


class EvaluatorChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Staff listed as "Last, First", the order the select box sorts them in."""

    def label_from_instance(self, obj: User) -> str:
        return f"{obj.last_name}, {obj.first_name}"


class ScheduleForm(forms.Form):
    """The evaluation visit: when, where, and one evaluator per discipline."""

    scheduled_for = date_field(label=_("Visit date"))
    location = forms.CharField(
        label=_("Location"), max_length=120, initial="Pain Medicine Clinic"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for discipline in EvaluationDiscipline:
            self.fields[f"evaluator_{discipline}"] = EvaluatorChoiceField(
                label=discipline.label,
                queryset=selectors.evaluator_choices(discipline=discipline),
                required=discipline in REQUIRED_DISCIPLINES,
                empty_label="—",
            )

    def evaluator_fields(self) -> list[forms.BoundField]:
        return [self[f"evaluator_{d}"] for d in EvaluationDiscipline]

    def evaluators(self) -> dict[EvaluationDiscipline, User]:
        chosen = {
            d: self.cleaned_data.get(f"evaluator_{d}") for d in EvaluationDiscipline
        }
        return {d: user for d, user in chosen.items() if user is not None}


class EvaluationForm(forms.Form):
    """One discipline's findings, recommendation and exclusion answers."""

    summary = text_field(_("Findings"), required=False)
    function_notes = text_field(_("Function and participation"), required=False)
    recommendation = forms.ChoiceField(
        label=_("Recommendation"),
        choices=EvaluatorRecommendation.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(
        self, *args: Any, questions: tuple[Exclusion, ...], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[f"exclusion_{question.key}"] = forms.ChoiceField(
                label=question.question,
                choices=YES_NO,
                widget=forms.RadioSelect,
                required=False,
            )

    def exclusion_fields(self) -> list[forms.BoundField]:
        return [self[f"exclusion_{q.key}"] for q in self.questions]

    def values(self) -> dict[str, Any]:
        """The cleaned input as ``evaluation_save`` takes it."""
        data = self.cleaned_data
        exclusions = {
            q.key: data[f"exclusion_{q.key}"] == "yes"
            for q in self.questions
            if data.get(f"exclusion_{q.key}")
        }
        return {
            "version": data["version"],
            "summary": data["summary"],
            "function_notes": data["function_notes"],
            "recommendation": data["recommendation"],
            "exclusions": exclusions,
        }

    def mark_unanswered(self, message: str) -> None:
        """Put ``message`` beside every exclusion question left unanswered."""
        empty = [f.name for f in self.exclusion_fields() if not f.value()]
        if not empty:
            self.add_error(None, message)
        for name in empty:
            self.add_error(name, message)


def evaluation_initial(evaluation: Evaluation) -> dict[str, Any]:
    """The saved evaluation as the form's starting values."""
    initial: dict[str, Any] = {
        "summary": evaluation.summary,
        "function_notes": evaluation.function_notes,
        "recommendation": evaluation.recommendation,
        "version": evaluation.version,
    }
    for key, present in evaluation.exclusions.items():
        initial[f"exclusion_{key}"] = "yes" if present else "no"
    return initial
