"""Note templates as data: each has a kind, the disciplines that use it, and sections.

A note stores its template's key and its body as ``{section key: text}``. The
catalogue may grow; a template is never edited in a way that changes the meaning of
a stored key, because signed bodies keep their keys for ever. The digest covers the
stored body, never this catalogue, so a later wording change cannot break a
signature.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from painrehab.accounts.choices import DISCIPLINE_OF_ROLE, Discipline
from painrehab.notes.choices import NOTE_WRITER_ROLES, NoteKind

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

D = Discipline
THERAPIES = frozenset({D.PT, D.OT, D.CL, D.ACU, D.REC, D.SCHOOL})
MENTAL_HEALTH = frozenset({D.PSY, D.SW})
GROUP_LEADERS = frozenset(
    {D.PT, D.OT, D.PSY, D.SW, D.CL, D.ACU, D.REC, D.SCHOOL, D.NURSE}
)
# The roles whose discipline leads group sessions (the group pages' declaration).
GROUP_LEADER_ROLES = frozenset(
    role for role in NOTE_WRITER_ROLES if DISCIPLINE_OF_ROLE.get(role) in GROUP_LEADERS
)
# The section of a group-session note that describes the group, not the child. It is
# copied into every attendee's note; it must never name another participant.
GROUP_CONTENT = "group_content"


@dataclass(frozen=True)
class Section:
    key: str
    label: "StrOrPromise"
    help: "StrOrPromise" = ""
    required: bool = False


@dataclass(frozen=True)
class NoteTemplate:
    key: str
    kind: NoteKind
    label: "StrOrPromise"
    disciplines: frozenset[str]
    sections: tuple[Section, ...]

    @property
    def section_keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.sections)


ASSESSMENT = Section(
    "assessment",
    _("Assessment"),
    _("Your clinical reading of today: progress towards the goals, barriers."),
    required=True,
)
PLAN = Section(
    "plan", _("Plan"), _("What happens next, and any change to the plan."), True
)

TEMPLATES: tuple[NoteTemplate, ...] = (
    NoteTemplate(
        "pt_evaluation",
        NoteKind.EVALUATION,
        _("Physical therapy evaluation"),
        frozenset({D.PT}),
        (
            Section("history", _("History and pain"), _("Onset, course, triggers.")),
            Section(
                "objective",
                _("Examination"),
                _("Range of motion, strength, gait, endurance, allodynia."),
            ),
            Section("function", _("Function"), _("Mobility, stairs, sport, school.")),
            ASSESSMENT,
            Section("goals", _("Goals"), _("Measurable functional goals.")),
            PLAN,
        ),
    ),
    NoteTemplate(
        "ot_evaluation",
        NoteKind.EVALUATION,
        _("Occupational therapy evaluation"),
        frozenset({D.OT}),
        (
            Section("profile", _("Occupational profile"), _("Roles, routines.")),
            Section(
                "adl", _("Daily activities"), _("Self-care, sleep routine, school.")
            ),
            Section("sensory", _("Sensory and desensitisation"), ""),
            ASSESSMENT,
            Section("goals", _("Goals"), ""),
            PLAN,
        ),
    ),
    NoteTemplate(
        "psychosocial_evaluation",
        NoteKind.EVALUATION,
        _("Psychosocial evaluation"),
        MENTAL_HEALTH,
        (
            Section("concerns", _("Presenting concerns"), ""),
            Section(
                "coping",
                _("Pain beliefs and coping"),
                _("Fear of pain, catastrophizing, avoidance."),
            ),
            Section("mood", _("Mood and anxiety"), _("Screening results, risk.")),
            Section("family_school", _("Family, school and peers"), ""),
            Section("formulation", _("Formulation"), "", required=True),
            PLAN,
        ),
    ),
    NoteTemplate(
        "medical_evaluation",
        NoteKind.EVALUATION,
        _("Medical evaluation"),
        frozenset({D.MED}),
        (
            Section("hpi", _("History of present illness"), ""),
            Section("medications", _("Medications"), ""),
            Section("exam", _("Examination"), ""),
            Section("diagnoses", _("Diagnoses"), _("With ICD-10-CM codes.")),
            ASSESSMENT,
            PLAN,
        ),
    ),
    NoteTemplate(
        "therapy_progress",
        NoteKind.DAILY_PROGRESS,
        _("Daily progress (therapy)"),
        THERAPIES,
        (
            Section(
                "subjective", _("Subjective"), _("What the child and family report.")
            ),
            Section(
                "objective", _("Objective"), _("What was done and measured today.")
            ),
            ASSESSMENT,
            PLAN,
        ),
    ),
    NoteTemplate(
        "psychology_progress",
        NoteKind.DAILY_PROGRESS,
        _("Daily progress (psychology and social work)"),
        MENTAL_HEALTH,
        (
            Section("focus", _("Session focus"), ""),
            Section(
                "interventions",
                _("Interventions"),
                _("Modalities used, e.g. CBT skills, graded exposure."),
            ),
            Section("response", _("Response"), ""),
            Section(
                "progress",
                _("Progress, functional status and plan summary"),
                _(
                    "Summaries of diagnosis, functional status, treatment plan, "
                    "symptoms and progress belong here, not in a psychotherapy note."
                ),
                required=True,
            ),
            PLAN,
        ),
    ),
    NoteTemplate(
        "medical_progress",
        NoteKind.DAILY_PROGRESS,
        _("Daily progress (medical)"),
        frozenset({D.MED}),
        (
            Section("interval", _("Interval history"), ""),
            Section("medications", _("Medications"), ""),
            Section("exam", _("Examination"), ""),
            ASSESSMENT,
            PLAN,
        ),
    ),
    NoteTemplate(
        "group_session",
        NoteKind.GROUP_SESSION,
        _("Group session"),
        GROUP_LEADERS,
        (
            Section(
                GROUP_CONTENT,
                _("What the group did"),
                _(
                    "Copied into every attendee's note: describe the group, never "
                    "another participant."
                ),
                required=True,
            ),
            Section(
                "participation",
                _("This child's participation"),
                _("About this child only."),
                required=True,
            ),
            Section("response", _("Response"), _("About this child only.")),
            PLAN,
        ),
    ),
    NoteTemplate(
        "nursing_shift",
        NoteKind.NURSING_SHIFT,
        _("Nursing shift note"),
        frozenset({D.NURSE}),
        (
            Section("shift", _("Shift"), _("Day, evening or night; times.")),
            Section("vitals_pain", _("Vital signs and pain"), ""),
            Section("sleep_meals", _("Sleep and meals"), ""),
            Section("medications", _("Medications given"), ""),
            Section("mood_family", _("Mood, behaviour and family contact"), ""),
            Section(
                "handover",
                _("Handover"),
                _("What the next shift needs to know."),
                required=True,
            ),
        ),
    ),
    NoteTemplate(
        "team_conference",
        NoteKind.TEAM_CONFERENCE,
        _("Team conference note"),
        frozenset({D.MED, D.COORD, D.PSY, D.PT, D.OT, D.SW, D.NURSE}),
        (
            Section("disciplines", _("Disciplines present"), _("Roles, not names.")),
            Section("progress", _("Progress by discipline"), ""),
            Section("barriers", _("Barriers"), ""),
            Section("decisions", _("Decisions"), "", required=True),
            Section("family", _("What the family will be told"), ""),
        ),
    ),
    NoteTemplate(
        "discharge_summary",
        NoteKind.DISCHARGE,
        _("Discharge summary"),
        frozenset({D.MED, D.COORD}),
        (
            Section("course", _("Course in the program"), "", required=True),
            Section("outcomes", _("Outcomes"), _("Function and questionnaires.")),
            Section("home_programme", _("Home programme"), ""),
            Section("follow_up", _("Follow-up"), _("Step-down and clinic visits.")),
            Section("school", _("Recommendations for school"), ""),
        ),
    ),
    NoteTemplate(
        "therapy_discharge",
        NoteKind.DISCHARGE,
        _("Discipline discharge note"),
        THERAPIES | MENTAL_HEALTH,
        (
            Section("goals", _("Goals and how far they were met"), "", True),
            Section("home_programme", _("Home programme"), ""),
            Section("recommendations", _("Recommendations"), ""),
        ),
    ),
)

_BY_KEY = {t.key: t for t in TEMPLATES}


def template_get(key: str) -> NoteTemplate:
    """The template named ``key``; ``KeyError`` if the catalogue has none."""
    return _BY_KEY[key]


def templates_for(discipline: str, *, group: bool = False) -> tuple[NoteTemplate, ...]:
    """Templates a discipline may start; group sessions only from the group page."""
    return tuple(
        t
        for t in TEMPLATES
        if discipline in t.disciplines and (t.kind == NoteKind.GROUP_SESSION) == group
    )
