"""The program template every care plan starts from, as data.

It follows the program's sample functional day:

    08:30 wellness activity            (group, 30 min)
    09:00 occupational therapy         (60 min)
    10:00 physical therapy             (60 min)
    11:00 pain-focused psychotherapy   (60 min)
    12:00 lunch
    13:00 school
    14:00 group physical therapy       (60 min)
    15:00 acupuncture                  (30 min)
    15:30 recreational therapy         (30 min)
    16:00 Child Life / social time     (60 min)
    evening: family time, practice exercises

Therapies become default prescriptions (once a day on weekdays, from the admission
date); lunch, school and family time are the day's fixed blocks, which the timetable
receives as ``patients[].blocked`` rather than as prescriptions. The starter goals,
one per domain, carry a measurable shape for the team to word with the child; their
"child's own words" stay empty until then. Changing this module changes the plans
created from then on (``TEMPLATE_KEY`` is stored on each plan); existing plans keep
what they were given.
"""

from dataclasses import dataclass

from painrehab.accounts.choices import Discipline
from painrehab.careplans.choices import (
    Continuity,
    GoalDomain,
    SessionMode,
    TimeOfDay,
    Weekday,
)

TEMPLATE_KEY = "functional-day-v1"
# The sample day is a school day: therapies are prescribed Monday to Friday.
WEEKEND = (Weekday.SATURDAY, Weekday.SUNDAY)
# The patients[].max_therapy_minutes_per_day of the timetable format.
MAX_THERAPY_MINUTES_PER_DAY = 420


@dataclass(frozen=True)
class TemplatePrescription:
    """One therapy of the sample day; ``sample_start`` is its place in that day."""

    key: str
    label: str
    discipline: Discipline
    minutes: int
    mode: SessionMode
    time_of_day: TimeOfDay
    sample_start: str
    sessions_per_day: int = 1
    continuity: Continuity = Continuity.SAME_PREFERRED
    excluded_weekdays: tuple[Weekday, ...] = WEEKEND


@dataclass(frozen=True)
class TemplateGoal:
    """A starter goal: domain, the discipline responsible and a measurable shape."""

    key: str
    domain: GoalDomain
    discipline: Discipline
    target: str


@dataclass(frozen=True)
class FixedBlock:
    """A part of the day that is not therapy (timetable ``patients[].blocked``)."""

    label: str
    start: str
    end: str


@dataclass(frozen=True)
class PlanTemplate:
    key: str
    prescriptions: tuple[TemplatePrescription, ...]
    goals: tuple[TemplateGoal, ...]
    fixed_blocks: tuple[FixedBlock, ...]
    max_therapy_minutes_per_day: int


_M, _A = TimeOfDay.MORNING, TimeOfDay.AFTERNOON
_I, _G = SessionMode.INDIVIDUAL, SessionMode.GROUP
D = Discipline

PRESCRIPTIONS: tuple[TemplatePrescription, ...] = (
    TemplatePrescription(
        "wellness",
        "Wellness activity",
        D.REC,
        30,
        _G,
        _M,
        "08:30",
        continuity=Continuity.NO_PREFERENCE,
    ),
    TemplatePrescription("ot", "Occupational therapy", D.OT, 60, _I, _M, "09:00"),
    TemplatePrescription("pt", "Physical therapy", D.PT, 60, _I, _M, "10:00"),
    TemplatePrescription(
        "psychotherapy", "Pain-focused psychotherapy", D.PSY, 60, _I, _M, "11:00"
    ),
    TemplatePrescription(
        "group_pt",
        "Group physical therapy",
        D.PT,
        60,
        _G,
        _A,
        "14:00",
        continuity=Continuity.NO_PREFERENCE,
    ),
    TemplatePrescription("acupuncture", "Acupuncture", D.ACU, 30, _I, _A, "15:00"),
    TemplatePrescription(
        "recreation", "Recreational therapy", D.REC, 30, _I, _A, "15:30"
    ),
    TemplatePrescription(
        "child_life",
        "Child Life / social time",
        D.CL,
        60,
        _G,
        _A,
        "16:00",
        continuity=Continuity.NO_PREFERENCE,
    ),
)

GOALS: tuple[TemplateGoal, ...] = (
    TemplateGoal(
        "walk",
        GoalDomain.PHYSICAL_FUNCTION,
        D.PT,
        "Six-minute walk of … m without aids or stopping",
    ),
    TemplateGoal(
        "school",
        GoalDomain.SCHOOL,
        D.SCHOOL,
        "Attends hospital school … hours a day; return-to-school plan agreed",
    ),
    TemplateGoal(
        "sleep",
        GoalDomain.SLEEP,
        D.NURSE,
        "Asleep by … on … of 7 nights, no daytime naps",
    ),
    TemplateGoal(
        "coping",
        GoalDomain.COPING,
        D.PSY,
        "Uses … coping skills to stay in therapy when pain rises",
    ),
    TemplateGoal(
        "mood",
        GoalDomain.EMOTIONAL,
        D.PSY,
        "Names feelings and uses a calming skill on … of 7 days",
    ),
    TemplateGoal(
        "family",
        GoalDomain.FAMILY,
        D.SW,
        "Parents coach coping instead of rest on … of 7 evenings",
    ),
    TemplateGoal(
        "daily_living",
        GoalDomain.DAILY_LIVING,
        D.OT,
        "Showers and dresses alone in … minutes",
    ),
    TemplateGoal(
        "recreation",
        GoalDomain.RECREATION,
        D.REC,
        "Back to … (a chosen activity) … times a week",
    ),
)

FIXED_BLOCKS: tuple[FixedBlock, ...] = (
    FixedBlock("Lunch", "12:00", "13:00"),
    FixedBlock("School", "13:00", "14:00"),
    FixedBlock("Family time / practice exercises", "17:00", "20:00"),
)

DEFAULT_TEMPLATE = PlanTemplate(
    key=TEMPLATE_KEY,
    prescriptions=PRESCRIPTIONS,
    goals=GOALS,
    fixed_blocks=FIXED_BLOCKS,
    max_therapy_minutes_per_day=MAX_THERAPY_MINUTES_PER_DAY,
)
