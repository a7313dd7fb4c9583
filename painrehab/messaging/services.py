"""Writes: start a thread, post a message, mark a thread read.

Every write goes through the access funnel first: the writer must be a clinician
who may see the child (``PatientNotFound`` otherwise, the same 404 as a missing
page). Bad input raises ``ValidationError`` naming the field, with the message
constants below, and writes nothing. A repeated ``form_token`` (a double click)
returns the row the first click made.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from painrehab.accounts.choices import CLINICAL_ROLES
from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory
from painrehab.audit.services import record
from painrehab.episodes.models import Episode
from painrehab.messaging.mentions import mentioned_usernames
from painrehab.messaging.models import (
    BODY_MAX,
    SUBJECT_MAX,
    Mention,
    Message,
    Thread,
    ThreadRead,
)
from painrehab.patients.access import can_see_patient, patient_get_for_user
from painrehab.patients.models import Patient

CARE_TEAM_ONLY = "Only the care team may write team messages."
BODY_EMPTY = "Write a message before posting."
BODY_TOO_LONG = (
    "A message can be at most {limit} characters; this one has {length}. "
    "Shorten it or post it in two parts."
)
SUBJECT_EMPTY = "Give the thread a subject."
SUBJECT_TOO_LONG = "A subject can be at most {limit} characters; this one has {length}."
NOT_ON_TEAM = "{name} is not on this child's care team."
FORM_REUSED = "This form was already used for another message; reload the page."
IN_THE_FUTURE = "A message cannot be dated in the future."
BEFORE_LAST = "A message cannot be dated before the thread's last message."


@dataclass(frozen=True)
class Draft:
    """What was typed, checked: the body and who it names."""

    body: str
    mentioned: tuple[User, ...]


def _check_writer(user: User, patient_id: int) -> Patient:
    if user.role not in CLINICAL_ROLES:
        raise PermissionDenied(CARE_TEAM_ONLY)
    return patient_get_for_user(user=user, patient_id=patient_id)


def _too_long(field: str, text: str, limit: int, template: str) -> dict[str, str]:
    if len(text) <= limit:
        return {}
    return {field: template.format(limit=limit, length=len(text))}


def _body_errors(body: str) -> dict[str, str]:
    if not body:
        return {"body": BODY_EMPTY}
    return _too_long("body", body, BODY_MAX, BODY_TOO_LONG)


def _on_team(patient: Patient, name: str) -> User | None:
    """The clinician called ``name`` if they may see ``patient``, else ``None``.

    An unknown name and someone off the team get the same answer, so a refusal
    never tells whether an account exists.
    """
    found = User.objects.filter(
        username__iexact=name, is_active=True, role__in=sorted(CLINICAL_ROLES)
    ).first()
    if found is None or not can_see_patient(user=found, patient=patient):
        return None
    return found


def _resolve(
    patient: Patient, names: Iterable[str], field: str, prefix: str
) -> tuple[list[User], list[str]]:
    users, errors = [], []
    for name in names:
        found = _on_team(patient, name)
        if found is None:
            errors.append(NOT_ON_TEAM.format(name=f"{prefix}{name}"))
        else:
            users.append(found)
    return users, errors


def _draft(
    patient: Patient, author: User, body: str, notify: Iterable[str]
) -> tuple[Draft, dict[str, list[str]]]:
    """The checked draft and every problem found, by field (all at once)."""
    errors: dict[str, list[str]] = {}
    for field, text in _body_errors(body).items():
        errors.setdefault(field, []).append(text)
    typed, typed_errors = _resolve(patient, mentioned_usernames(body), "body", "@")
    ticked, ticked_errors = _resolve(patient, notify, "notify", "")
    if typed_errors:
        errors.setdefault("body", []).extend(typed_errors)
    if ticked_errors:
        errors["notify"] = ticked_errors
    unique = {u.pk: u for u in [*typed, *ticked] if u.pk != author.pk}
    return Draft(body=body, mentioned=tuple(unique.values())), errors


def posted_at(earlier: QuerySet[Any], at: datetime | None) -> datetime:
    """Now, or the demo's back-dated ``at``: never in the future, never before the
    thread's last message (``earlier``: the thread's messages so far)."""
    now = timezone.now()
    if at is None:
        return now
    if at > now:
        raise ValidationError({"at": IN_THE_FUTURE})
    last = earlier.order_by("-created_at").first()
    if last is not None and at < last.created_at:
        raise ValidationError({"at": BEFORE_LAST})
    return at


def _audit_posted(message: Message, patient_id: int, new_thread: bool) -> None:
    # Ids and lengths only: the text stays in the message table.
    record(
        action=AuditAction.MESSAGE_POSTED,
        action_type=ActionType.CREATE,
        actor=message.author,
        patient_id=patient_id,
        data_category=DataCategory.MESSAGE,
        obj=message,
        changes={
            "thread": message.thread_id,
            "message": message.pk,
            "new_thread": new_thread,
            "length": len(message.body),
            "mentions": sorted(m.user_id for m in message.mentions.all()),
        },
    )


def _inserted(row: Thread | Message) -> bool:
    """Save a new row; ``False`` when its ``form_token`` is already taken."""
    row.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:  # a concurrent double click won the race for the token
        return False
    return True


def _message(
    thread: Thread, author: User, body: str, token: uuid.UUID, at: datetime
) -> Message:
    return Message(
        thread=thread, author=author, body=body, created_at=at, form_token=token
    )


def _notify(message: Message, draft: Draft) -> None:
    """Put the mentions in their inboxes; the author has read their own message."""
    Mention.objects.bulk_create(
        Mention(message=message, user=user, notified_at=message.created_at)
        for user in draft.mentioned
    )
    _read_to(thread=message.thread, user=message.author, message=message)


def _same_post(existing: Message, thread: Thread, author: User) -> Message:
    if existing.thread_id != thread.pk or existing.author_id != author.pk:
        raise ValidationError({"form_token": FORM_REUSED})
    return existing


@transaction.atomic
def message_post(
    *,
    thread: Thread,
    author: User,
    body: str,
    form_token: uuid.UUID,
    notify: Iterable[str] = (),
    at: datetime | None = None,
) -> Message:
    """Post a reply; ``@username`` in ``body`` and ``notify`` names become mentions.

    ``at`` back-dates the message (the demo generator); the pages never pass it.
    """
    patient = _check_writer(author, thread.episode.patient_id)
    existing = Message.objects.filter(form_token=form_token).first()
    if existing is not None:
        return _same_post(existing, thread, author)
    draft, errors = _draft(patient, author, body.strip(), notify)
    if errors:
        raise ValidationError(errors)
    message = _message(
        thread,
        author,
        draft.body,
        form_token,
        posted_at(Message.objects.filter(thread=thread), at),
    )
    if not _inserted(message):
        raced = Message.objects.get(form_token=form_token)
        return _same_post(raced, thread, author)
    _notify(message, draft)
    _audit_posted(message, patient.pk, new_thread=False)
    return message


def _subject_errors(subject: str) -> dict[str, list[str]]:
    if not subject:
        return {"subject": [SUBJECT_EMPTY]}
    found = _too_long("subject", subject, SUBJECT_MAX, SUBJECT_TOO_LONG)
    return {field: [text] for field, text in found.items()}


def _same_thread(existing: Thread, episode: Episode, author: User) -> Thread:
    if existing.episode_id != episode.pk or existing.created_by_id != author.pk:
        raise ValidationError({"form_token": FORM_REUSED})
    return existing


@transaction.atomic
def thread_start(
    *,
    episode: Episode,
    author: User,
    subject: str,
    body: str,
    form_token: uuid.UUID,
    notify: Iterable[str] = (),
    at: datetime | None = None,
) -> Thread:
    """Open a thread on ``episode`` with its first message, in one transaction."""
    patient = _check_writer(author, episode.patient_id)
    existing = Thread.objects.filter(form_token=form_token).first()
    if existing is not None:
        return _same_thread(existing, episode, author)
    subject = subject.strip()
    draft, errors = _draft(patient, author, body.strip(), notify)
    errors = {**_subject_errors(subject), **errors}
    if errors:
        raise ValidationError(errors)
    when = posted_at(Message.objects.none(), at)
    thread = Thread(
        episode=episode,
        subject=subject,
        created_by=author,
        created_at=when,
        form_token=form_token,
    )
    if not _inserted(thread):
        raced = Thread.objects.get(form_token=form_token)
        return _same_thread(raced, episode, author)
    message = _message(thread, author, draft.body, uuid.uuid4(), when)
    message.full_clean()
    message.save()
    _notify(message, draft)
    _audit_posted(message, patient.pk, new_thread=True)
    return thread


def _read_to(*, thread: Thread, user: User, message: Message) -> ThreadRead:
    """Move ``user``'s read mark on ``thread`` forward to ``message``, never back."""
    now = timezone.now()
    read, created = ThreadRead.objects.select_for_update().get_or_create(
        thread=thread,
        user=user,
        defaults={"last_read_message": message, "last_read_at": now},
    )
    if not created and read.last_read_message_id < message.pk:
        read.last_read_message = message
        read.last_read_at = now
        read.save(update_fields=["last_read_message", "last_read_at"])
    return read


@transaction.atomic
def thread_mark_read(*, thread: Thread, user: User) -> ThreadRead | None:
    """Mark every message of ``thread`` read for ``user`` (opening the thread).

    The read itself is audited by the selector that showed the messages; this
    only stores how far ``user`` has read, for unread counts.
    """
    _check_writer(user, thread.episode.patient_id)
    last = Message.objects.filter(thread=thread).order_by("-pk").first()
    if last is None:
        return None
    try:
        with transaction.atomic():
            return _read_to(thread=thread, user=user, message=last)
    except IntegrityError:
        # Two tabs opened the thread at once; the other one made the row.
        return _read_to(thread=thread, user=user, message=last)
