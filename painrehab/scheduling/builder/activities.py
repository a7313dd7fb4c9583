"""Prescriptions → activities: individual ones per child, group ones per cohort.

docs/careplans.md, "Prescription → timetable format": a daily prescription asks
for ``per_day`` sessions on each day it is requested; a weekly one for one session
on that many days, spread over each calendar week; group prescriptions of one
discipline and name are gathered into the active groups of that name by age band.
"""

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from django.utils.translation import gettext as _

from painrehab.accounts.models import User
from painrehab.careplans.choices import Continuity, SessionMode
from painrehab.careplans.models import Prescription
from painrehab.careplans.selectors import care_plan_for, prescriptions_active
from painrehab.domain import timetable as tt
from painrehab.scheduling.builder.context import Build, Child
from painrehab.scheduling.builder.keys import ActivityRef, number_of, staff_key
from painrehab.scheduling.builder.tables import (
    PREFERRED_WINDOWS,
    SLOT_MINUTES,
    WEEKDAYS,
    room_kinds,
    weight,
)
from painrehab.scheduling.builder.unit import person_add
from painrehab.scheduling.models import TherapyGroup

_T = TypeVar("_T")


@dataclass
class Member:
    """A child's group prescription waiting for a cohort, and its open days."""

    child: Child
    prescription: Prescription
    days: list[date]


def spread(
    candidates: Sequence[date], count: int, taken: Sequence[date] = ()
) -> list[date]:
    """``count`` days a calendar week out of ``candidates``, evenly spread, on
    weekdays when there are enough (2 of Monday to Friday: Tuesday and Thursday).
    Days in ``taken`` (a session is already kept there) count towards the week."""
    weeks: dict[tuple[int, int], list[date]] = defaultdict(list)
    for day in sorted(candidates):
        weeks[day.isocalendar()[:2]].append(day)
    chosen: list[date] = []
    for week, days in weeks.items():
        done = {d for d in taken if d.isocalendar()[:2] == week}
        pool = [d for d in days if d not in done and d.weekday() < WEEKDAYS]
        wanted = count - len(done)
        if len(pool) < wanted:
            pool = [d for d in days if d not in done]
        wanted = min(wanted, len(pool))
        chosen += [pool[int((i + 0.5) * len(pool) / wanted)] for i in range(wanted)]
    return chosen


def individual_add(build: Build, children: list[Child]) -> list[Member]:
    """One activity per individual prescription; the group ones are returned."""
    members = []
    for child in children:
        prescriptions = _prescriptions(child)
        if not prescriptions and child.days and not care_plan_for(child.stay.episode):
            build.notes.append(
                _("%(bed)s has no care plan yet, so nothing is requested.")
                % {"bed": child.label}
            )
        for prescription in prescriptions:
            if prescription.minutes % SLOT_MINUTES:
                build.notes.append(_off_grid(child, prescription))
                continue
            days = build.open_days(
                [d for d in child.days if prescription.requested_on(d)]
            )
            if prescription.mode == SessionMode.GROUP:
                members.append(Member(child, prescription, days))
            else:
                _individual_one(build, child, prescription, days)
    return members


def _prescriptions(child: Child) -> list[Prescription]:
    """Every prescription in force on one of the child's days (current values)."""
    found: dict[int, Prescription] = {}
    for day in child.days:
        for prescription in prescriptions_active(child.stay.episode, on=day):
            found.setdefault(prescription.pk, prescription)
    return sorted(found.values(), key=lambda p: (p.discipline, p.pk))


def _off_grid(child: Child, prescription: Prescription) -> str:
    return _(
        "%(bed)s: %(name)s is %(minutes)s minutes, not a multiple of %(slot)s; "
        "it is left out."
    ) % {
        "bed": child.label,
        "name": prescription.name,
        "minutes": prescription.minutes,
        "slot": SLOT_MINUTES,
    }


def _individual_one(
    build: Build, child: Child, prescription: Prescription, days: list[date]
) -> None:
    if prescription.sessions_per_week is not None:
        taken = sorted(build.taken.get(("p", prescription.pk), ()))
        days = spread(days, prescription.sessions_per_week, taken)
    if not days:
        return
    discipline = prescription.discipline
    preferred, eligible = _continuity(build, child, prescription)
    activity = tt.Activity(
        id=f"{child.id}/{discipline}/{prescription.pk}",
        kind=tt.Kind.INDIVIDUAL,
        patients=(child.id,),
        discipline=discipline,
        minutes=prescription.minutes,
        per_day=prescription.sessions_per_day or 1,
        days=tuple(d.isoformat() for d in days),
        eligible_staff=eligible,
        room_kinds=room_kinds(discipline, group=False),
        preferred_staff=preferred,
        preferred_window=PREFERRED_WINDOWS.get(prescription.time_of_day),
        weight=weight(discipline, group=False),
    )
    ref = ActivityRef(
        discipline=discipline,
        label=prescription.name,
        mode=SessionMode.INDIVIDUAL,
        prescription_id=prescription.pk,
        group_id=None,
        episode_ids=(child.stay.episode_id,),
    )
    build.add(activity, ref)


def _continuity(
    build: Build, child: Child, prescription: Prescription
) -> tuple[tuple[str, ...], tuple[str, ...] | None]:
    """(``preferred_staff``, ``eligible_staff``): the child's usual person of the
    discipline, preferred or required as the prescription says."""
    if prescription.continuity == Continuity.NO_PREFERENCE:
        return (), None
    primary = build.primaries.get((child.stay.episode_id, prescription.discipline))
    key = staff_key(primary) if primary is not None else ""
    if prescription.continuity == Continuity.SAME_PREFERRED:
        return ((key,) if key in build.staff else ()), None
    if primary is None:
        build.notes.append(
            _(
                "%(bed)s: %(name)s needs the same therapist each time, but the care "
                "team has no one for it; anyone of the discipline may give it."
            )
            % {"bed": child.label, "name": prescription.name}
        )
        return (), None
    if key not in build.staff:  # on the team without shifts: never available
        person_add(build, User.objects.get(pk=primary))
    return (), (key,)


# --- Groups --------------------------------------------------------------------------


def groups_add(build: Build, members: list[Member]) -> None:
    """Group prescriptions gathered into the active groups of their discipline and
    name, by age band, at most ``max_patients`` a group."""
    groups = list(TherapyGroup.objects.filter(active=True))
    waiting: dict[tuple[str, str], list[Member]] = defaultdict(list)
    for member in members:
        prescription = member.prescription
        waiting[_group_key(prescription.discipline, prescription.name)].append(member)
    for key, queue in waiting.items():
        fitting = [g for g in groups if _group_key(g.discipline, g.label) == key]
        cohorts = _cohorts(build, fitting, queue)
        for group in fitting:
            if cohorts[group.pk]:
                _group_activities(build, group, cohorts[group.pk])


def _group_key(discipline: str, label: str) -> tuple[str, str]:
    return discipline, " ".join(label.split()).casefold()


def _cohorts(
    build: Build, groups: list[TherapyGroup], queue: list[Member]
) -> dict[int, list[Member]]:
    """Youngest first, each child into the first group of their age with space."""
    cohorts: dict[int, list[Member]] = {g.pk: [] for g in groups}
    for member in sorted(queue, key=lambda m: (m.child.age, m.child.stay.pk)):
        bands = [g for g in groups if g.min_age <= member.child.age <= g.max_age]
        space = [g for g in bands if len(cohorts[g.pk]) < g.max_patients]
        if space:
            cohorts[space[0].pk].append(member)
        else:
            build.notes.append(_no_group(member, full=bool(bands)))
    return cohorts


def _no_group(member: Member, *, full: bool) -> str:
    values = {
        "bed": member.child.label,
        "name": member.prescription.name,
        "age": member.child.age,
    }
    if full:
        return (
            _("%(bed)s: every %(name)s group for age %(age)s is full; left out.")
            % values
        )
    return (
        _(
            "%(bed)s: no active %(name)s group takes age %(age)s; left out. "
            "Add a group in the setup."
        )
        % values
    )


def _group_activities(build: Build, group: TherapyGroup, cohort: list[Member]) -> None:
    """The group's activity; one per distinct set of children when the cohort
    changes within the range (their ids then end in ``@<first day>``)."""
    days = _member_days(build, group, cohort)
    every = sorted({d for listed in days.values() for d in listed})
    sets: dict[tuple[str, ...], list[date]] = defaultdict(list)
    for day in every:
        present = [m.child.id for m in cohort if day in days[m.prescription.pk]]
        sets[tuple(sorted(present, key=number_of))].append(day)
    base = f"g{group.pk}/{group.discipline}"
    for patients, on in sets.items():
        activity_id = base if len(sets) == 1 else f"{base}@{on[0].isoformat()}"
        chosen = [m for m in cohort if m.child.id in patients]
        _group_activity_add(build, group, activity_id, chosen, on)


def _member_days(
    build: Build, group: TherapyGroup, cohort: list[Member]
) -> dict[int, set[date]]:
    """Each member's days, by prescription; a weekly group meets on the same
    spread days for everyone."""
    weekly = [m.prescription.sessions_per_week or 0 for m in cohort]
    if not any(weekly):
        return {m.prescription.pk: set(m.days) for m in cohort}
    union = sorted({d for m in cohort for d in m.days})
    taken = sorted(build.taken.get(("g", group.pk), ()))
    meets = set(spread(union, max(weekly), taken))
    return {m.prescription.pk: meets.intersection(m.days) for m in cohort}


def _group_activity_add(
    build: Build,
    group: TherapyGroup,
    activity_id: str,
    members: list[Member],
    days: list[date],
) -> None:
    discipline = group.discipline
    able = sum(1 for s in build.staff.values() if s.discipline == discipline)
    if group.staff_required > able:
        build.notes.append(
            _(
                "%(group)s needs %(needed)s staff of its discipline, but only "
                "%(able)s have shifts; its sessions are left out."
            )
            % {"group": group.name, "needed": group.staff_required, "able": able}
        )
        return
    prescriptions = [m.prescription for m in members]
    minutes = _most_common([p.minutes for p in prescriptions])
    _length_notes(build, members, minutes)
    patients = tuple(sorted((m.child.id for m in members), key=number_of))
    activity = tt.Activity(
        id=activity_id,
        kind=tt.Kind.GROUP,
        patients=patients,
        discipline=discipline,
        minutes=minutes,
        per_day=max(p.sessions_per_day or 1 for p in prescriptions),
        days=tuple(d.isoformat() for d in days),
        staff_required=group.staff_required,
        room_kinds=room_kinds(discipline, group=True),
        preferred_window=PREFERRED_WINDOWS.get(
            _most_common([p.time_of_day for p in prescriptions])
        ),
        weight=weight(discipline, group=True),
    )
    ref = ActivityRef(
        discipline=discipline,
        label=group.name,
        mode=SessionMode.GROUP,
        prescription_id=None,
        group_id=group.pk,
        episode_ids=tuple(number_of(p) for p in patients),
    )
    build.add(activity, ref)


def _length_notes(build: Build, members: list[Member], minutes: int) -> None:
    for member in members:
        if member.prescription.minutes != minutes:
            build.notes.append(
                _(
                    "%(bed)s: %(name)s is prescribed for %(own)s minutes; the group "
                    "meets for %(minutes)s."
                )
                % {
                    "bed": member.child.label,
                    "name": member.prescription.name,
                    "own": member.prescription.minutes,
                    "minutes": minutes,
                }
            )


def _most_common(values: list[_T]) -> _T:
    """The most frequent value; a tie goes to the largest."""
    counts = Counter(values)
    return max(counts, key=lambda v: (counts[v], v))


def unstaffed_drop(build: Build) -> None:
    """Leave out what nobody listed may give (the format refuses such an
    activity), with one note per discipline naming the beds."""
    able = Counter(person.discipline for person in build.staff.values())
    left: dict[str, list[str]] = defaultdict(list)
    for activity in list(build.activities.values()):
        if activity.eligible_staff is None and able[activity.discipline] < 1:
            ref = build.refs[activity.id]
            left[ref.label].extend(build.labels[p] for p in activity.patients)
            build.with_days(activity.id, set())
    for label, beds in left.items():
        build.notes.append(
            _("No one on the rota gives %(name)s: left out for %(beds)s.")
            % {"name": label, "beds": ", ".join(dict.fromkeys(beds))}
        )
