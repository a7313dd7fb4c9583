"""What the referral pages share: who may use them, and refusals shown on forms."""

from collections.abc import Mapping
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User

COORDINATOR = (Role.COORDINATOR,)
# Physicians and psychologists read the queue too, for their own care-team patients.
QUEUE_READERS = (Role.COORDINATOR, Role.PHYSICIAN, Role.PSYCHOLOGIST)
# The disciplines that evaluate a referral; teachers and others wait for admission.
READERS = (
    Role.COORDINATOR,
    Role.PHYSICIAN,
    Role.PSYCHOLOGIST,
    Role.PHYSICAL_THERAPIST,
    Role.OCCUPATIONAL_THERAPIST,
    Role.SOCIAL_WORKER,
    Role.NURSE,
    Role.CHILD_LIFE,
)
DECIDERS = (Role.COORDINATOR, Role.PHYSICIAN)


def user_of(request: HttpRequest) -> User:
    """The signed-in staff member (the access declaration has checked the login)."""
    return cast(User, request.user)


def add_service_errors(
    form: forms.Form,
    error: ValidationError,
    aliases: Mapping[str, str | None] | None = None,
) -> None:
    """Show a refused service call beside the fields it names, else above the form.

    ``aliases`` renames the service's keys to the form's field names; ``None`` means
    "the form as a whole".
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, messages in error.message_dict.items():
        name = (aliases or {}).get(key, key)
        form.add_error(name if name in form.fields else None, messages)
