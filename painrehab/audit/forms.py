"""Filters of the audit report (ONC 170.315(d)(3))."""

from django import forms
from django.utils.translation import gettext_lazy as _

from painrehab.audit.actions import AuditAction, DataCategory, Outcome
from painrehab.common.forms import DateInput

SORT_CHOICES = [
    ("-seq", _("Newest first")),
    ("seq", _("Oldest first")),
    ("actor_username", _("User (A–Z)")),
    ("-actor_username", _("User (Z–A)")),
    ("actor_role", _("Role (A–Z)")),
    ("-actor_role", _("Role (Z–A)")),
    ("action", _("Action (A–Z)")),
    ("-action", _("Action (Z–A)")),
    ("patient_id", _("Patient id (ascending)")),
    ("-patient_id", _("Patient id (descending)")),
    ("data_category", _("Data category (A–Z)")),
    ("-data_category", _("Data category (Z–A)")),
    ("outcome", _("Outcome (failures last)")),
    ("-outcome", _("Outcome (successes last)")),
    ("source_ip", _("Source (ascending)")),
    ("-source_ip", _("Source (descending)")),
    ("recorded_at", _("Time (oldest first)")),
    ("-recorded_at", _("Time (newest first)")),
]
DATES_REVERSED = _("The end date is before the start date.")


class AuditFilterForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    user = forms.CharField(label=_("User"), required=False, max_length=150)
    patient = forms.IntegerField(label=_("Patient id"), required=False, min_value=1)
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("Any action")), *AuditAction.choices],
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", _("Any")), *Outcome.choices]
    )
    data_category = forms.ChoiceField(
        label=_("Data category"),
        required=False,
        choices=[("", _("Any")), *DataCategory.choices[1:]],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"), required=False, choices=SORT_CHOICES, initial="-seq"
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", DATES_REVERSED)
        return data
