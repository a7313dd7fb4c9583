"""One child's outcomes over time, for the chart's Trajectory tab.

The page follows one episode: the latest with an inpatient stay (else the latest
one), so admission, discharge and follow-up visits mark the same journey as the
values. Everything leaves as frozen dataclasses; charts and templates never see a
model row.

A questionnaire's change compares its admission value with its discharge value
(the latest one while there is none), in the words of ``domain.outcomes``:
reliable change from the instrument's published reliability and the SD of the
program's admission values of that instrument (every episode's admission score,
one grouped query for the whole page; a T-score with fewer than two program values
takes SD 10, the T metric's by definition), meaningful improvement from the
published threshold, and "no published threshold" where there is none.

A fixed number of queries whatever the number of administrations, check-ins,
measures, goal reviews or body maps: each kind is read once. Notes of any kind,
and the notes of goal reviews, are never read here.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory
from painrehab.audit.services import record
from painrehab.careplans.choices import Attainment, GoalDomain, GoalStatus
from painrehab.careplans.selectors import goals_with_attainment
from painrehab.domain import outcomes as metrics
from painrehab.domain.scoring.definitions import Band
from painrehab.episodes.choices import FollowUpStatus
from painrehab.episodes.models import Episode, FollowUp, Stay
from painrehab.instruments import bodymap
from painrehab.instruments.choices import AdministrationStatus, TimePoint
from painrehab.instruments.models import (
    MEASURE_RANGES,
    Administration,
    BodyMap,
    ClinicianMeasure,
    DailyCheckIn,
    MeasureKind,
)
from painrehab.outcomes.change import (
    Change,
    Point,
    ProgramSd,
    better_words,
    change_of,
    change_words,
    day,
    num,
    program_admission_sd,
    signed,
    verdict,
)
from painrehab.outcomes.instruments import OutcomeSpec, spec
from painrehab.patients.access import patient_get_for_user
from painrehab.patients.models import Patient

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

Direction = metrics.Direction

# The questionnaire panels and their instruments, in the page's order.
PANELS: tuple[tuple[str, "StrOrPromise", tuple[str, ...]], ...] = (
    (
        "function",
        gettext_lazy("Function"),
        ("FDI-C", "FDI-P", "PROMIS-PED-MOB-8A", "PROMIS-PP-MOB-8A"),
    ),
    (
        "pain",
        gettext_lazy("Pain"),
        ("NRS", "PROMIS-PED-PAININT-8A", "PROMIS-PP-PAININT-8A"),
    ),
    ("fear", gettext_lazy("Fear and catastrophizing"), ("PCS-C", "PCS-P", "FOPQ-C-SF")),
    (
        "mood",
        gettext_lazy("Mood and anxiety"),
        (
            "CES-DC",
            "PROMIS-PED-DEP-8B",
            "PROMIS-PP-DEP-6A",
            "PROMIS-PED-ANX-8B",
            "PROMIS-PP-ANX-8A",
        ),
    ),
    (
        "sleep",
        gettext_lazy("Sleep and fatigue"),
        (
            "PROMIS-PED-SLEEP-8A",
            "PROMIS-PP-SLEEP-8A",
            "PROMIS-PED-FAT-10A",
            "PROMIS-PP-FAT-10A",
        ),
    ),
)
PANEL_CODES = tuple(code for _key, _title, codes in PANELS for code in codes)
T_BOUNDS = (20.0, 80.0)
MEASURES = (
    MeasureKind.SIX_MINUTE_WALK,
    MeasureKind.TIMED_UP_AND_GO,
    MeasureKind.SIT_TO_STAND_30S,
    MeasureKind.GRIP_LEFT,
    MeasureKind.GRIP_RIGHT,
)
# Farther, more and stronger are better; a faster timed up-and-go is better.
FASTER_IS_BETTER = frozenset({MeasureKind.TIMED_UP_AND_GO})
PAIN_MAX = 10.0
SLEEP_MAX = 16.0


# --- What the page shows -----------------------------------------------------


@dataclass(frozen=True)
class Marker:
    """A day of the journey, drawn as a vertical line on every chart."""

    on: date
    kind: str  # "admission", "discharge" or "follow_up"
    label: str


@dataclass(frozen=True)
class InstrumentSeries:
    code: str
    name: str
    respondent: str
    on_t: bool  # the values are T-scores
    low: float  # the y axis
    high: float
    bands: tuple[Band, ...]  # drawn on raw totals only
    direction: Direction
    points: tuple[Point, ...]
    change: Change | None
    words: str

    @property
    def better(self) -> str:
        return better_words(self.direction)

    @property
    def unit(self) -> str:
        return _("T-score") if self.on_t else _("Total")


@dataclass(frozen=True)
class WeekMean:
    week_of: date  # the Monday
    mean: float
    days: int
    low: float
    high: float


@dataclass(frozen=True)
class DailySeries:
    """One answer of the daily check-in: each day, and each week's mean."""

    key: str
    title: str
    unit: str
    low: float
    high: float
    direction: Direction | None  # None: more sleep is not simply better
    days: tuple[Point, ...]
    weeks: tuple[WeekMean, ...]
    words: str

    @property
    def better(self) -> str:
        return better_words(self.direction)


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    instruments: tuple[InstrumentSeries, ...]
    daily: tuple[DailySeries, ...]

    @property
    def has_data(self) -> bool:
        return bool(self.instruments or self.daily)


@dataclass(frozen=True)
class Attendance:
    on: date
    attended: float
    offered: int
    percent: float | None  # None when no day was offered


@dataclass(frozen=True)
class MeasureSeries:
    kind: str
    title: str
    unit: str
    low: float
    high: float
    direction: Direction
    points: tuple[Point, ...]
    words: str

    @property
    def better(self) -> str:
        return better_words(self.direction)


@dataclass(frozen=True)
class GoalReviewPoint:
    on: date
    score: int
    label: str


@dataclass(frozen=True)
class GoalLine:
    number: int
    words: str  # the child's words, else the target
    domain: str
    status: str
    reviews: tuple[GoalReviewPoint, ...]

    @property
    def name(self) -> str:
        return _("Goal %(number)s") % {"number": self.number}


@dataclass(frozen=True)
class BodyMapSnapshot:
    on: date
    codes: frozenset[str]
    labels: tuple[str, ...]


@dataclass(frozen=True)
class BodyMapComparison:
    """The first map on or after admission against the last on or before
    discharge (the latest while there is no discharge)."""

    admission: BodyMapSnapshot
    discharge: BodyMapSnapshot | None  # None: only one map so far
    at_discharge: bool  # else the latest map
    resolved: tuple[str, ...]
    new: tuple[str, ...]
    words: str


@dataclass(frozen=True)
class Trajectory:
    patient_id: int
    episode_id: int | None
    admitted_on: date | None
    discharged_on: date | None
    markers: tuple[Marker, ...]
    panels: tuple[Panel, ...]
    attendance: tuple[Attendance, ...]
    attendance_words: str
    measures: tuple[MeasureSeries, ...]
    goals: tuple[GoalLine, ...]
    body_map: BodyMapComparison | None

    @property
    def span(self) -> tuple[date, date] | None:
        """The first and last day on any chart: all charts share one time axis."""
        found = {m.on for m in self.markers}
        for panel in self.panels:
            for series in panel.instruments:
                found.update(p.on for p in series.points)
            for daily in panel.daily:
                found.update(p.on for p in daily.days)
        found.update(a.on for a in self.attendance)
        for measure in self.measures:
            found.update(p.on for p in measure.points)
        for goal in self.goals:
            found.update(r.on for r in goal.reviews)
        return (min(found), max(found)) if found else None

    @property
    def shown(self) -> list[str]:
        """Names of the parts with data (for the audit row: names, never values)."""
        parts = [p.key for p in self.panels if p.has_data]
        optional = {
            "attendance": bool(self.attendance),
            "measures": bool(self.measures),
            "goals": bool(self.goals),
            "body_map": self.body_map is not None,
        }
        return parts + [name for name, found in optional.items() if found]


# --- The episode and its markers ---------------------------------------------


def _stay(episode: Episode) -> Stay | None:
    try:
        return episode.stay
    except Stay.DoesNotExist:
        return None


def episode_followed(patient: Patient) -> Episode | None:
    """The latest episode with an inpatient stay, else the latest one."""
    episodes = list(
        Episode.objects.filter(patient=patient)
        .select_related("stay")
        .order_by("-opened_on", "-pk")
    )
    with_stay = [e for e in episodes if _stay(e) is not None]
    return next(iter(with_stay or episodes), None)


def _markers(stay: Stay | None, follow_ups: Iterable[FollowUp]) -> tuple[Marker, ...]:
    if stay is None:
        return ()
    found = [Marker(stay.admitted_on, "admission", _("Admission"))]
    if stay.discharged_on is not None:
        found.append(Marker(stay.discharged_on, "discharge", _("Discharge")))
    for visit in follow_ups:
        if visit.completed_on is not None:
            label = _("%(months)s-month follow-up") % {"months": visit.months_after}
            found.append(Marker(visit.completed_on, "follow_up", label))
    return tuple(found)


# --- Questionnaires ------------------------------------------------------------


def _administrations(episode: Episode) -> dict[str, list[Administration]]:
    """Scored, submitted administrations per code, oldest first; a submitted
    correction replaces what it corrects."""
    found = (
        Administration.objects.filter(
            episode=episode,
            status=AdministrationStatus.SUBMITTED,
            instrument_version__code__in=PANEL_CODES,
            score__scorable=True,
        )
        .exclude(corrections__status=AdministrationStatus.SUBMITTED)
        .select_related("instrument_version", "score")
        .order_by("answered_on", "submitted_at", "pk")
    )
    by_code: dict[str, list[Administration]] = defaultdict(list)
    for a in found:
        by_code[a.instrument_version.code].append(a)
    return by_code


def _time_point(a: Administration) -> str:
    label = str(TimePoint(a.time_point).label)
    if a.time_point in (TimePoint.WEEKLY, TimePoint.FOLLOW_UP):
        return f"{label} {a.time_point_index}"
    return label


def _points(found: Sequence[Administration], on_t: bool) -> list[tuple[str, Point]]:
    """(time point, point) of each administration with a value."""
    points = []
    for a in found:
        value = a.score.t_score if on_t else a.score.total
        if value is not None and a.answered_on is not None:
            point = Point(a.answered_on, value, _time_point(a), a.score.band)
            points.append((a.time_point, point))
    return points


def _pre_post(points: Sequence[tuple[str, Point]]) -> tuple[Point, Point, bool] | None:
    """The admission value, the discharge value (else the latest after the
    admission one) and whether it is the discharge one."""
    kinds = [kind for kind, _point in points]
    if TimePoint.ADMISSION not in kinds:
        return None
    first = kinds.index(TimePoint.ADMISSION)
    if TimePoint.DISCHARGE in kinds:
        return points[first][1], points[kinds.index(TimePoint.DISCHARGE)][1], True
    if first < len(points) - 1:
        return points[first][1], points[-1][1], False
    return None


def _no_change_words(outcome: OutcomeSpec, points: Sequence[tuple[str, Point]]) -> str:
    kinds = [kind for kind, _point in points]
    latest = points[-1][1]
    if TimePoint.ADMISSION in kinds:
        text = _("%(name)s: only the admission value so far (%(value)s on %(date)s).")
    else:
        text = _(
            "%(name)s: no admission value, so no change is reported (latest "
            "%(value)s on %(date)s)."
        )
    return text % {
        "name": outcome.name,
        "value": num(latest.value),
        "date": day(latest.on),
    }


def _axis(
    outcome: OutcomeSpec, on_t: bool, values: Sequence[float]
) -> tuple[float, float]:
    if not on_t:
        return outcome.low, outcome.high
    return min(T_BOUNDS[0], *values), max(T_BOUNDS[1], *values)


def instrument_series(
    code: str, found: Sequence[Administration], program: ProgramSd | None
) -> InstrumentSeries | None:
    outcome = spec(code)
    on_t = outcome.on_t and all(a.score.t_score is not None for a in found)
    points = _points(found, on_t)
    if not points:
        return None
    values = [p.value for _kind, p in points]
    pair = _pre_post(points)
    change = None
    if pair is not None:
        pre, post, at_discharge = pair
        change = change_of(
            outcome,
            on_t=on_t,
            pre=pre,
            post=post,
            post_is_discharge=at_discharge,
            program=program,
        )
    low, high = _axis(outcome, on_t, values)
    return InstrumentSeries(
        code=code,
        name=outcome.name,
        respondent=outcome.respondent,
        on_t=on_t,
        low=low,
        high=high,
        bands=() if on_t else outcome.bands,
        direction=outcome.direction,
        points=tuple(p for _kind, p in points),
        change=change,
        words=(
            change_words(outcome, change, on_t=on_t)
            if change is not None
            else _no_change_words(outcome, points)
        ),
    )


# --- The daily check-in --------------------------------------------------------


def _weeks(days: Sequence[Point]) -> tuple[WeekMean, ...]:
    by_week: dict[date, list[float]] = defaultdict(list)
    for p in days:
        by_week[p.on - timedelta(days=p.on.weekday())].append(p.value)
    return tuple(
        WeekMean(monday, sum(v) / len(v), len(v), min(v), max(v))
        for monday, v in sorted(by_week.items())
    )


def _daily_words(
    title: str, days: Sequence[Point], weeks: Sequence[WeekMean], better: str
) -> str:
    words = {
        "title": title,
        "days": len(days),
        "first": day(days[0].on),
        "last": day(days[-1].on),
        "start": num(weeks[0].mean),
        "end": num(weeks[-1].mean),
        "change": signed(weeks[-1].mean - weeks[0].mean),
        "better": f"; {better}" if better else "",
    }
    if len(weeks) == 1:
        text = _(
            "%(title)s: %(days)s days from %(first)s to %(last)s, mean %(start)s "
            "(one week so far%(better)s)."
        )
    else:
        text = _(
            "%(title)s: %(days)s days from %(first)s to %(last)s; the first "
            "week's mean was %(start)s and the last week's %(end)s (a change of "
            "%(change)s%(better)s)."
        )
    return text % words


def _daily(
    key: str,
    title: str,
    unit: str,
    high: float,
    direction: Direction | None,
    days: Sequence[Point],
) -> DailySeries | None:
    if not days:
        return None
    weeks = _weeks(days)
    words = _daily_words(title, days, weeks, better_words(direction))
    return DailySeries(
        key, title, unit, 0.0, high, direction, tuple(days), weeks, words
    )


def daily_series(episode: Episode) -> tuple[DailySeries | None, DailySeries | None]:
    """Pain now and hours of sleep from the daily check-ins (one query)."""
    rows = list(
        DailyCheckIn.objects.filter(episode=episode)
        .order_by("date")
        .values_list("date", "pain_now", "sleep_hours")
    )
    pain = [Point(on, float(value), "") for on, value, _sleep in rows]
    sleep = [Point(on, float(hours), "") for on, _pain, hours in rows]
    return (
        _daily(
            "pain_now",
            _("Pain now (daily check-in)"),
            _("0 to 10"),
            PAIN_MAX,
            Direction.LOWER_IS_BETTER,
            pain,
        ),
        _daily(
            "sleep_hours",
            _("Hours of sleep (daily check-in)"),
            _("hours"),
            SLEEP_MAX,
            None,
            sleep,
        ),
    )


# --- Clinician measures and school attendance ----------------------------------


def _attendance(rows: Sequence[ClinicianMeasure]) -> tuple[Attendance, ...]:
    return tuple(
        Attendance(
            m.measured_on,
            float(m.value),
            m.offered or 0,
            float(m.value) / m.offered * 100 if m.offered else None,
        )
        for m in rows
    )


def attendance_words(found: Sequence[Attendance]) -> str:
    if not found:
        return ""

    def one(a: Attendance) -> str:
        percent = f" ({num(a.percent, 0)}%)" if a.percent is not None else ""
        return _("%(attended)s of %(offered)s days%(percent)s on %(date)s") % {
            "attended": num(a.attended),
            "offered": a.offered,
            "percent": percent,
            "date": day(a.on),
        }

    if len(found) == 1:
        return _("School attendance: %(first)s.") % {"first": one(found[0])}
    return _("School attendance went from %(first)s to %(last)s.") % {
        "first": one(found[0]),
        "last": one(found[-1]),
    }


def _measure_words(
    title: str,
    unit: str,
    points: Sequence[Point],
    direction: Direction,
    stay: Stay | None,
) -> str:
    start = stay.admitted_on if stay is not None else None
    end = stay.discharged_on if stay is not None else None
    pre = next((p for p in points if start is None or p.on >= start), points[0])
    post = next((p for p in reversed(points) if end is None or p.on <= end), points[-1])
    if post.on <= pre.on:
        return _("%(title)s: %(value)s %(unit)s on %(date)s.") % {
            "title": title,
            "value": num(pre.value),
            "unit": unit,
            "date": day(pre.on),
        }
    better = metrics.improvement(pre.value, post.value, direction)
    return _(
        "%(title)s went from %(pre)s %(unit)s on %(pre_on)s to %(post)s %(unit)s "
        "on %(post_on)s (%(change)s %(unit)s), %(verdict)s (%(better)s). No "
        "published reliability or threshold is on file for this measure."
    ) % {
        "title": title,
        "pre": num(pre.value),
        "pre_on": day(pre.on),
        "post": num(post.value),
        "post_on": day(post.on),
        "unit": unit,
        "change": signed(post.value - pre.value),
        "verdict": verdict(better),
        "better": better_words(direction),
    }


def measure_series(
    rows: Sequence[ClinicianMeasure], stay: Stay | None
) -> tuple[MeasureSeries, ...]:
    by_kind: dict[str, list[Point]] = defaultdict(list)
    for m in rows:
        by_kind[m.kind].append(Point(m.measured_on, float(m.value), ""))
    found = []
    for kind in MEASURES:
        points = by_kind.get(kind)
        if not points:
            continue
        limits = MEASURE_RANGES[kind]
        direction = (
            Direction.LOWER_IS_BETTER
            if kind in FASTER_IS_BETTER
            else Direction.HIGHER_IS_BETTER
        )
        title = str(MeasureKind(kind).label)
        top = max(p.value for p in points)
        found.append(
            MeasureSeries(
                kind=kind,
                title=title,
                unit=limits.unit,
                low=0.0,
                high=min(float(limits.high), top * 1.25) or 1.0,
                direction=direction,
                points=tuple(points),
                words=_measure_words(title, limits.unit, points, direction, stay),
            )
        )
    return tuple(found)


# --- Goals and the body map ----------------------------------------------------


def goal_lines(episode: Episode) -> tuple[GoalLine, ...]:
    """Each goal with a review, in the plan's order (careplans selectors)."""
    lines: list[GoalLine] = []
    for found in goals_with_attainment(episode):
        goal = found.goal
        if not found.reviews:
            continue
        lines.append(
            GoalLine(
                number=len(lines) + 1,
                words=goal.child_words.strip() or goal.target,
                domain=str(GoalDomain(goal.domain).label),
                status=str(GoalStatus(goal.status).label),
                reviews=tuple(
                    GoalReviewPoint(
                        r.reviewed_on, r.score, str(Attainment(r.score).label)
                    )
                    for r in found.reviews
                ),
            )
        )
    return tuple(lines)


def _labels(codes: Iterable[str]) -> tuple[str, ...]:
    """Region names in the figure's order (front then back, head to foot)."""
    wanted = set(codes)
    return tuple(r.title for r in bodymap.REGIONS if r.code in wanted)


def _snapshot(found: tuple[date, list[str]]) -> BodyMapSnapshot:
    on, codes = found
    known = frozenset(c for c in codes if c in bodymap.REGION_BY_CODE)
    return BodyMapSnapshot(on, known, _labels(known))


def _list(labels: Sequence[str]) -> str:
    return ", ".join(labels) if labels else _("none")


def body_map_comparison(
    episode: Episode, stay: Stay | None
) -> BodyMapComparison | None:
    maps = list(
        BodyMap.objects.filter(episode=episode)
        .order_by("recorded_on", "pk")
        .values_list("recorded_on", "regions")
    )
    start = stay.admitted_on if stay is not None else None
    end = stay.discharged_on if stay is not None else None
    after = [m for m in maps if start is None or m[0] >= start]
    if not after:
        return None
    before = [m for m in after if end is None or m[0] <= end]
    first = _snapshot(after[0])
    last = _snapshot(before[-1]) if len(before) > 1 else None
    words = _("First map, %(date)s: %(regions)s.") % {
        "date": day(first.on),
        "regions": _list(first.labels),
    }
    if last is None:
        return BodyMapComparison(first, None, False, (), (), words)
    resolved = _labels(first.codes - last.codes)
    new = _labels(last.codes - first.codes)
    words += " " + _(
        "%(which)s, %(date)s: %(regions)s. No longer marked: %(resolved)s. "
        "Newly marked: %(new)s."
    ) % {
        "which": _("At discharge") if end is not None else _("Latest map"),
        "date": day(last.on),
        "regions": _list(last.labels),
        "resolved": _list(resolved),
        "new": _list(new),
    }
    return BodyMapComparison(first, last, end is not None, resolved, new, words)


# --- The whole page --------------------------------------------------------------


def _panels(
    by_code: dict[str, list[Administration]],
    program: dict[str, ProgramSd],
    daily: tuple[DailySeries | None, DailySeries | None],
) -> tuple[Panel, ...]:
    pain, sleep = daily
    extra = {"pain": (pain,), "sleep": (sleep,)}
    panels = []
    for key, title, codes in PANELS:
        series = [
            instrument_series(code, by_code[code], program.get(code))
            for code in codes
            if by_code.get(code)
        ]
        panels.append(
            Panel(
                key,
                str(title),
                tuple(s for s in series if s is not None),
                tuple(d for d in extra.get(key, ()) if d is not None),
            )
        )
    return tuple(panels)


def _empty(patient: Patient) -> Trajectory:
    return Trajectory(
        patient.pk,
        None,
        None,
        None,
        (),
        _panels({}, {}, (None, None)),
        (),
        "",
        (),
        (),
        None,
    )


def trajectory_build(*, patient: Patient) -> Trajectory:
    """Every series of the followed episode. ``patient`` comes through the funnel;
    nothing is audited here (``trajectory_get`` is the page's reader)."""
    episode = episode_followed(patient)
    if episode is None:
        return _empty(patient)
    stay = _stay(episode)
    follow_ups = FollowUp.objects.filter(
        episode=episode, status=FollowUpStatus.COMPLETED
    ).order_by("completed_on", "pk")
    by_code = _administrations(episode)
    measures = list(
        ClinicianMeasure.objects.filter(episode=episode).order_by("measured_on", "pk")
    )
    attendance = _attendance(
        [m for m in measures if m.kind == MeasureKind.SCHOOL_ATTENDANCE]
    )
    return Trajectory(
        patient_id=patient.pk,
        episode_id=episode.pk,
        admitted_on=stay.admitted_on if stay is not None else None,
        discharged_on=stay.discharged_on if stay is not None else None,
        markers=_markers(stay, follow_ups),
        panels=_panels(
            by_code, program_admission_sd(list(by_code)), daily_series(episode)
        ),
        attendance=attendance,
        attendance_words=attendance_words(attendance),
        measures=measure_series(measures, stay),
        goals=goal_lines(episode),
        body_map=body_map_comparison(episode, stay),
    )


def trajectory_get(*, user: User, patient_id: int) -> tuple[Patient, Trajectory]:
    """The patient (404 when not visible) and their trajectory, an audited read."""
    patient = patient_get_for_user(user=user, patient_id=patient_id)
    found = trajectory_build(patient=patient)
    record(
        action=AuditAction.TRAJECTORY_VIEWED,
        action_type=ActionType.READ,
        actor=user,
        patient_id=patient.pk,
        data_category=DataCategory.OUTCOMES,
        changes={"episode_id": found.episode_id, "shown": found.shown},
    )
    return patient, found
