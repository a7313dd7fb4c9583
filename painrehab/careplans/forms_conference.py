"""Input parsing for the conference pages; the rules are the services'.

Each decision kind has its own short form (a tablet shows only what that decision
needs). A prescription is chosen as ``"<pk>:<version>"``: the version the user saw
travels with the choice, so a change made by someone else in between is caught.
"""

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any, ClassVar, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.choices import Discipline
from painrehab.accounts.models import User
from painrehab.careplans.choices import DecisionKind, GoalDomain
from painrehab.careplans.inputs import DecisionInput, GoalFields
from painrehab.careplans.models import Prescription
from painrehab.careplans.services.conferences import (
    LEAD_ROLES,
    SUMMARY_MAX,
    UPDATE_MAX,
)
from painrehab.common.forms import DateInput


class PrescriptionChoice(forms.ChoiceField):
    """A prescription as ``"<pk>:<version>"``; any version of a listed one is
    valid here, so a stale version reaches the service and is shown as a
    conflict (and a double click is recognised by its token)."""

    def valid_value(self, value: Any) -> bool:
        pk = str(value).partition(":")[0]
        offered = cast(list[tuple[str, str]], self.choices)
        return any(key.partition(":")[0] == pk for key, _label in offered)


class ChairField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.get_username()


class ConferenceForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    chaired_by = ChairField(
        label=_("Chair"),
        queryset=User.objects.none(),
        help_text=_("The coordinator or a physician runs the meeting."),
    )
    form_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(ChairField, self.fields["chaired_by"])
        field.queryset = User.objects.filter(
            role__in=sorted(LEAD_ROLES), is_active=True
        ).order_by("last_name", "first_name", "pk")


def conference_initial(user: User) -> dict[str, Any]:
    return {
        "held_on": timezone.localdate(),
        "chaired_by": user.pk,
        "form_token": uuid.uuid4(),
    }


class AddChildForm(forms.Form):
    episode = forms.IntegerField(widget=forms.HiddenInput)


class UpdateForm(forms.Form):
    text = forms.CharField(
        label=_("Update"),
        max_length=UPDATE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Progress, barriers, what you propose. Editable until close."),
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Several forms share the child's page: ids of their own.
        kwargs.setdefault("auto_id", "id_update_%s")
        super().__init__(*args, **kwargs)


class SummaryForm(forms.Form):
    text = forms.CharField(
        label=_("Summary for the family"),
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Plain words, no scores or abbreviations. The family sees it in the "
            "portal once released."
        ),
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_summary_%s")
        super().__init__(*args, **kwargs)


class ReleaseForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_release_%s")
        super().__init__(*args, **kwargs)


# --- Decisions ----------------------------------------------------------------------


def prescription_value(p: Prescription) -> str:
    return f"{p.pk}:{p.version}"


class _Decision(forms.Form):
    kind: ClassVar[DecisionKind]
    # Required by the service, which reports it with any other refusal at once.
    rationale = forms.CharField(
        label=_("Why (required)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the decision and in the plan's history."),
    )
    form_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        prescriptions: Sequence[Prescription] = (),
        goal_disciplines: Sequence[str] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if "prescription" in self.fields:
            field = cast(forms.ChoiceField, self.fields["prescription"])
            field.choices = [
                (prescription_value(p), f"{p.name} — {p.frequency_text}")
                for p in prescriptions
            ]
        if "discipline" in self.fields:
            field = cast(forms.ChoiceField, self.fields["discipline"])
            field.choices = [(d, str(Discipline(d).label)) for d in goal_disciplines]

    def _chosen(self) -> tuple[int | None, int | None]:
        raw = self.cleaned_data.get("prescription") or ""
        pk, _sep, version = raw.partition(":")
        if not (pk.isdigit() and version.isdigit()):
            return None, None
        return int(pk), int(version)

    def extra(self) -> dict[str, Any]:
        return {}

    def decision(self) -> DecisionInput:
        return DecisionInput(
            kind=self.kind,
            rationale=self.cleaned_data["rationale"],
            **self.extra(),
        )


class ChangePrescriptionForm(_Decision):
    kind = DecisionKind.CHANGE_PRESCRIPTION
    prescription = PrescriptionChoice(label=_("Prescription"))
    minutes = forms.IntegerField(
        label=_("Minutes a session"),
        min_value=0,
        max_value=1000,
        widget=forms.NumberInput(attrs={"step": 15}),
    )
    sessions_per_day = forms.IntegerField(
        label=_("Sessions a day"), required=False, min_value=0, max_value=99
    )
    sessions_per_week = forms.IntegerField(
        label=_("or sessions a week"),
        required=False,
        min_value=0,
        max_value=99,
        help_text=_("Leave both empty to keep how often it is given."),
    )

    def extra(self) -> dict[str, Any]:
        pk, version = self._chosen()
        data = self.cleaned_data
        return {
            "prescription_id": pk,
            "prescription_version": version,
            "minutes": data["minutes"],
            "sessions_per_day": data["sessions_per_day"],
            "sessions_per_week": data["sessions_per_week"],
        }


class StopPrescriptionForm(_Decision):
    kind = DecisionKind.STOP_PRESCRIPTION
    prescription = PrescriptionChoice(label=_("Prescription"))
    stopped_on = forms.DateField(label=_("Stop from"), widget=DateInput())

    def extra(self) -> dict[str, Any]:
        pk, version = self._chosen()
        return {
            "prescription_id": pk,
            "prescription_version": version,
            "stopped_on": self.cleaned_data["stopped_on"],
        }


class NewGoalForm(_Decision):
    kind = DecisionKind.NEW_GOAL
    domain = forms.ChoiceField(label=_("Domain"), choices=GoalDomain.choices)
    discipline = forms.ChoiceField(label=_("Discipline responsible"))
    child_words = forms.CharField(
        label=_("In the child's own words"), max_length=300, required=False
    )
    target = forms.CharField(label=_("Measurable target"), max_length=300)
    baseline = forms.CharField(label=_("Baseline"), max_length=300, required=False)
    due_on = forms.DateField(label=_("Due"), required=False, widget=DateInput())

    def extra(self) -> dict[str, Any]:
        data = self.cleaned_data
        goal = GoalFields(
            domain=data["domain"],
            discipline=data["discipline"],
            target=data["target"],
            child_words=data["child_words"],
            baseline=data["baseline"],
            due_on=data["due_on"],
        )
        return {"goal": goal}


class StayForm(_Decision):
    discharge_on = forms.DateField(label=_("Planned discharge"), widget=DateInput())

    def extra(self) -> dict[str, Any]:
        return {"discharge_on": self.cleaned_data["discharge_on"]}


class ExtendStayForm(StayForm):
    kind = DecisionKind.EXTEND_STAY


class ShortenStayForm(StayForm):
    kind = DecisionKind.SHORTEN_STAY


class PlanDischargeForm(StayForm):
    kind = DecisionKind.PLAN_DISCHARGE


class NoChangeForm(_Decision):
    kind = DecisionKind.NO_CHANGE


class OtherForm(_Decision):
    kind = DecisionKind.OTHER

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rationale"].label = _("What the team decided, and why (required)")


DECISION_FORMS: dict[str, type[_Decision]] = {
    form.kind: form
    for form in (
        ChangePrescriptionForm,
        StopPrescriptionForm,
        NewGoalForm,
        ExtendStayForm,
        ShortenStayForm,
        PlanDischargeForm,
        NoChangeForm,
        OtherForm,
    )
}


def decision_initial(
    kind: str, *, planned_discharge_on: date | None, today: date
) -> dict[str, Any]:
    initial: dict[str, Any] = {"form_token": uuid.uuid4()}
    if kind == DecisionKind.STOP_PRESCRIPTION:
        initial["stopped_on"] = today
    if kind == DecisionKind.NEW_GOAL:
        initial["due_on"] = planned_discharge_on
    if kind in (DecisionKind.EXTEND_STAY, DecisionKind.PLAN_DISCHARGE):
        initial["discharge_on"] = planned_discharge_on
    return initial
