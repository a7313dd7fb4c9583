"""The demo unit's timetable: rooms, shifts, the sample day, groups, and the week.

Run after the care plans are tailored (``careplans_populate``). Everything goes
through the scheduling services, as the coordinator would set it up:

- the rooms of one unit as the timetable generator has them (ROOMS_PER_UNIT);
- weekday shifts for the therapists (three PTs, two OTs, two psychologists, a
  part-time acupuncturist on three days, two recreational therapists, a Child
  Life specialist and a social worker), on day, early and late shifts;
- the program's sample day as the active day template: therapy 08:30 to 17:00
  around breakfast, lunch, school and the evening with the family (fixed), with
  the sample day's activity times as labels only;
- the groups: group PT for children (up to 12) and for teenagers, the wellness
  activity and Child Life;
- then the timetable of the current week (the coming one at a weekend), and from
  Thursday on the next week's too, each solved at once through the worker's own
  function, as if planned on its Monday.
"""

import random
import uuid
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext_noop

from painrehab.accounts.choices import Discipline, Role
from painrehab.accounts.models import User
from painrehab.domain.timetable.generator import ROOMS_PER_UNIT
from painrehab.scheduling.models import StaffShift
from painrehab.scheduling.selectors_setup import week_fingerprint
from painrehab.scheduling.services.runs import run_execute, solve_request
from painrehab.scheduling.services.setup import (
    BlockRow,
    GroupFields,
    RoomFields,
    ShiftRow,
    TemplateFields,
    group_create,
    room_create,
    template_save,
    week_save,
)

# Seconds the demo's solve may take (the whole build stays within about 15 s more).
SOLVE_SECONDS = 8
# From Thursday on, the coordinator has the coming week planned too.
PLAN_NEXT_WEEK_FROM = 3
SATURDAY = 5
ROOM_NAMES = {
    "gym": "Gym",
    "ot-room": "OT room",
    "therapy-a": "Therapy room A",
    "therapy-b": "Therapy room B",
    "therapy-c": "Therapy room C",
    "treatment": "Treatment room",
    "playroom": "Playroom",
}
SHIFTS = {
    "day": (("08:00", "12:00"), ("12:30", "16:30")),
    "early": (("07:30", "12:00"), ("12:30", "16:00")),
    "late": (("09:30", "13:00"), ("13:30", "18:00")),
}
WEEKDAYS = (0, 1, 2, 3, 4)
# username, shift, weekdays
ROTA = (
    ("pt", "day", WEEKDAYS),
    ("pt2", "early", WEEKDAYS),
    ("pt3", "late", WEEKDAYS),
    ("ot", "day", WEEKDAYS),
    ("ot2", "late", WEEKDAYS),
    ("psychologist", "day", WEEKDAYS),
    ("psychologist2", "late", WEEKDAYS),
    ("acupuncturist", "day", (0, 2, 3)),
    ("rectherapist", "early", WEEKDAYS),
    ("rectherapist2", "late", WEEKDAYS),
    ("childlife", "late", WEEKDAYS),
    ("socialworker", "day", WEEKDAYS),
)
# The sample day (issue 6): label, from, until, keeps therapy out.
SAMPLE_DAY = (
    (gettext_noop("Wake up, breakfast, get ready"), "06:45", "08:30", True),
    (
        gettext_noop("Wellness activity (yoga, meditation, walks)"),
        "08:30",
        "09:00",
        False,
    ),
    (gettext_noop("Occupational therapy"), "09:00", "10:00", False),
    (gettext_noop("Physical therapy"), "10:00", "11:00", False),
    (gettext_noop("Pain-focused psychotherapy"), "11:00", "12:00", False),
    (gettext_noop("Lunch"), "12:00", "13:00", True),
    (gettext_noop("School"), "13:00", "14:00", True),
    (gettext_noop("Group physical therapy"), "14:00", "15:00", False),
    (gettext_noop("Acupuncture"), "15:00", "15:30", False),
    (gettext_noop("Recreational therapy"), "15:30", "16:00", False),
    (gettext_noop("Child Life / social time"), "16:00", "17:00", False),
    (gettext_noop("Parents return, relaxation"), "17:00", "18:00", True),
    (gettext_noop("Dinner"), "18:00", "19:00", True),
    (
        gettext_noop("Evening family time, practice therapy exercises"),
        "19:00",
        "20:00",
        True,
    ),
    (gettext_noop("Parents leave, get ready for bed"), "20:00", "21:00", True),
    (gettext_noop("Relaxation"), "21:00", "22:00", True),
    (gettext_noop("Bedtime"), "22:00", "23:45", True),
)
# name, discipline, prescription name, ages, at most, staff needed
GROUPS = (
    ("Group PT (children)", Discipline.PT, "Group physical therapy", (0, 12), 8, 1),
    ("Group PT (teens)", Discipline.PT, "Group physical therapy", (13, 25), 8, 1),
    ("Wellness", Discipline.REC, "Wellness activity", (0, 25), 12, 1),
    ("Child Life", Discipline.CL, "Child Life / social time", (0, 25), 12, 1),
)


def scheduling_populate(*, rng: random.Random, today: date) -> None:
    """Set the unit up and solve this week (from Thursday, the next one too)."""
    coordinator = _coordinator()
    for name, kinds, capacity in ROOMS_PER_UNIT:
        room_create(
            by=coordinator,
            fields=RoomFields(ROOM_NAMES.get(name, name), tuple(kinds), capacity),
            form_token=_token(rng),
        )
    _shifts(coordinator)
    _template(coordinator)
    for name, discipline, label, (low, high), most, needed in GROUPS:
        group_create(
            by=coordinator,
            fields=GroupFields(name, discipline, label, low, high, most, needed),
            form_token=_token(rng),
        )
    for first in weeks_planned(today):
        run = solve_request(
            first_day=first,
            last_day=first + timedelta(days=6),
            by=coordinator,
            form_token=_token(rng),
            time_limit=SOLVE_SECONDS,
        )
        planned = timezone.make_aware(datetime.combine(first, time(0)))
        run_execute(run.pk, now=planned)


def weeks_planned(today: date) -> list[date]:
    """The Mondays of the weeks the demo has planned by ``today``."""
    monday = week_of(today)
    if not PLAN_NEXT_WEEK_FROM <= today.weekday() < SATURDAY:
        return [monday]  # early in the week, or the coming week at a weekend
    return [monday, monday + timedelta(days=7)]


def week_of(today: date) -> date:
    """This week's Monday; at a weekend, the coming one."""
    monday = today - timedelta(days=today.weekday())
    return monday + timedelta(days=7) if today.weekday() >= 5 else monday


def _coordinator() -> User:
    found = User.objects.filter(role=Role.COORDINATOR, is_active=True).order_by("pk")
    coordinator = found.first()
    if coordinator is None:
        raise LookupError("The demo needs a coordinator to set up the timetable.")
    return coordinator


def _token(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128))


def _clock(text: str) -> time:
    return time.fromisoformat(text)


def _shifts(coordinator: User) -> None:
    for username, shift, weekdays in ROTA:
        person = User.objects.filter(username=username, is_active=True).first()
        if person is None:
            continue
        rows = [
            ShiftRow(f"d{day}s{n}", _clock(start), _clock(end), weekday=day)
            for day in weekdays
            for n, (start, end) in enumerate(SHIFTS[shift])
        ]
        current = StaffShift.objects.filter(staff=person)
        week_save(
            by=coordinator,
            staff=person,
            fingerprint=week_fingerprint(current),
            rows=rows,
        )


def _template(coordinator: User) -> None:
    template_save(
        by=coordinator,
        version=0,
        fields=TemplateFields(
            name="Functional day",
            earliest=_clock("08:30"),
            latest=_clock("17:00"),
            # The sample morning runs 08:30 to 12:00 without a break.
            max_consecutive_minutes=210,
            min_break_minutes=None,
        ),
        blocks=[
            BlockRow(f"b{n}", _clock(start), _clock(end), label=label, fixed=fixed)
            for n, (label, start, end, fixed) in enumerate(SAMPLE_DAY)
        ],
    )
