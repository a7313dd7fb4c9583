"""The three reports the program sends out: their facts, their page, their PDF.

Each kind is built in three steps (docs/reports.md):

1. **Facts.** ``report_data`` reads the episode (already through the access
   funnel) into a frozen dataclass per kind. It is the only place that decides
   what a report may say, so what it never reads cannot leak: no clinical note
   (``notes``), no psychotherapy note, no adolescent-confidential entry, no item
   response and no family message is read for any report. The school letter reads
   nothing of the referral, the summaries or the medicines; the family progress
   report reads only the categories a guardian of the child's age may see
   (``painrehab.domain.proxy``, through the portal's own readers).
2. **Page.** ``render_html`` fills the kind's template
   (``outcomes/reports/<kind>.html``, extending ``reports/base.html``). The same
   template is the preview on the create page (inside the staff layout) and the
   standalone document printed to PDF.
3. **Paper.** ``pdf_of`` prints the standalone page with WeasyPrint (only our own
   static files and ``data:`` URIs are fetched), and ``sha256_of`` gives the
   digest stored beside the bytes. The digest cannot be printed inside the PDF it
   is the digest of, so the footer carries the report's id only.

Everything a family reads is built and rendered inside
``translation.override(language)``, so the words and dates come out in that
language.
"""

import base64
import functools
import hashlib
import mimetypes
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory
from painrehab.audit.services import record
from painrehab.careplans.choices import Attainment, GoalDomain, GoalStatus
from painrehab.careplans.models import Goal
from painrehab.careplans.selectors import goals_with_attainment
from painrehab.domain import outcomes as metrics
from painrehab.domain.proxy import Category, Viewer, guardian_tier
from painrehab.episodes.choices import Disposition, FollowUpStatus
from painrehab.episodes.models import Discharge, Episode, FollowUp, Stay
from painrehab.episodes.selectors import aftercare_get, episode_stay
from painrehab.episodes.selectors.episodes import related
from painrehab.homeprogram.selectors import programme_build
from painrehab.homeprogram.templatetags.homeprogram_words import (
    days_a_week,
    times_a_day,
)
from painrehab.instruments.choices import TimePoint
from painrehab.instruments.selectors import HistoryPoint, administration_history
from painrehab.outcomes.change import Change, Point, change_of, program_admission_sd
from painrehab.outcomes.choices import ReportKind
from painrehab.outcomes.instruments import OutcomeSpec, outcome_codes, spec
from painrehab.outcomes.models import GeneratedReport
from painrehab.patients.access import patient_get_for_user
from painrehab.patients.choices import TeamRole
from painrehab.patients.models import CareTeamMember, Patient, PatientGuardian
from painrehab.patients.selectors import patient_care_team, patient_guardians
from painrehab.portal.access import PortalChild
from painrehab.portal.people import team_member
from painrehab.portal.selectors.after import StepDown, step_down_of, unit_phone
from painrehab.portal.selectors.progress import (
    GoalLine,
    ProgressSeries,
    progress_series,
)
from painrehab.portal.selectors.progress import goal_lines as portal_goal_lines
from painrehab.referrals.models import Referral

# Who may make each kind (every clinician on the care team may list and download).
MAY_GENERATE: dict[str, frozenset[str]] = {
    ReportKind.DISCHARGE_SUMMARY: frozenset({Role.PHYSICIAN, Role.COORDINATOR}),
    ReportKind.SCHOOL_LETTER: frozenset(
        {Role.COORDINATOR, Role.TEACHER, Role.SOCIAL_WORKER, Role.PSYCHOLOGIST}
    ),
    ReportKind.FAMILY_PROGRESS: frozenset(
        {
            Role.COORDINATOR,
            Role.PHYSICIAN,
            Role.PSYCHOLOGIST,
            Role.SOCIAL_WORKER,
            Role.PHYSICAL_THERAPIST,
            Role.OCCUPATIONAL_THERAPIST,
        }
    ),
}

# What each kind needs before it can be made (docs/reports.md, "When").
NO_EPISODE = gettext_lazy("This child has no stay in the program yet.")
NEEDS_DISCHARGE = gettext_lazy(
    "This report is made from the discharge record. It can be made once the team "
    "has recorded the discharge."
)
NEEDS_ADMISSION = gettext_lazy(
    "This report can be made from the day the child is admitted, during the stay "
    "and after discharge."
)

# The family progress report's sections, each shown only if a guardian of the
# child's age sees its category.
FAMILY_SECTIONS = (
    Category.GOALS,
    Category.OUTCOMES,
    Category.HOME_PROGRAMME,
    Category.DISCHARGE,
)

# The program's admission standard deviation is used for reliable change once this
# many children have an admission score; T-scores fall back on the T metric's 10.

# Where WeasyPrint resolves relative addresses; nothing is ever fetched from it.
PDF_BASE_URL = "https://painrehab.invalid/"

DISCIPLINE_SUMMARIES = (
    ("summary_medicine", gettext_lazy("Pain medicine")),
    ("summary_psychology", gettext_lazy("Psychology")),
    ("summary_physical_therapy", gettext_lazy("Physical therapy")),
    ("summary_occupational_therapy", gettext_lazy("Occupational therapy")),
    ("summary_social_work", gettext_lazy("Social work")),
    ("summary_other", gettext_lazy("Other disciplines")),
)

DEFAULT_ACCOMMODATIONS = (
    gettext_lazy(
        "Expect full participation in class, including physical education as the "
        "plan below allows."
    ),
    gettext_lazy(
        "If pain comes up, allow a short break (5 to 10 minutes) in a quiet place, "
        "then a return to class. Please do not send the student home because of "
        "pain alone."
    ),
    gettext_lazy("Permission to stand up, stretch or change position in long lessons."),
    gettext_lazy("Extra time to catch up on missed work, agreed with each teacher."),
    gettext_lazy("One named adult at school the student can go to when it is hard."),
)

RESPONDENT_WORDS = {
    "child": gettext_lazy("child report"),
    "parent": gettext_lazy("parent report"),
    "clinician": gettext_lazy("clinician rated"),
}


# --- What a report is asked to be ---------------------------------------------------


@dataclass(frozen=True)
class ReportInput:
    """What the person making the report chose on the form.

    ``recipient``, ``recipient_address`` and ``purpose`` are the accounting of
    disclosures (45 CFR 164.528(b)); ``options`` are the kind's own choices, kept
    with the stored report.
    """

    recipient: str
    recipient_address: str
    purpose: str
    language: str = "en"
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Levels:
    """Heading levels: a document of its own, or a preview inside a staff page
    (whose ``h1`` is the child's name and ``h2`` "Preview")."""

    title: int
    section: int
    sub: int


STANDALONE = Levels(1, 2, 3)
PREVIEW = Levels(3, 4, 5)


# --- The facts of each kind -------------------------------------------------------


@dataclass(frozen=True)
class Header:
    kind: str
    title: str
    program: str
    generated_on: date
    language: str
    recipient: str
    recipient_address: str


@dataclass(frozen=True)
class PatientFacts:
    name: str
    date_of_birth: date
    mrn: str


@dataclass(frozen=True)
class Diagnosis:
    code: str
    title: str
    is_primary: bool


@dataclass(frozen=True)
class Summary:
    discipline: str
    text: str


@dataclass(frozen=True)
class FollowUpItem:
    months_after: int
    due_on: date
    status: str  # FollowUpStatus value
    status_label: str
    seen_on: date | None


@dataclass(frozen=True)
class GoalItem:
    domain: str
    target: str
    child_words: str
    status: str
    attainment: str  # "" before any review
    reviewed_on: date | None


@dataclass(frozen=True)
class OutcomeRow:
    """One instrument, admission against discharge, with its meaning in words."""

    name: str
    unit: str  # "T-score" or "total 0-60"
    better: str  # "lower is better"
    admission: float | None
    discharge: float | None
    change: float | None
    verdict: str  # "Improved by 22 points", "" without both values
    meaningful: str
    reliable: str


@dataclass(frozen=True)
class Contact:
    name: str
    role: str
    phone: str


@dataclass(frozen=True)
class DischargeSummary:
    header: Header
    patient: PatientFacts
    admitted_on: date
    discharged_on: date
    length_of_stay: int  # days
    disposition: str
    referrer: str
    referral_reason: str
    diagnoses: tuple[Diagnosis, ...]
    summaries: tuple[Summary, ...]
    medications: str
    home_programme: str
    school_plan: str
    step_down: StepDown | None
    follow_ups: tuple[FollowUpItem, ...]
    goals: tuple[GoalItem, ...]
    outcomes: tuple[OutcomeRow, ...]
    outcome_notes: tuple[str, ...]
    contact: Contact


@dataclass(frozen=True)
class SchoolLetter:
    """The school's letter: no scores, no medicines, no psychology, no codes; a
    diagnosis only in the words the family agreed to share."""

    header: Header
    child_name: str
    first_name: str
    grade: str
    discharged_on: date
    plan: str
    accommodations: tuple[str, ...]
    diagnosis_wording: str  # "" = the letter says nothing about a diagnosis
    contact: Contact


@dataclass(frozen=True)
class ExerciseItem:
    title: str
    instructions: str
    repetitions: str
    how_often: str
    which_days: str


@dataclass(frozen=True)
class FamilyProgress:
    """The family's report: each section ``None`` when a guardian of the child's
    age does not see its category, with the reason in ``withheld``."""

    header: Header
    first_name: str
    child_name: str
    tier: str
    admitted_on: date
    discharged_on: date | None
    goals: tuple[GoalLine, ...] | None
    series: ProgressSeries | None
    chart_data_uri: str
    chart_title: str
    exercises: tuple[ExerciseItem, ...] | None
    step_down: StepDown | None
    appointments: tuple[FollowUpItem, ...] | None
    withheld: Mapping[str, str]
    contact: Contact

    @property
    def shown(self) -> tuple[str, ...]:
        return tuple(str(c) for c in FAMILY_SECTIONS if str(c) not in self.withheld)


ReportData = DischargeSummary | SchoolLetter | FamilyProgress


# --- Who may, and when ------------------------------------------------------------


def may_generate(user: User, kind: str) -> bool:
    return user.role in MAY_GENERATE.get(kind, frozenset())


def kinds_for(user: User) -> list[ReportKind]:
    return [k for k in ReportKind if may_generate(user, k)]


def not_ready(episode: Episode | None, kind: str) -> str:
    """Why ``kind`` cannot be made for ``episode`` yet; "" when it can.

    The discharge summary and the school letter are made from the discharge
    record; the family progress report from the admission on (families ask how
    things are going during the stay too).
    """
    if episode is None:
        return str(NO_EPISODE)
    if kind == ReportKind.FAMILY_PROGRESS:
        return "" if episode_stay(episode=episode) is not None else str(NEEDS_ADMISSION)
    return "" if _discharge(episode) is not None else str(NEEDS_DISCHARGE)


def _discharge(episode: Episode) -> Discharge | None:
    found = related(episode, "discharge")
    return found if isinstance(found, Discharge) else None


def _referral(episode: Episode) -> Referral | None:
    found = related(episode, "referral")
    return found if isinstance(found, Referral) else None


def _stay(episode: Episode) -> Stay:
    stay = episode_stay(episode=episode)
    if stay is None:
        raise ValueError("a report needs an admission")
    return stay


# --- Defaults for the form --------------------------------------------------------


def _lines(*parts: str) -> str:
    return "\n".join(p.strip() for p in parts if p and p.strip())


def _primary_guardian(patient: Patient) -> PatientGuardian | None:
    return patient_guardians(patient=patient).first()


def report_defaults(*, kind: str, episode: Episode) -> dict[str, Any]:
    """The form's starting values: recipient from the referral, the school or the
    primary guardian; purpose; the kind's own options."""
    patient = episode.patient
    if kind == ReportKind.DISCHARGE_SUMMARY:
        referral = _referral(episode)
        if referral is None:
            return {"purpose": "Continuity of care"}
        return {
            "recipient": ", ".join(
                p for p in (referral.referrer_name, referral.referrer_organisation) if p
            ),
            "recipient_address": _lines(
                referral.referrer_email, referral.referrer_phone
            ),
            "purpose": "Continuity of care",
        }
    if kind == ReportKind.SCHOOL_LETTER:
        discharge = _discharge(episode)
        return {
            "recipient": patient.school_name,
            "purpose": "School re-entry",
            "accommodations": "\n".join(str(a) for a in DEFAULT_ACCOMMODATIONS),
            "return_plan": discharge.school_reentry_plan.strip() if discharge else "",
        }
    link = _primary_guardian(patient)
    if link is None:
        return {"purpose": "Keeping the family informed", "language": "en"}
    guardian = link.guardian
    return {
        "recipient": f"{guardian.given_name} {guardian.family_name}".strip(),
        "recipient_address": _lines(guardian.email, guardian.phone),
        "purpose": "Keeping the family informed",
        "language": guardian.preferred_language,
    }


@dataclass(frozen=True)
class TeamContact:
    """A care team member the school letter may name."""

    user_id: int
    name: str
    role: str

    @property
    def label(self) -> str:
        return f"{self.name}, {self.role}"


def _full_name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def team_contacts(*, patient: Patient) -> list[TeamContact]:
    """The current care team, the coordinator first, one line per person."""
    seen: dict[int, TeamContact] = {}
    members: Iterable[CareTeamMember] = patient_care_team(patient=patient)
    ordered = sorted(members, key=lambda m: (m.team_role != TeamRole.COORDINATOR, m.pk))
    for member in ordered:
        person = member.member
        if person.pk not in seen and person.is_active:
            seen[person.pk] = TeamContact(
                person.pk, _full_name(person), str(person.get_role_display())
            )
    return list(seen.values())


# --- Building the facts -----------------------------------------------------------


def _header(kind: str, report: ReportInput, today: date) -> Header:
    return Header(
        kind=kind,
        title=str(ReportKind(kind).label),
        program=str(getattr(settings, "PROGRAM_NAME", "")),
        generated_on=today,
        language=report.language,
        recipient=report.recipient.strip(),
        recipient_address=report.recipient_address.strip(),
    )


def _coordinator(patient: Patient, discharge: Discharge | None) -> User | None:
    """The child's coordinator on the care team, else the coordinator who
    recorded the discharge."""
    for member in patient_care_team(patient=patient):
        person = member.member
        if member.team_role == TeamRole.COORDINATOR or person.role == Role.COORDINATOR:
            return person
    if discharge is not None and discharge.recorded_by.role == Role.COORDINATOR:
        return discharge.recorded_by
    return None


def _follow_up_items(
    visits: Sequence[FollowUp], *, upcoming_only: bool = False
) -> tuple[FollowUpItem, ...]:
    kept = (v for v in visits if v.status != FollowUpStatus.CANCELLED)
    if upcoming_only:
        kept = (v for v in kept if v.status == FollowUpStatus.SCHEDULED)
    return tuple(
        FollowUpItem(
            months_after=v.months_after,
            due_on=v.due_on,
            status=v.status,
            status_label=str(FollowUpStatus(v.status).label),
            seen_on=v.completed_on,
        )
        for v in kept
    )


def _goal_items(episode: Episode) -> tuple[GoalItem, ...]:
    items = []
    for line in goals_with_attainment(episode):
        goal = line.goal
        if goal.status == GoalStatus.REVISED or _starter(goal):
            continue
        items.append(
            GoalItem(
                domain=str(GoalDomain(goal.domain).label),
                target=goal.target,
                child_words=goal.child_words.strip(),
                status=str(GoalStatus(goal.status).label),
                attainment=(
                    str(Attainment(line.score).label) if line.score is not None else ""
                ),
                reviewed_on=line.reviewed_on,
            )
        )
    return tuple(items)


def _starter(goal: Goal) -> bool:
    """A starter goal of the plan template the team never worded ("… m"): not a
    goal of this child, so left out as the portal leaves it out."""
    return bool(goal.template_key) and goal.needs_wording


def _named(outcome: OutcomeSpec) -> str:
    """The instrument's name, with who answered unless the name says it."""
    name = outcome.name
    if any(word in name.lower() for word in ("report", "proxy", "parent", "child")):
        return name
    respondent = RESPONDENT_WORDS.get(outcome.respondent, outcome.respondent)
    return f"{name} ({respondent})"


def _in_episode(points: Sequence[HistoryPoint], episode: Episode) -> list[HistoryPoint]:
    """Scores answered during this episode (an earlier stay's are left out)."""
    last = episode.closed_on
    return [
        p
        for p in points
        if p.answered_on >= episode.opened_on
        and (last is None or p.answered_on <= last)
    ]


def _at(points: Sequence[HistoryPoint], time_point: str) -> HistoryPoint | None:
    """The first admission score, or the last discharge score."""
    found = [
        p
        for p in points
        if p.time_point == time_point and p.scorable and p.total is not None
    ]
    if not found:
        return None
    return found[0] if time_point == TimePoint.ADMISSION else found[-1]


def _compared(point: HistoryPoint | None, on_t: bool) -> float | None:
    """T-scores when both time points have one (PROMIS with the licensed
    tables), else raw totals: a change is never measured across the two."""
    if point is None:
        return None
    return point.t_score if on_t else point.total


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _points(value: float) -> str:
    amount = abs(value)
    if amount == 1:
        return _("1 point")
    return _("%(n)s points") % {"n": _number(amount)}


def _verdict(change: Change) -> str:
    if change.improvement > 0:
        return _("Improved by %(points)s") % {"points": _points(change.improvement)}
    if change.improvement < 0:
        return _("Worse by %(points)s") % {"points": _points(change.improvement)}
    return _("No change")


def _limit(threshold: metrics.MeaningfulChange) -> str:
    parts = []
    if threshold.points is not None:
        parts.append(_points(threshold.points))
    if threshold.percent is not None:
        parts.append(f"{_number(threshold.percent)}%")
    if len(parts) == 2:
        return _("%(points)s or %(percent)s") % {
            "points": parts[0],
            "percent": parts[1],
        }
    return parts[0]


def _meaningful(outcome: OutcomeSpec, change: Change, on_t: bool) -> tuple[str, str]:
    """The words, and the note naming the threshold's source."""
    threshold = outcome.threshold_for(on_t_scores=on_t)
    if threshold is None:
        return _("No published threshold for a meaningful change."), ""
    limit = {"limit": _limit(threshold)}
    if change.meaningful:
        words = _("A meaningful improvement (threshold %(limit)s).") % limit
    else:
        words = _("Not a meaningful improvement (threshold %(limit)s).") % limit
    return words, f"{outcome.name}: {threshold.source}"


def _reliable(outcome: OutcomeSpec, change: Change) -> tuple[str, str]:
    reliability = outcome.reliability
    if reliability is None:
        return _("Reliable change not assessed: no published reliability."), ""
    if change.rci is None or change.sd_pre is None:
        return _("Reliable change not assessed: too few admission scores."), ""
    basis = _("the program's admission SD %(sd)s from %(n)s children") % {
        "sd": _number(change.sd_pre),
        "n": change.sd_n,
    }
    if change.sd_by_definition:
        basis = _("SD 10, the T-score metric's")
    words = (
        _("A reliable change (RCI %(rci)s).")
        if change.reliable
        else _("Not a reliable change (RCI %(rci)s; reliable beyond ±1.96).")
    ) % {"rci": f"{change.rci:.1f}"}
    source = reliability.source
    if not reliability.verified:
        source = _("%(source)s (source not confirmed)") % {"source": source}
    note = _("%(name)s: reliability %(r)s, %(source)s; %(basis)s.") % {
        "name": outcome.name,
        "r": f"{reliability.r:.2f}",
        "source": source,
        "basis": basis,
    }
    return words, note


def _outcome_rows(
    episode: Episode,
) -> tuple[tuple[OutcomeRow, ...], tuple[str, ...]]:
    history = administration_history(patient=episode.patient)
    wanted = [code for code in outcome_codes() if code in history]
    rows: list[OutcomeRow] = []
    notes: list[str] = []
    found: list[tuple[OutcomeSpec, HistoryPoint | None, HistoryPoint | None]] = []
    for code in wanted:
        points = _in_episode(history[code], episode)
        first = _at(points, TimePoint.ADMISSION)
        last = _at(points, TimePoint.DISCHARGE)
        if first is not None or last is not None:
            found.append((spec(code), first, last))
    programs = program_admission_sd(
        [o.code for o, first, last in found if o.reliability and first and last]
    )
    for outcome, first, last in found:
        on_t = outcome.on_t and all(
            p is None or p.t_score is not None for p in (first, last)
        )
        pre, post = _compared(first, on_t), _compared(last, on_t)
        verdict = meaningful = reliable = ""
        change = None
        if (
            first is not None
            and last is not None
            and pre is not None
            and post is not None
        ):
            found_change = change_of(
                outcome,
                on_t=on_t,
                pre=Point(first.answered_on, pre, ""),
                post=Point(last.answered_on, post, ""),
                post_is_discharge=True,
                program=programs.get(outcome.code),
            )
            change = found_change.change
            verdict = _verdict(found_change)
            meaningful, note = _meaningful(outcome, found_change, on_t)
            notes += [note] if note else []
            reliable, note = _reliable(outcome, found_change)
            notes += [note] if note else []
        rows.append(
            OutcomeRow(
                name=_named(outcome),
                unit=(
                    _("T-score")
                    if on_t
                    else _("total %(low)s to %(high)s")
                    % {"low": _number(outcome.low), "high": _number(outcome.high)}
                ),
                better=(
                    _("lower is better")
                    if outcome.direction is metrics.Direction.LOWER_IS_BETTER
                    else _("higher is better")
                ),
                admission=pre,
                discharge=post,
                change=change,
                verdict=verdict,
                meaningful=meaningful,
                reliable=reliable,
            )
        )
    return tuple(rows), tuple(dict.fromkeys(notes))


def _program_contact(patient: Patient, discharge: Discharge | None) -> Contact:
    coordinator = _coordinator(patient, discharge)
    return Contact(
        name=_full_name(coordinator) if coordinator else "",
        role=str(Role.COORDINATOR.label),
        phone=unit_phone(),
    )


def discharge_summary(
    *, episode: Episode, report: ReportInput, today: date
) -> DischargeSummary:
    """For the referrer and the primary care clinician: the stay, the diagnoses,
    the team's summaries, the plan for after, goals and outcomes. No note text."""
    discharge = _discharge(episode)
    if discharge is None:
        raise ValueError(str(NEEDS_DISCHARGE))
    stay = _stay(episode)
    patient = episode.patient
    referral = _referral(episode)
    aftercare = aftercare_get(episode=episode)
    outcomes, notes = _outcome_rows(episode)
    return DischargeSummary(
        header=_header(ReportKind.DISCHARGE_SUMMARY, report, today),
        patient=PatientFacts(
            name=f"{patient.given_name} {patient.family_name}",
            date_of_birth=patient.date_of_birth,
            mrn=patient.mrn,
        ),
        admitted_on=stay.admitted_on,
        discharged_on=discharge.discharged_on,
        length_of_stay=(discharge.discharged_on - stay.admitted_on).days,
        disposition=str(Disposition(discharge.disposition).label),
        referrer=(
            ", ".join(
                p for p in (referral.referrer_name, referral.referrer_organisation) if p
            )
            if referral
            else ""
        ),
        referral_reason=referral.reason.strip() if referral else "",
        diagnoses=tuple(
            Diagnosis(d.code, d.title, d.is_primary) for d in referral.diagnoses.all()
        )
        if referral
        else (),
        summaries=tuple(
            Summary(str(label), text.strip())
            for name, label in DISCIPLINE_SUMMARIES
            if (text := getattr(discharge, name)).strip()
        ),
        medications=discharge.medications.strip(),
        home_programme=discharge.home_programme.strip(),
        school_plan=discharge.school_reentry_plan.strip(),
        step_down=step_down_of(aftercare.step_down),
        follow_ups=_follow_up_items(aftercare.follow_ups),
        goals=_goal_items(episode),
        outcomes=outcomes,
        outcome_notes=notes,
        contact=_program_contact(patient, discharge),
    )


def school_letter(
    *, episode: Episode, report: ReportInput, today: date
) -> SchoolLetter:
    """For the school: the return plan, accommodations, whom to call. Reads the
    discharge date and nothing else clinical; the diagnosis only as the family
    agreed to word it."""
    discharge = _discharge(episode)
    if discharge is None:
        raise ValueError(str(NEEDS_DISCHARGE))
    patient = episode.patient
    options = report.options
    contact = options.get("contact") or {}
    agreed = bool(options.get("family_agreed"))
    wording = str(options.get("diagnosis_wording") or "").strip()
    first_name = patient.preferred_name or patient.given_name
    return SchoolLetter(
        header=_header(ReportKind.SCHOOL_LETTER, report, today),
        child_name=f"{first_name} {patient.family_name}",
        first_name=first_name,
        grade=patient.school_grade,
        discharged_on=discharge.discharged_on,
        plan=str(options.get("return_plan") or "").strip(),
        accommodations=tuple(
            line.strip()
            for line in str(options.get("accommodations") or "").splitlines()
            if line.strip()
        ),
        diagnosis_wording=wording if agreed else "",
        contact=Contact(
            name=str(contact.get("name", "")),
            role=str(contact.get("role", "")),
            phone=unit_phone(),
        ),
    )


def guardian_view(
    *, episode: Episode, by: User, today: date
) -> tuple[PortalChild, PatientGuardian | None]:
    """The child as the primary guardian's portal account would see them today:
    the tier from the child's age (and an adult patient's grant), so the report
    holds only what that guardian may see. ``by`` (the person making the report)
    stands in for the account, which a guardian may not have."""
    patient = episode.patient
    link = _primary_guardian(patient)
    tier = guardian_tier(
        patient.date_of_birth,
        today,
        adult_granted=link is not None and link.adult_access_granted_at is not None,
    )
    child = PortalChild(
        patient=patient,
        viewer=Viewer.GUARDIAN,
        tier=tier,
        user=by,
        guardian=link.guardian if link else None,
        _episode=episode,
        _episode_loaded=True,
    )
    return child, link


def _chart(series: ProgressSeries, title: str) -> str:
    """The portal's progress chart as a ``data:`` URI: an image both the staff
    page (whose CSP forbids the SVG's style attributes inline) and WeasyPrint
    show."""
    from painrehab.portal.charts import progress_svg

    svg = progress_svg(series, title=title)
    encoded = base64.b64encode(svg.encode()).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"


def _exercises(episode: Episode, today: date) -> tuple[ExerciseItem, ...]:
    programme = programme_build(episode=episode, window=1, today=today)
    return tuple(
        ExerciseItem(
            title=line.exercise.title,
            instructions=line.exercise.instructions.strip(),
            repetitions=line.exercise.repetitions,
            how_often=times_a_day(line.exercise.times_per_day),
            which_days=days_a_week(line.exercise.days_per_week),
        )
        for line in programme.active
    )


def family_progress(
    *, episode: Episode, report: ReportInput, today: date, by: User
) -> FamilyProgress:
    """For the parents, in plain words and their language: goals, a chart, the
    home exercises, the next appointments, whom to call; only the sections a
    guardian of the child's age sees."""
    stay = _stay(episode)
    child, _link = guardian_view(episode=episode, by=by, today=today)
    sees = {category: child.sees(category) for category in FAMILY_SECTIONS}
    withheld = {
        str(category): child.withheld_text(category)
        for category, shown in sees.items()
        if not shown
    }
    discharge = _discharge(episode)
    first = child.first_name
    chart_title = _("%(name)s's everyday activities and pain over time") % {
        "name": first
    }
    series = progress_series(child) if sees[Category.OUTCOMES] else None
    aftercare = aftercare_get(episode=episode)
    coordinator = _coordinator(episode.patient, discharge)
    return FamilyProgress(
        header=_header(ReportKind.FAMILY_PROGRESS, report, today),
        first_name=first,
        child_name=f"{first} {episode.patient.family_name}",
        tier=str(child.tier),
        admitted_on=stay.admitted_on,
        discharged_on=discharge.discharged_on if discharge else None,
        goals=tuple(portal_goal_lines(child)) if sees[Category.GOALS] else None,
        series=series,
        chart_data_uri=(
            _chart(series, chart_title) if series and not series.is_empty else ""
        ),
        chart_title=chart_title,
        exercises=(
            _exercises(episode, today) if sees[Category.HOME_PROGRAMME] else None
        ),
        step_down=(
            step_down_of(aftercare.step_down)
            if sees[Category.DISCHARGE] and discharge
            else None
        ),
        appointments=(
            _follow_up_items(aftercare.follow_ups, upcoming_only=True)
            if sees[Category.DISCHARGE]
            else None
        ),
        withheld=withheld,
        contact=Contact(
            name=team_member(coordinator) if coordinator else "",
            role="",
            phone=unit_phone(),
        ),
    )


def report_data(
    *, kind: str, episode: Episode, report: ReportInput, today: date, by: User
) -> ReportData:
    """The facts of one report, read in the report's language."""
    with translation.override(report.language):
        if kind == ReportKind.DISCHARGE_SUMMARY:
            return discharge_summary(episode=episode, report=report, today=today)
        if kind == ReportKind.SCHOOL_LETTER:
            return school_letter(episode=episode, report=report, today=today)
        if kind == ReportKind.FAMILY_PROGRESS:
            return family_progress(episode=episode, report=report, today=today, by=by)
    raise ValueError(f"unknown report kind {kind!r}")


# --- The page and the paper -------------------------------------------------------


def template_name(kind: str) -> str:
    return f"outcomes/reports/{ReportKind(kind).value}.html"


def render_html(data: ReportData, *, report_id: int | None, standalone: bool) -> str:
    """The report's page: a whole document to print (``standalone``), or the
    preview that the create page shows inside the staff layout."""
    header = data.header
    context = {
        "report": data,
        "header": header,
        "report_id": report_id,
        "standalone": standalone,
        "levels": STANDALONE if standalone else PREVIEW,
    }
    with translation.override(header.language):
        return render_to_string(template_name(header.kind), context)


def _static_file(url: str) -> Path | None:
    prefix = urljoin(PDF_BASE_URL, settings.STATIC_URL)
    if not url.startswith(prefix):
        return None
    name = url.removeprefix(prefix).split("?", 1)[0]
    if staticfiles_storage.exists(name):
        return Path(staticfiles_storage.path(name))
    found = finders.find(name)
    return Path(found) if isinstance(found, str) else None


@functools.cache
def _fetcher_class() -> type[Any]:
    """WeasyPrint's fetcher for reports: our own static files and ``data:`` URIs
    only, so a report never reaches the network; anything else stops the print.
    Built on first use, so WeasyPrint loads with the first PDF, not the site."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ReportFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = _static_file(url)
            if path is None:
                raise ValueError(f"a report fetches nothing from {url}")
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})

    return ReportFetcher


def pdf_of(html: str) -> bytes:
    """Print the standalone page (WeasyPrint, loaded on first use)."""
    import weasyprint

    fetcher = _fetcher_class()(allowed_protocols={"data", "https"}, fail_on_errors=True)
    document = weasyprint.HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=fetcher)
    return bytes(document.write_pdf())


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def download_name(kind: str, report_id: int) -> str:
    """``discharge-summary-42.pdf``: never the child's name."""
    return f"{ReportKind(kind).value.replace('_', '-')}-{report_id}.pdf"


# --- Stored reports ----------------------------------------------------------------


@dataclass(frozen=True)
class StoredReport:
    """One line of the chart's "Reports" tab (never the page or the bytes)."""

    report_id: int
    kind: str
    kind_label: str
    language: str
    language_label: str
    recipient: str
    recipient_address: str
    purpose: str
    created_at: datetime
    created_by: str
    size: int
    sha256: str


def _stored(row: GeneratedReport) -> StoredReport:
    return StoredReport(
        report_id=row.pk,
        kind=row.kind,
        kind_label=str(ReportKind(row.kind).label),
        language=row.language,
        language_label=str(dict(settings.LANGUAGES).get(row.language, row.language)),
        recipient=row.recipient,
        recipient_address=row.recipient_address,
        purpose=row.purpose,
        created_at=row.created_at,
        created_by=_full_name(row.created_by),
        size=row.size,
        sha256=row.sha256,
    )


def stored_list(*, user: User, patient_id: int) -> tuple[Patient, list[StoredReport]]:
    """The reports made for a child, newest first, in two queries whatever their
    number (the page and the PDF are never loaded here); an audited read."""
    patient = patient_get_for_user(user=user, patient_id=patient_id)
    rows = (
        GeneratedReport.objects.filter(episode__patient=patient)
        .select_related("created_by")
        .defer("html", "pdf")
        .order_by("-created_at", "-pk")
    )
    found = [_stored(row) for row in rows]
    record(
        action=AuditAction.REPORTS_LISTED,
        action_type=ActionType.READ,
        actor=user,
        patient_id=patient.pk,
        data_category=DataCategory.OUTCOMES,
        changes={"reports": [r.report_id for r in found]},
    )
    return patient, found


def stored_get(*, user: User, patient_id: int, report_id: int) -> GeneratedReport:
    """One stored report of a child this person may see, for download (audited);
    another child's report, or one that does not exist, is the same 404."""
    patient = patient_get_for_user(user=user, patient_id=patient_id)
    row = GeneratedReport.objects.filter(pk=report_id, episode__patient=patient).first()
    if row is None:
        raise Http404
    record(
        action=AuditAction.REPORT_DOWNLOADED,
        action_type=ActionType.READ,
        actor=user,
        patient_id=patient.pk,
        data_category=DataCategory.OUTCOMES,
        obj=row,
        changes={"kind": row.kind, "sha256": row.sha256, "size": row.size},
    )
    return row


def audit_preview(*, user: User, episode: Episode, kind: str, language: str) -> None:
    record(
        action=AuditAction.REPORT_PREVIEWED,
        action_type=ActionType.READ,
        actor=user,
        patient_id=episode.patient_id,
        data_category=DataCategory.OUTCOMES,
        obj=episode,
        changes={"kind": kind, "language": language},
    )
