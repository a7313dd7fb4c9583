"""Invitations to the family portal: make one, revoke one, e-mail one.

A code is 12 characters of Crockford's base-32 alphabet (60 random bits), shown as
``XXXX-XXXX-XXXX``. Typing is forgiving: case, spaces and dashes do not matter, and
the letters O, I and L read as 0, 1 and 1. Only the SHA-256 digest of the code is
stored (``Invitation.code_digest``); the code itself is returned once, to be shown
to the staff member who made it and e-mailed to the family. An invitation expires
after ``settings.PORTAL_INVITATION_DAYS`` days (7 unless set), is used once
(``services.join``) and can be revoked while pending. Making a new invitation for
the same person revokes their earlier pending one, so one live code per person.

Coordinators and social workers who may see the child invite; every write goes
through the access funnel first (``PatientNotFound`` otherwise, the same 404 as a
missing page). A repeated ``form_token`` (a double click) returns the first click's
invitation without a code.
"""

import hashlib
import logging
import secrets
import smtplib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory
from painrehab.audit.services import record
from painrehab.domain.ages import ADOLESCENT_AGE
from painrehab.patients.access import patient_get_for_user
from painrehab.patients.models import Guardian, Patient, PatientGuardian
from painrehab.portal.models import Invitation, InvitationKind
from painrehab.portal.services.contacts import guardian_contacts

logger = logging.getLogger(__name__)

# Crockford's base 32: no I, L, O or U, so nothing reads as something else.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12  # 12 x 5 bits = 60 bits
GROUP = 4
LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
DEFAULT_DAYS = 7

INVITERS = frozenset({Role.COORDINATOR, Role.SOCIAL_WORKER})
READERS = INVITERS | {Role.DIRECTOR}

NOT_INVITER = _("Only the coordinator or the social worker can invite families.")
NOT_LINKED = _("This person is not a guardian of this child.")
NO_PORTAL_ACCESS = _(
    "Portal access is turned off for this guardian, so an account would show "
    "nothing. Turn it on first."
)
GUARDIAN_HAS_ACCOUNT = _("This guardian already has a portal account.")
TEEN_TOO_YOUNG = _("A child gets their own account from age 12.")
TEEN_HAS_ACCOUNT = _("This child already has their own account.")
TEEN_EMAIL_IS_GUARDIANS = _(
    "This e-mail address belongs to a parent or guardian of this child. A teen's "
    "invitation goes to the teen's own address, or leave it empty and give the "
    "code in person."
)
BAD_LANGUAGE = _("Choose one of the offered languages.")
NOT_PENDING = _("This invitation is no longer pending, so there is nothing to revoke.")
FORM_REUSED = _("This form was already used for another invitation; reload the page.")


class InvitationState(models.TextChoices):
    PENDING = "pending", _("pending")
    USED = "used", _("used")
    EXPIRED = "expired", _("expired")
    REVOKED = "revoked", _("revoked")


@dataclass(frozen=True)
class NewInvitation:
    """The invitation, and its code when this call made it (``None`` on a repeat)."""

    invitation: Invitation
    code: str | None


def invitation_days() -> int:
    return int(getattr(settings, "PORTAL_INVITATION_DAYS", DEFAULT_DAYS))


def code_new() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + GROUP] for i in range(0, CODE_LENGTH, GROUP))


def code_normalise(typed: str) -> str:
    """The code's 12 characters as typed, forgiving case, spaces, dashes and
    lookalike letters; ``""`` when it cannot be a code at all."""
    kept = "".join(typed.split()).replace("-", "").upper().translate(LOOKALIKES)
    if len(kept) != CODE_LENGTH or any(ch not in ALPHABET for ch in kept):
        return ""
    return kept


def code_digest(code: str) -> str:
    """SHA-256 of the normalised code (60 random bits, used within days)."""
    return hashlib.sha256(code_normalise(code).encode()).hexdigest()


def invitation_state(
    invitation: Invitation, *, now: datetime | None = None
) -> InvitationState:
    if invitation.used_at is not None:
        return InvitationState.USED
    if invitation.revoked_at is not None:
        return InvitationState.REVOKED
    if invitation.expires_at <= (now or timezone.now()):
        return InvitationState.EXPIRED
    return InvitationState.PENDING


def pending_filter(now: datetime) -> models.Q:
    """Invitations still usable at ``now``: not used, not revoked, not expired."""
    return models.Q(used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


def _inviter_patient(user: User, patient_id: int) -> Patient:
    patient = patient_get_for_user(user=user, patient_id=patient_id)
    if user.role not in INVITERS:
        raise PermissionDenied(NOT_INVITER)
    return patient


def _guardian_errors(patient: Patient, guardian: Guardian | None) -> dict[str, str]:
    link = PatientGuardian.objects.filter(patient=patient, guardian=guardian).first()
    if guardian is None or link is None:
        return {"invitee": str(NOT_LINKED)}
    if not link.portal_access:
        return {"invitee": str(NO_PORTAL_ACCESS)}
    if guardian.user_id is not None:
        return {"invitee": str(GUARDIAN_HAS_ACCOUNT)}
    return {}


def _teen_errors(patient: Patient, email: str, at: datetime) -> dict[str, str]:
    if patient.age(timezone.localdate(at)) < ADOLESCENT_AGE:
        return {"invitee": str(TEEN_TOO_YOUNG)}
    if patient.user_id is not None:
        return {"invitee": str(TEEN_HAS_ACCOUNT)}
    if guardian_contacts(patient).has_email(email):
        return {"email": str(TEEN_EMAIL_IS_GUARDIANS)}
    return {}


def _errors(
    patient: Patient,
    kind: InvitationKind,
    guardian: Guardian | None,
    email: str,
    language: str,
    at: datetime,
) -> dict[str, str]:
    errors = (
        _guardian_errors(patient, guardian)
        if kind == InvitationKind.GUARDIAN
        else _teen_errors(patient, email, at)
    )
    if language not in dict(settings.LANGUAGES):
        errors["language"] = str(BAD_LANGUAGE)
    return errors


def _same_request(existing: Invitation, patient: Patient, by: User) -> NewInvitation:
    if existing.patient_id != patient.pk or existing.created_by_id != by.pk:
        raise ValidationError({"form_token": FORM_REUSED})
    return NewInvitation(existing, None)


def _replace_pending(invitation: Invitation, by: User) -> None:
    """Revoke the person's earlier pending invitations: one live code per person."""
    earlier = Invitation.objects.filter(
        pending_filter(invitation.created_at),
        patient=invitation.patient,
        kind=invitation.kind,
        guardian=invitation.guardian,
    ).exclude(pk=invitation.pk)
    for old in earlier:
        _revoked(old, by, invitation.created_at, reason="replaced")


def _inserted(invitation: Invitation) -> bool:
    invitation.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:  # a concurrent double click took the form token
        return False
    return True


@transaction.atomic
def invitation_create(
    *,
    patient_id: int,
    created_by: User,
    kind: InvitationKind,
    form_token: uuid.UUID,
    guardian: Guardian | None = None,
    email: str = "",
    language: str = "en",
    at: datetime | None = None,
    code: str | None = None,
) -> NewInvitation:
    """Invite a linked guardian without an account, or the child (12+) without one.

    ``at`` back-dates the invitation and ``code`` fixes it (the demo generator
    only); the pages pass neither. Raises ``ValidationError`` naming the field
    (``invitee``, ``email``, ``language``) and writes nothing on bad input.
    """
    patient = _inviter_patient(created_by, patient_id)
    existing = Invitation.objects.filter(form_token=form_token).first()
    if existing is not None:
        return _same_request(existing, patient, created_by)
    at = at or timezone.now()
    email = email.strip()
    if kind == InvitationKind.TEEN:
        guardian = None
    errors = _errors(patient, kind, guardian, email, language, at)
    if errors:
        raise ValidationError(errors)
    code = code or code_new()
    invitation = Invitation(
        patient=patient,
        kind=kind,
        guardian=guardian,
        email=email,
        language=language,
        code_digest=code_digest(code),
        created_by=created_by,
        created_at=at,
        expires_at=at + timedelta(days=invitation_days()),
        form_token=form_token,
    )
    if not _inserted(invitation):
        raced = Invitation.objects.get(form_token=form_token)
        return _same_request(raced, patient, created_by)
    _replace_pending(invitation, created_by)
    _audit(
        invitation,
        AuditAction.PORTAL_INVITATION_CREATED,
        created_by,
        {
            "kind": str(kind),
            "guardian": guardian.pk if guardian else None,
            "email_given": bool(email),
            "language": language,
            "expires_at": invitation.expires_at.isoformat(),
        },
    )
    return NewInvitation(invitation, code)


def _audit(
    invitation: Invitation, action: AuditAction, by: User, changes: dict[str, object]
) -> None:
    record(
        action=action,
        action_type=ActionType.CREATE
        if action == AuditAction.PORTAL_INVITATION_CREATED
        else ActionType.UPDATE,
        actor=by,
        patient_id=invitation.patient_id,
        data_category=DataCategory.PORTAL_ACCOUNT,
        obj=invitation,
        changes=changes,
    )


def _revoked(invitation: Invitation, by: User, now: datetime, *, reason: str) -> bool:
    """Revoke if still pending (one conditional UPDATE); ``False`` if it was not."""
    changed = Invitation.objects.filter(pending_filter(now), pk=invitation.pk).update(
        revoked_at=now, revoked_by=by
    )
    if changed:
        invitation.revoked_at, invitation.revoked_by = now, by
        _audit(
            invitation, AuditAction.PORTAL_INVITATION_REVOKED, by, {"reason": reason}
        )
    return bool(changed)


@transaction.atomic
def invitation_revoke(*, patient_id: int, invitation_id: int, by: User) -> Invitation:
    """Revoke a pending invitation of this child; its code stops working at once."""
    patient = _inviter_patient(by, patient_id)
    invitation = Invitation.objects.filter(pk=invitation_id, patient=patient).first()
    if invitation is None:
        raise Http404
    if not _revoked(invitation, by, timezone.now(), reason="revoked by staff"):
        raise ValidationError(NOT_PENDING)
    return invitation


def invitation_send(
    *, invitation: Invitation, code: str, join_url: str, code_page_url: str
) -> bool:
    """E-mail the code and the link in the invitee's language; ``True`` if sent.

    Nothing is sent without an address. A mail server that refuses or cannot be
    reached is logged (never the code) and reported as not sent, so the page can
    tell the staff member to give the code in person.
    """
    if not invitation.email:
        return False
    context = {
        "invitation": invitation,
        "is_teen": invitation.kind == InvitationKind.TEEN,
        "code": code,
        "join_url": join_url,
        "code_page_url": code_page_url,
        "program": getattr(settings, "PROGRAM_NAME", "PainRehab"),
    }
    with translation.override(invitation.language):
        subject = render_to_string("portal/email/invitation_subject.txt", context)
        body = render_to_string("portal/email/invitation.txt", context)
    try:
        send_mail(" ".join(subject.split()), body, None, [invitation.email])
    except (smtplib.SMTPException, OSError):
        logger.warning("Invitation %s: the e-mail could not be sent", invitation.pk)
        return False
    return True
