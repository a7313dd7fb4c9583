"""Reads of the unit's set-up: rooms, the staff's weekly shifts, the day template,
the therapy groups. None of it is patient information.

Rows without a ``version`` column (a person's week of shifts, a group) are guarded
by a fingerprint of what the user saw: a short digest of the values, compared
again when they save.
"""

import datetime as dt
import hashlib
import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from painrehab.accounts.choices import DISCIPLINE_OF_ROLE, Discipline, Role
from painrehab.accounts.models import User
from painrehab.careplans.choices import PRESCRIBABLE_DISCIPLINES, Weekday
from painrehab.scheduling.choices import RoomKind
from painrehab.scheduling.models import (
    WEEKDAYS,
    DayTemplate,
    Room,
    StaffShift,
    TemplateBlock,
    TherapyGroup,
)

# Roles whose people deliver prescribed sessions (the director does when given
# shifts: anyone with shifts is listed too).
SESSION_ROLES = frozenset(
    role
    for role, discipline in DISCIPLINE_OF_ROLE.items()
    if discipline in PRESCRIBABLE_DISCIPLINES and role != Role.DIRECTOR
)


def fingerprint(values: Iterable[object]) -> str:
    """A short digest of what the user saw, to catch a save made meanwhile."""
    text = "|".join(str(v) for v in values)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def hhmm(moment: dt.time | None) -> str:
    return moment.strftime("%H:%M") if moment else ""


@dataclass(frozen=True)
class Interval:
    start: dt.time
    end: dt.time

    @property
    def minutes(self) -> int:
        begin = self.start.hour * 60 + self.start.minute
        return self.end.hour * 60 + self.end.minute - begin

    def __str__(self) -> str:
        return f"{hhmm(self.start)}–{hhmm(self.end)}"


def week_fingerprint(shifts: Iterable[StaffShift]) -> str:
    rows = sorted((s.weekday, hhmm(s.start), hhmm(s.end)) for s in shifts)
    return fingerprint(rows)


@dataclass(frozen=True)
class StaffWeek:
    """A person's weekly shifts, day by day (Monday first); breaks are the gaps."""

    staff: User
    discipline: str
    days: tuple[tuple[Interval, ...], ...]
    fingerprint: str

    @property
    def minutes(self) -> int:
        return sum(i.minutes for day in self.days for i in day)

    @property
    def discipline_label(self) -> str:
        return discipline_label(self.discipline)

    @property
    def hours(self) -> str:
        """Hours a week, e.g. "37.5"."""
        return f"{self.minutes / 60:.1f}".removesuffix(".0")

    @property
    def schedule(self) -> list[tuple[str, tuple[Interval, ...]]]:
        """(weekday name, its shifts), Monday first."""
        return [(str(Weekday(n).label), day) for n, day in enumerate(self.days)]

    def breaks(self, weekday: int) -> list[Interval]:
        shifts = self.days[weekday]
        return [Interval(a.end, b.start) for a, b in itertools.pairwise(shifts)]


def _discipline(user: User) -> str:
    profile = getattr(user, "staff_profile", None)
    if profile is not None and profile.discipline:
        return str(profile.discipline)
    found = DISCIPLINE_OF_ROLE.get(Role(user.role)) if user.role in Role else None
    return str(found) if found is not None else ""


def _week(user: User, shifts: list[StaffShift]) -> StaffWeek:
    days: list[list[Interval]] = [[] for _ in range(WEEKDAYS)]
    for shift in sorted(shifts, key=lambda s: (s.weekday, s.start)):
        days[shift.weekday].append(Interval(shift.start, shift.end))
    return StaffWeek(
        staff=user,
        discipline=_discipline(user),
        days=tuple(tuple(day) for day in days),
        fingerprint=week_fingerprint(shifts),
    )


def _session_staff() -> QuerySet[User]:
    with_shifts = StaffShift.objects.values("staff_id")
    return (
        User.objects.filter(is_active=True)
        .filter(Q(role__in=sorted(SESSION_ROLES)) | Q(pk__in=with_shifts))
        .select_related("staff_profile")
        .prefetch_related(Prefetch("shifts", queryset=StaffShift.objects.all()))
        .order_by("role", "last_name", "first_name", "pk")
    )


WEEKDAY_LABELS = [Weekday(n).label for n in range(WEEKDAYS)]


def shift_staff_list() -> list[StaffWeek]:
    """Everyone who delivers sessions, with their week (three queries in all)."""
    return [_week(user, list(user.shifts.all())) for user in _session_staff()]


def staff_week(*, user_id: int) -> StaffWeek:
    """One person's week; a 404 for anyone who delivers no sessions."""
    user = _session_staff().filter(pk=user_id).first()
    if user is None:
        raise Http404
    return _week(user, list(user.shifts.all()))


def discipline_label(code: str) -> str:
    return str(Discipline(code).label) if code in Discipline.values else ""


# --- Rooms and groups -------------------------------------------------------------


@dataclass(frozen=True)
class RoomRow:
    room: Room

    @property
    def kinds(self) -> str:
        """The kinds of session in words, in the choices' order."""
        return ", ".join(str(k.label) for k in RoomKind if k in self.room.kinds)


def room_list() -> list[RoomRow]:
    return [RoomRow(room) for room in Room.objects.order_by("-active", "name")]


def room_get(*, room_id: int) -> Room:
    room = Room.objects.filter(pk=room_id).first()
    if room is None:
        raise Http404
    return room


def group_list() -> list[TherapyGroup]:
    return list(
        TherapyGroup.objects.order_by("-active", "discipline", "min_age", "name")
    )


def group_get(*, group_id: int) -> TherapyGroup:
    group = TherapyGroup.objects.filter(pk=group_id).first()
    if group is None:
        raise Http404
    return group


GROUP_FIELDS = (
    "name",
    "discipline",
    "label",
    "min_age",
    "max_age",
    "max_patients",
    "staff_required",
    "active",
)


def group_fingerprint(group: TherapyGroup) -> str:
    return fingerprint(getattr(group, name) for name in GROUP_FIELDS)


# --- The day template -------------------------------------------------------------


def active_template() -> DayTemplate | None:
    """The functional day in use, with its blocks in time order."""
    blocks = Prefetch("blocks", queryset=TemplateBlock.objects.order_by("start", "pk"))
    return DayTemplate.objects.filter(active=True).prefetch_related(blocks).first()


@dataclass(frozen=True)
class SetupOverview:
    rooms: list[RoomRow]
    weeks: list[StaffWeek]
    template: DayTemplate | None
    groups: list[TherapyGroup]

    @property
    def staff_without_shifts(self) -> list[StaffWeek]:
        return [w for w in self.weeks if not w.minutes]


def setup_overview() -> SetupOverview:
    return SetupOverview(
        rooms=room_list(),
        weeks=shift_staff_list(),
        template=active_template(),
        groups=group_list(),
    )
