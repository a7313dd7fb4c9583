"""The child's day and week as a family reads them.

Only the child's own sessions are read (``SessionPatient`` rows of the child's
episode), so another child in a group is never named: the group is "Group
physical therapy", nothing more. Each session says what (a plain name, never the
prescription's own label, which may carry clinical detail), when, where (the
room) and with whom (first name and role, never a surname). The active day
template adds the fixed times of the day (meals, school, family time) on the days
the child is on the unit. Nothing about attendance or its reasons is read.

Family sessions are sessions the parents take part in. Nothing in the care plan
marks them yet, so the rule is: a social work session (the calendar feed calls
these "Family session"), or a session whose own label or prescription's label
names a family, parent or caregiver. Sessions about parents or caregivers are
"Parent training"; the others "Family session".

A fixed number of queries whatever the number of sessions: the sessions with
room and prescription (one), their staff (one), one-off appointments (one), the
day template with its blocks (two).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from painrehab.accounts.choices import Discipline
from painrehab.accounts.models import User
from painrehab.careplans.choices import SessionMode
from painrehab.episodes.models import Episode, Stay
from painrehab.portal.access import PortalChild
from painrehab.portal.people import team_member
from painrehab.scheduling.feeds import session_kind
from painrehab.scheduling.models import (
    DayTemplate,
    PatientBlock,
    Session,
    SessionPatient,
)
from painrehab.scheduling.selectors_boards.child import APPOINTMENT, CHILD_LABELS
from painrehab.scheduling.selectors_boards.grid import active_template

WEEK = 7
SCHOOL_DAYS = 5
# A date further than this from today is not a page anyone means to open.
FURTHEST_DAYS = 2 * 366
DEFAULT_VISITING_HOURS = ("17:00", "20:00")
FAMILY_WORDS = ("family", "parent", "caregiver")
PARENT_WORDS = ("parent", "caregiver")


@dataclass(frozen=True)
class DayItem:
    """One time of the child's day in plain words.

    ``kind``: "session", "block" (a fixed time of the day: a meal, school, family
    time), "label" (a time of the sample day outside therapy hours: waking up,
    bedtime) or "away" (a one-off appointment off the unit's timetable).
    """

    kind: str
    start: time
    end: time
    what: str
    where: str = ""
    with_whom: tuple[str, ...] = ()
    group: bool = False
    family: bool = False  # a family session or parent training


@dataclass(frozen=True)
class ScheduleDay:
    day: date
    items: tuple[DayItem, ...]
    on_unit: bool

    @property
    def sessions(self) -> int:
        return sum(1 for item in self.items if item.kind == "session")


@dataclass(frozen=True)
class ChildSchedule:
    """The child's days from ``first_day``, visiting hours and family time."""

    first_day: date
    days: tuple[ScheduleDay, ...]
    visiting: tuple[time, time] | None
    family_time: tuple[DayItem, ...]

    @property
    def sessions(self) -> int:
        return sum(day.sessions for day in self.days)

    @property
    def family_sessions(self) -> int:
        return sum(1 for d in self.days for i in d.items if i.family)


def day_parse(value: str | None, *, today: date) -> date:
    """A YYYY-MM-DD parameter as a date; ``today`` when absent, unreadable or
    more than two years away (a page is never an error)."""
    try:
        asked = date.fromisoformat(value or "")
    except ValueError:
        return today
    if abs((asked - today).days) > FURTHEST_DAYS:
        return today
    return asked


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def visiting_hours() -> tuple[time, time] | None:
    """``settings.PORTAL_VISITING_HOURS`` ("HH:MM", "HH:MM"); ``None`` hides them."""
    hours = getattr(settings, "PORTAL_VISITING_HOURS", DEFAULT_VISITING_HOURS)
    if hours is None:
        return None
    try:
        start, end = (time.fromisoformat(h) for h in hours)
    except (TypeError, ValueError) as error:
        raise ImproperlyConfigured(
            'PORTAL_VISITING_HOURS must be two times, e.g. ("17:00", "20:00").'
        ) from error
    return start, end


def is_family_session(session: Session) -> bool:
    if session.discipline == Discipline.SW:
        return True
    return any(word in label for label in _labels(session) for word in FAMILY_WORDS)


def _labels(session: Session) -> list[str]:
    labels = [session.label.lower()]
    if session.prescription is not None:
        labels.append(session.prescription.label.lower())
    return labels


def plain_name(session: Session) -> str:
    """What a family reads: the program's own label, or the kind of session."""
    if session.discipline != Discipline.SW and is_family_session(session):
        parents = any(w in label for label in _labels(session) for w in PARENT_WORDS)
        return _("Parent training") if parents else _("Family session")
    if session.label in CHILD_LABELS:
        return _(session.label)
    return session_kind(session)


def _session_item(session: Session) -> DayItem:
    return DayItem(
        kind="session",
        start=session.start,
        end=session.end,
        what=plain_name(session),
        where=session.room.name if session.room is not None else "",
        with_whom=tuple(team_member(person) for person in session.staff.all()),
        group=session.mode == SessionMode.GROUP,
        family=is_family_session(session),
    )


STAFF = User.objects.only("first_name", "role").order_by("first_name", "pk")


def _own_items(episode: Episode, first: date, last: date) -> dict[date, list[DayItem]]:
    rows = (
        SessionPatient.objects.filter(
            episode=episode, session__day__range=(first, last)
        )
        .select_related("session__room", "session__prescription")
        .prefetch_related(Prefetch("session__staff", queryset=STAFF))
        .order_by("session__day", "session__start", "session__pk")
    )
    by_day: dict[date, list[DayItem]] = {}
    for row in rows:
        by_day.setdefault(row.session.day, []).append(_session_item(row.session))
    away = PatientBlock.objects.filter(episode=episode, day__range=(first, last))
    for block in away.order_by("day", "start", "pk"):
        # The block's own label may name a clinic or a test: not for the portal.
        item = DayItem("away", block.start, block.end, _(APPOINTMENT))
        by_day.setdefault(block.day, []).append(item)
    return by_day


def _template_items(template: DayTemplate | None) -> list[DayItem]:
    """The fixed blocks, and the sample day's labels outside therapy hours."""
    if template is None:
        return []
    return [
        DayItem("block" if b.fixed else "label", b.start, b.end, _(b.label))
        for b in template.blocks.all()
        if b.fixed or b.end <= template.earliest or b.start >= template.latest
    ]


def family_time_of(template: DayTemplate | None) -> tuple[DayItem, ...]:
    """The day's family time: fixed blocks naming family or parents; failing
    those, the fixed blocks after therapy hours."""
    if template is None:
        return ()
    fixed = [b for b in template.blocks.all() if b.fixed]
    named = [b for b in fixed if any(w in b.label.lower() for w in FAMILY_WORDS)]
    chosen = named or [b for b in fixed if b.start >= template.latest]
    return tuple(DayItem("block", b.start, b.end, _(b.label)) for b in chosen)


def _stay(episode: Episode | None) -> Stay | None:
    if episode is None:
        return None
    try:
        return episode.stay
    except ObjectDoesNotExist:
        return None


def on_unit(stay: Stay | None, day: date) -> bool:
    """Whether the child sleeps on the unit that day (the day template applies)."""
    if stay is None or day < stay.admitted_on:
        return False
    return stay.discharged_on is None or day < stay.discharged_on


def _days(first: date, count: int, busy: Iterable[date]) -> list[date]:
    """Every day of ``count`` days; for a week, weekends only when busy."""
    busy = set(busy)
    every = [first + timedelta(days=n) for n in range(count)]
    return [d for d in every if count == 1 or d.weekday() < SCHOOL_DAYS or d in busy]


def child_schedule(*, child: PortalChild, first_day: date, count: int) -> ChildSchedule:
    """The child's own days from ``first_day`` (``count`` 1: a day; 7: a week).

    ``child`` passed the portal's door; the caller checks ``Category.SCHEDULE``.
    """
    episode = child.episode
    last = first_day + timedelta(days=count - 1)
    own = _own_items(episode, first_day, last) if episode is not None else {}
    template = active_template()
    every_day = _template_items(template)
    stay = _stay(episode)
    days = []
    for day in _days(first_day, count, own):
        here = on_unit(stay, day)
        items = own.get(day, []) + (every_day if here else [])
        ordered = tuple(sorted(items, key=lambda i: (i.start, i.end)))
        days.append(ScheduleDay(day, ordered, here))
    return ChildSchedule(
        first_day=first_day,
        days=tuple(days),
        visiting=visiting_hours(),
        family_time=family_time_of(template),
    )
