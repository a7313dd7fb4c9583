"""Reads of notes, through the access funnel and audited.

Ordinary notes are read by the clinical roles who may see the patient
(``patients.access``). A draft is its author's alone until signed. Psychotherapy
notes are not here: ``notes.psychotherapy`` is their only reader.

``notes_for_guardian`` and ``notes_for_teen`` are the family portal's selectors:
the caller has already passed the portal's own funnel for ``patient``.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory, Outcome
from painrehab.audit.services import record
from painrehab.notes.choices import NoteStatus
from painrehab.notes.models import Addendum, Note
from painrehab.patients.access import PatientNotFound, patient_get_for_user
from painrehab.patients.models import Patient

NOTE_RELATED = (
    "patient",
    "author",
    "author__staff_profile",
    "cosign_supervisor",
    "cosigned_by",
)


def _readable(user: User) -> Q:
    """Signed notes, and the user's own drafts."""
    return Q(status=NoteStatus.SIGNED) | Q(author=user)


def notes_for_chart(*, user: User, patient_id: int) -> tuple[Patient, list[Note]]:
    """The patient's notes the user may read, newest date of service first."""
    patient = patient_get_for_user(user=user, patient_id=patient_id)
    notes = list(
        Note.objects.filter(_readable(user), patient=patient)
        .select_related(*NOTE_RELATED)
        .order_by("-service_date", "-pk")
    )
    record(
        action=AuditAction.NOTES_LISTED,
        action_type=ActionType.QUERY,
        actor=user,
        patient_id=patient.pk,
        data_category=DataCategory.NOTE,
        changes={"count": len(notes)},
    )
    return patient, notes


def note_get(*, user: User, note_id: int) -> Note:
    """One note the user may read; refused and missing both raise the same 404."""
    found = (
        Note.objects.filter(_readable(user), pk=note_id)
        .select_related(*NOTE_RELATED, "episode", "group_session")
        .first()
    )
    try:
        if found is None:
            raise PatientNotFound
        patient_get_for_user(user=user, patient_id=found.patient_id)
    except PatientNotFound:
        record(
            action=AuditAction.NOTE_VIEWED,
            action_type=ActionType.READ,
            actor=user,
            data_category=DataCategory.NOTE,
            outcome=Outcome.FAILURE,
            outcome_reason="not found or not permitted",
        )
        raise
    record(
        action=AuditAction.NOTE_VIEWED,
        action_type=ActionType.READ,
        actor=user,
        patient_id=found.patient_id,
        data_category=(
            DataCategory.ADOLESCENT_CONFIDENTIAL
            if found.confidential
            else DataCategory.NOTE
        ),
        obj=found,
    )
    return found


def addenda_of(note: Note) -> list[Addendum]:
    """A signed note's addenda, oldest first."""
    return list(note.addenda.select_related("author", "note").order_by("signed_at"))


def notes_awaiting_cosignature(*, user: User) -> QuerySet[Note]:
    """Signed notes waiting for ``user``'s co-signature, of patients they may see."""
    return (
        Note.objects.filter(
            status=NoteStatus.SIGNED,
            cosign_required=True,
            cosigned_at__isnull=True,
            cosign_supervisor=user,
            patient__in=Patient.objects.visible_to(user),
        )
        .select_related(*NOTE_RELATED)
        .order_by("signed_at", "pk")
    )


@dataclass(frozen=True)
class MyNotes:
    drafts: list[Note]
    awaiting_my_cosignature: list[Note]
    mine_awaiting_cosignature: list[Note]


def my_notes(*, user: User) -> MyNotes:
    """The author's worklist: drafts to finish, notes to co-sign or awaiting it."""
    visible = Patient.objects.visible_to(user)
    mine = Note.objects.filter(author=user, patient__in=visible).select_related(
        *NOTE_RELATED
    )
    result = MyNotes(
        drafts=list(mine.filter(status=NoteStatus.DRAFT).order_by("service_date")),
        awaiting_my_cosignature=list(notes_awaiting_cosignature(user=user)),
        mine_awaiting_cosignature=list(
            mine.filter(
                status=NoteStatus.SIGNED, cosign_required=True, cosigned_at__isnull=True
            ).order_by("signed_at")
        ),
    )
    record(
        action=AuditAction.NOTES_LISTED,
        action_type=ActionType.QUERY,
        actor=user,
        data_category=DataCategory.NOTE,
        changes={"worklist": True},
    )
    return result


def notes_for_guardian(patient: Patient) -> QuerySet[Note]:
    """Signed notes a parent may be shown: never adolescent-confidential ones.

    Psychotherapy notes live in another table and can never appear here.
    """
    return (
        Note.objects.filter(
            patient=patient, status=NoteStatus.SIGNED, confidential=False
        )
        .select_related("author")
        .order_by("-service_date", "-pk")
    )


def notes_for_teen(patient: Patient) -> QuerySet[Note]:
    """Signed notes the teen may see in their own account, confidential ones too."""
    return (
        Note.objects.filter(patient=patient, status=NoteStatus.SIGNED)
        .select_related("author")
        .order_by("-service_date", "-pk")
    )


@dataclass(frozen=True)
class DigestProblem:
    kind: str  # "note", "addendum" or "psychotherapy note"
    pk: int


def signed_notes_verify() -> list[DigestProblem]:
    """Every signed note and addendum whose stored digest no longer matches."""
    problems = [
        DigestProblem("note", n.pk)
        for n in Note.objects.filter(status=NoteStatus.SIGNED).iterator()
        if not n.verify()
    ]
    problems += [
        DigestProblem("addendum", a.pk)
        for a in Addendum.objects.select_related("note").iterator()
        if not a.verify()
    ]
    return problems
