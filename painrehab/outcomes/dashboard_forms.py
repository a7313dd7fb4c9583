"""The dashboard's filter form (GET) and the research export form (POST)."""

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from painrehab.common.forms import DateInput
from painrehab.outcomes.selectors.filters import AGE_BANDS, CohortFilter, default_period
from painrehab.patients.choices import Sex
from painrehab.referrals.codes import group_labels

DATES_REVERSED = _("The end date is before the start date.")
FILTER_FIELDS = ("date_from", "date_to", "diagnosis_group", "age_band", "sex")


def _group_choices() -> list[tuple[str, Any]]:
    return [("", _("Any diagnosis group")), *group_labels().items()]


class CohortFilterForm(forms.Form):
    """Which episodes the figures count. A bad value is reported next to its field
    and the default is used for it, so the page always shows figures."""

    date_from = forms.DateField(
        label=_("Discharged from"), required=False, widget=DateInput()
    )
    date_to = forms.DateField(
        label=_("Discharged to"), required=False, widget=DateInput()
    )
    diagnosis_group = forms.ChoiceField(
        label=_("Diagnosis group"), required=False, choices=_group_choices
    )
    age_band = forms.ChoiceField(
        label=_("Age at admission"),
        required=False,
        choices=[("", _("Any age")), *((b, b) for b in AGE_BANDS)],
    )
    sex = forms.ChoiceField(
        label=_("Sex"), required=False, choices=[("", _("Any")), *Sex.choices]
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        start, end = default_period(today)
        self._defaults = {"date_from": start, "date_to": end}
        self.fields["date_from"].initial = start
        self.fields["date_to"].initial = end

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", DATES_REVERSED)
        return data

    def cohort_filter(self) -> CohortFilter:
        """The filter: valid values as given, defaults for the rest."""
        data: dict[str, Any] = {}
        if self.is_bound:
            self.is_valid()
            data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        start = data.get("date_from") or self._defaults["date_from"]
        end = data.get("date_to") or self._defaults["date_to"]
        if end < start:
            start, end = self._defaults["date_from"], self._defaults["date_to"]
        return CohortFilter(
            date_from=start,
            date_to=end,
            diagnosis_group=data.get("diagnosis_group") or "",
            age_band=data.get("age_band") or "",
            sex=data.get("sex") or "",
        )


class ResearchExportForm(CohortFilterForm):
    """The cohort, and the disclosure's purpose and recipient (both required)."""

    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=200,
        help_text=_("What the data will be used for, e.g. the study's name."),
    )
    recipient = forms.CharField(
        label=_("Recipient"),
        max_length=200,
        help_text=_("Who receives the data: person and organisation."),
    )
    form_token = forms.UUIDField(widget=forms.HiddenInput)
