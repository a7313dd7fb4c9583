"""Input parsing for the portal's account pages and the staff invitation form.

The rules (who may be invited, which contacts a teen may use, whether a code is
good) live in ``portal.services``; these forms parse what was posted and run
Django's password validators.
"""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.models import User
from painrehab.portal.services.contacts import phone_valid

CODE_MAX = 40
PASSWORDS_DIFFER = _("The two passwords are not the same.")
PHONE_INVALID = _("Please enter a phone number with its area code, like 555-123-4567.")


def _language() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
    )


class InviteForm(forms.Form):
    """Staff: whom to invite, where to send the code, in which language."""

    invitee = forms.ChoiceField(label=_("Invite"))
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        help_text=_(
            "The code and a link are sent here. Leave it empty to give the code in "
            "person."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    language = forms.ChoiceField(
        label=_("Language of the e-mail"), choices=settings.LANGUAGES
    )
    form_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, invitees: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["invitee"].choices = invitees  # type: ignore[attr-defined]


class CodeForm(forms.Form):
    """Family: the invitation code, typed by hand."""

    code = forms.CharField(
        label=_("Invitation code"),
        max_length=CODE_MAX,
        help_text=_("12 letters and numbers, like ABCD-EFGH-2345."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )


class JoinForm(forms.Form):
    """Family: the new account's username, password, language and contacts.

    ``teen`` adds the mobile phone (a teen gives an e-mail or a phone or both);
    ``names`` (first, family) let the password validators refuse a password that
    is too close to the person's name.
    """

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("You sign in with this. Letters, numbers and @ . + - _ only."),
        validators=User._meta.get_field("username").validators,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("At least 12 characters. A few words you can remember work well."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("The same password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    language = _language()
    email = forms.EmailField(
        label=_("Your e-mail address"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Your mobile phone number"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def __init__(
        self, *args: Any, teen: bool, names: tuple[str, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.names = names
        if teen:
            self.fields["email"].help_text = _(
                "Your own, not your parent's. Give an e-mail address, a mobile "
                "phone number, or both."
            )
        else:
            del self.fields["phone"]

    def clean_phone(self) -> str:
        phone: str = self.cleaned_data.get("phone", "").strip()
        if phone and not phone_valid(phone):
            raise forms.ValidationError(PHONE_INVALID)
        return phone

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", PASSWORDS_DIFFER)
        elif first:
            self._validate_password(first, cleaned)
        return cleaned

    def _validate_password(self, password: str, cleaned: dict[str, Any]) -> None:
        person = User(
            username=cleaned.get("username", ""),
            first_name=self.names[0],
            last_name=self.names[1],
            email=cleaned.get("email", ""),
        )
        try:
            password_validation.validate_password(password, person)
        except forms.ValidationError as error:
            self.add_error("password1", error)


class LanguageForm(forms.Form):
    language = _language()
