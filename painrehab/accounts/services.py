"""Writes for accounts: creating people, signing in and out, second factors."""

import secrets
from typing import Any

from django.conf import settings
from django.contrib import auth
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from painrehab.accounts.choices import DISCIPLINE_OF_ROLE, STAFF_ROLES, Role
from painrehab.accounts.models import (
    RecoveryCode,
    RecoveryCodeDevice,
    StaffProfile,
    User,
    hash_recovery_code,
)
from painrehab.audit.actions import ActionType, AuditAction, Outcome
from painrehab.audit.services import record

RECOVERY_CODE_COUNT = 10
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
NOT_STAFF_ROLE = "A staff profile needs a staff role."


@transaction.atomic
def user_create(
    *,
    username: str,
    role: Role,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    preferred_language: str = "en",
    created_by: User | None = None,
    password_hash: str | None = None,
) -> User:
    """Create an account; ``password=None`` leaves it unusable until one is set.

    ``password_hash`` (an already hashed password, as ``make_password`` returns) lets
    a bulk load hash one password once instead of once per account.
    """
    user = User(
        username=username,
        role=role,
        first_name=first_name,
        last_name=last_name,
        email=email,
        preferred_language=preferred_language,
    )
    if password_hash is not None:
        user.password = password_hash
    elif password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.full_clean()
    user.save()
    record(
        action=AuditAction.USER_CREATED,
        action_type=ActionType.CREATE,
        actor=created_by,
        obj=user,
        changes={"username": username, "role": str(role)},
    )
    return user


@transaction.atomic
def staff_member_create(
    *,
    username: str,
    role: Role,
    password: str | None,
    first_name: str,
    last_name: str,
    email: str = "",
    credentials: str = "",
    job_title: str = "",
    created_by: User | None = None,
    password_hash: str | None = None,
) -> User:
    """Create a staff account with its profile (discipline follows the role)."""
    if role not in STAFF_ROLES:
        raise ValueError(NOT_STAFF_ROLE)
    user = user_create(
        username=username,
        role=role,
        password=password,
        first_name=first_name,
        last_name=last_name,
        email=email,
        created_by=created_by,
        password_hash=password_hash,
    )
    profile = StaffProfile(
        user=user,
        discipline=DISCIPLINE_OF_ROLE[role],
        credentials=credentials,
        job_title=job_title,
    )
    profile.full_clean()
    profile.save()
    return user


def totp_device_for_enrolment(*, user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator, created on first call."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name="Authenticator app", confirmed=False
        )
    return device


@transaction.atomic
def totp_enrolment_confirm(*, user: User, token: str) -> TOTPDevice | None:
    """Confirm the pending authenticator if ``token`` is a current code from it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    record(
        action=AuditAction.MFA_ENROLLED,
        action_type=ActionType.UPDATE,
        actor=user,
        obj=user,
        changes={"device": "totp"},
    )
    return device


@transaction.atomic
def totp_device_register(*, user: User, key_hex: str | None = None) -> TOTPDevice:
    """Give ``user`` a confirmed authenticator (set up by an administrator or the demo).

    Staff normally enrol themselves at first sign-in (``totp_device_for_enrolment``).
    """
    device = TOTPDevice(user=user, name="Authenticator app", confirmed=True)
    if key_hex is not None:
        device.key = key_hex
    device.save()
    record(
        action=AuditAction.MFA_ENROLLED,
        action_type=ActionType.UPDATE,
        obj=user,
        changes={"device": "totp", "by": "administrator"},
    )
    return device


def _new_recovery_code() -> str:
    # 25 base32 characters carry 125 bits, so a SHA-256 hash is safe at rest.
    alphabet = "abcdefghijklmnopqrstuvwxyz234567"
    raw = "".join(secrets.choice(alphabet) for _ in range(25))
    return "-".join(raw[i : i + 5] for i in range(0, 25, 5))


@transaction.atomic
def recovery_codes_issue(*, user: User) -> list[str]:
    """Replace the user's recovery codes; the plain codes are returned once only."""
    device, _ = RecoveryCodeDevice.objects.get_or_create(
        user=user, defaults={"name": "Recovery codes", "confirmed": True}
    )
    device.codes.all().delete()
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, code_hash=hash_recovery_code(c)) for c in codes
    )
    record(
        action=AuditAction.RECOVERY_CODES_CREATED,
        action_type=ActionType.UPDATE,
        actor=user,
        obj=user,
        changes={"count": len(codes)},
    )
    return codes


def demo_second_factor_allowed() -> bool:
    """The fixed demo code works only in demo mode with DEBUG on."""
    return bool(settings.DEBUG and settings.DEMO_MODE)


def second_factor_verify(*, user: User, token: str) -> tuple[Device, str] | None:
    """The device that accepts ``token`` and how: authenticator, recovery or demo."""
    token = token.strip()
    totp = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if totp is not None and token.isdigit() and totp.verify_token(token):
        return totp, "totp"
    recovery = RecoveryCodeDevice.objects.filter(user=user, confirmed=True).first()
    if recovery is not None and not token.isdigit() and recovery.verify_token(token):
        return recovery, "recovery_code"
    demo_ok = demo_second_factor_allowed() and token == settings.DEMO_MFA_CODE
    if totp is not None and demo_ok:
        return totp, "demo"
    return None


def has_second_factor(*, user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


@transaction.atomic
def login_complete(
    *, request: HttpRequest, user: User, device: Device | None, method: str
) -> None:
    """Start the authenticated session (a new session key) and record it."""
    auth.login(request, user, backend=MODEL_BACKEND)
    request.session["signed_in_at"] = timezone.now().timestamp()
    if device is not None:
        otp_login(request, device)
    record(
        action=AuditAction.LOGGED_IN,
        action_type=ActionType.EXECUTE,
        actor=user,
        obj=user,
        changes={"second_factor": method},
    )


def login_failed(*, username: str, locked_out: bool) -> None:
    """Record a refused password (the name tried, never the password)."""
    action = AuditAction.LOCKED_OUT if locked_out else AuditAction.LOGIN_FAILED
    record(
        action=action,
        action_type=ActionType.EXECUTE,
        actor=None,
        outcome=Outcome.FAILURE,
        outcome_reason="locked out" if locked_out else "bad credentials",
        changes={"username": username[:150]},
    )


def second_factor_failed(*, user: User) -> None:
    record(
        action=AuditAction.MFA_FAILED,
        action_type=ActionType.EXECUTE,
        actor=user,
        obj=user,
        outcome=Outcome.FAILURE,
        outcome_reason="wrong code",
    )


def _end_session(
    *, request: HttpRequest, action: AuditAction, reason: str = ""
) -> None:
    user: Any = request.user
    record(
        action=action,
        action_type=ActionType.EXECUTE,
        actor=user,
        obj=user if isinstance(user, User) else None,
        changes={"reason": reason} if reason else None,
    )
    auth.logout(request)


def logout(*, request: HttpRequest) -> None:
    """End the session: the session row is deleted and the cookie cleared."""
    _end_session(request=request, action=AuditAction.LOGGED_OUT)


def session_time_out(*, request: HttpRequest, reason: str) -> None:
    """End a session that was idle too long or is past its absolute limit."""
    _end_session(request=request, action=AuditAction.SESSION_TIMED_OUT, reason=reason)
