"""Input parsing for the care plan pages; the rules themselves are the services'.

Each edit form names the fields compared when a save turns out stale
(``COMPARED``) and gives its values in the services' shape (``values()``).
"""

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any, ClassVar, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.choices import Discipline
from painrehab.careplans.choices import (
    Attainment,
    Continuity,
    FormulationDomain,
    GoalDomain,
    GoalStatus,
    SessionMode,
    TimeOfDay,
    Weekday,
    factors_of,
)
from painrehab.careplans.inputs import (
    FactorItem,
    FormulationFields,
    GoalFields,
    PlanHeaderFields,
    PrescriptionFields,
)
from painrehab.common.forms import DateInput

REASON_HELP = _("Kept in the plan's history with your name.")
TEXTAREA = forms.Textarea(attrs={"rows": 3})


def _discipline_choices(disciplines: Sequence[str]) -> list[tuple[str, str]]:
    return [(d, str(Discipline(d).label)) for d in disciplines]


class _Versioned(forms.Form):
    """An edit of an existing row: the version the user saw, and why."""

    COMPARED: ClassVar[tuple[str, ...]] = ()
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why"), max_length=500, required=False, help_text=REASON_HELP
    )


class PlanHeaderForm(_Versioned):
    COMPARED = ("summary", "child_hopes", "max_therapy_minutes_per_day")
    summary = forms.CharField(
        label=_("Plan summary"), max_length=2000, required=False, widget=TEXTAREA
    )
    child_hopes = forms.CharField(
        label=_("What the child wants to get back to, in their words"),
        max_length=1000,
        required=False,
        widget=TEXTAREA,
    )
    max_therapy_minutes_per_day = forms.IntegerField(
        label=_("Therapy minutes a day at most"),
        min_value=0,
        max_value=10000,
        help_text=_("The timetable never schedules more therapy than this in a day."),
    )

    def values(self) -> PlanHeaderFields:
        data = self.cleaned_data
        return PlanHeaderFields(
            data["summary"], data["child_hopes"], data["max_therapy_minutes_per_day"]
        )


def header_initial(fields: PlanHeaderFields, version: int) -> dict[str, Any]:
    return {**fields.as_stored(), "version": version}


class GoalForm(forms.Form):
    """Add a goal (``form_token``) or change one (``version``, status, reason)."""

    COMPARED: ClassVar[tuple[str, ...]] = (
        "domain",
        "discipline",
        "child_words",
        "target",
        "baseline",
        "due_on",
        "status",
    )
    domain = forms.ChoiceField(label=_("Domain"), choices=GoalDomain.choices)
    discipline = forms.ChoiceField(label=_("Discipline responsible"))
    child_words = forms.CharField(
        label=_("In the child's own words"),
        max_length=300,
        required=False,
        help_text=_("For example: “I want to walk to my friend's house.”"),
    )
    target = forms.CharField(
        label=_("Measurable target"),
        max_length=300,
        help_text=_("What will be measured, and how much, by the due date."),
    )
    baseline = forms.CharField(
        label=_("Baseline"),
        max_length=300,
        required=False,
        help_text=_("Where the child is now on that measure."),
    )
    due_on = forms.DateField(label=_("Due"), required=False, widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices)
    reason = forms.CharField(
        label=_("Why"), max_length=500, required=False, help_text=REASON_HELP
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    form_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, disciplines: Sequence[str], editing: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["discipline"])
        field.choices = _discipline_choices(disciplines)
        if editing:
            del self.fields["form_token"]
            self.fields["reason"].help_text = _(
                "Needed when the status changes. Kept in the plan's history."
            )
        else:
            for name in ("status", "version"):
                del self.fields[name]

    def values(self) -> GoalFields:
        data = self.cleaned_data
        return GoalFields(
            domain=data["domain"],
            discipline=data["discipline"],
            target=data["target"],
            child_words=data["child_words"],
            baseline=data["baseline"],
            due_on=data["due_on"],
            status=data.get("status", GoalStatus.ACTIVE),
        )


def new_goal_initial(due_on: date | None) -> dict[str, Any]:
    return {"due_on": due_on, "form_token": uuid.uuid4()}


def new_prescription_initial(starts_on: date) -> dict[str, Any]:
    return {
        "starts_on": starts_on,
        "sessions_per_day": 1,
        "mode": SessionMode.INDIVIDUAL,
        "time_of_day": TimeOfDay.ANY,
        "continuity": Continuity.SAME_PREFERRED,
        "excluded_weekdays": [Weekday.SATURDAY, Weekday.SUNDAY],
        "form_token": uuid.uuid4(),
    }


def goal_initial(fields: GoalFields, version: int) -> dict[str, Any]:
    return {**fields.as_stored(), "due_on": fields.due_on, "version": version}


class GoalReviewForm(forms.Form):
    reviewed_on = forms.DateField(label=_("Review date"), widget=DateInput())
    score = forms.TypedChoiceField(
        label=_("Attainment"),
        choices=Attainment.choices,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("0 is the expected outcome; −2 is where most goals start."),
    )
    note = forms.CharField(
        label=_("Note"), max_length=1000, required=False, widget=TEXTAREA
    )
    form_token = forms.UUIDField(widget=forms.HiddenInput)


def review_initial() -> dict[str, Any]:
    return {"reviewed_on": timezone.localdate(), "form_token": uuid.uuid4()}


class PrescriptionForm(forms.Form):
    """Add a prescription (``form_token``) or change one (``version``, reason)."""

    COMPARED: ClassVar[tuple[str, ...]] = (
        "label",
        "discipline",
        "sessions_per_day",
        "sessions_per_week",
        "minutes",
        "mode",
        "time_of_day",
        "excluded_weekdays",
        "continuity",
        "starts_on",
        "ends_on",
    )
    label = forms.CharField(
        label=_("Name"),
        max_length=80,
        required=False,
        help_text=_("Optional, e.g. “Group physical therapy”."),
    )
    discipline = forms.ChoiceField(label=_("Discipline"))
    sessions_per_day = forms.IntegerField(
        label=_("Sessions a day"), required=False, min_value=0, max_value=99
    )
    sessions_per_week = forms.IntegerField(
        label=_("or sessions a week"),
        required=False,
        min_value=0,
        max_value=99,
        help_text=_("Fill one of the two."),
    )
    minutes = forms.IntegerField(
        label=_("Minutes a session"),
        min_value=0,
        max_value=1000,
        widget=forms.NumberInput(attrs={"step": 15}),
    )
    mode = forms.ChoiceField(
        label=_("Individual or group"),
        choices=SessionMode.choices,
        widget=forms.RadioSelect,
    )
    time_of_day = forms.ChoiceField(
        label=_("Preferred time of day"), choices=TimeOfDay.choices
    )
    excluded_weekdays = forms.TypedMultipleChoiceField(
        label=_("Days excluded"),
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    continuity = forms.ChoiceField(
        label=_("Same therapist"), choices=Continuity.choices
    )
    starts_on = forms.DateField(label=_("Starts"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends"), required=False, widget=DateInput())
    reason = forms.CharField(
        label=_("Why"), max_length=500, required=False, help_text=REASON_HELP
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    form_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, disciplines: Sequence[str], editing: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["discipline"])
        field.choices = _discipline_choices(disciplines)
        del self.fields["form_token" if editing else "version"]
        if editing:
            self.fields["reason"].required = True
            self.fields["reason"].help_text = _("Required. Kept in the plan's history.")

    def values(self) -> PrescriptionFields:
        data = self.cleaned_data
        return PrescriptionFields(
            discipline=data["discipline"],
            minutes=data["minutes"],
            mode=data["mode"],
            starts_on=data["starts_on"],
            sessions_per_day=data["sessions_per_day"],
            sessions_per_week=data["sessions_per_week"],
            label=data["label"],
            time_of_day=data["time_of_day"],
            excluded_weekdays=tuple(sorted(data["excluded_weekdays"])),
            continuity=data["continuity"],
            ends_on=data["ends_on"],
        )


def prescription_initial(fields: PrescriptionFields, **extra: Any) -> dict[str, Any]:
    return {
        **fields.as_stored(),
        "starts_on": fields.starts_on,
        "ends_on": fields.ends_on,
        **extra,
    }


class StopForm(forms.Form):
    stopped_on = forms.DateField(
        label=_("Stop from"),
        widget=DateInput(),
        help_text=_("No session is given from this day on."),
    )
    reason = forms.CharField(
        label=_("Why"), max_length=500, help_text=REASON_HELP, widget=TEXTAREA
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class FormulationForm(_Versioned):
    """One checkbox and one text box per coded factor, in three fieldsets."""

    COMPARED = ("biological", "psychological", "social", "summary")
    summary = forms.CharField(
        label=_("Formulation summary"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("How the factors keep the pain and disability going."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.domain_errors: dict[str, list[str]] = {}
        for domain in FormulationDomain:
            for factor in factors_of(domain):
                self.fields[factor.value] = forms.BooleanField(
                    label=factor.label, required=False
                )
                self.fields[f"{factor.value}-text"] = forms.CharField(
                    label=_("Details: %(factor)s") % {"factor": factor.label},
                    max_length=200,
                    required=False,
                )

    def domains(self) -> list[tuple[str, list[Any], list[str]]]:
        """(legend, [(checkbox, its text box)], refusals) per domain."""
        return [
            (
                str(domain.label),
                [(self[f.value], self[f"{f.value}-text"]) for f in factors_of(domain)],
                self.domain_errors.get(domain.value, []),
            )
            for domain in FormulationDomain
        ]

    def show_refusal(self, messages: dict[str, list[str]]) -> None:
        """A service refusal keyed by domain: in its fieldset and in the summary."""
        labels = {d.value: str(d.label) for d in FormulationDomain}
        for key, found in messages.items():
            if key in labels:
                self.domain_errors[key] = found
                for message in found:
                    self.add_error(None, f"{labels[key]}: {message}")
            else:
                self.add_error(key if key in self.fields else None, found)

    def _items(self, domain: str) -> tuple[FactorItem, ...]:
        data = self.cleaned_data
        return tuple(
            FactorItem(f.value, data.get(f"{f.value}-text", "").strip())
            for f in factors_of(domain)
            if data.get(f.value)
        )

    def values(self) -> FormulationFields:
        return FormulationFields(
            biological=self._items(FormulationDomain.BIOLOGICAL),
            psychological=self._items(FormulationDomain.PSYCHOLOGICAL),
            social=self._items(FormulationDomain.SOCIAL),
            summary=self.cleaned_data["summary"],
        )


def formulation_initial(fields: FormulationFields, version: int) -> dict[str, Any]:
    initial: dict[str, Any] = {"summary": fields.summary, "version": version}
    for item in (*fields.biological, *fields.psychological, *fields.social):
        initial[item.code] = True
        initial[f"{item.code}-text"] = item.text
    return initial
