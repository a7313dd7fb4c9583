"""A child's week on the chart, and the child-friendly printout of a day or week."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

from django.db.models import Prefetch
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_noop

from painrehab.accounts.choices import Discipline
from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory, Outcome
from painrehab.audit.services import record
from painrehab.careplans.choices import SessionMode
from painrehab.episodes.selectors.census import short_name
from painrehab.patients.access import PatientNotFound, patient_get_for_user
from painrehab.patients.models import Patient
from painrehab.scheduling.models import DayTemplate, PatientBlock, SessionPatient
from painrehab.scheduling.selectors_boards.common import (
    ATTENDANCE,
    DISCIPLINES,
    STAFF_NAMES,
)
from painrehab.scheduling.selectors_boards.grid import (
    SCHOOL_DAYS,
    SLOT_MINUTES,
    WEEK,
    Cell,
    Grid,
    active_template,
    grid_for,
)

REFUSED = "not found or not permitted"
# A child's one-off time away (a clinic visit) on the printout: no detail.
APPOINTMENT = gettext_noop("Appointment")
# The program template's session labels, which a child's printout shows as they
# are; any other label may carry clinical detail, so it shows the discipline.
CHILD_LABELS = frozenset(
    {
        gettext_noop("Wellness activity"),
        gettext_noop("Occupational therapy"),
        gettext_noop("Physical therapy"),
        gettext_noop("Pain-focused psychotherapy"),
        gettext_noop("Group physical therapy"),
        gettext_noop("Acupuncture"),
        gettext_noop("Recreational therapy"),
        gettext_noop("Child Life / social time"),
    }
)
# Labels of the sample day, named here so the translation catalogues carry them.
DAY_LABELS = (
    gettext_noop("Lunch"),
    gettext_noop("School"),
    gettext_noop("Family time / practice exercises"),
    gettext_noop("Parents return, relaxation, dinner, family time"),
    gettext_noop("Wake up, breakfast, get ready"),
    gettext_noop("Breakfast"),
    gettext_noop("Dinner"),
    gettext_noop("Family time"),
    gettext_noop("Relaxation"),
    gettext_noop("Bedtime"),
)


@dataclass(frozen=True)
class WeekItem:
    """A session or a time of the child's day.

    ``child_label`` is what the child's printout says, in English: a program
    label, the discipline, or the block's label. The printout translates it into
    the child's language as it renders (the catalogue has the program's labels).
    """

    kind: str  # "session", "block", "label" or "away"
    start: time
    end: time
    label: str
    child_label: str
    discipline: str = ""
    room: str = ""
    staff: tuple[str, ...] = ()
    staff_first: tuple[str, ...] = ()
    group: bool = False
    attendance: str = ""
    attendance_label: str = ""
    reason: str = ""


@dataclass(frozen=True)
class WeekDay:
    day: date
    items: tuple[WeekItem, ...]  # everything of the day, in order
    lanes: int  # columns the day takes in the week's grid


@dataclass(frozen=True)
class WeekRow:
    time: str
    on_hour: bool
    cells: tuple[Cell[WeekItem], ...]  # only the cells that start in this row


@dataclass(frozen=True)
class PatientDays:
    patient: Patient
    first_name: str
    first_day: date
    days: tuple[WeekDay, ...]
    rows: tuple[WeekRow, ...]
    sessions: int

    @property
    def previous(self) -> date:
        return self.first_day - timedelta(days=WEEK)

    @property
    def next(self) -> date:
        return self.first_day + timedelta(days=WEEK)


def untranslated(label: str | Promise) -> str:
    """A choice's label as written in the code (the catalogue's msgid)."""
    with translation.override(None):
        return str(label)


def _session_item(row: SessionPatient) -> WeekItem:
    session = row.session
    staff = list(session.staff.all())
    discipline = str(DISCIPLINES.get(session.discipline, session.discipline))
    shown = session.label if session.label in CHILD_LABELS else None
    return WeekItem(
        kind="session",
        start=session.start,
        end=session.end,
        label=session.label,
        child_label=shown or untranslated(Discipline(session.discipline).label),
        discipline=discipline,
        room=session.room.name if session.room is not None else "",
        staff=tuple(short_name(p) for p in staff),
        staff_first=tuple(p.first_name or p.get_username() for p in staff),
        group=session.mode == SessionMode.GROUP,
        attendance=row.attendance,
        attendance_label=str(ATTENDANCE[row.attendance]) if row.attendance else "",
        reason=row.reason,
    )


def _template_items(template: DayTemplate | None) -> list[WeekItem]:
    """The fixed blocks, and the sample day's labels outside therapy hours (wake
    up, bedtime): inside them a child's own sessions stand in for the labels."""
    if template is None:
        return []
    return [
        WeekItem("block" if b.fixed else "label", b.start, b.end, b.label, b.label)
        for b in template.blocks.all()
        if b.fixed or b.end <= template.earliest or b.start >= template.latest
    ]


def _grid_rows(
    grid: Grid, lanes: Sequence[tuple[tuple[Cell[WeekItem], ...], ...]]
) -> tuple[WeekRow, ...]:
    """The days' lanes as table rows: one row per slot, holding the cells that
    start there (the others span down into it)."""
    starts = [{c.start: c for c in lane} for day in lanes for lane in day]
    return tuple(
        WeekRow(
            label,
            (grid.low + slot * SLOT_MINUTES) % 60 == 0,
            tuple(lane[slot] for lane in starts if slot in lane),
        )
        for slot, label in enumerate(grid.times())
    )


def _patient(user: User, patient_id: int) -> Patient:
    try:
        return patient_get_for_user(user=user, patient_id=patient_id)
    except PatientNotFound:
        record(
            action=AuditAction.SCHEDULE_VIEWED,
            action_type=ActionType.READ,
            actor=user,
            data_category=DataCategory.SCHEDULE,
            outcome=Outcome.FAILURE,
            outcome_reason=REFUSED,
            changes={"patient_id_requested": patient_id},
        )
        raise


def _child_items(
    patient: Patient, first: date, last: date
) -> dict[date, list[WeekItem]]:
    """The child's sessions and one-off appointments per day: three queries."""
    attended = (
        SessionPatient.objects.filter(
            episode__patient=patient, session__day__range=(first, last)
        )
        .select_related("session__room")
        .prefetch_related(
            Prefetch("session__staff", queryset=STAFF_NAMES.order_by("last_name"))
        )
        .order_by("session__start", "session__pk")
    )
    by_day: dict[date, list[WeekItem]] = {}
    for row in attended:
        by_day.setdefault(row.session.day, []).append(_session_item(row))
    away = PatientBlock.objects.filter(
        episode__patient=patient, day__range=(first, last)
    )
    for block in away.order_by("start"):
        item = WeekItem("away", block.start, block.end, block.label, APPOINTMENT)
        by_day.setdefault(block.day, []).append(item)
    return by_day


def _audit_read(
    user: User, patient: Patient, board: str, first: date, count: int
) -> None:
    record(
        action=AuditAction.SCHEDULE_VIEWED,
        action_type=ActionType.READ,
        actor=user,
        patient_id=patient.pk,
        data_category=DataCategory.SCHEDULE,
        changes={"board": board, "from": first.isoformat(), "days": count},
    )


def patient_days(
    *, user: User, patient_id: int, first_day: date, count: int, board: str
) -> PatientDays:
    """A child's sessions, fixed blocks and appointments over ``count`` days.

    A week shows Monday to Friday, and a weekend day only when something is on it.
    Through the access funnel (``PatientNotFound`` like a missing chart); audited.
    """
    patient = _patient(user, patient_id)
    template = active_template()
    own = _child_items(patient, first_day, first_day + timedelta(days=count - 1))
    every_day = _template_items(template)
    days = [
        d
        for d in (first_day + timedelta(days=n) for n in range(count))
        if count == 1 or d.weekday() < SCHOOL_DAYS or d in own
    ]
    whole = {d: sorted(own.get(d, []) + every_day, key=lambda i: i.start) for d in days}
    grid = grid_for(template, ((i.start, i.end) for d in days for i in own.get(d, [])))
    lanes = [
        grid.lanes((i.start, i.end, i) for i in whole[d] if i.kind != "label")
        for d in days
    ]
    result = PatientDays(
        patient=patient,
        first_name=patient.preferred_name or patient.given_name,
        first_day=first_day,
        days=tuple(
            WeekDay(d, tuple(whole[d]), len(day_lanes))
            for d, day_lanes in zip(days, lanes, strict=True)
        ),
        rows=_grid_rows(grid, lanes),
        sessions=sum(1 for d in days for i in own.get(d, []) if i.kind == "session"),
    )
    _audit_read(user, patient, board, first_day, count)
    return result
