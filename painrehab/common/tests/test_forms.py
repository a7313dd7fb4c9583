"""Date pickers keep ISO dates in every language."""

import datetime as dt

from django import forms
from django.utils import translation

from painrehab.common.forms import DateInput


class _Form(forms.Form):
    on = forms.DateField(widget=DateInput())


def test_a_date_renders_as_iso_in_spanish() -> None:
    with translation.override("es"):
        html = str(_Form(initial={"on": dt.date(2026, 11, 27)})["on"])
    assert 'type="date"' in html and 'value="2026-11-27"' in html


def test_an_iso_date_is_read_back_in_spanish() -> None:
    with translation.override("es"):
        form = _Form({"on": "2026-11-27"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["on"] == dt.date(2026, 11, 27)
