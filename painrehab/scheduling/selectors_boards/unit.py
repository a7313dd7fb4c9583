"""The unit's day (therapists and rooms against time) and one therapist's day."""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, time, timedelta

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from painrehab.accounts.choices import DISCIPLINE_OF_ROLE, STAFF_ROLES, Discipline
from painrehab.accounts.models import User
from painrehab.episodes.selectors.census import short_name
from painrehab.scheduling.models import Absence, DayTemplate, Room, StaffShift
from painrehab.scheduling.selectors_boards.common import (
    BoardSession,
    Item,
    Mark,
    audit_list,
    children_of,
    sessions_for,
)
from painrehab.scheduling.selectors_boards.grid import (
    SLOT_MINUTES,
    Cell,
    Grid,
    TimeColumn,
    active_template,
    grid_for,
)


@dataclass(frozen=True)
class BoardRow:
    """A therapist or a room: lanes of cells (more than one where times overlap)."""

    name: str
    detail: str
    staff_id: int | None
    lanes: tuple[tuple[Cell[Item], ...], ...]


@dataclass(frozen=True)
class UnitDay:
    day: date
    template: DayTemplate | None
    columns: tuple[TimeColumn, ...]
    slots: int
    blocks: tuple[tuple[Cell[Item], ...], ...]
    therapists: tuple[BoardRow, ...]
    rooms: tuple[BoardRow, ...]
    sessions: int

    @property
    def hours(self) -> int:
        """Hours the grid spans (for its width class, ``hours-N`` in the css)."""
        return -(-self.slots // (60 // SLOT_MINUTES))

    @property
    def previous(self) -> date:
        return self.day - timedelta(days=1)

    @property
    def next(self) -> date:
        return self.day + timedelta(days=1)


def _staff_order(person: User) -> tuple[int, str, str, int]:
    discipline = DISCIPLINE_OF_ROLE.get(person.role, Discipline.ADMIN)  # type: ignore[call-overload]
    order = list(Discipline).index(discipline)
    return (order, person.last_name, person.first_name, person.pk)


def _absence_mark(absence: Absence) -> Mark:
    reason = absence.get_reason_display()
    if absence.start is None or absence.end is None:
        label = _("Absent all day (%(reason)s)") % {"reason": reason}
        return Mark("absence", label, time(0, 0), time(23, 59))
    label = _("Absent %(start)s–%(end)s (%(reason)s)") % {
        "start": f"{absence.start:%H:%M}",
        "end": f"{absence.end:%H:%M}",
        "reason": reason,
    }
    return Mark("absence", label, absence.start, absence.end)


def _hours(shifts: Sequence[StaffShift], absences: Sequence[Absence]) -> str:
    if any(a.whole_day for a in absences):
        return _("absent all day")
    return ", ".join(f"{s.start:%H:%M}–{s.end:%H:%M}" for s in shifts)


def _once(rows: list[BoardRow]) -> tuple[BoardRow, ...]:
    """Mark every appearance of a session after its first as a repeat."""
    seen: set[int] = set()

    def mark(cell: Cell[Item]) -> Cell[Item]:
        if not isinstance(cell.item, BoardSession):
            return cell
        if cell.item.session.pk in seen:
            return replace(cell, repeat=True)
        seen.add(cell.item.session.pk)
        return cell

    return tuple(
        replace(row, lanes=tuple(tuple(mark(c) for c in lane) for lane in row.lanes))
        for row in rows
    )


def _therapist_rows(
    day: date, grid: Grid, sessions: Sequence[BoardSession]
) -> tuple[BoardRow, ...]:
    """Everyone on shift, away or in a session that day, by discipline and name."""
    people: dict[int, User] = {}
    shifts: dict[int, list[StaffShift]] = {}
    absences: dict[int, list[Absence]] = {}
    items: dict[int | None, list[tuple[time, time, Item]]] = {}
    on_shift = StaffShift.objects.filter(weekday=day.weekday(), staff__is_active=True)
    for shift in on_shift.select_related("staff").order_by("start"):
        people[shift.staff_id] = shift.staff
        shifts.setdefault(shift.staff_id, []).append(shift)
    away = Absence.objects.filter(day=day, cancelled_at__isnull=True)
    for absence in away.select_related("staff"):
        people[absence.staff_id] = absence.staff
        absences.setdefault(absence.staff_id, []).append(absence)
        mark = _absence_mark(absence)
        items.setdefault(absence.staff_id, []).append((mark.start, mark.end, mark))
    for entry in sessions:
        staff = list(entry.session.staff.all())
        for person in staff:
            people[person.pk] = person
        owners: list[int | None] = [p.pk for p in staff] or [None]
        for pk in owners:
            items.setdefault(pk, []).append((entry.start, entry.end, entry))
    rows = [
        BoardRow(
            name=short_name(person),
            detail=" · ".join(
                part
                for part in (
                    str(person.get_role_display()),
                    _hours(shifts.get(person.pk, []), absences.get(person.pk, [])),
                )
                if part
            ),
            staff_id=person.pk,
            lanes=grid.lanes(items.get(person.pk, [])),
        )
        for person in sorted(people.values(), key=_staff_order)
    ]
    if None in items:
        rows.append(BoardRow(_("No therapist"), "", None, grid.lanes(items[None])))
    return _once(rows)


def _room_rows(grid: Grid, sessions: Sequence[BoardSession]) -> tuple[BoardRow, ...]:
    """Every room in use, and any other room a session of the day is in."""
    items: dict[int | None, list[tuple[time, time, Item]]] = {}
    for entry in sessions:
        at = (entry.start, entry.end, entry)
        items.setdefault(entry.session.room_id, []).append(at)
    used = [pk for pk in items if pk is not None]
    rooms = Room.objects.filter(Q(active=True) | Q(pk__in=used)).order_by("name")
    rows = [
        BoardRow(
            name=room.name,
            detail=_("holds %(count)s") % {"count": room.capacity},
            staff_id=None,
            lanes=grid.lanes(items.get(room.pk, [])),
        )
        for room in rooms
    ]
    if None in items:
        rows.append(BoardRow(_("No room"), "", None, grid.lanes(items[None])))
    return tuple(rows)


def fixed_marks(template: DayTemplate | None) -> list[Mark]:
    if template is None:
        return []
    blocks = template.blocks.all()
    return [Mark("block", b.label, b.start, b.end) for b in blocks if b.fixed]


def unit_day(*, user: User, day: date) -> UnitDay:
    """The unit's day: therapists and rooms against time, and the fixed blocks."""
    template = active_template()
    sessions = sessions_for(user, Q(day=day))
    grid = grid_for(template, ((s.start, s.end) for s in sessions))
    board = UnitDay(
        day=day,
        template=template,
        columns=grid.columns(),
        slots=grid.slots,
        blocks=grid.lanes((m.start, m.end, m) for m in fixed_marks(template)),
        therapists=_therapist_rows(day, grid, sessions),
        rooms=_room_rows(grid, sessions),
        sessions=len(sessions),
    )
    audit_list(user, "unit_day", children_of(sessions), day=day.isoformat())
    return board


# --- A therapist's day ---------------------------------------------------------------


@dataclass(frozen=True)
class StaffDay:
    person: User
    name: str
    day: date
    hours: str
    absences: tuple[Mark, ...]
    sessions: tuple[BoardSession, ...]

    @property
    def previous(self) -> date:
        return self.day - timedelta(days=1)

    @property
    def next(self) -> date:
        return self.day + timedelta(days=1)


def staff_day(*, user: User, staff_id: int, day: date) -> StaffDay:
    """One staff member's sessions of the day in order: their worklist.

    Who may open whose day is the view's rule; here ``Http404`` for no such staff.
    """
    person = User.objects.filter(pk=staff_id, role__in=STAFF_ROLES).first()
    if person is None:
        raise Http404
    shifts = StaffShift.objects.filter(staff=person, weekday=day.weekday())
    away = list(
        Absence.objects.filter(staff=person, day=day, cancelled_at__isnull=True)
    )
    sessions = sessions_for(user, Q(day=day, staff=person))
    result = StaffDay(
        person=person,
        name=person.get_full_name() or person.get_username(),
        day=day,
        hours=_hours(list(shifts.order_by("start")), away),
        absences=tuple(_absence_mark(a) for a in away),
        sessions=tuple(sessions),
    )
    audit_list(
        user,
        "staff_day",
        children_of(sessions),
        day=day.isoformat(),
        staff=str(staff_id),
    )
    return result
