"""Input parsing for the questionnaire pages: start, page answers, submit, correct."""

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from painrehab.common.forms import DateInput
from painrehab.instruments.choices import TimePoint
from painrehab.instruments.rules import NOT_A_NUMBER

ITEM_PREFIX = "item-"


class StartForm(forms.Form):
    """Which due questionnaire to open; ``form_token`` makes a double click one form."""

    instrument_code = forms.CharField(max_length=40)
    time_point = forms.ChoiceField(choices=TimePoint.choices)
    time_point_index = forms.IntegerField(min_value=0, max_value=1000)
    form_token = forms.UUIDField()
    guardian = forms.IntegerField(required=False, min_value=1)


class PageForm(forms.Form):
    """The hidden version of a draft; the answers are read by ``answers_from``."""

    version = forms.IntegerField(min_value=1)


class SubmitForm(forms.Form):
    """The last page's optional date of a paper form typed in later."""

    answered_on = forms.DateField(
        label=gettext_lazy("Date answered"),
        required=False,
        widget=DateInput(),
        help_text=gettext_lazy(
            "Only when typing in a paper form; leave empty for today."
        ),
    )


class CorrectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for the correction"),
        max_length=500,
        help_text=gettext_lazy("For example: answers typed against the wrong item."),
    )


def answers_from(data: Mapping[str, str]) -> dict[str, int | None]:
    """``item-<key>`` fields as answers; a non-number names its item."""
    answers: dict[str, int | None] = {}
    for name, raw in data.items():
        if not name.startswith(ITEM_PREFIX):
            continue
        key = name.removeprefix(ITEM_PREFIX)
        try:
            answers[key] = int(raw)
        except ValueError:
            raise ValidationError({key: NOT_A_NUMBER.format(item=key)}) from None
    return answers
