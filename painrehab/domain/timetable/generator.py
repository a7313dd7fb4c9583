"""Realistic synthetic problems: the program's sample day, staffing, prescriptions.

The day template is the program's sample day (docs/careplans.md, "The template"):
08:30 wellness (group), 09:00 OT, 10:00 PT, 11:00 psychotherapy, 12:00 lunch,
13:00 school, 14:00 group PT, 15:00 acupuncture, 15:30 recreational therapy,
16:00 Child Life (group), 17:00 parents return and family time. Prescriptions map
onto activities as docs/careplans.md "Prescription → timetable format" describes
(ids ``<patient>/<discipline>/<n>``, morning 08:30 to 12:00, afternoon 12:00 to 17:00,
the primary of the discipline as ``preferred_staff``).

Around the template, each child differs as real children do: session lengths
(45 or 2 x 30 minutes instead of 60), two psychotherapy sessions a day for an
anxious child, acupuncture two or three days a week or not at all (needle
phobia), family sessions with the social worker, longer school for teenagers,
clinic visits, a lower daily limit or a shorter run limit for a fatigued child.
Staff per 12 beds follow the reference's ranges (2 or 3 per main discipline, a
part-time acupuncturist), with early, day and late shifts and a planned absence
now and then. Everything is drawn from ``random.Random(seed)``.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from painrehab.domain.timetable.problem import (
    EVERY_DAY,
    Activity,
    Block,
    Interval,
    Kind,
    Patient,
    Problem,
    Room,
    Staff,
    minutes_of,
)

FIRST_MONDAY = date(2026, 12, 7)
MORNING = (minutes_of("08:30"), minutes_of("12:00"))
AFTERNOON = (minutes_of("12:00"), minutes_of("17:00"))
GROUP_SIZE = 8


# discipline, (minutes, per day), days (None = every day), preferred window, weight
_Prescribed = tuple[str, tuple[int, int], tuple[str, ...] | None, Interval, int]


@dataclass(frozen=True)
class TemplateSession:
    """One therapy of the sample day."""

    key: str
    discipline: str
    minutes: int
    kind: Kind
    sample_start: str
    room_kind: str
    weight: int


DAY_TEMPLATE = (
    TemplateSession("wellness", "REC", 30, Kind.GROUP, "08:30", "WELLNESS", 1),
    TemplateSession("ot", "OT", 60, Kind.INDIVIDUAL, "09:00", "OT", 3),
    TemplateSession("pt", "PT", 60, Kind.INDIVIDUAL, "10:00", "PT", 3),
    TemplateSession("psy", "PSY", 60, Kind.INDIVIDUAL, "11:00", "PSY", 4),
    TemplateSession("group-pt", "PT", 60, Kind.GROUP, "14:00", "GROUP_PT", 2),
    TemplateSession("acu", "ACU", 30, Kind.INDIVIDUAL, "15:00", "ACU", 2),
    TemplateSession("rec", "REC", 30, Kind.INDIVIDUAL, "15:30", "REC", 1),
    TemplateSession("child-life", "CL", 60, Kind.GROUP, "16:00", "CL", 1),
)
FIXED_BLOCKS = (("Lunch", "12:00", "13:00"), ("Family time", "17:00", "20:00"))

# Staff per 12 beds: discipline -> number of people.
STAFFING = {"PT": 3, "OT": 2, "PSY": 2, "ACU": 1, "REC": 2, "CL": 1, "SW": 1}
SHIFTS = {
    "day": (("08:00", "12:00"), ("12:30", "16:30")),
    "early": (("07:30", "12:00"), ("12:30", "16:00")),
    "late": (("09:30", "13:00"), ("13:30", "18:00")),
    "part": (("08:00", "12:30"),),
}
ROOMS_PER_UNIT = (
    ("gym", ("PT", "GROUP_PT", "WELLNESS"), 8),
    ("ot-room", ("OT",), 2),
    ("therapy-a", ("OT", "PSY", "SW", "REC"), 1),
    ("therapy-b", ("PSY", "SW", "REC"), 1),
    ("therapy-c", ("PSY", "SW"), 1),
    ("treatment", ("ACU",), 2),
    ("playroom", ("CL", "REC"), 10),
)


def weekdays(count: int, first: date = FIRST_MONDAY) -> tuple[str, ...]:
    days: list[str] = []
    current = first
    while len(days) < count:
        if current.weekday() < 5:
            days.append(current.isoformat())
        current += timedelta(days=1)
    return tuple(days)


def generate(
    patients: int, days: int, seed: int, first: date = FIRST_MONDAY
) -> Problem:
    """A unit of ``patients`` children over ``days`` weekdays from ``first``."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    horizon = weekdays(days, first)
    units = max(1, -(-patients // 12))
    staff = _staff(rng, horizon, patients)
    children = [_patient(rng, number, horizon) for number in range(1, patients + 1)]
    activities = _individual(rng, children, staff, horizon)
    activities += _groups(rng, children, horizon)
    rooms = tuple(
        Room(f"{name}-{unit}", kinds, capacity)
        for unit in range(1, units + 1)
        for name, kinds, capacity in ROOMS_PER_UNIT
    )
    return Problem(
        slot_minutes=15,
        days=horizon,
        staff=staff,
        rooms=rooms,
        patients=tuple(patient for patient, _ in children),
        activities=tuple(activities),
    )


def _intervals(shift: str) -> tuple[Interval, ...]:
    return tuple((minutes_of(s), minutes_of(e)) for s, e in SHIFTS[shift])


def _staff(
    rng: random.Random, horizon: tuple[str, ...], patients: int
) -> tuple[Staff, ...]:
    people = []
    for discipline, per_unit in STAFFING.items():
        count = max(1, round(per_unit * patients / 12))
        for number in range(1, count + 1):
            shift = rng.choices(("day", "early", "late", "part"), (6, 2, 2, 1))[0]
            if discipline in ("ACU", "SW"):
                shift = "day"
            on_days = list(horizon)
            if discipline == "ACU":  # part-time: three days a week
                on_days = [d for i, d in enumerate(horizon) if i % 5 in (0, 2, 3)]
            if rng.random() < 0.15 and len(on_days) > 1:  # a planned absence
                on_days.remove(rng.choice(on_days))
            cap = 240 if shift == "part" else rng.choice((390, 420))
            people.append(
                Staff(
                    id=f"{discipline.lower()}-{number}",
                    discipline=discipline,
                    availability=tuple((d, _intervals(shift)) for d in on_days),
                    max_minutes_per_day=cap,
                )
            )
    return tuple(people)


def _patient(
    rng: random.Random, number: int, horizon: tuple[str, ...]
) -> tuple[Patient, bool]:
    age = rng.randint(7, 19)
    teen = age >= 13
    blocks = [
        Block(EVERY_DAY, minutes_of(s), minutes_of(e), label)
        for label, s, e in FIXED_BLOCKS
    ]
    school_end = (
        rng.choice(("14:30", "15:00")) if teen and rng.random() < 0.5 else "14:00"
    )
    blocks.append(
        Block(EVERY_DAY, minutes_of("13:00"), minutes_of(school_end), "School")
    )
    for _ in range(rng.choice((0, 1, 1, 2))):
        start = rng.randrange(minutes_of("08:30"), minutes_of("16:00"), 15)
        length = rng.choice((30, 45, 60))
        blocks.append(Block(rng.choice(horizon), start, start + length, "Clinic visit"))
    fatigued = rng.random() < 0.25
    return (
        Patient(
            id=f"p-{number:02d}",
            blocked=tuple(blocks),
            earliest=minutes_of("08:30"),
            latest=minutes_of("17:00"),
            max_therapy_minutes_per_day=rng.choice((300, 330)) if fatigued else 420,
            max_consecutive_minutes=rng.choice((120, 150)) if fatigued else 180,
            min_break_minutes=15 if fatigued else 0,
        ),
        teen,
    )


def _primary(staff: tuple[Staff, ...], discipline: str, number: int) -> tuple[str, ...]:
    people = [s.id for s in staff if s.discipline == discipline]
    return (people[number % len(people)],) if people else ()


def _individual(
    rng: random.Random,
    children: list[tuple[Patient, bool]],
    staff: tuple[Staff, ...],
    horizon: tuple[str, ...],
) -> list[Activity]:
    activities: list[Activity] = []
    for number, (patient, _) in enumerate(children):
        plan: list[_Prescribed] = [
            (
                "OT",
                rng.choices(((60, 1), (45, 1), (30, 2)), (7, 2, 1))[0],
                None,
                MORNING,
                3,
            ),
            (
                "PT",
                rng.choices(((60, 1), (45, 1), (30, 2)), (6, 2, 2))[0],
                None,
                MORNING,
                3,
            ),
            (
                "PSY",
                rng.choices(((60, 1), (45, 1), (45, 2)), (7, 2, 1))[0],
                None,
                MORNING,
                4,
            ),
            ("REC", (30, 1), None, AFTERNOON, 1),
        ]
        if rng.random() < 0.75:
            acu_days = tuple(d for i, d in enumerate(horizon) if i % 5 in (0, 2, 3))
            if rng.random() < 0.4:
                acu_days = acu_days[:2]
            plan.append(("ACU", (30, 1), acu_days or None, AFTERNOON, 2))
        if rng.random() < 0.4:
            family = tuple(
                sorted(rng.sample(horizon, min(len(horizon), rng.choice((1, 2)))))
            )
            plan.append(("SW", (60, 1), family, AFTERNOON, 2))
        for discipline, (minutes, per_day), days, preferred, weight in plan:
            if days is not None and not days:
                continue
            activities.append(
                Activity(
                    id=f"{patient.id}/{discipline}/{len(activities) + 1}",
                    kind=Kind.INDIVIDUAL,
                    patients=(patient.id,),
                    discipline=discipline,
                    minutes=minutes,
                    per_day=per_day,
                    days=days,
                    room_kinds=(discipline,),
                    preferred_staff=_primary(staff, discipline, number),
                    preferred_window=preferred,
                    weight=weight,
                )
            )
    return activities


def _groups(
    rng: random.Random, children: list[tuple[Patient, bool]], horizon: tuple[str, ...]
) -> list[Activity]:
    activities = []
    bands = {
        "child": [p.id for p, teen in children if not teen],
        "teen": [p.id for p, teen in children if teen],
    }
    for band, members in bands.items():
        size = (
            -(-len(members) // max(1, -(-len(members) // GROUP_SIZE))) if members else 0
        )
        for number, first in enumerate(range(0, len(members), size or 1), start=1):
            group = tuple(members[first : first + size])
            for session in DAY_TEMPLATE:
                if session.kind is not Kind.GROUP:
                    continue
                start = minutes_of(session.sample_start)
                days = None
                if session.key == "child-life" and len(horizon) > 1:
                    days = tuple(d for d in horizon if d != rng.choice(horizon))
                activities.append(
                    Activity(
                        id=f"{session.key}-{band}-{number}",
                        kind=Kind.GROUP,
                        patients=group,
                        discipline=session.discipline,
                        minutes=session.minutes,
                        per_day=1,
                        days=days,
                        staff_required=2
                        if session.key == "group-pt" and len(group) > 5
                        else 1,
                        room_kinds=(session.room_kind,),
                        preferred_window=(start, start + session.minutes),
                        weight=session.weight,
                    )
                )
    return activities
