"""One session's page and the list of absences (see the package docstring)."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory
from painrehab.audit.models import AuditEvent
from painrehab.audit.services import record
from painrehab.scheduling.choices import RunKind, RunStatus, SessionSource
from painrehab.scheduling.models import Absence, Session, SessionPatient, SolveRun
from painrehab.scheduling.selectors_boards.common import (
    BoardSession,
    ChildRef,
    sessions_for,
)
from painrehab.scheduling.services.attendance import has_started

SESSION_TYPE = "scheduling.Session"


def audit_shown(user: User, page: str, shown: Iterable[ChildRef], **facts: str) -> None:
    """One read event per page, naming the children shown by name."""
    record(
        action=AuditAction.SCHEDULE_VIEWED,
        action_type=ActionType.READ,
        actor=user,
        data_category=DataCategory.SCHEDULE,
        changes={
            "page": page,
            **facts,
            "patients": sorted({c.patient_id for c in shown if c.patient_id}),
        },
    )


def why_frozen(row: Session, now: dt.datetime | None = None) -> str:
    """Why the session can no longer move ("" when it can)."""
    if has_started(row, now):
        return _("This session has started or is over; it stays where it was.")
    if any(a.attendance for a in row.attendees.all()):
        return _("Attendance has been recorded; the session stays where it was.")
    return ""


# --- One session --------------------------------------------------------------


@dataclass(frozen=True)
class AttendeeRow:
    row: SessionPatient
    child: ChildRef


@dataclass(frozen=True)
class HistoryLine:
    at: dt.datetime
    by: str
    text: str


@dataclass(frozen=True)
class SessionPage:
    entry: BoardSession
    attendees: tuple[AttendeeRow, ...]
    history: tuple[HistoryLine, ...]
    note: str
    others: tuple[BoardSession, ...]
    started: bool
    frozen: str
    may_change: bool
    may_record: bool

    @property
    def session(self) -> Session:
        return self.entry.session


def source_note(row: Session) -> str:
    if row.source == SessionSource.MANUAL:
        note = _("Placed by the coordinator.")
    elif row.source == SessionSource.REPAIR:
        note = _("Placed by a repair after an absence.")
    else:
        note = _("Placed by the timetable solver.")
    if row.locked:
        note += " " + _("Locked: later solves and repairs keep it where it is.")
    return note


HISTORY_WORDS = {
    "moved": "Moved",
    "swapped": "Swapped",
    "locked": "Locked",
    "unlocked": "Unlocked",
    "repaired": "Moved by a repair",
    "removed": "Removed by a repair",
}


def history_of(row: Session) -> tuple[HistoryLine, ...]:
    """Changes to the session, oldest first, from the audit trail."""
    events = (
        AuditEvent.objects.filter(
            action=AuditAction.SCHEDULE_SESSION_CHANGED,
            object_type=SESSION_TYPE,
            object_id=str(row.pk),
        )
        .select_related("actor")
        .order_by("seq")
    )
    lines = []
    for event in events:
        changes = event.changes
        text = _(HISTORY_WORDS.get(changes.get("kind", ""), "Changed"))
        if changes.get("old") and changes.get("new"):
            text += f": {changes['old']} → {changes['new']}"
        who = event.actor.get_full_name() if event.actor else ""
        lines.append(HistoryLine(event.recorded_at, who or event.actor_username, text))
    return tuple(lines)


def _attendee_rows(entry: BoardSession) -> tuple[AttendeeRow, ...]:
    """The session's children (as the board shows them) with their rows."""
    rows = entry.session.attendees.all()
    return tuple(
        AttendeeRow(row, attendee.child)
        for row, attendee in zip(rows, entry.attendees, strict=True)
    )


def session_entry(user: User, session_id: int) -> BoardSession:
    found = sessions_for(user, Q(pk=session_id))
    if not found:
        raise Http404(_("No such session."))
    return found[0]


def session_page(*, user: User, session_id: int) -> SessionPage:
    """One session: who, when, where, attendance, its history; audited."""
    entry = session_entry(user, session_id)
    row = entry.session
    coordinator = user.role == Role.COORDINATOR
    delivering = any(p.pk == user.pk for p in row.staff.all())
    others = sessions_for(user, Q(day=row.day) & ~Q(pk=row.pk))
    page = SessionPage(
        entry=entry,
        attendees=_attendee_rows(entry),
        history=history_of(row),
        note=source_note(row),
        others=tuple(o for o in others if not why_frozen(o.session)),
        started=has_started(row),
        frozen=why_frozen(row),
        may_change=coordinator,
        may_record=coordinator or delivering,
    )
    shown = [a.child for a in entry.attendees] + [
        a.child for o in page.others for a in o.attendees
    ]
    audit_shown(user, "session", shown, session=str(row.pk))
    return page


def swap_label(entry: BoardSession) -> str:
    row = entry.session
    children = ", ".join(a.child.shown for a in entry.attendees)
    people = ", ".join(entry.staff)
    parts = [f"{row.start:%H:%M}–{row.end:%H:%M}", row.label, children, people]
    return " · ".join(p for p in parts if p)


# --- Absences ------------------------------------------------------------------


@dataclass(frozen=True)
class AbsenceLine:
    absence: Absence
    who: str
    when: str
    repair: SolveRun | None

    @property
    def repair_status(self) -> str:
        if self.repair is None:
            return _("No repair asked for")
        return str(self.repair.get_status_display())


def absence_list(*, today: dt.date | None = None) -> list[AbsenceLine]:
    """Absences from today on that are not cancelled, with their latest repair."""
    start = today or timezone.localdate()
    runs = SolveRun.objects.filter(kind=RunKind.REPAIR).order_by("-requested_at", "-pk")
    absences = (
        Absence.objects.filter(day__gte=start, cancelled_at__isnull=True)
        .select_related("staff")
        .prefetch_related(Prefetch("runs", queryset=runs))
        .order_by("day", "start", "pk")
    )
    lines = []
    for absence in absences:
        latest = next(iter(absence.runs.all()), None)
        whole = absence.start is None or absence.end is None
        when = _("whole day") if whole else f"{absence.start:%H:%M}–{absence.end:%H:%M}"
        name = absence.staff.get_full_name() or absence.staff.get_username()
        lines.append(AbsenceLine(absence, name, when, latest))
    return lines


def repair_get(*, run_id: int) -> SolveRun:
    return get_object_or_404(
        SolveRun.objects.select_related("absence__staff"),
        pk=run_id,
        kind=RunKind.REPAIR,
    )


OPEN_REPAIR = (RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.PROPOSED)
