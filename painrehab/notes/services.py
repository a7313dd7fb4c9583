"""Writes: draft, save, sign, addenda, co-signature, confidentiality, discard.

Every write goes through the access funnel first, then ``notes.rules``; nothing is
written when a check refuses. Refusals: ``PatientNotFound`` (someone else's
patient, looks like missing), ``PermissionDenied`` (a role that may not do this),
``ValidationError`` (bad input, stale version, signed note) keyed by the form
field it belongs to. Audit events name sections and ids, never note text.
"""

import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory
from painrehab.audit.services import record
from painrehab.episodes.choices import OPEN_PHASES
from painrehab.episodes.models import Episode
from painrehab.notes import rules
from painrehab.notes.choices import ConfidentialityReason, NoteStatus
from painrehab.notes.models import Addendum, GroupSession, Note
from painrehab.notes.templates_catalog import NoteTemplate, template_get
from painrehab.patients.access import patient_get_for_user
from painrehab.patients.models import Patient

NO_EPISODE = "This child has no open episode to write a note in."
FORM_REUSED = "This form was already used for another note; reload the page."
ALREADY_SIGNED = "This note is signed and can no longer change; add an addendum."
STALE = (
    "Someone saved this note after you opened it. Their version is shown next to "
    "yours: merge what you need, then save again."
)
UNKNOWN_SECTION = "This note has no section called {key}."
SECTION_TOO_LONG = "This section is longer than {limit} characters."
SIGN_NEEDS = "Fill this in before signing."
LATE_REASON_REQUIRED = (
    "This note is signed more than 24 hours after its date of service: give the "
    "reason for the late entry."
)
NO_SUPERVISOR = (
    "You are a trainee without a supervisor on record; ask the coordinator to "
    "name one before signing."
)
NOT_SIGNED = "Only a signed note can have an addendum; edit the draft instead."
TEXT_REQUIRED = "Write the addendum."
REASON_REQUIRED = "Give the reason for the addendum."
COSIGN_NOT_NEEDED = "This note does not wait for a co-signature."
COSIGN_NOT_YOURS = "Only the author's supervisor can co-sign this note."
CONFIDENTIAL_REASON_REQUIRED = (
    "Choose the reason code for withholding this note from parents."
)
NOT_A_DRAFT = "Only a draft can be discarded."
SECTION_LIMIT = 20_000


def _audit(
    action: str,
    note: Note,
    by: User,
    action_type: ActionType,
    changes: dict[str, Any] | None = None,
    category: DataCategory = DataCategory.NOTE,
) -> None:
    record(
        action=action,
        action_type=action_type,
        actor=by,
        patient_id=note.patient_id,
        data_category=category,
        obj=note,
        changes={"kind": note.kind, "template": note.template, **(changes or {})},
    )


def open_episode(patient: Patient) -> Episode:
    episode = (
        Episode.objects.filter(patient=patient, phase__in=sorted(OPEN_PHASES))
        .order_by("-opened_on", "-pk")
        .first()
    )
    if episode is None:
        raise ValidationError({"patient": NO_EPISODE})
    return episode


def _clean_body(template: NoteTemplate, body: Mapping[str, Any]) -> dict[str, str]:
    keys = set(template.section_keys)
    errors: dict[str, str] = {}
    for key, text in body.items():
        if key not in keys:
            errors[key] = UNKNOWN_SECTION.format(key=key)
        elif len(str(text)) > SECTION_LIMIT:
            errors[key] = SECTION_TOO_LONG.format(limit=SECTION_LIMIT)
    if errors:
        raise ValidationError(errors)
    return {k: str(v) for k, v in body.items() if str(v).strip()}


@transaction.atomic
def note_create(
    *,
    patient: Patient,
    template_key: str,
    author: User,
    service_date: date,
    form_token: uuid.UUID,
    body: Mapping[str, str] | None = None,
    group_session: GroupSession | None = None,
) -> Note:
    """A new draft in the open episode; the same token returns the same row."""
    patient_get_for_user(user=author, patient_id=patient.pk)
    template = rules.check_may_write(author, template_key)
    existing = Note.objects.filter(form_token=form_token).first()
    if existing is not None:
        return _same_form(existing, patient, author)
    episode = open_episode(patient)
    rules.check_service_date(service_date, episode.opened_on)
    note = Note(
        episode=episode,
        patient=patient,
        template=template.key,
        kind=template.kind,
        author=author,
        service_date=service_date,
        body=_clean_body(template, body or {}),
        form_token=form_token,
        group_session=group_session,
    )
    note.full_clean()
    try:
        with transaction.atomic():
            note.save()
    except IntegrityError:
        # A concurrent double submit won the race for the token.
        raced = Note.objects.get(form_token=form_token)
        return _same_form(raced, patient, author)
    _audit(
        AuditAction.NOTE_CREATED,
        note,
        author,
        ActionType.CREATE,
        {"service_date": service_date.isoformat()},
    )
    return note


def _same_form(existing: Note, patient: Patient, author: User) -> Note:
    if existing.patient_id != patient.pk or existing.author_id != author.pk:
        raise ValidationError({"form_token": FORM_REUSED})
    return existing


def _locked(note: Note) -> Note:
    return (
        Note.objects.select_for_update(of=("self",))
        .select_related("patient", "episode", "author")
        .get(pk=note.pk)
    )


def _locked_draft(note: Note, by: User, version: int | None) -> Note:
    locked = _locked(note)
    patient_get_for_user(user=by, patient_id=locked.patient_id)
    if locked.author_id != by.pk:
        raise PermissionDenied(rules.NOT_AUTHOR)
    if locked.is_signed:
        raise ValidationError({"status": ALREADY_SIGNED})
    if version is not None and locked.version != version:
        raise ValidationError({"version": STALE})
    return locked


@transaction.atomic
def note_save(
    *,
    note: Note,
    by: User,
    version: int,
    body: Mapping[str, str],
    service_date: date | None = None,
) -> Note:
    """Save a draft's sections; a save based on an older version is refused."""
    locked = _locked_draft(note, by, version)
    template = template_get(locked.template)
    cleaned = _clean_body(template, body)
    if service_date is not None and service_date != locked.service_date:
        rules.check_service_date(service_date, locked.episode.opened_on)
        locked.service_date = service_date
    changed = sorted(
        k
        for k in set(cleaned) | set(locked.body)
        if cleaned.get(k) != locked.body.get(k)
    )
    locked.body = cleaned
    locked.version += 1
    locked.full_clean()
    locked.save(update_fields=["body", "service_date", "version", "updated_at"])
    _audit(
        AuditAction.NOTE_SAVED,
        locked,
        by,
        ActionType.UPDATE,
        {"version": locked.version, "sections": changed},
    )
    return locked


def _check_complete(locked: Note) -> None:
    template = template_get(locked.template)
    missing = {
        s.key: SIGN_NEEDS
        for s in template.sections
        if s.required and not locked.body.get(s.key, "").strip()
    }
    if missing:
        raise ValidationError(missing)


def _cosign_supervisor(author: User) -> User | None:
    profile = rules.profile_of(author)
    if profile is None or not profile.is_trainee:
        return None
    if profile.supervisor is None:
        raise ValidationError({"status": NO_SUPERVISOR})
    return profile.supervisor


@transaction.atomic
def note_sign(
    *, note: Note, by: User, version: int | None = None, late_entry_reason: str = ""
) -> Note:
    """Sign: only the author, only when complete; the content's SHA-256 is stored.

    Signed more than 24 hours after the end of the date of service, the note is a
    late entry and needs a reason. A trainee's note waits for the supervisor.
    """
    locked = _locked_draft(note, by, version)
    _check_complete(locked)
    rules.check_group_note(locked)
    now = timezone.now()
    late = rules.is_late(locked.service_date, now)
    reason = late_entry_reason.strip() if late else ""
    if late and not reason:
        raise ValidationError({"late_entry_reason": LATE_REASON_REQUIRED})
    supervisor = _cosign_supervisor(locked.author)
    locked.status = NoteStatus.SIGNED
    locked.signed_at = now
    locked.is_late_entry = late
    locked.late_entry_reason = reason
    locked.cosign_required = supervisor is not None
    locked.cosign_supervisor = supervisor
    locked.content_sha256 = locked.compute_digest()
    locked.full_clean()
    locked.save()
    _audit(
        AuditAction.NOTE_SIGNED,
        locked,
        by,
        ActionType.UPDATE,
        {
            "sha256": locked.content_sha256,
            "late_entry": late,
            "awaits_cosignature": locked.cosign_required,
        },
    )
    return locked


@transaction.atomic
def note_save_and_sign(
    *,
    note: Note,
    by: User,
    version: int,
    body: Mapping[str, str],
    service_date: date | None = None,
    late_entry_reason: str = "",
) -> Note:
    """Save the author's last edits and sign them, or do neither."""
    saved = note_save(
        note=note, by=by, version=version, body=body, service_date=service_date
    )
    return note_sign(
        note=saved, by=by, version=saved.version, late_entry_reason=late_entry_reason
    )


@transaction.atomic
def note_discard(*, note: Note, by: User) -> None:
    """Delete the author's own draft (a signed note can never be deleted)."""
    locked = _locked(note)
    patient_get_for_user(user=by, patient_id=locked.patient_id)
    if locked.author_id != by.pk:
        raise PermissionDenied(rules.NOT_AUTHOR)
    if locked.is_signed:
        raise ValidationError({"status": NOT_A_DRAFT})
    _audit(AuditAction.NOTE_DELETED, locked, by, ActionType.DELETE)
    locked.delete()


def _locked_signed(note: Note, by: User) -> Note:
    locked = _locked(note)
    patient_get_for_user(user=by, patient_id=locked.patient_id)
    if not locked.is_signed:
        raise ValidationError({"status": NOT_SIGNED})
    return locked


@transaction.atomic
def addendum_add(
    *, note: Note, by: User, text: str, reason: str, form_token: uuid.UUID
) -> Addendum:
    """A signed correction linked to a signed note; the same token returns the same."""
    existing = Addendum.objects.filter(form_token=form_token).first()
    if existing is not None:
        if existing.note_id != note.pk or existing.author_id != by.pk:
            raise ValidationError({"form_token": FORM_REUSED})
        return existing
    locked = _locked_signed(note, by)
    if not rules.may_amend(locked, by):
        raise PermissionDenied(rules.NOT_AMENDER)
    errors = {}
    if not text.strip():
        errors["text"] = TEXT_REQUIRED
    if not reason.strip():
        errors["reason"] = REASON_REQUIRED
    if errors:
        raise ValidationError(errors)
    addendum = Addendum(
        note=locked,
        author=by,
        text=text,
        reason=reason.strip(),
        signed_at=timezone.now(),
        form_token=form_token,
    )
    addendum.content_sha256 = addendum.compute_digest()
    addendum.full_clean()
    addendum.save()
    _audit(
        AuditAction.NOTE_ADDENDUM_ADDED,
        locked,
        by,
        ActionType.CREATE,
        {"addendum": addendum.pk, "sha256": addendum.content_sha256},
    )
    return addendum


@transaction.atomic
def note_cosign(*, note: Note, by: User) -> Note:
    """The supervisor co-signs a trainee's signed note; the digest does not change."""
    locked = _locked_signed(note, by)
    if not locked.cosign_required or locked.cosigned_at is not None:
        raise ValidationError({"status": COSIGN_NOT_NEEDED})
    if not rules.may_cosign(locked, by):
        raise PermissionDenied(COSIGN_NOT_YOURS)
    locked.cosigned_by = by
    locked.cosigned_at = timezone.now()
    locked.full_clean()
    locked.save(update_fields=["cosigned_by", "cosigned_at"])
    _audit(
        AuditAction.NOTE_COSIGNED,
        locked,
        by,
        ActionType.UPDATE,
        {"sha256": locked.content_sha256},
    )
    return locked


@transaction.atomic
def note_confidentiality_set(
    *, note: Note, by: User, confidential: bool, reason: str = ""
) -> Note:
    """Mark a note adolescent-confidential (with a reason code) or clear the mark.

    Only for a patient aged 12 or over on the date of service. Works on drafts and
    signed notes alike: the mark is not part of the signed content.
    """
    locked = _locked(note)
    patient_get_for_user(user=by, patient_id=locked.patient_id)
    if not rules.may_amend(locked, by):
        raise PermissionDenied(rules.NOT_AMENDER)
    if confidential:
        _check_confidential(locked, reason)
    else:
        reason = ""
    if (locked.confidential, locked.confidential_reason) == (confidential, reason):
        return locked
    previous = locked.confidential_reason
    locked.confidential = confidential
    locked.confidential_reason = reason
    locked.confidential_set_by = by
    locked.confidential_set_at = timezone.now()
    locked.full_clean()
    locked.save(update_fields=sorted(_CONFIDENTIALITY_FIELDS))
    _audit(
        AuditAction.NOTE_CONFIDENTIAL_SET
        if confidential
        else AuditAction.NOTE_CONFIDENTIAL_CLEARED,
        locked,
        by,
        ActionType.UPDATE,
        {"reason_code": reason, "previous_reason_code": previous},
        category=DataCategory.ADOLESCENT_CONFIDENTIAL,
    )
    return locked


_CONFIDENTIALITY_FIELDS = {
    "confidential",
    "confidential_reason",
    "confidential_set_by",
    "confidential_set_at",
}


def _check_confidential(locked: Note, reason: str) -> None:
    if not rules.may_be_confidential(locked.patient, locked.service_date):
        raise ValidationError({"confidential": rules.UNDER_12})
    if reason not in ConfidentialityReason.values:
        raise ValidationError({"reason": CONFIDENTIAL_REASON_REQUIRED})
