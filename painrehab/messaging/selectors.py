"""Reads: unread counts, the inbox, a thread's messages, a child's threads.

Only clinicians read team messages, and only about children the access funnel
(``patients.access``) lets them see; everyone else sees none. Lists are built in
a fixed number of queries, whatever the number of children or threads: unread
state is a subquery against the person's ``ThreadRead`` row, not a query per row.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from painrehab.accounts.choices import CLINICAL_ROLES
from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory, Outcome
from painrehab.audit.services import record
from painrehab.messaging.choices import InboxFilter
from painrehab.messaging.models import Mention, Message, Thread, ThreadRead
from painrehab.patients.access import (
    ROLE_SCOPE,
    PatientNotFound,
    Scope,
    patient_get_for_user,
)
from painrehab.patients.models import CareTeamMember, Patient

INBOX_PAGE_SIZE = 25
REFUSED = "No such thread, or not about a child on this person's care team."


def _visible_patients(user: User) -> QuerySet[Patient]:
    if getattr(user, "role", None) not in CLINICAL_ROLES:
        return Patient.objects.none()
    return Patient.objects.visible_to(user)


def threads_visible(user: User) -> QuerySet[Thread]:
    """Threads about children ``user`` may see; none for non-clinicians."""
    return Thread.objects.filter(episode__patient__in=_visible_patients(user))


def _read_to(user: User, thread_ref: str) -> Coalesce:
    """The id of the last message ``user`` read in the thread at ``thread_ref``."""
    read = ThreadRead.objects.filter(thread=OuterRef(thread_ref), user=user)
    last = Subquery(read.values("last_read_message_id")[:1])
    return Coalesce(last, 0, output_field=IntegerField())


def _unread_messages(user: User) -> QuerySet[Message]:
    """Messages of the outer thread newer than its ``read_to``, by someone else."""
    return Message.objects.filter(
        thread=OuterRef("pk"), pk__gt=OuterRef("read_to")
    ).exclude(author=user)


def _unread_mentions(user: User) -> QuerySet[Mention]:
    mentions: QuerySet[Mention] = Mention.objects.filter(user=user)
    return mentions.annotate(read_to=_read_to(user, "message__thread_id"))


def unread_count(*, user: User) -> int:
    """The navigation badge: unread threads plus unread mentions, in two queries."""
    threads = (
        threads_visible(user)
        .annotate(read_to=_read_to(user, "pk"))
        .filter(Exists(_unread_messages(user)))
    )
    mentions = _unread_mentions(user).filter(
        message__thread__in=threads_visible(user), message_id__gt=F("read_to")
    )
    return threads.count() + mentions.count()


def _count(messages: QuerySet[Message]) -> Coalesce:
    counted = messages.order_by().values("thread").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted[:1], output_field=IntegerField()), 0)


def _annotated(user: User, threads: QuerySet[Thread]) -> QuerySet[Thread]:
    """Each thread with its last activity, counts and the person's unread state."""
    own = Message.objects.filter(thread=OuterRef("pk"))
    mentions = Mention.objects.filter(user=user, message__thread=OuterRef("pk"))
    return (
        threads.select_related("episode__patient", "created_by")
        .annotate(read_to=_read_to(user, "pk"))
        .annotate(
            last_message_at=Subquery(
                own.order_by("-created_at", "-pk").values("created_at")[:1]
            ),
            message_count=_count(own),
            unread_count=_count(_unread_messages(user)),
            has_unread=Exists(_unread_messages(user)),
            mentioned=Exists(mentions),
            mentioned_unread=Exists(
                mentions.filter(message_id__gt=OuterRef("read_to"))
            ),
        )
    )


@dataclass(frozen=True)
class ThreadLine:
    """One thread in a list, with what the reader has not read yet."""

    thread_id: int
    subject: str
    patient_id: int
    patient_name: str
    episode_opened_on: date
    started_by: str
    last_message_at: datetime
    message_count: int
    unread_count: int
    mentioned: bool
    mentioned_unread: bool

    @property
    def unread(self) -> bool:
        return self.unread_count > 0


def _line(thread: Thread) -> ThreadLine:
    patient = thread.episode.patient
    return ThreadLine(
        thread_id=thread.pk,
        subject=thread.subject,
        patient_id=patient.pk,
        patient_name=patient.display_name,
        episode_opened_on=thread.episode.opened_on,
        started_by=str(thread.created_by),
        last_message_at=thread.last_message_at,  # type: ignore[attr-defined]
        message_count=thread.message_count,  # type: ignore[attr-defined]
        unread_count=thread.unread_count,  # type: ignore[attr-defined]
        mentioned=thread.mentioned,  # type: ignore[attr-defined]
        mentioned_unread=thread.mentioned_unread,  # type: ignore[attr-defined]
    )


def _inbox_order(threads: QuerySet[Thread]) -> QuerySet[Thread]:
    """Unread first, then the most recent activity first."""
    return threads.order_by(F("has_unread").desc(), F("last_message_at").desc(), "-pk")


def _filtered(threads: QuerySet[Thread], show: InboxFilter) -> QuerySet[Thread]:
    if show == InboxFilter.UNREAD:
        return threads.filter(Q(has_unread=True))
    if show == InboxFilter.MENTIONS:
        return threads.filter(Q(mentioned=True))
    return threads


@dataclass(frozen=True)
class Inbox:
    lines: tuple[ThreadLine, ...]
    page: Page[Thread]
    show: InboxFilter


def inbox_get(*, user: User, show: InboxFilter, page: int | str = 1) -> Inbox:
    """One page of the threads about ``user``'s patients (an audited list read)."""
    threads = _filtered(_annotated(user, threads_visible(user)), show)
    found = Paginator(_inbox_order(threads), INBOX_PAGE_SIZE).get_page(page)
    lines = tuple(_line(t) for t in found.object_list)
    _audit_list(user, lines, patient_id=None)
    return Inbox(lines=lines, page=found, show=show)


def _audit_list(
    user: User, lines: Sequence[ThreadLine], *, patient_id: int | None
) -> None:
    # One event per list, so a list costs the same whatever its length; the ids
    # say which threads (and children) were listed.
    record(
        action=AuditAction.MESSAGES_VIEWED,
        action_type=ActionType.QUERY,
        actor=user,
        patient_id=patient_id,
        data_category=DataCategory.MESSAGE,
        changes={
            "threads": [line.thread_id for line in lines],
            "patients": sorted({line.patient_id for line in lines}),
        },
    )


@dataclass(frozen=True)
class PatientThreads:
    patient: Patient
    lines: tuple[ThreadLine, ...]


def patient_threads(*, user: User, patient_id: int) -> PatientThreads:
    """The chart tab: every thread about one child, newest activity first."""
    patient = patient_get_for_user(user=user, patient_id=patient_id)
    threads = _annotated(user, threads_visible(user).filter(episode__patient=patient))
    ordered = threads.order_by(F("last_message_at").desc(), "-pk")
    lines = tuple(_line(t) for t in ordered)
    _audit_list(user, lines, patient_id=patient.pk)
    return PatientThreads(patient=patient, lines=lines)


def _audit_refused(user: User) -> None:
    record(
        action=AuditAction.MESSAGES_VIEWED,
        action_type=ActionType.READ,
        actor=user,
        data_category=DataCategory.MESSAGE,
        outcome=Outcome.FAILURE,
        outcome_reason=REFUSED,
    )


def thread_get(*, user: User, thread_id: int) -> Thread:
    """A thread about a child ``user`` may see; a missing one looks the same (404)."""
    thread = (
        threads_visible(user)
        .select_related("episode__patient", "created_by")
        .filter(pk=thread_id)
        .first()
    )
    if thread is None:
        _audit_refused(user)
        raise PatientNotFound
    return thread


@dataclass(frozen=True)
class MessageLine:
    message: Message
    author: str
    mentions: tuple[str, ...]
    new: bool  # posted after the reader's previous visit


def thread_messages(*, user: User, thread: Thread) -> tuple[MessageLine, ...]:
    """Every message of ``thread``, oldest first (an audited read).

    ``new`` marks what arrived since ``user`` last read the thread; call this
    before ``services.thread_mark_read``.
    """
    read = ThreadRead.objects.filter(thread=thread, user=user).first()
    read_to = read.last_read_message_id if read is not None else 0
    messages = (
        Message.objects.filter(thread=thread)
        .select_related("author")
        .prefetch_related(
            Prefetch("mentions", queryset=Mention.objects.select_related("user"))
        )
        .order_by("created_at", "pk")
    )
    lines = tuple(
        MessageLine(
            message=m,
            author=str(m.author),
            mentions=tuple(str(x.user) for x in m.mentions.all()),
            new=m.pk > read_to and m.author_id != user.pk,
        )
        for m in messages
    )
    _audit_read(user, thread, lines)
    return lines


def _audit_read(user: User, thread: Thread, lines: Sequence[MessageLine]) -> None:
    record(
        action=AuditAction.MESSAGES_VIEWED,
        action_type=ActionType.READ,
        actor=user,
        patient_id=thread.episode.patient_id,
        data_category=DataCategory.MESSAGE,
        obj=thread,
        changes={
            "thread": thread.pk,
            "messages": [line.message.pk for line in lines],
        },
    )


def team_choices(*, patient: Patient, exclude: User) -> list[tuple[str, str]]:
    """Who may be notified about ``patient``: (username, label), by name.

    The care team on today's date and the roles that see every child (the
    coordinator), as the access funnel defines them; the posting service checks
    each name through the funnel again.
    """
    today = timezone.localdate()
    on_team = CareTeamMember.objects.filter(
        patient=patient, start_date__lte=today
    ).exclude(end_date__lt=today)
    everyone = [r for r, scope in ROLE_SCOPE.items() if scope is Scope.ALL]
    people = (
        User.objects.filter(is_active=True, role__in=sorted(CLINICAL_ROLES))
        .filter(pk__in=on_team.values("member_id"))
        .union(
            User.objects.filter(
                is_active=True, role__in=sorted(set(everyone) & CLINICAL_ROLES)
            )
        )
    )
    return sorted(
        (
            (u.username, f"{u} (@{u.username}, {u.get_role_display()})")
            for u in people
            if u.pk != exclude.pk
        ),
        key=lambda choice: choice[1].lower(),
    )
