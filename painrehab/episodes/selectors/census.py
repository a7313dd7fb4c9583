"""The unit today: beds and stays, the waitlist and the admissions coming up.

Every list here is built from a fixed number of queries, however many children
are in the program. Whether the viewer may see each child is a subquery
annotation (the access funnel's own filter), not a query per row.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, DataCategory
from painrehab.audit.services import record
from painrehab.episodes.choices import Phase
from painrehab.episodes.models import Bed, Stay, WaitlistEntry
from painrehab.patients.choices import TeamRole
from painrehab.patients.models import CareTeamMember, Patient

CENSUS_VIEWED = "census.viewed"
WAITLIST_VIEWED = "waitlist.viewed"
UPCOMING_DAYS = 14
DISCHARGE_SOON_DAYS = 7
FLAG_DISCHARGE_SOON = _("Planned discharge this week")
FLAG_PAST_DISCHARGE = _("Past planned discharge")
PRIMARY_TEAM: tuple[tuple[TeamRole, str], ...] = (
    (TeamRole.ATTENDING, "MD"),
    (TeamRole.PRIMARY_PSYCHOLOGIST, "Psych"),
    (TeamRole.PRIMARY_PT, "PT"),
    (TeamRole.PRIMARY_OT, "OT"),
)

# Questionnaires due per inpatient: (patient ids, today) -> {patient id: labels}.
# A provider answers for every patient at once, so the census stays flat in queries.
DueQuestionnaires = Callable[[Sequence[int], date], Mapping[int, Sequence[str]]]
_due_questionnaire_providers: list[DueQuestionnaires] = []


def register_due_questionnaires(provider: DueQuestionnaires) -> None:
    """Hook for the instruments app: flag questionnaires due on the census."""
    if provider not in _due_questionnaire_providers:
        _due_questionnaire_providers.append(provider)


def due_questionnaires(
    patient_ids: Sequence[int], today: date
) -> dict[int, tuple[str, ...]]:
    """Labels of questionnaires due per patient; empty until instruments registers."""
    due: dict[int, tuple[str, ...]] = {}
    for provider in _due_questionnaire_providers:
        for patient_id, labels in provider(patient_ids, today).items():
            due[patient_id] = due.get(patient_id, ()) + tuple(labels)
    return due


@dataclass(frozen=True)
class PatientRef:
    """A child as a list shows them: name and MRN only if the viewer may see them."""

    patient_id: int | None
    name: str = ""
    mrn: str = ""

    @property
    def visible(self) -> bool:
        return self.patient_id is not None


@dataclass(frozen=True)
class TeamLine:
    role: str
    abbreviation: str
    name: str


@dataclass(frozen=True)
class CensusStay:
    episode_id: int
    patient: PatientRef
    admitted_on: date
    planned_discharge_on: date
    day: int
    planned_days: int
    team: tuple[TeamLine, ...]
    flags: tuple[str, ...]
    due_questionnaires: tuple[str, ...]


@dataclass(frozen=True)
class CensusBed:
    number: int
    label: str
    stay: CensusStay | None


@dataclass(frozen=True)
class WaitlistLine:
    episode_id: int
    patient: PatientRef
    priority: int
    priority_label: str
    accepted_on: date
    preferred_start: date | None
    days_waiting: int


@dataclass(frozen=True)
class CensusBoard:
    today: date
    beds: tuple[CensusBed, ...]
    waitlist: tuple[WaitlistLine, ...]
    upcoming: tuple[WaitlistLine, ...]

    @property
    def capacity(self) -> int:
        return len(self.beds)

    @property
    def occupied(self) -> int:
        return sum(1 for bed in self.beds if bed.stay is not None)


def _visible(user: User, patient_path: str) -> Exists:
    visible = Patient.objects.visible_to(user).filter(pk=OuterRef(patient_path))
    return Exists(visible)


def patient_ref(patient: Patient, *, visible: bool) -> PatientRef:
    if not visible:
        return PatientRef(patient_id=None)
    return PatientRef(patient_id=patient.pk, name=patient.display_name, mrn=patient.mrn)


def short_name(user: User) -> str:
    """ "J. Rivera": enough to find a colleague on a crowded board."""
    if user.first_name and user.last_name:
        return f"{user.first_name[0]}. {user.last_name}"
    return user.get_full_name() or user.get_username()


def _current_stays(user: User) -> QuerySet[Stay]:
    team = CareTeamMember.objects.filter(
        end_date__isnull=True, team_role__in=[r for r, _a in PRIMARY_TEAM]
    ).select_related("member")
    return (
        Stay.objects.filter(discharged_on__isnull=True)
        .select_related("episode__patient")
        .annotate(patient_visible=_visible(user, "episode__patient_id"))
        .prefetch_related(
            Prefetch(
                "episode__patient__care_team",
                queryset=team.order_by("start_date", "pk"),
                to_attr="primary_team",
            )
        )
    )


def _team(members: Sequence[CareTeamMember]) -> tuple[TeamLine, ...]:
    by_role: dict[str, CareTeamMember] = {}
    for member in members:
        by_role.setdefault(member.team_role, member)
    return tuple(
        TeamLine(
            role=str(role.label),
            abbreviation=abbreviation,
            name=short_name(by_role[role].member) if role in by_role else "—",
        )
        for role, abbreviation in PRIMARY_TEAM
    )


def stay_flags(stay: Stay, today: date) -> tuple[str, ...]:
    """The planned-discharge flags a census row carries."""
    days_left = (stay.planned_discharge_on - today).days
    if days_left < 0:
        return (str(FLAG_PAST_DISCHARGE),)
    if days_left <= DISCHARGE_SOON_DAYS:
        return (str(FLAG_DISCHARGE_SOON),)
    return ()


def _census_stay(
    stay: Stay, today: date, due: Mapping[int, tuple[str, ...]]
) -> CensusStay:
    patient = stay.episode.patient
    return CensusStay(
        episode_id=stay.episode_id,
        patient=patient_ref(patient, visible=stay.patient_visible),  # type: ignore[attr-defined]
        admitted_on=stay.admitted_on,
        planned_discharge_on=stay.planned_discharge_on,
        day=stay.day_of_stay(today),
        planned_days=stay.planned_days,
        team=_team(patient.primary_team),  # type: ignore[attr-defined]
        flags=stay_flags(stay, today),
        due_questionnaires=due.get(patient.pk, ()),
    )


def _beds(user: User, today: date) -> tuple[CensusBed, ...]:
    stays = {stay.bed_id: stay for stay in _current_stays(user)}
    due = due_questionnaires([s.episode.patient_id for s in stays.values()], today)
    return tuple(
        CensusBed(
            number=bed.number,
            label=str(bed),
            stay=_census_stay(stays[bed.pk], today, due) if bed.pk in stays else None,
        )
        for bed in Bed.objects.filter(active=True).order_by("number")
    )


def _waitlist(user: User, today: date) -> tuple[WaitlistLine, ...]:
    entries = (
        WaitlistEntry.objects.filter(episode__phase=Phase.WAITLISTED)
        .select_related("episode__patient")
        .annotate(patient_visible=_visible(user, "episode__patient_id"))
        .order_by("priority", "accepted_on", "pk")
    )
    return tuple(
        WaitlistLine(
            episode_id=entry.episode_id,
            patient=patient_ref(entry.episode.patient, visible=entry.patient_visible),
            priority=entry.priority,
            priority_label=entry.get_priority_display(),
            accepted_on=entry.accepted_on,
            preferred_start=entry.preferred_start,
            days_waiting=(today - entry.accepted_on).days,
        )
        for entry in entries
    )


def _audit_list(user: User, action: str, count: int) -> None:
    record(
        action=action,
        action_type=ActionType.QUERY,
        actor=user,
        data_category=DataCategory.EPISODE,
        changes={"rows": count},
    )


def waitlist_list(*, user: User, today: date) -> tuple[WaitlistLine, ...]:
    """Children waiting for a bed, most urgent and longest-waiting first."""
    lines = _waitlist(user, today)
    _audit_list(user, WAITLIST_VIEWED, len(lines))
    return lines


def census_board(*, user: User, today: date) -> CensusBoard:
    """Every active bed with its stay, the waitlist and the admissions coming up."""
    beds = _beds(user, today)
    waitlist = _waitlist(user, today)
    horizon = today + timedelta(days=UPCOMING_DAYS)
    upcoming = tuple(
        line
        for line in sorted(
            waitlist, key=lambda w: (w.preferred_start or horizon, w.priority)
        )
        if line.preferred_start is not None and line.preferred_start <= horizon
    )
    _audit_list(user, CENSUS_VIEWED, len(beds) + len(waitlist))
    return CensusBoard(today=today, beds=beds, waitlist=waitlist, upcoming=upcoming)
