"""What the latest finished run(s) of a week could not place, and why."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import F, Prefetch, Q, QuerySet

from painrehab.accounts.choices import Discipline
from painrehab.accounts.models import User
from painrehab.episodes.models import Episode
from painrehab.episodes.selectors.census import short_name
from painrehab.scheduling.choices import RunStatus
from painrehab.scheduling.models import Room, SolveRun, TherapyGroup, UnscheduledItem
from painrehab.scheduling.selectors_boards.common import (
    ChildRef,
    audit_list,
    child_ref,
    visible_to,
)
from painrehab.scheduling.selectors_boards.grid import SCHOOL_DAYS, WEEK, monday_of

# Runs whose results stand: a week's solve, or a repair the coordinator accepted.
FINISHED = (RunStatus.DONE, RunStatus.APPLIED)

FORMAT_ID = re.compile(r"\b([uerg])(\d+)((?:/[A-Z_]+)(?:/\d+)?)?\b")


@dataclass(frozen=True)
class UnscheduledLine:
    day: date
    children: tuple[ChildRef, ...]
    discipline: str
    label: str
    count: int
    reason: str


@dataclass(frozen=True)
class UnscheduledWeek:
    monday: date
    runs: tuple[SolveRun, ...]
    days_without_run: tuple[date, ...]
    lines: tuple[UnscheduledLine, ...]

    @property
    def previous(self) -> date:
        return self.monday - timedelta(days=WEEK)

    @property
    def next(self) -> date:
        return self.monday + timedelta(days=WEEK)


def _latest_runs(monday: date) -> dict[date, SolveRun]:
    """For each day of the week, the latest finished run that covers it."""
    sunday = monday + timedelta(days=WEEK - 1)
    runs = list(
        SolveRun.objects.filter(
            status__in=FINISHED, first_day__lte=sunday, last_day__gte=monday
        ).order_by(F("finished_at").desc(nulls_last=True), "-pk")
    )
    latest: dict[date, SolveRun] = {}
    for day in (monday + timedelta(days=n) for n in range(WEEK)):
        run = next((r for r in runs if r.first_day <= day <= r.last_day), None)
        if run is not None:
            latest[day] = run
    return latest


def _episodes(user: User) -> "QuerySet[Episode]":
    return (
        Episode.objects.select_related("patient", "stay__bed")
        .annotate(patient_visible=visible_to(user, "patient_id"))
        .order_by("pk")
    )


def _names(user: User, reasons: Iterable[str]) -> dict[str, str]:
    """Names for the format's ids in ``reasons``: staff, rooms, groups, children."""
    wanted: dict[str, set[int]] = {"u": set(), "r": set(), "g": set(), "e": set()}
    for reason in reasons:
        for kind, pk, _rest in FORMAT_ID.findall(reason):
            wanted[kind].add(int(pk))
    names: dict[str, str] = {}
    if wanted["u"]:
        for person in User.objects.filter(pk__in=wanted["u"]):
            names[f"u{person.pk}"] = short_name(person)
    if wanted["r"]:
        for room in Room.objects.filter(pk__in=wanted["r"]):
            names[f"r{room.pk}"] = room.name
    if wanted["g"]:
        for group in TherapyGroup.objects.filter(pk__in=wanted["g"]):
            names[f"g{group.pk}"] = group.name
    if wanted["e"]:
        for episode in _episodes(user).filter(pk__in=wanted["e"]):
            ref = child_ref(episode, visible=episode.patient_visible)  # type: ignore[attr-defined]
            names[f"e{episode.pk}"] = ref.shown
    return names


def readable(reason: str, names: dict[str, str]) -> str:
    """The solver's reason with the format's ids replaced by names where known:
    "no PT staff available while e7 free" → "… while Bed 4 free"."""

    def name(match: re.Match[str]) -> str:
        kind, pk, rest = match.groups()
        known = names.get(f"{kind}{pk}")
        if known is None:
            return match.group(0)
        code = (rest or "/").split("/")[1]
        if kind == "e" and code in Discipline.values:
            return f"{known} ({Discipline(code).label})"
        return known

    return FORMAT_ID.sub(name, reason)


def unscheduled_week(*, user: User, week: date) -> UnscheduledWeek:
    """What the latest finished run(s) of the week could not place, and why."""
    monday = monday_of(week)
    latest = _latest_runs(monday)
    chosen = Q(pk__in=[])
    for day, run in latest.items():
        chosen |= Q(run=run, day=day)
    items = list(
        UnscheduledItem.objects.filter(chosen)
        .prefetch_related(Prefetch("episodes", queryset=_episodes(user)))
        .order_by("day", "discipline", "label", "pk")
    )
    names = _names(user, (item.reason for item in items))
    lines = tuple(
        UnscheduledLine(
            day=item.day,
            children=tuple(
                child_ref(e, visible=e.patient_visible)  # type: ignore[attr-defined]
                for e in item.episodes.all()
            ),
            discipline=str(item.get_discipline_display()),
            label=item.label,
            count=item.count,
            reason=readable(item.reason, names),
        )
        for item in items
    )
    runs = {run.pk: run for run in latest.values()}
    result = UnscheduledWeek(
        monday=monday,
        runs=tuple(sorted(runs.values(), key=lambda r: r.first_day)),
        days_without_run=tuple(
            monday + timedelta(days=n)
            for n in range(SCHOOL_DAYS)
            if monday + timedelta(days=n) not in latest
        ),
        lines=lines,
    )
    shown = [c for line in lines for c in line.children]
    audit_list(user, "unscheduled", shown, week=monday.isoformat())
    return result
