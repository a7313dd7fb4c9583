"""After discharge, as a family reads it: the step-down weeks, the clinic
check-ups, what to keep doing at home, and the school letter's facts.

Read from the discharge record, the step-down plan and the follow-up visits of
the child's current (or latest) episode. The discipline summaries, the
step-down plan's and follow-ups' staff notes and the referral (its diagnoses,
its reasons) are never read here: the school letter in particular carries the
school re-entry plan and nothing clinical.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from painrehab.accounts.choices import Role
from painrehab.episodes.choices import FollowUpStatus
from painrehab.episodes.models import Discharge, FollowUp, StepDownPlan
from painrehab.episodes.selectors import aftercare_get
from painrehab.patients.choices import TeamRole
from painrehab.patients.selectors import patient_care_team
from painrehab.portal.access import PortalChild

DEFAULT_UNIT_PHONE = "(555) 010-0000"


@dataclass(frozen=True)
class StepDown:
    starts_on: date
    weeks: int
    lines: tuple[str, ...]  # "Physical therapy: 1 session a week"


@dataclass(frozen=True)
class CheckUp:
    """A follow-up visit in the Pain Medicine Clinic."""

    months_after: int
    due_on: date
    status: str  # FollowUpStatus value
    seen_on: date | None


@dataclass(frozen=True)
class AfterDischarge:
    """``discharge`` is ``None`` until the child is discharged."""

    discharge: Discharge | None
    step_down: StepDown | None
    check_ups: tuple[CheckUp, ...]

    @property
    def discharged(self) -> bool:
        return self.discharge is not None


@dataclass(frozen=True)
class SchoolLetter:
    """What the school re-entry letter says: no diagnosis, nothing clinical."""

    child_name: str
    first_name: str
    school: str
    grade: str
    written_on: date
    plan: str
    contact: str  # the coordinator's first name, or "" (the letter names the role)
    phone: str
    program: str


def unit_phone() -> str:
    return str(getattr(settings, "PORTAL_UNIT_PHONE", DEFAULT_UNIT_PHONE))


def _per_week(label: str, count: int) -> str:
    return ngettext(
        "%(what)s: %(count)s session a week",
        "%(what)s: %(count)s sessions a week",
        count,
    ) % {"what": label, "count": count}


def step_down_of(plan: StepDownPlan | None) -> StepDown | None:
    if plan is None:
        return None
    counts = (
        (_("Physical therapy"), plan.physical_therapy_per_week),
        (_("Occupational therapy"), plan.occupational_therapy_per_week),
        (_("Psychology"), plan.psychology_per_week),
    )
    lines = tuple(_per_week(label, n) for label, n in counts if n)
    return StepDown(plan.starts_on, plan.weeks, lines)


def _check_up(visit: FollowUp) -> CheckUp:
    return CheckUp(visit.months_after, visit.due_on, visit.status, visit.completed_on)


def after_discharge(*, child: PortalChild) -> AfterDischarge:
    """The child's aftercare; empty until discharge. The caller checks
    ``Category.DISCHARGE``."""
    episode = child.episode
    if episode is None:
        return AfterDischarge(None, None, ())
    found = aftercare_get(episode=episode)
    if found.discharge is None:
        return AfterDischarge(None, None, ())
    visits = (v for v in found.follow_ups if v.status != FollowUpStatus.CANCELLED)
    return AfterDischarge(
        discharge=found.discharge,
        step_down=step_down_of(found.step_down),
        check_ups=tuple(_check_up(v) for v in visits),
    )


def coordinator_first_name(child: PortalChild, discharge: Discharge) -> str:
    """The child's coordinator on the care team, else the coordinator who
    recorded the discharge; "" when neither is known."""
    for member in patient_care_team(patient=child.patient):
        person = member.member
        is_coordinator = member.team_role == TeamRole.COORDINATOR
        if (is_coordinator or person.role == Role.COORDINATOR) and person.first_name:
            return person.first_name
    recorder = discharge.recorded_by
    if recorder.role == Role.COORDINATOR:
        return recorder.first_name
    return ""


def school_letter(*, child: PortalChild) -> SchoolLetter | None:
    """The letter's facts, or ``None`` until the team has written the school
    re-entry plan at discharge."""
    after = after_discharge(child=child)
    discharge = after.discharge
    if discharge is None or not discharge.school_reentry_plan.strip():
        return None
    patient = child.patient
    return SchoolLetter(
        child_name=patient.display_name,
        first_name=child.first_name,
        school=patient.school_name,
        grade=patient.school_grade,
        written_on=discharge.discharged_on,
        plan=discharge.school_reentry_plan.strip(),
        contact=coordinator_first_name(child, discharge),
        phone=unit_phone(),
        program=str(getattr(settings, "PROGRAM_NAME", "")),
    )
