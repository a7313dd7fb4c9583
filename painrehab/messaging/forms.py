"""Input parsing for the message forms; the posting service checks the content.

The body, subject and mentions are checked by ``messaging.services`` (one place
for the rules and their messages); these forms only parse what was posted. The
notify list offers the child's care team; a name that is not on it gets the same
message the service gives.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from painrehab.messaging.models import BODY_MAX, SUBJECT_MAX
from painrehab.messaging.services import NOT_ON_TEAM


def _body() -> forms.CharField:
    return forms.CharField(
        label=gettext_lazy("Message"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": BODY_MAX}),
        help_text=gettext_lazy(
            "Up to 2000 characters. Type @ and a username to notify a colleague on "
            "this child's care team. Not for urgent matters: call or page."
        ),
    )


class ReplyForm(forms.Form):
    """A reply: the text, whom to notify, and the token that makes it one post."""

    body = _body()
    notify = forms.MultipleChoiceField(
        label=gettext_lazy("Notify"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": NOT_ON_TEAM.replace("{name}", "%(value)s")},
    )
    form_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, team: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["notify"].choices = team  # type: ignore[attr-defined]

    def service_arguments(self) -> dict[str, Any]:
        return {
            "body": self.cleaned_data["body"],
            "notify": self.cleaned_data["notify"],
            "form_token": self.cleaned_data["form_token"],
        }


class ThreadForm(ReplyForm):
    """A new thread: a subject before the first message."""

    subject = forms.CharField(
        label=gettext_lazy("Subject"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": SUBJECT_MAX}),
    )

    field_order = ["subject", "body", "notify", "form_token"]

    def service_arguments(self) -> dict[str, Any]:
        return {**super().service_arguments(), "subject": self.cleaned_data["subject"]}
