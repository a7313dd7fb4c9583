"""Setting up a family account with an invitation code.

``invitation_check`` turns a typed or e-mailed code into its pending invitation.
An unknown, expired, used or revoked code is one and the same refusal to the person
(``JoinRefused``, one message), so a guess learns nothing; the audit trail records
which it was. Those audit rows also count the wrong codes of a browser session and
of an address: after ``PORTAL_JOIN_MAX_TRIES`` (10) within
``PORTAL_JOIN_WAIT_MINUTES`` (15) every code is refused until the oldest of them
is that old (``JoinThrottled``).

``invitation_accept`` makes the account in one transaction. The invitation is
spent first by a conditional UPDATE (``... WHERE used_at IS NULL``), so of two
simultaneous uses of one code exactly one gets through; then the account is made
(``accounts.services.user_create``) and becomes the guardian's account (role
guardian) or the child's own (role patient). Anything refused after that rolls the
whole transaction back, the invitation included.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.accounts.services import user_create
from painrehab.audit import context
from painrehab.audit.actions import ActionType, AuditAction, DataCategory, Outcome
from painrehab.audit.models import AuditEvent
from painrehab.audit.services import record
from painrehab.patients.models import Guardian, Patient
from painrehab.portal.models import Invitation, InvitationKind
from painrehab.portal.services.contacts import guardian_contacts, teen_contacts
from painrehab.portal.services.invitations import (
    InvitationState,
    code_digest,
    code_normalise,
    invitation_state,
    pending_filter,
)

THROTTLED = "too many wrong codes"
DEFAULT_MAX_TRIES = 10
DEFAULT_WAIT_MINUTES = 15

REFUSED = _(
    "This code does not work. It may be mistyped, already used or out of date. "
    "Please check it, or ask the program team for a new one."
)
TOO_MANY = _(
    "Too many codes were tried from here. Please wait 15 minutes, then try again."
)
GUARDIAN_HAS_ACCOUNT = _(
    "You already have a portal account, so this invitation is not needed. Please "
    "sign in with your account. If you forgot your password, call the program team."
)
TEEN_HAS_ACCOUNT = _(
    "You already have your own account, so this invitation is not needed. Please "
    "sign in with your account."
)
USERNAME_TAKEN = _("This username is already taken. Please choose another one.")
CONTACT_NEEDED = _("Please give your own e-mail address or mobile phone number.")
TEEN_EMAIL_SHARED = _(
    "This e-mail address belongs to your parent or guardian. Please use your own "
    "e-mail address."
)
TEEN_PHONE_SHARED = _(
    "This phone number belongs to your parent or guardian. Please use your own "
    "mobile phone number."
)
GUARDIAN_EMAIL_SHARED = _(
    "This e-mail address belongs to your child's own account. Please use your own "
    "e-mail address."
)


class JoinRefused(Exception):
    """The code does not open an invitation; ``reason`` is for the audit trail only."""

    def __init__(self, reason: str, invitation: Invitation | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.invitation = invitation


class JoinThrottled(JoinRefused):
    """Too many wrong codes from this session or address: wait, then try again."""


@dataclass(frozen=True)
class NewAccount:
    """What the person typed to set up their account."""

    username: str
    password: str
    language: str
    email: str = ""
    phone: str = ""


def _max_tries() -> int:
    return int(getattr(settings, "PORTAL_JOIN_MAX_TRIES", DEFAULT_MAX_TRIES))


def _wait() -> timedelta:
    minutes = getattr(settings, "PORTAL_JOIN_WAIT_MINUTES", DEFAULT_WAIT_MINUTES)
    return timedelta(minutes=int(minutes))


def throttled() -> bool:
    """True when this request's session or address tried too many wrong codes.

    Counted from the audit trail's refusals (the database every server shares,
    so the limit holds across server processes), within the last wait period.
    Outside a request there is nobody to count, so nothing is throttled.
    """
    who = context.current()
    same = models.Q(pk__in=[])
    if who.source_ip:
        same |= models.Q(source_ip=who.source_ip)
    if who.session_id_hash:
        same |= models.Q(session_id_hash=who.session_id_hash)
    wrong = AuditEvent.objects.filter(
        same,
        action=AuditAction.PORTAL_INVITATION_REFUSED,
        recorded_at__gte=timezone.now() - _wait(),
    ).exclude(outcome_reason=THROTTLED)
    return wrong.count() >= _max_tries()


def _audit_refused(refused: JoinRefused) -> None:
    invitation = refused.invitation
    record(
        action=AuditAction.PORTAL_INVITATION_REFUSED,
        action_type=ActionType.EXECUTE,
        actor=None,
        patient_id=invitation.patient_id if invitation else None,
        data_category=DataCategory.PORTAL_ACCOUNT,
        obj=invitation,
        outcome=Outcome.FAILURE,
        outcome_reason=refused.reason,
    )


def _pending_or_refused(invitation: Invitation | None) -> Invitation:
    if invitation is None:
        raise JoinRefused("unknown code")
    state = invitation_state(invitation)
    if state != InvitationState.PENDING:
        raise JoinRefused(f"{state.value} invitation", invitation)
    return invitation


def invitation_check(*, code: str) -> Invitation:
    """The pending invitation ``code`` opens; ``JoinRefused`` (audited) otherwise,
    or ``JoinThrottled`` after too many wrong codes from this session or address."""
    try:
        if throttled():
            raise JoinThrottled(THROTTLED)
        digest = code_digest(code) if code_normalise(code) else ""
        found = (
            Invitation.objects.filter(code_digest=digest).first() if digest else None
        )
        return _pending_or_refused(found)
    except JoinRefused as refused:
        _audit_refused(refused)
        raise


def invitation_pending(*, digest: str) -> Invitation | None:
    """The pending invitation with this digest (kept in the joining session)."""
    found = Invitation.objects.filter(code_digest=digest).select_related(
        "patient", "guardian"
    )
    invitation = found.first()
    if invitation is None or invitation_state(invitation) != InvitationState.PENDING:
        return None
    return invitation


def person_names(invitation: Invitation) -> tuple[str, str]:
    """The invitee's first and family name, as the program has them."""
    if invitation.guardian is not None:
        return invitation.guardian.given_name, invitation.guardian.family_name
    patient = invitation.patient
    return patient.preferred_name or patient.given_name, patient.family_name


def _contact_errors(invitation: Invitation, new: NewAccount) -> dict[str, str]:
    # A guardian invitation names its guardian (the model's check constraint).
    if invitation.guardian is not None:
        if teen_contacts(invitation.guardian).has_email(new.email):
            return {"email": str(GUARDIAN_EMAIL_SHARED)}
        return {}
    if not new.email and not new.phone:
        return {"email": str(CONTACT_NEEDED)}
    known = guardian_contacts(invitation.patient)
    errors = {}
    if known.has_email(new.email):
        errors["email"] = str(TEEN_EMAIL_SHARED)
    if known.has_phone(new.phone):
        errors["phone"] = str(TEEN_PHONE_SHARED)
    return errors


def _account_errors(invitation: Invitation, new: NewAccount) -> dict[str, str]:
    errors = _contact_errors(invitation, new)
    if User.objects.filter(username__iexact=new.username).exists():
        errors["username"] = str(USERNAME_TAKEN)
    return errors


def _spend(invitation: Invitation) -> None:
    """Mark the invitation used, if nobody else did first (one conditional UPDATE)."""
    now = timezone.now()
    spent = Invitation.objects.filter(pending_filter(now), pk=invitation.pk).update(
        used_at=now
    )
    if not spent:
        raise JoinRefused("used at the same moment", invitation)
    invitation.used_at = now


def _link(invitation: Invitation, user: User) -> None:
    """Make ``user`` the guardian's account or the child's own, if still free."""
    now = timezone.now()
    if invitation.guardian is not None:
        linked = Guardian.objects.filter(
            pk=invitation.guardian.pk, user__isnull=True
        ).update(user=user, updated_at=now)
        if not linked:
            raise ValidationError(GUARDIAN_HAS_ACCOUNT)
        return
    linked = Patient.objects.filter(pk=invitation.patient_id, user__isnull=True).update(
        user=user, updated_at=now
    )
    if not linked:
        raise ValidationError(TEEN_HAS_ACCOUNT)


def account_exists(invitation: Invitation) -> str | None:
    """Why the invitee needs no account (they have one), or ``None``."""
    if invitation.guardian is not None:
        has_one = invitation.guardian.user_id is not None
        return str(GUARDIAN_HAS_ACCOUNT) if has_one else None
    return str(TEEN_HAS_ACCOUNT) if invitation.patient.user_id is not None else None


def _already_has_account(invitation: Invitation) -> None:
    reason = account_exists(invitation)
    if reason is not None:
        raise ValidationError(reason)


def _account_create(invitation: Invitation, new: NewAccount) -> User:
    first_name, last_name = person_names(invitation)
    is_guardian = invitation.kind == InvitationKind.GUARDIAN
    user = user_create(
        username=new.username,
        role=Role.GUARDIAN if is_guardian else Role.PATIENT,
        password=new.password,
        first_name=first_name,
        last_name=last_name,
        email=new.email,
        preferred_language=new.language,
    )
    if new.phone:
        user.phone = new.phone
        user.save(update_fields=["phone"])
    return user


@transaction.atomic
def _accept(digest: str, new: NewAccount) -> User:
    found = Invitation.objects.select_related("patient", "guardian")
    invitation = _pending_or_refused(found.filter(code_digest=digest).first())
    _already_has_account(invitation)
    errors = _account_errors(invitation, new)
    if errors:
        raise ValidationError(errors)
    _spend(invitation)
    user = _account_create(invitation, new)
    Invitation.objects.filter(pk=invitation.pk).update(used_by=user)
    _link(invitation, user)
    record(
        action=AuditAction.PORTAL_INVITATION_ACCEPTED,
        action_type=ActionType.UPDATE,
        actor=user,
        patient_id=invitation.patient_id,
        data_category=DataCategory.PORTAL_ACCOUNT,
        obj=invitation,
        changes={"kind": invitation.kind, "username": user.username},
    )
    return user


def invitation_accept(*, digest: str, new: NewAccount) -> User:
    """Set up the account the invitation ``digest`` is for; the invitation is spent.

    Raises ``JoinRefused`` (audited) when the invitation is no longer pending, even
    if it was pending a moment ago, and ``ValidationError`` naming the field
    (``username``, ``email``, ``phone``) or none (an account already exists).
    """
    try:
        return _accept(digest, new)
    except JoinRefused as refused:
        _audit_refused(refused)
        raise
