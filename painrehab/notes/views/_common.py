"""What the notes pages share: the signed-in user and refusals shown on forms."""

from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from painrehab.accounts.models import User


def user_of(request: HttpRequest) -> User:
    """The signed-in staff member (the access declaration has checked the login)."""
    return cast(User, request.user)


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a refused service call beside the fields it names, else above the form.

    A section key ``plan`` is the form's field ``s_plan``.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, messages in error.message_dict.items():
        for name in (key, f"s_{key}"):
            if name in form.fields and name != "version":
                form.add_error(name, messages)
                break
        else:
            form.add_error(None, messages)
