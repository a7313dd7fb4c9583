"""The scores a cohort figure is computed from, read in one query for the cohort.

The rule is the chart's (``instruments.selectors.administration_history``): only
submitted administrations count, and one whose correction has been submitted is
replaced by the correction. Rows come oldest first (answered, submitted, id).
"""

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from painrehab.instruments.choices import AdministrationStatus, TimePoint
from painrehab.instruments.models import Administration
from painrehab.outcomes.selectors.filters import CohortFilter

# Where a time point sits in the journey, for ordering.
POINT_ORDER = {
    TimePoint.ADMISSION: 0,
    TimePoint.WEEKLY: 1,
    TimePoint.DISCHARGE: 2,
    TimePoint.END_OF_STEP_DOWN: 3,
    TimePoint.FOLLOW_UP: 4,
}
INDEXED_POINTS = frozenset({TimePoint.WEEKLY, TimePoint.FOLLOW_UP})


def point_slug(time_point: str, index: int) -> str:
    """``admission``, ``weekly_2``, ``discharge``, ``end_of_step_down``,
    ``follow_up_3``: the time point's name in tables, JSON and the export."""
    return f"{time_point}_{index}" if time_point in INDEXED_POINTS else time_point


def point_sort_key(time_point: str, index: int) -> tuple[int, int]:
    return POINT_ORDER.get(TimePoint(time_point), 9), index


def point_label(time_point: str, index: int) -> str:
    label = str(TimePoint(time_point).label)
    if time_point == TimePoint.FOLLOW_UP:
        return f"{label} {index} mo"
    if time_point == TimePoint.WEEKLY:
        return f"{label} {index}"
    return label


@dataclass(frozen=True)
class ScoreRow:
    """One current score of one episode (no names, no free text)."""

    administration_id: int
    episode_id: int
    code: str
    time_point: str
    time_point_index: int
    respondent: str
    answered_on: dt.date
    total: float | None
    t_score: float | None
    scales: dict[str, Any]  # Score.scales (only when asked for)

    @property
    def slug(self) -> str:
        return point_slug(self.time_point, self.time_point_index)


FIELDS = (
    "pk",
    "episode_id",
    "instrument_version__code",
    "time_point",
    "time_point_index",
    "respondent_kind",
    "answered_on",
    "corrects_id",
    "score__total",
    "score__t_score",
)


def _current(rows: Iterable[tuple[Any, ...]], with_scales: bool) -> list[ScoreRow]:
    fetched = list(rows)
    corrected = {row[7] for row in fetched if row[7] is not None}
    return [
        ScoreRow(
            administration_id=row[0],
            episode_id=row[1],
            code=row[2],
            time_point=row[3],
            time_point_index=row[4],
            respondent=row[5],
            answered_on=row[6],
            total=row[8],
            t_score=row[9],
            scales=(row[10] or {}) if with_scales else {},
        )
        for row in fetched
        if row[0] not in corrected
    ]


def cohort_scores(
    filters: CohortFilter,
    episode_ids: Collection[int],
    *,
    codes: Collection[str] | None = None,
    with_scales: bool = False,
) -> list[ScoreRow]:
    """Current scores of ``episode_ids`` (episodes discharged in the period).

    The query selects by the period, not by a list of ids, so it stays one query
    of the same shape whatever the cohort's size; the other filters apply here.
    """
    administrations = Administration.objects.filter(
        status=AdministrationStatus.SUBMITTED,
        episode__stay__discharged_on__range=(filters.date_from, filters.date_to),
    )
    if codes is not None:
        administrations = administrations.filter(instrument_version__code__in=codes)
    fields = (*FIELDS, "score__scales") if with_scales else FIELDS
    rows = administrations.order_by("answered_on", "submitted_at", "pk").values_list(
        *fields
    )
    wanted = set(episode_ids)
    return [r for r in _current(rows, with_scales) if r.episode_id in wanted]


# episode, instrument code, time point, index, total, T-score
TableValue = tuple[int, str, str, int, float | None, float | None]


def cohort_values(
    filters: CohortFilter,
    episode_ids: Collection[int],
    *,
    codes: Collection[str] | None = None,
    points: Collection[str],
) -> list[TableValue]:
    """``cohort_scores`` reduced to what a cohort table needs, as plain tuples:
    the same rule and order, only at ``points``, without dates or scales (5,000
    episodes means tens of thousands of rows, and each converted field costs).
    A correction has its original's time point, so both are fetched together."""
    administrations = Administration.objects.filter(
        status=AdministrationStatus.SUBMITTED,
        episode__stay__discharged_on__range=(filters.date_from, filters.date_to),
        time_point__in=sorted(points),
    )
    if codes is not None:
        administrations = administrations.filter(instrument_version__code__in=codes)
    rows = list(
        administrations.order_by("answered_on", "submitted_at", "pk").values_list(
            "pk",
            "corrects_id",
            "episode_id",
            "instrument_version__code",
            "time_point",
            "time_point_index",
            "score__total",
            "score__t_score",
        )
    )
    corrected = {row[1] for row in rows if row[1] is not None}
    wanted = set(episode_ids)
    return [row[2:] for row in rows if row[0] not in corrected and row[2] in wanted]
