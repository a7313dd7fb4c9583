"""Factories and builders for the scheduling tests (shared by every area).

Children come from a real admission (``referrals.tests.journey.admitted``), so
their care plan and its template prescriptions exist as in real use.
"""

import datetime as dt
from typing import Any

import factory

from painrehab.accounts.choices import Discipline, Role
from painrehab.accounts.models import User
from painrehab.accounts.tests.factories import StaffFactory
from painrehab.careplans.choices import SessionMode
from painrehab.episodes.models import Episode
from painrehab.scheduling.choices import RoomKind, SessionSource
from painrehab.scheduling.models import (
    Absence,
    DayTemplate,
    Room,
    Session,
    SessionPatient,
    StaffShift,
    TemplateBlock,
    TherapyGroup,
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
