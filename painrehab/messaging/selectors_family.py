"""Reads of conversations between families and the team.

Who sees which conversation (docs/messaging.md, "Messages with families"):

- a guardian: the parents' conversations (``FamilyAudience.GUARDIANS``) about
  their own children, never a teen's own (``FamilyAudience.TEEN``);
- the teen (their own account): their own conversations *and* their parents'
  conversations about their care, which are part of the teen's own record;
- a clinician: every conversation about a child on their care team, through the
  access funnel (``patients.access``);
- anyone else: none.

A conversation someone may not see is reported exactly like a missing one
(``PatientNotFound``, a 404). Lists are built in a fixed number of queries: the
last message's time, sender side and id are subqueries, and the last messages'
authors come in one more query.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from painrehab.accounts.choices import CLINICAL_ROLES, Role
from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory, Outcome
from painrehab.audit.services import record
from painrehab.messaging.models import FamilyAudience, FamilyMessage, FamilyThread
from painrehab.patients.access import PatientNotFound, patient_get_for_user
from painrehab.patients.models import Patient

INBOX_PAGE_SIZE = 25
REFUSED = "No such family conversation, or not one this person may see."


def family_threads_visible(user: User) -> QuerySet[FamilyThread]:
    """Every conversation ``user`` may see, by role (see the module docstring)."""
    role = getattr(user, "role", None)
    threads = FamilyThread.objects.filter(
        episode__patient__in=Patient.objects.visible_to(user)
    )
    if role in CLINICAL_ROLES or role == Role.PATIENT:
        return threads
    if role == Role.GUARDIAN:
        return threads.filter(audience=FamilyAudience.GUARDIANS)
    return FamilyThread.objects.none()


def _last(field: str) -> Subquery:
    last = FamilyMessage.objects.filter(thread=OuterRef("pk")).order_by(
        "-created_at", "-pk"
    )
    return Subquery(last.values(field)[:1])


def _annotated(threads: QuerySet[FamilyThread]) -> QuerySet[FamilyThread]:
    """Each conversation with its last message (time, side, id) and its count."""
    counted = (
        FamilyMessage.objects.filter(thread=OuterRef("pk"))
        .order_by()
        .values("thread")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return threads.select_related("episode__patient", "started_by").annotate(
        last_message_at=_last("created_at"),
        last_from_family=_last("from_family"),
        last_message_id=_last("pk"),
        message_count=Coalesce(Subquery(counted[:1], output_field=IntegerField()), 0),
    )


@dataclass(frozen=True)
class FamilyThreadLine:
    """One conversation in a list; ``awaiting_reply``: the family wrote last."""

    thread_id: int
    subject: str
    audience: str
    patient_id: int
    patient_name: str
    started_by: User
    created_at: datetime
    last_message_at: datetime
    last_author: User
    last_from_family: bool
    message_count: int

    @property
    def awaiting_reply(self) -> bool:
        return self.last_from_family

    @property
    def private_to_teen(self) -> bool:
        return self.audience == FamilyAudience.TEEN


def _lines(threads: Sequence[FamilyThread]) -> tuple[FamilyThreadLine, ...]:
    ids = [t.last_message_id for t in threads]  # type: ignore[attr-defined]
    last = FamilyMessage.objects.filter(pk__in=ids).select_related("author")
    authors = {m.pk: m.author for m in last} if ids else {}
    return tuple(
        FamilyThreadLine(
            thread_id=t.pk,
            subject=t.subject,
            audience=t.audience,
            patient_id=t.episode.patient_id,
            patient_name=t.episode.patient.display_name,
            started_by=t.started_by,
            created_at=t.created_at,
            last_message_at=t.last_message_at,  # type: ignore[attr-defined]
            last_author=authors[t.last_message_id],  # type: ignore[attr-defined]
            last_from_family=bool(t.last_from_family),  # type: ignore[attr-defined]
            message_count=t.message_count,  # type: ignore[attr-defined]
        )
        for t in threads
    )


def _newest_first(threads: QuerySet[FamilyThread]) -> QuerySet[FamilyThread]:
    return threads.order_by(F("last_message_at").desc(), "-pk")


def _awaiting_first(threads: QuerySet[FamilyThread]) -> QuerySet[FamilyThread]:
    return threads.order_by(
        F("last_from_family").desc(), F("last_message_at").desc(), "-pk"
    )


# Family side ----------------------------------------------------------------


def family_threads_for_viewer(
    *, user: User, patient: Patient
) -> tuple[FamilyThreadLine, ...]:
    """The portal's list: this family member's conversations about ``patient``,
    newest activity first. The portal page records the view."""
    patient = patient_get_for_user(user=user, patient_id=patient.pk)
    threads = family_threads_visible(user).filter(episode__patient=patient)
    return _lines(list(_newest_first(_annotated(threads))))


def family_thread_for_viewer(
    *, user: User, patient: Patient, thread_id: int
) -> FamilyThread:
    """One conversation about ``patient`` this family member may see.

    Looked up within the child and the viewer's audience: a guardian asking for
    the teen's conversation, or for another family's, gets the 404 of a missing
    one.
    """
    thread = (
        family_threads_visible(user)
        .filter(episode__patient_id=patient.pk, pk=thread_id)
        .select_related("episode__patient", "started_by")
        .first()
    )
    if thread is None:
        raise PatientNotFound
    return thread


@dataclass(frozen=True)
class FamilyMessageLine:
    message: FamilyMessage
    author: User
    from_family: bool


def family_thread_messages(*, thread: FamilyThread) -> tuple[FamilyMessageLine, ...]:
    """Every message of ``thread``, oldest first, with its author (one query).

    ``thread`` must come from one of the getters here, which check who may see
    it. The caller records the read: staff pages call ``family_thread_read``,
    portal pages ``portal.access.audit_viewed``.
    """
    messages = (
        FamilyMessage.objects.filter(thread=thread)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    return tuple(FamilyMessageLine(m, m.author, m.from_family) for m in messages)


# Staff side -----------------------------------------------------------------


def _staff_threads(user: User) -> QuerySet[FamilyThread]:
    if getattr(user, "role", None) not in CLINICAL_ROLES:
        return FamilyThread.objects.none()
    return family_threads_visible(user)


def family_awaiting_count(*, user: User) -> int:
    """The navigation badge: conversations about ``user``'s patients in which the
    family wrote last (one query)."""
    return (
        _staff_threads(user)
        .annotate(last_from_family=_last("from_family"))
        .filter(last_from_family=True)
        .count()
    )


def _audit_list(
    user: User, lines: Sequence[FamilyThreadLine], *, patient_id: int | None
) -> None:
    # One event per list, whatever its length; the ids say which conversations.
    record(
        action=AuditAction.FAMILY_MESSAGES_VIEWED,
        action_type=ActionType.QUERY,
        actor=user,
        patient_id=patient_id,
        data_category=DataCategory.FAMILY_MESSAGE,
        changes={
            "threads": [line.thread_id for line in lines],
            "patients": sorted({line.patient_id for line in lines}),
        },
    )


@dataclass(frozen=True)
class FamilyInbox:
    lines: tuple[FamilyThreadLine, ...]
    page: Page[FamilyThread]
    awaiting: int


def family_inbox_get(*, user: User, page: int | str = 1) -> FamilyInbox:
    """One page of the conversations about ``user``'s patients, those awaiting a
    reply first, then the newest (an audited list read)."""
    threads = _awaiting_first(_annotated(_staff_threads(user)))
    found = Paginator(threads, INBOX_PAGE_SIZE).get_page(page)
    lines = _lines(list(found.object_list))
    _audit_list(user, lines, patient_id=None)
    return FamilyInbox(
        lines=lines, page=found, awaiting=family_awaiting_count(user=user)
    )


@dataclass(frozen=True)
class PatientFamilyThreads:
    patient: Patient
    lines: tuple[FamilyThreadLine, ...]


def family_patient_threads(*, user: User, patient_id: int) -> PatientFamilyThreads:
    """The chart tab: every conversation with this child's family, newest first."""
    patient = patient_get_for_user(user=user, patient_id=patient_id)
    threads = _staff_threads(user).filter(episode__patient=patient)
    lines = _lines(list(_newest_first(_annotated(threads))))
    _audit_list(user, lines, patient_id=patient.pk)
    return PatientFamilyThreads(patient=patient, lines=lines)


def _audit_refused(user: User) -> None:
    record(
        action=AuditAction.FAMILY_MESSAGES_VIEWED,
        action_type=ActionType.READ,
        actor=user,
        data_category=DataCategory.FAMILY_MESSAGE,
        outcome=Outcome.FAILURE,
        outcome_reason=REFUSED,
    )


def family_thread_get(*, user: User, thread_id: int) -> FamilyThread:
    """A conversation about a child on ``user``'s care team; else the 404 of a
    missing one (the refusal is recorded)."""
    thread = (
        _staff_threads(user)
        .select_related("episode__patient", "started_by")
        .filter(pk=thread_id)
        .first()
    )
    if thread is None:
        _audit_refused(user)
        raise PatientNotFound
    return thread


def family_thread_read(
    *, user: User, thread: FamilyThread
) -> tuple[FamilyMessageLine, ...]:
    """The staff page's read of a conversation: its messages, audited."""
    lines = family_thread_messages(thread=thread)
    record(
        action=AuditAction.FAMILY_MESSAGES_VIEWED,
        action_type=ActionType.READ,
        actor=user,
        patient_id=thread.episode.patient_id,
        data_category=DataCategory.FAMILY_MESSAGE,
        obj=thread,
        changes={
            "thread": thread.pk,
            "audience": str(thread.audience),
            "messages": [line.message.pk for line in lines],
        },
    )
    return lines
