"""The cohort table of one instrument: each time point, the paired change from
admission, effect sizes, responders and what is missing.

Per episode the value at a time point is its first submitted score at admission
(the baseline) and its latest one at every later time point, corrections
replacing what they correct (``selectors.scores``). Missing values are counted,
never imputed: a later time point compares only the episodes that have both.
"""

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from django.utils import timezone

from painrehab.domain import outcomes as metrics
from painrehab.episodes.models import FollowUp, StepDownPlan
from painrehab.instruments.choices import TimePoint
from painrehab.outcomes.instruments import OutcomeSpec, outcome_codes, spec
from painrehab.outcomes.selectors.display import (
    NONE,
    interval,
    num,
    proportion_text,
    with_ci,
)
from painrehab.outcomes.selectors.filters import (
    CohortEpisode,
    CohortFilter,
    cohort_episodes,
)
from painrehab.outcomes.selectors.scores import (
    TableValue,
    cohort_values,
    point_label,
    point_slug,
    point_sort_key,
)

# The instruments the dashboard always shows, with data or without.
KEY_INSTRUMENTS = ("FDI-C", "NRS", "PCS-C", "FOPQ-C-SF", "CES-DC")
# Time points of the cohort table (weekly scores belong to each child's chart).
TABLE_POINTS = frozenset(
    {
        TimePoint.ADMISSION,
        TimePoint.DISCHARGE,
        TimePoint.END_OF_STEP_DOWN,
        TimePoint.FOLLOW_UP,
    }
)
# The dashboard's compact summary: admission to discharge only.
SUMMARY_POINTS = frozenset({TimePoint.ADMISSION, TimePoint.DISCHARGE})
RAW_SUMS_NOTE = "raw sums; T-score tables not installed"
SOURCE_NOT_CONFIRMED = "source not confirmed"

PointKey = tuple[str, int]  # time point, index


@dataclass(frozen=True)
class PointRow:
    """One time point of the table; the change fields are empty at admission."""

    slug: str
    label: str
    summary: metrics.Summary
    change: metrics.PairedChange | None = None
    meaningful: metrics.Proportion | None = None  # None: no published threshold
    reliable: metrics.Proportion | None = None  # None: no published reliability
    missing: int = 0  # had an admission value, none here although due
    not_yet_due: int = 0  # had an admission value, none here, not due yet

    @property
    def mean_text(self) -> str:
        return num(self.summary.mean)

    @property
    def sd_text(self) -> str:
        return num(self.summary.sd)

    @property
    def median_text(self) -> str:
        return num(self.summary.median)

    @property
    def iqr_text(self) -> str:
        return interval(self.summary.q1, self.summary.q3)

    @property
    def change_text(self) -> str:
        c = self.change
        return NONE if c is None else with_ci(c.mean_change, c.ci_low, c.ci_high)

    @property
    def sd_change_text(self) -> str:
        return NONE if self.change is None else num(self.change.sd_change)

    @property
    def d_z_text(self) -> str:
        return NONE if self.change is None else num(self.change.d_z, 2)

    @property
    def g_text(self) -> str:
        c = self.change
        return NONE if c is None else with_ci(c.g, c.g_ci_low, c.g_ci_high, 2)

    @property
    def r_text(self) -> str:
        return NONE if self.change is None else num(self.change.r, 2)

    @property
    def meaningful_text(self) -> str:
        return proportion_text(self.meaningful)

    @property
    def reliable_text(self) -> str:
        return proportion_text(self.reliable)


@dataclass(frozen=True)
class CohortTable:
    code: str
    name: str
    respondent: str
    direction: metrics.Direction
    on_t_scores: bool
    units: str  # "T-scores", "raw totals" or "raw sums; T-score tables …"
    threshold: metrics.MeaningfulChange | None
    reliability: metrics.Reliability | None
    cohort_n: int  # episodes in the cohort, with or without this instrument
    rows: tuple[PointRow, ...]

    @property
    def admission(self) -> PointRow | None:
        return self.row("admission")

    @property
    def discharge(self) -> PointRow | None:
        return self.row("discharge")

    @property
    def has_data(self) -> bool:
        return any(r.summary.n for r in self.rows)

    @property
    def reliability_source(self) -> str:
        if self.reliability is None:
            return ""
        if self.reliability.verified:
            return self.reliability.source
        return f"{self.reliability.source} ({SOURCE_NOT_CONFIRMED})"

    @property
    def threshold_text(self) -> str:
        """``1 point or 12.5%``: the published threshold in words."""
        t = self.threshold
        if t is None:
            return ""
        parts = []
        if t.points is not None:
            parts.append(
                f"{t.points:g} " + ("T-points" if self.on_t_scores else "points")
            )
        if t.percent is not None:
            parts.append(f"{t.percent:g}%")
        return " or ".join(parts)

    def row(self, slug: str) -> PointRow | None:
        return next((r for r in self.rows if r.slug == slug), None)


@dataclass(frozen=True)
class Due:
    """When each episode's later time points fall due (from its own dates)."""

    step_down_ends: Mapping[int, dt.date]
    follow_ups: Mapping[tuple[int, int], dt.date]  # (episode, months) -> due

    def is_due(self, episode: CohortEpisode, key: PointKey, today: dt.date) -> bool:
        time_point, index = key
        if time_point == TimePoint.END_OF_STEP_DOWN:
            end = self.step_down_ends.get(episode.episode_id)
        elif time_point == TimePoint.FOLLOW_UP:
            end = self.follow_ups.get((episode.episode_id, index))
        else:
            end = episode.discharged_on
        return end is None or end <= today


def due_dates(
    filters: CohortFilter, episode_ids: Collection[int], points: Collection[str]
) -> Due:
    """Step-down ends and follow-up due dates (two queries over the period); none
    needed when ``points`` stop at discharge (due on the discharge day)."""
    if not set(points) - SUMMARY_POINTS:
        return Due(step_down_ends={}, follow_ups={})
    period = (filters.date_from, filters.date_to)
    wanted = set(episode_ids)
    plans = StepDownPlan.objects.filter(
        episode__stay__discharged_on__range=period
    ).values_list("episode_id", "starts_on", "weeks")
    follow_ups = FollowUp.objects.filter(
        episode__stay__discharged_on__range=period
    ).values_list("episode_id", "months_after", "due_on")
    return Due(
        step_down_ends={
            e: start + dt.timedelta(weeks=weeks)
            for e, start, weeks in plans
            if e in wanted
        },
        follow_ups={(e, m): due for e, m, due in follow_ups if e in wanted},
    )


def _uses_t_scores(outcome: OutcomeSpec, rows: Sequence[TableValue]) -> bool:
    if not outcome.on_t:
        return False
    return all(t is not None for *_, total, t in rows if total is not None)


def _values(
    outcome: OutcomeSpec, rows: Sequence[TableValue], on_t: bool
) -> dict[PointKey, dict[int, float]]:
    """Per time point, per episode: the first admission value, else the latest
    (``rows`` are one instrument's, oldest first)."""
    values: dict[PointKey, dict[int, float]] = {}
    for episode_id, _code, time_point, index, total, t_score in rows:
        value = outcome.value(total, t_score) if on_t else total
        if value is None:
            continue
        point = values.setdefault((time_point, index), {})
        if time_point == TimePoint.ADMISSION and episode_id in point:
            continue
        point[episode_id] = value
    return values


def _meaningful(
    outcome: OutcomeSpec,
    pairs: Sequence[tuple[float, float]],
    threshold: metrics.MeaningfulChange | None,
) -> metrics.Proportion | None:
    if threshold is None:
        return None
    k = sum(
        metrics.is_meaningful(pre, post, outcome.direction, threshold)
        for pre, post in pairs
    )
    return metrics.proportion(k, len(pairs))


def _reliable(
    outcome: OutcomeSpec, pairs: Sequence[tuple[float, float]], sd_pre: float | None
) -> metrics.Proportion | None:
    if outcome.reliability is None or not sd_pre:
        return None
    r = outcome.reliability.r
    k = sum(
        metrics.is_reliable(
            metrics.reliable_change_index(pre, post, sd_pre=sd_pre, reliability=r)
        )
        and outcome.improved(post - pre)
        for pre, post in pairs
    )
    return metrics.proportion(k, len(pairs))


@dataclass(frozen=True)
class _Context:
    outcome: OutcomeSpec
    threshold: metrics.MeaningfulChange | None
    baseline: Mapping[int, float]
    sd_pre: float | None
    episodes: Mapping[int, CohortEpisode]
    due: Due
    today: dt.date


def _later_row(ctx: _Context, key: PointKey, here: Mapping[int, float]) -> PointRow:
    pairs = [(pre, here[e]) for e, pre in ctx.baseline.items() if e in here]
    absent = [ctx.episodes[e] for e in ctx.baseline if e not in here]
    due = sum(ctx.due.is_due(e, key, ctx.today) for e in absent)
    return PointRow(
        slug=point_slug(*key),
        label=point_label(*key),
        summary=metrics.describe(list(here.values())),
        change=metrics.paired_change([p for p, _ in pairs], [q for _, q in pairs]),
        meaningful=_meaningful(ctx.outcome, pairs, ctx.threshold),
        reliable=_reliable(ctx.outcome, pairs, ctx.sd_pre),
        missing=due,
        not_yet_due=len(absent) - due,
    )


def _units(outcome: OutcomeSpec, on_t: bool) -> str:
    if on_t:
        return "T-scores"
    return RAW_SUMS_NOTE if outcome.on_t else "raw totals"


def build_table(
    code: str,
    rows: Sequence[TableValue],
    episodes: Sequence[CohortEpisode],
    due: Due,
    today: dt.date,
) -> CohortTable:
    """The table of ``code`` from its already fetched rows (no query)."""
    outcome = spec(code)
    on_t = _uses_t_scores(outcome, rows)
    values = _values(outcome, rows, on_t)
    baseline = values.get((TimePoint.ADMISSION, 0), {})
    admission = metrics.describe(list(baseline.values()))
    ctx = _Context(
        outcome=outcome,
        threshold=outcome.threshold_for(on_t_scores=on_t),
        baseline=baseline,
        sd_pre=admission.sd,
        episodes={e.episode_id: e for e in episodes},
        due=due,
        today=today,
    )
    later = sorted(
        (k for k in values if k[0] != TimePoint.ADMISSION),
        key=lambda k: point_sort_key(*k),
    )
    first = PointRow("admission", point_label(TimePoint.ADMISSION, 0), admission)
    return CohortTable(
        code=outcome.code,
        name=outcome.name,
        respondent=outcome.respondent,
        direction=outcome.direction,
        on_t_scores=on_t,
        units=_units(outcome, on_t),
        threshold=ctx.threshold,
        reliability=outcome.reliability,
        cohort_n=len(episodes),
        rows=(first, *(_later_row(ctx, k, values[k]) for k in later)),
    )


def table_codes(present: Collection[str]) -> list[str]:
    """The key instruments, then every other outcome instrument with data."""
    others = [c for c in outcome_codes() if c in present and c not in KEY_INSTRUMENTS]
    return [*KEY_INSTRUMENTS, *others]


def is_outcome_code(code: str) -> bool:
    return code in outcome_codes()


def cohort_tables(
    *,
    filters: CohortFilter,
    episodes: Sequence[CohortEpisode],
    codes: Collection[str] | None = None,
    points: Collection[str] = TABLE_POINTS,
    today: dt.date | None = None,
) -> list[CohortTable]:
    """Tables of ``codes`` (default: ``table_codes``) at ``points``, in at most
    three queries in all."""
    today = today or timezone.localdate()
    ids = [e.episode_id for e in episodes]
    by_code: dict[str, list[TableValue]] = {}
    for row in cohort_values(filters, ids, codes=codes, points=points):
        by_code.setdefault(row[1], []).append(row)
    due = due_dates(filters, ids, points)
    wanted = list(codes) if codes is not None else table_codes(by_code)
    return [
        build_table(code, by_code.get(code, []), episodes, due, today)
        for code in wanted
    ]


def cohort_table_get(
    *, filters: CohortFilter, code: str, today: dt.date | None = None
) -> CohortTable:
    """The table of one outcome instrument; ``KeyError`` for any other code."""
    if not is_outcome_code(code):
        raise KeyError(code)
    episodes = cohort_episodes(filters)
    return cohort_tables(filters=filters, episodes=episodes, codes=[code], today=today)[
        0
    ]
