"""Patient search."""

from django import forms
from django.utils.translation import gettext_lazy as _


class PatientSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search by name or MRN"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
