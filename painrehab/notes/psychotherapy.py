"""Psychotherapy notes: every read and write of the separate store, in one module.

HIPAA 164.501 and 164.508(a)(2): only a psychologist or social worker writes one;
only its author reads it, and the supervisor recorded on it when a trainee wrote
it. Every other path raises ``PatientNotFound``, the same 404 as a missing page,
so a refusal does not reveal that a note exists. Audit events carry ids only
(``DataCategory.PSYCHOTHERAPY_NOTE``), never the text, not even its digest.

Nothing else in the code base queries ``PsychotherapyNote``:
``notes/tests/test_psychotherapy_isolation.py`` checks that.
"""

import uuid
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory, Outcome
from painrehab.audit.services import record
from painrehab.notes import rules
from painrehab.notes.choices import PSYCHOTHERAPY_NOTE_ROLES, NoteStatus
from painrehab.notes.models import PsychotherapyNote
from painrehab.patients.access import PatientNotFound, patient_get_for_user
from painrehab.patients.models import Patient

NOT_PN_ROLE = "Only psychologists and social workers write psychotherapy notes."
ALREADY_SIGNED = "This psychotherapy note is signed and can no longer change."
STALE = (
    "You saved this note in another window after opening this one. Both versions "
    "are shown: merge them, then save again."
)
FORM_REUSED = "This form was already used for another note; reload the page."
EMPTY = "Write the note before signing."
TEXT_LIMIT = 20_000
TOO_LONG = "The note is longer than {limit} characters."
CATEGORY = DataCategory.PSYCHOTHERAPY_NOTE


def _audit(
    action: str,
    pn: PsychotherapyNote,
    by: User,
    action_type: ActionType,
    version: int | None = None,
) -> None:
    """Ids only: the changes name the version, never a word of the note."""
    record(
        action=action,
        action_type=action_type,
        actor=by,
        patient_id=pn.patient_id,
        data_category=CATEGORY,
        obj=pn,
        changes={"version": version} if version is not None else {},
    )


def _check_role(user: User) -> None:
    if user.role not in PSYCHOTHERAPY_NOTE_ROLES:
        raise PermissionDenied(NOT_PN_ROLE)


def _supervisor_link(author: User) -> User | None:
    """The trainee's supervisor, when that supervisor writes such notes too."""
    supervisor = rules.supervisor_of(author)
    if supervisor is None or supervisor.role not in PSYCHOTHERAPY_NOTE_ROLES:
        return None
    return supervisor


def _check_text(text: str) -> None:
    if len(text) > TEXT_LIMIT:
        raise ValidationError({"text": TOO_LONG.format(limit=TEXT_LIMIT)})


def _check_date(service_date: date) -> None:
    if service_date > timezone.localdate():
        raise ValidationError({"service_date": rules.FUTURE_DATE})


@transaction.atomic
def psychotherapy_note_create(
    *,
    patient: Patient,
    author: User,
    service_date: date,
    form_token: uuid.UUID,
    text: str = "",
) -> PsychotherapyNote:
    """A new draft; the same ``form_token`` returns the same row."""
    _check_role(author)
    patient_get_for_user(user=author, patient_id=patient.pk)
    existing = PsychotherapyNote.objects.filter(form_token=form_token).first()
    if existing is not None:
        return _same_form(existing, patient, author)
    _check_date(service_date)
    _check_text(text)
    pn = PsychotherapyNote(
        patient=patient,
        author=author,
        supervisor=_supervisor_link(author),
        service_date=service_date,
        text=text,
        form_token=form_token,
    )
    pn.full_clean()
    try:
        with transaction.atomic():
            pn.save()
    except IntegrityError:
        raced = PsychotherapyNote.objects.get(form_token=form_token)
        return _same_form(raced, patient, author)
    _audit(AuditAction.PSYCHOTHERAPY_NOTE_CREATED, pn, author, ActionType.CREATE)
    return pn


def _same_form(
    existing: PsychotherapyNote, patient: Patient, author: User
) -> PsychotherapyNote:
    if existing.patient_id != patient.pk or existing.author_id != author.pk:
        raise ValidationError({"form_token": FORM_REUSED})
    return existing


def _locked_draft(pn: PsychotherapyNote, by: User, version: int) -> PsychotherapyNote:
    locked = PsychotherapyNote.objects.select_for_update().get(pk=pn.pk)
    if locked.author_id != by.pk:
        raise PatientNotFound
    _check_role(by)
    patient_get_for_user(user=by, patient_id=locked.patient_id)
    if locked.is_signed:
        raise ValidationError({"status": ALREADY_SIGNED})
    if locked.version != version:
        raise ValidationError({"version": STALE})
    return locked


@transaction.atomic
def psychotherapy_note_save(
    *, pn: PsychotherapyNote, by: User, version: int, text: str
) -> PsychotherapyNote:
    """Save the author's draft; a save based on an older version is refused."""
    locked = _locked_draft(pn, by, version)
    _check_text(text)
    locked.text = text
    locked.version += 1
    locked.full_clean()
    locked.save(update_fields=["text", "version", "updated_at"])
    _audit(
        AuditAction.PSYCHOTHERAPY_NOTE_SAVED,
        locked,
        by,
        ActionType.UPDATE,
        locked.version,
    )
    return locked


@transaction.atomic
def psychotherapy_note_sign(
    *, pn: PsychotherapyNote, by: User, version: int
) -> PsychotherapyNote:
    """Sign the author's draft; from then on it never changes."""
    locked = _locked_draft(pn, by, version)
    if not locked.text.strip():
        raise ValidationError({"text": EMPTY})
    locked.status = NoteStatus.SIGNED
    locked.signed_at = timezone.now()
    locked.content_sha256 = locked.compute_digest()
    locked.full_clean()
    locked.save()
    _audit(AuditAction.PSYCHOTHERAPY_NOTE_SIGNED, locked, by, ActionType.UPDATE)
    return locked


@transaction.atomic
def psychotherapy_note_save_and_sign(
    *, pn: PsychotherapyNote, by: User, version: int, text: str
) -> PsychotherapyNote:
    saved = psychotherapy_note_save(pn=pn, by=by, version=version, text=text)
    return psychotherapy_note_sign(pn=saved, by=by, version=saved.version)


# --- reads ---


def _readable_by(user: User) -> Q:
    return Q(author=user) | Q(supervisor=user)


def psychotherapy_note_get(*, user: User, pn_id: int) -> PsychotherapyNote:
    """The note for its author or linked supervisor; ``PatientNotFound`` otherwise."""
    found = None
    if user.is_authenticated and user.role in PSYCHOTHERAPY_NOTE_ROLES:
        found = (
            PsychotherapyNote.objects.filter(_readable_by(user), pk=pn_id)
            .select_related("patient", "author", "supervisor")
            .first()
        )
    if found is not None:
        try:
            patient_get_for_user(user=user, patient_id=found.patient_id)
        except PatientNotFound:
            found = None
    if found is None:
        record(
            action=AuditAction.PSYCHOTHERAPY_NOTE_VIEWED,
            action_type=ActionType.READ,
            actor=user,
            data_category=CATEGORY,
            outcome=Outcome.FAILURE,
            outcome_reason="not found or not permitted",
        )
        raise PatientNotFound
    _audit(AuditAction.PSYCHOTHERAPY_NOTE_VIEWED, found, user, ActionType.READ)
    return found


@dataclass(frozen=True)
class PsychotherapyNoteLine:
    """One row of the author's own list: no text, only what finds the note."""

    pk: int
    patient: Patient
    service_date: date
    status: str
    is_own: bool
    author: User


def psychotherapy_notes_for(*, user: User) -> list[PsychotherapyNoteLine]:
    """The user's own notes and those of trainees they supervise (and may see)."""
    if user.role not in PSYCHOTHERAPY_NOTE_ROLES:
        raise PermissionDenied(NOT_PN_ROLE)
    visible = Patient.objects.visible_to(user)
    notes: QuerySet[PsychotherapyNote] = (
        PsychotherapyNote.objects.filter(_readable_by(user), patient__in=visible)
        .select_related("patient", "author")
        .defer("text")
    )
    record(
        action=AuditAction.PSYCHOTHERAPY_NOTES_LISTED,
        action_type=ActionType.QUERY,
        actor=user,
        data_category=CATEGORY,
    )
    return [
        PsychotherapyNoteLine(
            pk=n.pk,
            patient=n.patient,
            service_date=n.service_date,
            status=n.status,
            is_own=n.author_id == user.pk,
            author=n.author,
        )
        for n in notes
    ]


def psychotherapy_note_patients(*, user: User) -> QuerySet[Patient]:
    """Patients the user may write a psychotherapy note about (the funnel)."""
    _check_role(user)
    return Patient.objects.visible_to(user).order_by("family_name", "given_name")


def psychotherapy_notes_verify() -> list[int]:
    """Ids of signed psychotherapy notes whose digest no longer matches."""
    signed = PsychotherapyNote.objects.filter(status=NoteStatus.SIGNED)
    return [pn.pk for pn in signed.iterator() if not pn.verify()]
