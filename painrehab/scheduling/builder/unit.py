"""Who and what is on the unit: children, their days, staff on shift, rooms."""

from collections import defaultdict
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _

from painrehab.accounts.choices import DISCIPLINE_OF_ROLE, Role
from painrehab.accounts.models import User
from painrehab.careplans.selectors import care_plan_for
from painrehab.domain import timetable as tt
from painrehab.domain.timetable.problem import EVERY_DAY, Interval
from painrehab.episodes.choices import Phase
from painrehab.episodes.models import Stay
from painrehab.patients.models import CareTeamMember
from painrehab.scheduling.builder.context import Build, Child
from painrehab.scheduling.builder.keys import (
    minutes_of,
    patient_key,
    room_key,
    staff_key,
)
from painrehab.scheduling.builder.tables import TEAM_ROLE_DISCIPLINE, THERAPY_ROLES
from painrehab.scheduling.models import Absence, DayTemplate, PatientBlock, Room

PAST = "Already past"


def children_on_unit(build: Build) -> list[Child]:
    """Children with a stay in the range: from admission, until discharge."""
    first_day, last_day = build.dates[0], build.dates[-1]
    stays = (
        Stay.objects.filter(admitted_on__lte=last_day)
        .filter(
            Q(discharged_on=None, episode__phase=Phase.INPATIENT)
            | Q(discharged_on__gt=first_day)
        )
        .select_related("episode__patient", "bed")
        .order_by("bed__number", "pk")
    )
    children = []
    for stay in stays:
        child = Child(
            stay=stay,
            id=patient_key(stay.episode_id),
            age=stay.episode.patient.age(on=first_day),
            label=str(stay.bed),
            days=[d for d in build.dates if _in_bed(stay, d)],
        )
        build.labels[child.id] = child.label
        children.append(child)
    return children


def _in_bed(stay: Stay, day: date) -> bool:
    return stay.admitted_on <= day and (
        stay.discharged_on is None or day < stay.discharged_on
    )


# --- Staff ---------------------------------------------------------------------------


def staff_add(build: Build) -> None:
    """Therapists with shifts: each day, the weekday's shifts minus absences."""
    people = (
        User.objects.filter(
            is_active=True, role__in=THERAPY_ROLES, shifts__isnull=False
        )
        .distinct()
        .prefetch_related("shifts")
        .order_by("pk")
    )
    away: dict[tuple[int, date], list[Absence]] = defaultdict(list)
    for absence in Absence.objects.filter(
        staff__in=people,
        day__range=(build.dates[0], build.dates[-1]),
        cancelled_at=None,
    ):
        away[absence.staff_id, absence.day].append(absence)
    for person in people:
        availability = []
        for day in build.dates:
            shifts = [
                (minutes_of(s.start), minutes_of(s.end))
                for s in person.shifts.all()
                if s.weekday == day.weekday()
            ]
            free = without(merged(shifts), away[person.pk, day])
            if free:
                availability.append((day.isoformat(), tuple(free)))
        person_add(build, person, tuple(availability))


def person_add(
    build: Build,
    person: User,
    availability: tuple[tuple[str, tuple[Interval, ...]], ...] = (),
) -> None:
    """List ``person`` (with no availability unless given)."""
    key = staff_key(person.pk)
    discipline = DISCIPLINE_OF_ROLE.get(Role(person.role), "")
    build.staff[key] = tt.Staff(key, str(discipline), availability)
    build.labels[key] = person.get_full_name() or person.get_username()


def merged(intervals: list[Interval]) -> list[Interval]:
    joined: list[Interval] = []
    for start, end in sorted(intervals):
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(end, joined[-1][1]))
        else:
            joined.append((start, end))
    return joined


def without(intervals: list[Interval], absences: list[Absence]) -> list[Interval]:
    """The intervals minus the absences (a whole-day absence leaves nothing)."""
    for absence in absences:
        if absence.start is None or absence.end is None:
            return []
        intervals = subtract(
            intervals, [(minutes_of(absence.start), minutes_of(absence.end))]
        )
    return intervals


def subtract(intervals: list[Interval], gone: list[Interval]) -> list[Interval]:
    for cut_start, cut_end in gone:
        kept: list[Interval] = []
        for start, end in intervals:
            kept += [(start, min(end, cut_start)), (max(start, cut_end), end)]
        intervals = [(s, e) for s, e in kept if e > s]
    return intervals


def staff_on(build: Build, days: list[date]) -> tuple[tt.Staff, ...]:
    """Each person's availability on the problem's days only."""
    listed = {d.isoformat() for d in days}
    return tuple(
        tt.Staff(
            person.id,
            person.discipline,
            tuple((d, i) for d, i in person.availability if d in listed),
            person.max_minutes_per_day,
        )
        for person in build.staff.values()
    )


def primaries_add(build: Build, children: list[Child]) -> None:
    """Each child's usual person per discipline: the care team's primary (by team
    place), else the first member whose role practises the discipline."""
    episode_of = {c.stay.episode.patient_id: c.stay.episode_id for c in children}
    members = (
        CareTeamMember.objects.filter(
            patient_id__in=list(episode_of), member__is_active=True
        )
        .filter(Q(end_date=None) | Q(end_date__gte=build.dates[0]))
        .select_related("member")
        .order_by("pk")
    )
    fallback: dict[tuple[int, str], int] = {}
    for membership in members:
        episode = episode_of[membership.patient_id]
        discipline = TEAM_ROLE_DISCIPLINE.get(membership.team_role)
        if discipline is not None:
            build.primaries.setdefault((episode, discipline), membership.member_id)
        practised = DISCIPLINE_OF_ROLE.get(Role(membership.member.role))
        if practised is not None:
            fallback.setdefault((episode, str(practised)), membership.member_id)
    for key, member_id in fallback.items():
        build.primaries.setdefault(key, member_id)


# --- Rooms ---------------------------------------------------------------------------


def rooms_add(build: Build) -> None:
    for room in Room.objects.filter(active=True).order_by("name", "pk"):
        key = room_key(room.pk)
        build.rooms[key] = tt.Room(key, tuple(room.kinds), room.capacity)
        build.labels[key] = room.name


# --- Children's days --------------------------------------------------------------


def patients_add(
    build: Build, children: list[Child], days: list[date], fixed: tuple[tt.Session, ...]
) -> None:
    """Each child's day from the active template, their one-off blocks, and the
    time already past (less their kept sessions), with the plan's daily limit."""
    template = (
        DayTemplate.objects.filter(active=True).prefetch_related("blocks").first()
    )
    if template is None:
        build.notes.append(
            _(
                "There is no active day template: sessions may fall at any hour "
                "and meals, school and family time are not kept free."
            )
        )
    one_offs = _one_off_blocks(children, days)
    for child in children:
        blocked = [
            *_template_blocks(template),
            *one_offs[child.stay.episode_id],
            *_past_blocks(build, child, days, fixed),
        ]
        plan = care_plan_for(child.stay.episode)
        build.patients[child.id] = tt.Patient(
            id=child.id,
            blocked=tuple(blocked),
            earliest=minutes_of(template.earliest) if template else None,
            latest=minutes_of(template.latest) if template else None,
            max_therapy_minutes_per_day=(
                plan.max_therapy_minutes_per_day if plan else None
            ),
            max_consecutive_minutes=(
                template.max_consecutive_minutes if template else None
            ),
            min_break_minutes=template.min_break_minutes if template else None,
        )


def _template_blocks(template: DayTemplate | None) -> list[tt.Block]:
    if template is None:
        return []
    return [
        tt.Block(EVERY_DAY, minutes_of(b.start), minutes_of(b.end), b.label)
        for b in template.blocks.all()
        if b.fixed
    ]


def _one_off_blocks(
    children: list[Child], days: list[date]
) -> dict[int, list[tt.Block]]:
    rows = PatientBlock.objects.filter(
        episode_id__in=[c.stay.episode_id for c in children], day__in=days
    )
    found: dict[int, list[tt.Block]] = defaultdict(list)
    for row in rows:
        found[row.episode_id].append(
            tt.Block(
                row.day.isoformat(),
                minutes_of(row.start),
                minutes_of(row.end),
                row.label,
            )
        )
    return found


def _past_blocks(
    build: Build, child: Child, days: list[date], fixed: tuple[tt.Session, ...]
) -> list[tt.Block]:
    """The past of each day the child has something requested on, less the times
    of their kept sessions (kept sessions are never in a block)."""
    blocks = []
    for day in days:
        until = build.past_until(day)
        iso = day.isoformat()
        if not until or not _requested(build, child.id, iso):
            continue
        kept = [
            (s.start, s.end) for s in fixed if s.day == iso and child.id in s.patients
        ]
        for start, end in subtract([(0, until)], kept):
            blocks.append(tt.Block(iso, start, end, PAST))
    return blocks


def _requested(build: Build, child_id: str, day: str) -> bool:
    return any(
        child_id in a.patients and a.requested_on(day)
        for a in build.activities.values()
    )
