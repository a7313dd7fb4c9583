"""Input parsing for the episode pages; the rules themselves live in services."""

from collections.abc import Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.models import User
from painrehab.common.forms import DateInput
from painrehab.episodes.choices import Disposition, FollowUpStatus, WaitlistPriority
from painrehab.episodes.models import Bed
from painrehab.episodes.selectors import ADMISSION_TEAM, AdmissionOptions
from painrehab.episodes.services import DISCHARGE_TEXT_FIELDS, REASON_REQUIRED
from painrehab.patients.choices import TeamRole

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def date_field(
    label: "StrOrPromise", *, required: bool = True, **kwargs: Any
) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        **kwargs,
    )


def text_field(label: "StrOrPromise") -> forms.CharField:
    """Optional free text."""
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


def reason_field(label: "StrOrPromise") -> forms.CharField:
    """Required free text, refused with the services' own words."""
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": REASON_REQUIRED},
    )


def refuse(form: forms.Form, error: ValidationError) -> None:
    """Put a service's refusal next to the field it names, or above the form."""
    by_field = hasattr(error, "error_dict")
    messages = error.message_dict if by_field else {NON_FIELD_ERRORS: error.messages}
    for field, texts in messages.items():
        form.add_error(field if field in form.fields else None, texts)


class WaitlistForm(forms.Form):
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        choices=WaitlistPriority.choices,
        coerce=int,
        initial=WaitlistPriority.ROUTINE,
    )
    accepted_on = date_field(_("Accepted on"))
    preferred_start = date_field(_("Preferred start"), required=False)
    notes = text_field(_("Notes"))

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["accepted_on"].initial = today

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["priority"] = WaitlistPriority(data["priority"])
        return data


class StayDatesForm(forms.Form):
    """Admission and planned discharge; also used alone to show the stay's length."""

    admitted_on = date_field(_("Admission date"))
    planned_discharge_on = date_field(_("Planned discharge"))

    def stay_days(self) -> int | None:
        """Planned length in days, from the submitted dates or else the defaults."""
        names = ("admitted_on", "planned_discharge_on")
        if self.is_bound:
            self.is_valid()  # cleaned_data keeps every field that passed
            start, end = (self.cleaned_data.get(name) for name in names)
        else:
            start, end = (self[name].initial for name in names)
        if isinstance(start, date) and isinstance(end, date):
            return (end - start).days
        return None


def team_field_name(role: TeamRole) -> str:
    return f"team_{role.value}"


class AdmitForm(StayDatesForm):
    bed = forms.ModelChoiceField(
        label=_("Bed"), queryset=Bed.objects.none(), empty_label=_("Choose a bed")
    )
    age_override_reason = text_field(_("Reason to admit outside ages 7–19"))

    field_order = ["bed", "admitted_on", "planned_discharge_on", "age_override_reason"]

    def __init__(
        self, *args: Any, options: AdmissionOptions, today: date, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        stay = timedelta(days=settings.PROGRAM_DEFAULT_STAY_DAYS)
        self.fields["admitted_on"].initial = today
        self.fields["admitted_on"].widget.attrs["max"] = today.isoformat()
        self.fields["planned_discharge_on"].initial = today + stay
        self.fields["age_override_reason"].help_text = _(
            "Needed only if the child is outside ages 7–19 on the admission date."
        )
        self._offer_beds(options)
        for role, _staff_role, required in ADMISSION_TEAM:
            self.fields[team_field_name(role)] = self._team_field(
                role, options.staff[role], options.current_team, required
            )

    def _offer_beds(self, options: AdmissionOptions) -> None:
        """Offer free beds only, but accept any active bed so a bed taken meanwhile
        reaches the service and gets its own message."""
        field = self.fields["bed"]
        field.queryset = options.active_beds  # type: ignore[attr-defined]
        field.widget.choices = [
            ("", field.empty_label),  # type: ignore[attr-defined]
            *((bed.pk, str(bed)) for bed in options.free_beds),
        ]

    @staticmethod
    def _team_field(
        role: TeamRole,
        staff: QuerySet[User],
        current: Mapping[TeamRole, int],
        required: bool,
    ) -> "forms.ModelChoiceField[User]":
        return forms.ModelChoiceField(
            label=role.label,
            queryset=staff,
            required=required,
            initial=current.get(role),
            empty_label=_("Choose") if required else _("None"),
        )

    def team_fields(self) -> list[forms.BoundField]:
        return [self[team_field_name(role)] for role, _s, _r in ADMISSION_TEAM]

    def care_team(self) -> dict[TeamRole, User]:
        chosen = (
            (role, self.cleaned_data.get(team_field_name(role)))
            for role, _s, _r in ADMISSION_TEAM
        )
        return {role: user for role, user in chosen if user is not None}


class ExtendForm(forms.Form):
    planned_discharge_on = date_field(_("New planned discharge"))
    reason = reason_field(_("Reason"))


class DischargeForm(forms.Form):
    discharged_on = date_field(_("Discharge date"))
    disposition = forms.ChoiceField(label=_("Disposition"), choices=Disposition.choices)
    summary_medicine = text_field(_("Pain medicine summary"))
    summary_psychology = text_field(_("Psychology summary"))
    summary_physical_therapy = text_field(_("Physical therapy summary"))
    summary_occupational_therapy = text_field(_("Occupational therapy summary"))
    summary_social_work = text_field(_("Social work summary"))
    summary_other = text_field(_("Other disciplines"))
    home_programme = text_field(_("Home exercise programme"))
    school_reentry_plan = text_field(_("School re-entry plan"))
    medications = text_field(_("Medications at discharge"))
    step_down_weeks = forms.IntegerField(
        label=_("Step-down weeks"), min_value=1, max_value=26
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["discharged_on"].initial = today
        self.fields["discharged_on"].widget.attrs["max"] = today.isoformat()
        self.fields["step_down_weeks"].initial = settings.PROGRAM_STEP_DOWN_WEEKS
        self.fields["medications"].help_text = _(
            "Free text until medications are coded."
        )

    def summary_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in DISCHARGE_TEXT_FIELDS if n.startswith("summary_")]

    def home_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in DISCHARGE_TEXT_FIELDS if not n.startswith("summary_")]

    def texts(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in DISCHARGE_TEXT_FIELDS}


class StepDownForm(forms.Form):
    weeks = forms.IntegerField(label=_("Weeks"), min_value=1, max_value=26)
    psychology_per_week = forms.IntegerField(
        label=_("Psychotherapy sessions a week"), min_value=0, max_value=7
    )
    physical_therapy_per_week = forms.IntegerField(
        label=_("PT sessions a week"), min_value=0, max_value=7
    )
    occupational_therapy_per_week = forms.IntegerField(
        label=_("OT sessions a week"), min_value=0, max_value=7
    )
    notes = text_field(_("Notes"))

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.changed_data}


RECORDABLE = [
    (FollowUpStatus.COMPLETED.value, _("Seen (completed)")),
    (FollowUpStatus.MISSED.value, FollowUpStatus.MISSED.label),
    (FollowUpStatus.CANCELLED.value, FollowUpStatus.CANCELLED.label),
]
RETURN_TO = [("journey", _("The child's journey")), ("follow_ups", _("Follow-ups"))]


class FollowUpRecordForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"), choices=RECORDABLE, widget=forms.RadioSelect
    )
    completed_on = date_field(_("Seen on"), required=False)
    notes = text_field(_("Notes"))
    return_to = forms.ChoiceField(
        choices=RETURN_TO, required=False, widget=forms.HiddenInput
    )

    def service_arguments(self) -> dict[str, Any]:
        return {
            "status": FollowUpStatus(self.cleaned_data["status"]),
            "completed_on": self.cleaned_data["completed_on"],
            "notes": self.cleaned_data["notes"],
        }


class CloseForm(forms.Form):
    reason = reason_field(_("Why is the episode closing?"))
