"""A family member's own settings: language, password, second factor.

Each change is recorded as ``PORTAL_ACCOUNT_CHANGED`` (never the password). The
language is kept on the account (``User.preferred_language``), so it follows the
person to any device; ``accounts.middleware.FamilyLanguageMiddleware`` applies it
on every request.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from painrehab.accounts import services as accounts
from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory
from painrehab.audit.services import record

BAD_LANGUAGE = _("Please choose one of the offered languages.")


def _audit(user: User, changes: dict[str, object]) -> None:
    record(
        action=AuditAction.PORTAL_ACCOUNT_CHANGED,
        action_type=ActionType.UPDATE,
        actor=user,
        data_category=DataCategory.PORTAL_ACCOUNT,
        obj=user,
        changes=changes,
    )


@transaction.atomic
def account_language_set(*, user: User, language: str) -> None:
    """Remember the person's language; nothing is recorded if it did not change."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": BAD_LANGUAGE})
    before = user.preferred_language
    if before == language:
        return
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    _audit(user, {"preferred_language": [before, language]})


@transaction.atomic
def account_password_set(*, user: User, password: str) -> None:
    """Set a new password (already checked by the form's validators)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    _audit(user, {"password": "changed"})


@transaction.atomic
def account_second_factor_confirm(*, user: User, token: str) -> TOTPDevice | None:
    """Confirm the pending authenticator with a current code; ``None`` if wrong."""
    device = accounts.totp_enrolment_confirm(user=user, token=token.strip())
    if device is not None:
        _audit(user, {"second_factor": "authenticator app added"})
    return device
