"""The program's figures for the director: activity, stays, school, follow-up.

Each figure comes with how it was computed and from how many patients. Every one
is read with a fixed number of queries over the period and counted in Python.
"""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from painrehab.domain import outcomes as metrics
from painrehab.episodes.choices import FollowUpStatus, Transition
from painrehab.episodes.models import Bed, FollowUp, PhaseChange, Stay
from painrehab.instruments.models import ClinicianMeasure, MeasureKind
from painrehab.outcomes.selectors.cohort import (
    SUMMARY_POINTS,
    CohortTable,
    cohort_tables,
)
from painrehab.outcomes.selectors.figures import (
    CountFigure,
    DaysFigure,
    OccupancyFigure,
    ProgramFigures,
    ProportionFigure,
)
from painrehab.outcomes.selectors.filters import (
    CohortEpisode,
    CohortFilter,
    period_episodes,
)


@dataclass(frozen=True)
class Dashboard:
    filters: CohortFilter
    cohort_n: int
    figures: ProgramFigures
    tables: tuple[CohortTable, ...]


def _admissions(admitted: Sequence[CohortEpisode]) -> CountFigure:
    return CountFigure(
        label=_("Admissions"),
        how=_(
            "Inpatient stays whose admission date falls in the period, after the "
            "diagnosis, age and sex filters."
        ),
        n=len(admitted),
    )


def _night_count(
    admitted: dt.date, discharged: dt.date | None, start: dt.date, end: dt.date
) -> int:
    """Nights in [start, end] spent in a bed (the discharge day's night is not)."""
    first = max(admitted, start)
    after = min(discharged or end + dt.timedelta(days=1), end + dt.timedelta(days=1))
    return max((after - first).days, 0)


def _occupancy(filters: CohortFilter, today: dt.date) -> OccupancyFigure:
    end = min(filters.date_to, today)
    stays = list(
        Stay.objects.filter(admitted_on__lte=end)
        .filter(Q(discharged_on__isnull=True) | Q(discharged_on__gte=filters.date_from))
        .values_list("admitted_on", "discharged_on")
    )
    bed_days = sum(_night_count(a, d, filters.date_from, end) for a, d in stays)
    beds = Bed.objects.filter(active=True).count()
    days = max((end - filters.date_from).days + 1, 0)
    capacity = beds * days
    return OccupancyFigure(
        label=_("Occupancy"),
        how=_(
            "Occupied bed-days (one per night a child slept in a bed) divided by "
            "active beds today × days in the period up to today. The whole unit: "
            "the diagnosis, age and sex filters do not apply."
        ),
        bed_days=bed_days,
        beds=beds,
        days=days,
        rate=bed_days / capacity if capacity else None,
        n=len(stays),
    )


def _length_of_stay(cohort: Sequence[CohortEpisode]) -> DaysFigure:
    days = [e.length_of_stay for e in cohort if e.length_of_stay is not None]
    return DaysFigure(
        label=_("Length of stay"),
        how=_(
            "Discharge date minus admission date, in days, for every stay that "
            "ended in the period (median, quartiles by the linear method, mean)."
        ),
        summary=metrics.describe([float(d) for d in days]),
    )


def _waitlist_dates(
    filters: CohortFilter, admitted: Sequence[CohortEpisode]
) -> dict[int, dt.date]:
    """When each admitted episode joined the waitlist.

    ``WaitlistEntry`` is removed at admission, so the date comes from the
    "waitlist" step of the episode's history: its ``accepted_on`` detail when one
    was recorded, else the day the step was taken.
    """
    ids = {e.episode_id for e in admitted}
    tz = timezone.get_current_timezone()
    steps = (
        PhaseChange.objects.filter(
            transition=Transition.WAITLIST,
            episode__stay__admitted_on__range=(filters.date_from, filters.date_to),
        )
        .order_by("at", "pk")
        .values_list("episode_id", "at", "details__accepted_on")
    )
    dates: dict[int, dt.date] = {}
    for episode_id, at, recorded in steps:
        if episode_id in ids and episode_id not in dates:
            dates[episode_id] = (
                dt.date.fromisoformat(recorded)
                if recorded
                else at.astimezone(tz).date()
            )
    return dates


def _waitlist(filters: CohortFilter, admitted: Sequence[CohortEpisode]) -> DaysFigure:
    joined = _waitlist_dates(filters, admitted)
    waits = [
        (e.admitted_on - joined[e.episode_id]).days
        for e in admitted
        if e.episode_id in joined
    ]
    valid = [float(w) for w in waits if w >= 0]
    return DaysFigure(
        label=_("Time on the waitlist"),
        how=_(
            "Days from joining the waitlist (accepted) to admission, for the "
            "admissions in the period; a child admitted before the recorded waitlist "
            "date (entered late) is left out and counted."
        ),
        summary=metrics.describe(valid),
        excluded=len(waits) - len(valid),
    )


@dataclass(frozen=True)
class _Visit:
    """The first follow-up visit of an episode, as far as it has happened."""

    seen_on: dt.date | None  # completed_on of the first completed follow-up
    due: bool  # some follow-up was due by today


def _follow_up_rows(filters: CohortFilter) -> list[tuple[int, int, Any, Any, Any]]:
    period = (filters.date_from, filters.date_to)
    return list(
        FollowUp.objects.filter(episode__stay__discharged_on__range=period)
        .order_by("months_after", "pk")
        .values_list("episode_id", "months_after", "due_on", "status", "completed_on")
    )


def _visits(
    rows: Iterable[tuple[int, int, Any, Any, Any]], today: dt.date
) -> dict[int, _Visit]:
    visits: dict[int, _Visit] = {}
    for episode_id, _months, due_on, status, completed_on in rows:
        known = visits.get(episode_id, _Visit(None, False))
        if known.seen_on is not None:
            continue
        seen = completed_on if status == FollowUpStatus.COMPLETED else None
        visits[episode_id] = _Visit(seen, known.due or due_on <= today)
    return visits


# measured on, days attended, days offered
Measure = tuple[dt.date, Decimal, int | None]


def _attendance(filters: CohortFilter) -> dict[int, list[Measure]]:
    """School-attendance measures per episode, oldest first; a week with no school
    days offered says nothing about attendance and is left out."""
    rows = (
        ClinicianMeasure.objects.filter(
            kind=MeasureKind.SCHOOL_ATTENDANCE,
            episode__stay__discharged_on__range=(filters.date_from, filters.date_to),
            offered__gt=0,
        )
        .order_by("measured_on", "pk")
        .values_list("episode_id", "measured_on", "value", "offered")
    )
    measures: dict[int, list[Measure]] = {}
    for episode_id, on, value, offered in rows:
        measures.setdefault(episode_id, []).append((on, value, offered))
    return measures


def _full_days(measure: Measure) -> bool:
    _on, value, offered = measure
    return value == offered


def _school_at_discharge(
    cohort: Sequence[CohortEpisode], measures: Mapping[int, list[Measure]]
) -> ProportionFigure:
    found = []
    for e in cohort:
        before = [
            m
            for m in measures.get(e.episode_id, [])
            if e.discharged_on is not None and m[0] <= e.discharged_on
        ]
        if before:
            found.append(_full_days(before[-1]))
    return ProportionFigure(
        label=_("Attending full school days at discharge"),
        how=_(
            "The last school-attendance measure on or before the discharge day: "
            "days attended equal to days offered. Children without one are counted "
            "as missing, not imputed. 95% Wilson interval."
        ),
        proportion=metrics.proportion(sum(found), len(found)),
        missing=len(cohort) - len(found),
    )


def _school_at_follow_up(
    cohort: Sequence[CohortEpisode],
    measures: Mapping[int, list[Measure]],
    visits: Mapping[int, _Visit],
) -> ProportionFigure:
    found, missing, not_due = [], 0, 0
    for e in cohort:
        visit = visits.get(e.episode_id, _Visit(None, False))
        after = [
            m
            for m in measures.get(e.episode_id, [])
            if visit.seen_on is not None and m[0] >= visit.seen_on
        ]
        if after:
            found.append(_full_days(after[0]))
        elif visit.seen_on is None and not visit.due:
            not_due += 1
        else:
            missing += 1
    return ProportionFigure(
        label=_("Attending full school days at follow-up"),
        how=_(
            "The first school-attendance measure on or after the first completed "
            "follow-up visit: days attended equal to days offered. Children whose "
            "visit is not due yet are left out; those without a visit or a measure "
            "are counted as missing, not imputed. 95% Wilson interval."
        ),
        proportion=metrics.proportion(sum(found), len(found)),
        missing=missing,
        not_yet_due=not_due,
    )


def _follow_up_completion(
    cohort: Sequence[CohortEpisode],
    rows: Iterable[tuple[int, int, Any, Any, Any]],
    today: dt.date,
) -> ProportionFigure:
    ids = {e.episode_id for e in cohort}
    due = [
        status
        for episode_id, _m, due_on, status, _c in rows
        if episode_id in ids and due_on <= today and status != FollowUpStatus.CANCELLED
    ]
    completed = sum(s == FollowUpStatus.COMPLETED for s in due)
    return ProportionFigure(
        label=_("Follow-up visits completed"),
        how=_(
            "Clinic follow-ups of the cohort due by today: completed ÷ (completed + "
            "missed + still scheduled past their due date); cancelled visits are "
            "left out. n counts visits, not children. 95% Wilson interval."
        ),
        proportion=metrics.proportion(completed, len(due)),
        counts="visits",
    )


def program_figures(
    *,
    filters: CohortFilter,
    cohort: Sequence[CohortEpisode],
    admitted: Sequence[CohortEpisode],
    today: dt.date,
) -> ProgramFigures:
    follow_ups = _follow_up_rows(filters)
    measures = _attendance(filters)
    return ProgramFigures(
        admissions=_admissions(admitted),
        occupancy=_occupancy(filters, today),
        length_of_stay=_length_of_stay(cohort),
        waitlist=_waitlist(filters, admitted),
        school_discharge=_school_at_discharge(cohort, measures),
        school_follow_up=_school_at_follow_up(
            cohort, measures, _visits(follow_ups, today)
        ),
        follow_up_completion=_follow_up_completion(cohort, follow_ups, today),
    )


def dashboard_get(*, filters: CohortFilter, today: dt.date | None = None) -> Dashboard:
    """Everything the dashboard shows, in a fixed number of queries."""
    today = today or timezone.localdate()
    cohort, admitted = period_episodes(filters)
    return Dashboard(
        filters=filters,
        cohort_n=len(cohort),
        figures=program_figures(
            filters=filters, cohort=cohort, admitted=admitted, today=today
        ),
        tables=tuple(
            cohort_tables(
                filters=filters, episodes=cohort, points=SUMMARY_POINTS, today=today
            )
        ),
    )
