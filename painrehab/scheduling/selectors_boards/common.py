"""What every board shows of a child and a session, and the boards' audit."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import time

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext as _

from painrehab.accounts.choices import Discipline
from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory
from painrehab.audit.services import record
from painrehab.careplans.choices import SessionMode
from painrehab.episodes.models import Episode
from painrehab.episodes.selectors.census import short_name
from painrehab.patients.models import Patient
from painrehab.scheduling.choices import AttendanceStatus
from painrehab.scheduling.models import Session, SessionPatient


@dataclass(frozen=True)
class ChildRef:
    """A child as a board shows them: by name if the viewer may see them, else by
    bed only."""

    patient_id: int | None
    name: str
    first_name: str
    bed: str

    @property
    def visible(self) -> bool:
        return self.patient_id is not None

    @property
    def shown(self) -> str:
        return self.name if self.visible else self.bed


def bed_of(episode: Episode) -> str:
    try:
        number = episode.stay.bed.number
    except ObjectDoesNotExist:
        return _("A child not on the unit")
    return _("Bed %(number)s") % {"number": number}


def child_ref(episode: Episode, *, visible: bool) -> ChildRef:
    if not visible:
        return ChildRef(None, "", "", bed_of(episode))
    patient = episode.patient
    first = patient.preferred_name or patient.given_name
    return ChildRef(patient.pk, patient.display_name, first, bed_of(episode))


def visible_to(user: User, patient_path: str) -> Exists:
    return Exists(Patient.objects.visible_to(user).filter(pk=OuterRef(patient_path)))


@dataclass(frozen=True)
class Attendee:
    child: ChildRef
    attendance: str
    attendance_label: str
    reason: str


@dataclass(frozen=True)
class BoardSession:
    """A session as the boards show it; ``session`` is the row (for the actions)."""

    session: Session
    label: str
    discipline: str
    group: bool
    group_name: str
    room: str
    staff: tuple[str, ...]
    attendees: tuple[Attendee, ...]
    kind: str = "session"

    @property
    def start(self) -> time:
        return self.session.start

    @property
    def end(self) -> time:
        return self.session.end


@dataclass(frozen=True)
class Mark:
    """A time on a board that is not a session.

    ``kind``: "block" (a fixed block of the day), "label" (a time of the sample
    day outside therapy hours), "absence" (a therapist away) or "away" (a child's
    one-off appointment).
    """

    kind: str
    label: str
    start: time
    end: time


Item = BoardSession | Mark
# Labels by value, read once (a model's get_FOO_display flattens its choices on
# every call, which a board of hundreds of sessions feels).
DISCIPLINES = dict(Discipline.choices)
ATTENDANCE = dict(AttendanceStatus.choices)


def _attendee(row: SessionPatient) -> Attendee:
    visible = bool(row.patient_visible)  # type: ignore[attr-defined]
    return Attendee(
        child=child_ref(row.episode, visible=visible),
        attendance=row.attendance,
        attendance_label=str(ATTENDANCE[row.attendance]) if row.attendance else "",
        reason=row.reason if visible else "",
    )


def board_session(row: Session) -> BoardSession:
    return BoardSession(
        session=row,
        label=row.label,
        discipline=str(DISCIPLINES.get(row.discipline, row.discipline)),
        group=row.mode == SessionMode.GROUP,
        group_name=row.group.name if row.group is not None else "",
        room=row.room.name if row.room is not None else "",
        staff=tuple(short_name(person) for person in row.staff.all()),
        attendees=tuple(_attendee(a) for a in row.attendees.all()),
    )


STAFF_NAMES = User.objects.only("username", "first_name", "last_name", "role")


def sessions_for(user: User, where: Q) -> list[BoardSession]:
    """Sessions matching ``where``, with all a board shows: three queries."""
    attendees = (
        SessionPatient.objects.select_related("episode__patient", "episode__stay__bed")
        .annotate(patient_visible=visible_to(user, "episode__patient_id"))
        .order_by("pk")
    )
    rows = (
        Session.objects.filter(where)
        .select_related("room", "group")
        .prefetch_related(
            Prefetch("staff", queryset=STAFF_NAMES.order_by("last_name", "pk")),
            Prefetch("attendees", queryset=attendees),
        )
        .order_by("day", "start", "pk")
    )
    return [board_session(row) for row in rows]


def children_of(sessions: Iterable[BoardSession]) -> list[ChildRef]:
    return [a.child for s in sessions for a in s.attendees]


def audit_list(user: User, board: str, shown: Iterable[ChildRef], **facts: str) -> None:
    # One event per page, so a board costs the same whatever its size; the ids
    # say which children it showed by name.
    record(
        action=AuditAction.SCHEDULE_VIEWED,
        action_type=ActionType.QUERY,
        actor=user,
        data_category=DataCategory.SCHEDULE,
        changes={
            "board": board,
            **facts,
            "patients": sorted({c.patient_id for c in shown if c.patient_id}),
        },
    )
