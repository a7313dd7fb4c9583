"""Writes of conversations between a family and the team: start one, reply.

Who may write, and in which conversation:

- a guardian of the child starts a conversation for the parents
  (``FamilyAudience.GUARDIANS``); the teen's own account starts a private one
  (``FamilyAudience.TEEN``). The audience is fixed by the author's role, never
  chosen on a form;
- a family member replies in a conversation they may see (``selectors_family``):
  a guardian never in a teen's conversation, which answers exactly as a missing
  one (``PatientNotFound``, a 404);
- a clinician on the child's care team replies in any conversation about the
  child (the access funnel; someone off the team gets the same 404). Staff do not
  start conversations: families do.

``from_family`` comes from the author's role. Bad input raises ``ValidationError``
naming the field (the constants below), and nothing is written. A repeated
``form_token`` (a double click) returns what the first click made. The audit
trail gets ids and lengths, never the text.
"""

import uuid
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.choices import CLINICAL_ROLES, FAMILY_ROLES, Role
from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory
from painrehab.audit.services import record
from painrehab.episodes.selectors import episode_current
from painrehab.messaging.models import (
    BODY_MAX,
    SUBJECT_MAX,
    FamilyAudience,
    FamilyMessage,
    FamilyThread,
)
from painrehab.messaging.services import posted_at
from painrehab.patients.access import PatientNotFound, patient_get_for_user
from painrehab.patients.models import Patient

FAMILY_STARTS = _("Conversations with the team are started by the family.")
NOT_ALLOWED = _("Only the family and the child's care team write these messages.")
BODY_EMPTY = _("Please write your message before sending it.")
BODY_TOO_LONG = _(
    "A message can be up to %(limit)s characters; this one has %(length)s. "
    "Please shorten it or send it in two parts."
)
SUBJECT_EMPTY = _("Please add a short subject.")
SUBJECT_TOO_LONG = _(
    "A subject can be up to %(limit)s characters; this one has %(length)s."
)
NO_EPISODE = _(
    "There is no stay with the team to write about yet. Please call the unit."
)
FORM_REUSED = _("This form was already used; please reload the page.")


def _too_long(text: str, limit: int, template: object) -> str | None:
    if len(text) <= limit:
        return None
    return str(template) % {"limit": limit, "length": len(text)}


def _body_errors(body: str) -> dict[str, list[str]]:
    if not body:
        return {"body": [str(BODY_EMPTY)]}
    found = _too_long(body, BODY_MAX, BODY_TOO_LONG)
    return {"body": [found]} if found else {}


def _subject_errors(subject: str) -> dict[str, list[str]]:
    if not subject:
        return {"subject": [str(SUBJECT_EMPTY)]}
    found = _too_long(subject, SUBJECT_MAX, SUBJECT_TOO_LONG)
    return {"subject": [found]} if found else {}


def audience_of(user: User) -> FamilyAudience:
    """The conversation a family member starts: the teen's own, or the parents'."""
    return (
        FamilyAudience.TEEN if user.role == Role.PATIENT else FamilyAudience.GUARDIANS
    )


def may_write(*, user: User, thread: FamilyThread) -> bool:
    """Whether ``user``'s role may write in ``thread`` (the funnel checks the child).

    A guardian never writes in (or reads) the teen's own conversations.
    """
    if user.role in CLINICAL_ROLES:
        return True
    if user.role == Role.PATIENT:
        return True
    return user.role == Role.GUARDIAN and thread.audience == FamilyAudience.GUARDIANS


def _check_writer(user: User, thread: FamilyThread) -> None:
    """Refuse a role that never writes here; hide a thread the author may not see."""
    if user.role not in CLINICAL_ROLES | FAMILY_ROLES:
        raise PermissionDenied(str(NOT_ALLOWED))
    patient_get_for_user(user=user, patient_id=thread.episode.patient_id)
    if not may_write(user=user, thread=thread):
        raise PatientNotFound


def _audit_sent(message: FamilyMessage, patient_id: int, new_thread: bool) -> None:
    # Ids and lengths only: the text stays in the message table.
    thread = message.thread
    family_purpose = "PATRQT" if message.author.role == Role.PATIENT else "FAMRQT"
    record(
        action=AuditAction.FAMILY_MESSAGE_SENT,
        action_type=ActionType.CREATE,
        actor=message.author,
        patient_id=patient_id,
        data_category=DataCategory.FAMILY_MESSAGE,
        obj=message,
        changes={
            "thread": thread.pk,
            "message": message.pk,
            "new_thread": new_thread,
            "audience": str(thread.audience),
            "from_family": message.from_family,
            "length": len(message.body),
        },
        purpose_of_use=family_purpose if message.from_family else "TREAT",
    )


def _inserted(row: FamilyThread | FamilyMessage) -> bool:
    """Save a new row; ``False`` when its ``form_token`` is already taken."""
    row.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:  # a concurrent double click won the race for the token
        return False
    return True


def _same_message(
    existing: FamilyMessage, thread: FamilyThread, author: User
) -> FamilyMessage:
    if existing.thread_id != thread.pk or existing.author_id != author.pk:
        raise ValidationError({"form_token": str(FORM_REUSED)})
    return existing


def _message(
    thread: FamilyThread, author: User, body: str, token: uuid.UUID, at: datetime
) -> FamilyMessage:
    return FamilyMessage(
        thread=thread,
        author=author,
        from_family=author.role in FAMILY_ROLES,
        body=body,
        created_at=at,
        form_token=token,
    )


@transaction.atomic
def family_reply(
    *,
    thread: FamilyThread,
    author: User,
    body: str,
    form_token: uuid.UUID,
    at: datetime | None = None,
) -> FamilyMessage:
    """Add a message to ``thread``, from the family or from the care team.

    ``at`` back-dates the message (the demo generator); the pages never pass it.
    """
    _check_writer(author, thread)
    existing = FamilyMessage.objects.filter(form_token=form_token).first()
    if existing is not None:
        return _same_message(existing, thread, author)
    body = body.strip()
    errors = _body_errors(body)
    if errors:
        raise ValidationError(errors)
    message = _message(
        thread,
        author,
        body,
        form_token,
        posted_at(FamilyMessage.objects.filter(thread=thread), at),
    )
    if not _inserted(message):
        raced = FamilyMessage.objects.get(form_token=form_token)
        return _same_message(raced, thread, author)
    _audit_sent(message, thread.episode.patient_id, new_thread=False)
    return message


def _same_thread(
    existing: FamilyThread, patient: Patient, author: User
) -> FamilyThread:
    if existing.episode.patient_id != patient.pk or existing.started_by_id != author.pk:
        raise ValidationError({"form_token": str(FORM_REUSED)})
    return existing


def _check_starter(author: User, patient: Patient) -> Patient:
    if author.role in CLINICAL_ROLES:
        raise PermissionDenied(str(FAMILY_STARTS))
    if author.role not in FAMILY_ROLES:
        raise PermissionDenied(str(NOT_ALLOWED))
    return patient_get_for_user(user=author, patient_id=patient.pk)


@transaction.atomic
def family_thread_start(
    *,
    patient: Patient,
    author: User,
    subject: str,
    body: str,
    form_token: uuid.UUID,
    at: datetime | None = None,
) -> FamilyThread:
    """Open a conversation on the child's current episode, with its first message.

    A guardian's conversation is the parents'; the teen's own is private from
    them. ``at`` back-dates it (the demo generator).
    """
    patient = _check_starter(author, patient)
    existing = (
        FamilyThread.objects.select_related("episode")
        .filter(form_token=form_token)
        .first()
    )
    if existing is not None:
        return _same_thread(existing, patient, author)
    subject, body = subject.strip(), body.strip()
    errors = {**_subject_errors(subject), **_body_errors(body)}
    if errors:
        raise ValidationError(errors)
    episode = episode_current(patient=patient)
    if episode is None:
        raise ValidationError(str(NO_EPISODE))
    when = posted_at(FamilyMessage.objects.none(), at)
    thread = FamilyThread(
        episode=episode,
        audience=audience_of(author),
        subject=subject,
        started_by=author,
        created_at=when,
        form_token=form_token,
    )
    if not _inserted(thread):
        raced = FamilyThread.objects.select_related("episode").get(
            form_token=form_token
        )
        return _same_thread(raced, patient, author)
    message = _message(thread, author, body, uuid.uuid4(), when)
    message.full_clean()
    message.save()
    _audit_sent(message, patient.pk, new_thread=True)
    return thread
