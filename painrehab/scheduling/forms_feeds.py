"""Input parsing for the calendar pages; the rules are ``services.feeds``'."""

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from painrehab.scheduling.services.feeds import LABEL_MAX


class FeedCreateForm(forms.Form):
    label = forms.CharField(
        label=_("Name (optional)"),
        max_length=LABEL_MAX,
        required=False,
        help_text=_(
            "To tell calendars apart, e.g. “Phone”; not shown in the calendar."
        ),
    )
    form_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_new_%s")
        super().__init__(*args, **kwargs)


def feed_create_initial() -> dict[str, Any]:
    return {"form_token": uuid.uuid4()}


class FeedRevokeForm(forms.Form):
    feed = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
