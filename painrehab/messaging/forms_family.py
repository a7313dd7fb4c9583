"""Input parsing for conversations with families; the services check the content.

The portal's forms (a new conversation, a reply) and the team's reply form. The
rules and their messages live in ``messaging.services_family``; an empty field is
refused here with the same message, next to the field.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from painrehab.messaging.models import BODY_MAX, SUBJECT_MAX
from painrehab.messaging.services_family import BODY_EMPTY, SUBJECT_EMPTY


def _body(label: Any, help_text: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        error_messages={"required": BODY_EMPTY},
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": BODY_MAX}),
    )


class FamilyReplyForm(forms.Form):
    """A family member's reply, and the token that makes a double click one reply."""

    body = _body(
        _("Your message"),
        _("Up to 2000 characters. Please do not use messages for anything urgent."),
    )
    form_token = forms.UUIDField(widget=forms.HiddenInput)

    def service_arguments(self) -> dict[str, Any]:
        return {
            "body": self.cleaned_data["body"],
            "form_token": self.cleaned_data["form_token"],
        }


class FamilyThreadForm(FamilyReplyForm):
    """A new conversation: a short subject, then the first message."""

    subject = forms.CharField(
        label=_("Subject"),
        help_text=_("A few words, for example “Visiting on Sunday”."),
        error_messages={"required": SUBJECT_EMPTY},
        widget=forms.TextInput(attrs={"maxlength": SUBJECT_MAX}),
    )

    field_order = ["subject", "body", "form_token"]

    def service_arguments(self) -> dict[str, Any]:
        return {**super().service_arguments(), "subject": self.cleaned_data["subject"]}


class StaffFamilyReplyForm(FamilyReplyForm):
    """The team's reply: the family sees the author's first name and role."""

    body = _body(
        _("Reply to the family"),
        _(
            "Up to 2000 characters. The family sees your first name and role. "
            "Plain words, no abbreviations."
        ),
    )
