"""Factories and builders for the scheduling tests (shared by every area).

Children come from a real admission (``referrals.tests.journey.admitted``), so
their care plan and its template prescriptions exist as in real use.
"""

import datetime as dt
from typing import Any

import factory
from django.utils import timezone

from painrehab.accounts.choices import Discipline, Role
from painrehab.accounts.models import User
from painrehab.accounts.tests.factories import StaffFactory
from painrehab.careplans.choices import SessionMode
from painrehab.domain.timetable.generator import ROOMS_PER_UNIT
from painrehab.episodes.models import Episode
from painrehab.scheduling.choices import RoomKind, RunKind, RunStatus, SessionSource
from painrehab.scheduling.models import (
    Absence,
    DayTemplate,
    Room,
    Session,
    SessionPatient,
    SolveRun,
    StaffShift,
    TemplateBlock,
    TherapyGroup,
    UnscheduledItem,
)

# The sample day's fixed blocks (docs/careplans.md).
SAMPLE_BLOCKS = (
    ("Lunch", "12:00", "13:00"),
    ("School", "13:00", "14:00"),
    ("Parents return, relaxation, dinner, family time", "17:00", "20:00"),
)


def hhmm(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    name = factory.Sequence(lambda n: f"Room {n}")
    kinds = factory.LazyFunction(lambda: [RoomKind.PT])
    capacity = 1


class TherapyGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TherapyGroup

    name = factory.Sequence(lambda n: f"Group {n}")
    discipline = Discipline.PT
    label = "Group physical therapy"


def therapist(role: Role = Role.PHYSICAL_THERAPIST, **kwargs: Any) -> User:
    """A staff member with a day shift (08:00 to 12:00, 12:30 to 16:30) on weekdays."""
    user: User = StaffFactory(role=role, **kwargs)
    for weekday in range(5):
        StaffShift.objects.create(
            staff=user, weekday=weekday, start=hhmm("08:00"), end=hhmm("12:00")
        )
        StaffShift.objects.create(
            staff=user, weekday=weekday, start=hhmm("12:30"), end=hhmm("16:30")
        )
    return user


def day_template() -> DayTemplate:
    """The active sample day: therapy 08:30 to 17:00 around lunch and school."""
    template = DayTemplate.objects.create(
        name="Functional day",
        earliest=hhmm("08:30"),
        latest=hhmm("17:00"),
        max_consecutive_minutes=180,
    )
    for label, start, end in SAMPLE_BLOCKS:
        TemplateBlock.objects.create(
            template=template, label=label, start=hhmm(start), end=hhmm(end)
        )
    return template


def session(
    episode: Episode,
    *,
    day: dt.date,
    start: str = "10:00",
    minutes: int = 60,
    staff: User | None = None,
    room: Room | None = None,
    discipline: str = Discipline.PT,
    label: str = "Physical therapy",
    locked: bool = False,
    others: tuple[Episode, ...] = (),
) -> Session:
    """A stored session of ``episode`` (and ``others`` for a group)."""
    begin = dt.datetime.combine(day, hhmm(start))
    end = (begin + dt.timedelta(minutes=minutes)).time()
    mode = SessionMode.GROUP if others else SessionMode.INDIVIDUAL
    activity = f"g0/{discipline}" if others else f"e{episode.pk}/{discipline}/0"
    row = Session.objects.create(
        day=day,
        start=begin.time(),
        end=end,
        activity=activity,
        discipline=discipline,
        label=label,
        mode=mode,
        room=room,
        locked=locked,
        source=SessionSource.MANUAL,
    )
    if staff is not None:
        row.staff.add(staff)
    for attendee in (episode, *others):
        SessionPatient.objects.create(session=row, episode=attendee)
    return row


def absence(staff: User, day: dt.date, by: User, **kwargs: Any) -> Absence:
    return Absence.objects.create(
        staff=staff, day=day, recorded_by=by, reason="sick", **kwargs
    )


def finished_run(
    first_day: dt.date,
    last_day: dt.date,
    *,
    by: User,
    finished_at: dt.datetime | None = None,
    **kwargs: Any,
) -> SolveRun:
    """A solve run that is done (as a finished background solve leaves it)."""
    fields: dict[str, Any] = {"kind": RunKind.SOLVE, "status": RunStatus.DONE}
    return SolveRun.objects.create(
        first_day=first_day,
        last_day=last_day,
        requested_by=by,
        finished_at=finished_at or timezone.now(),
        **{**fields, **kwargs},
    )


def unscheduled(
    run: SolveRun,
    *episodes: Episode,
    day: dt.date,
    discipline: str = Discipline.PT,
    label: str = "Physical therapy",
    count: int = 1,
    reason: str = "no PT staff available",
) -> UnscheduledItem:
    """What ``run`` could not place for ``episodes`` on ``day``."""
    first = episodes[0]
    group = len(episodes) > 1
    item = UnscheduledItem.objects.create(
        run=run,
        day=day,
        activity=f"g0/{discipline}" if group else f"e{first.pk}/{discipline}/0",
        discipline=discipline,
        label=label,
        count=count,
        reason=reason,
    )
    item.episodes.set(episodes)
    return item


# --- A unit to solve (builder and runs tests) -------------------------------------


def next_monday(today: dt.date | None = None) -> dt.date:
    """The Monday after ``today`` (the week a coordinator builds next)."""
    today = today or timezone.localdate()
    return today + dt.timedelta(days=7 - today.weekday())


def at(day: dt.date, clock: str) -> dt.datetime:
    """``day`` at ``clock``, in the unit's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, hhmm(clock)))


def sample_rooms() -> list[Room]:
    """One unit's rooms as the timetable generator has them (ROOMS_PER_UNIT)."""
    return [
        Room.objects.create(name=name, kinds=list(kinds), capacity=capacity)
        for name, kinds, capacity in ROOMS_PER_UNIT
    ]


def sample_groups(**kwargs: Any) -> list[TherapyGroup]:
    """The sample day's groups, one each for every age: wellness, group PT, Child
    Life (the care plan template's group prescriptions)."""
    rows = (
        ("Wellness", Discipline.REC, "Wellness activity"),
        ("Group PT", Discipline.PT, "Group physical therapy"),
        ("Child Life", Discipline.CL, "Child Life / social time"),
    )
    return [
        TherapyGroup.objects.create(name=n, discipline=d, label=label, **kwargs)
        for n, d, label in rows
    ]


# --- Sessions of real prescriptions (changes, absences, attendance tests) ---------


def weekday_ahead(weeks: int = 1, weekday: int = 1) -> dt.date:
    """A weekday in a coming week (default: next week's Tuesday): in the future,
    inside a fresh admission's 28 days, and a school day of the sample template."""
    return next_monday() + dt.timedelta(days=7 * (weeks - 1) + weekday)


def prescribed(
    episode: Episode,
    key: str = "pt",
    *,
    day: dt.date,
    start: str = "10:00",
    staff: User | None = None,
    room: Room | None = None,
    locked: bool = False,
) -> Session:
    """A stored session of the child's template prescription ``key`` (pt, ot,
    psychotherapy, ...) under the activity id the builder gives it."""
    from painrehab.careplans.models import Prescription

    found = Prescription.objects.get(care_plan__episode=episode, template_key=key)
    row = session(
        episode,
        day=day,
        start=start,
        minutes=found.minutes,
        staff=staff,
        room=room,
        discipline=found.discipline,
        label=found.name,
        locked=locked,
    )
    row.activity = f"e{episode.pk}/{found.discipline}/{found.pk}"
    row.prescription = found
    row.source = SessionSource.SOLVER
    row.save(update_fields=["activity", "prescription", "source"])
    return row
