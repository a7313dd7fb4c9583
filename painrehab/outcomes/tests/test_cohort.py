"""The cohort table of one instrument, checked against numbers computed here
independently (numpy, scipy) from the same scores."""

import datetime as dt
import math

import numpy as np
import pytest
from scipy import stats

from painrehab.instruments.choices import TimePoint
from painrehab.outcomes.selectors import CohortFilter, cohort_table_get
from painrehab.outcomes.selectors.cohort import RAW_SUMS_NOTE
from painrehab.outcomes.tests.cohort_support import (
    closed_episode,
    correct,
    score,
    today,
)

pytestmark = pytest.mark.django_db

DISCHARGE = TimePoint.DISCHARGE
FOLLOW_UP = TimePoint.FOLLOW_UP


def _days_ago(n: int) -> dt.date:
    return today() - dt.timedelta(days=n)


def _cohort(pairs: list[tuple[int, int | None]], code: str = "FDI-C") -> None:
    """One closed episode per (admission, discharge) pair of totals."""
    for pre, post in pairs:
        episode = closed_episode(admitted_days_ago=40)
        score(episode, code, pre, on=_days_ago(40))
        if post is not None:
            score(episode, code, post, time_point=DISCHARGE, on=_days_ago(13))


def _hedges_g(pre: np.ndarray, post: np.ndarray) -> tuple[float, float, float]:
    """Borenstein et al. (2009) ch. 4, matched groups, written out again here."""
    n = len(pre)
    diff = post - pre
    r = np.corrcoef(pre, post)[0, 1]
    s_within = diff.std(ddof=1) / math.sqrt(2 * (1 - r))
    d = diff.mean() / s_within
    v_d = (1 / n + d**2 / (2 * n)) * 2 * (1 - r)
    j = 1 - 3 / (4 * (n - 1) - 1)
    g, se = j * d, math.sqrt(j**2 * v_d)
    return g, g - 1.96 * se, g + 1.96 * se


def test_time_points_and_paired_change_match_an_independent_computation() -> None:
    pairs = [(30, 10), (24, 12), (40, 22), (18, 16), (35, None)]
    _cohort(pairs)

    table = cohort_table_get(filters=CohortFilter.default(), code="FDI-C")

    admission = np.array([p for p, _ in pairs], dtype=float)
    pre = np.array([p for p, q in pairs if q is not None], dtype=float)
    post = np.array([q for _, q in pairs if q is not None], dtype=float)
    first, discharge = table.admission, table.discharge
    assert first is not None and discharge is not None
    assert table.cohort_n == 5
    assert first.summary.n == 5
    assert first.summary.mean == pytest.approx(admission.mean())
    assert first.summary.sd == pytest.approx(admission.std(ddof=1))
    assert first.summary.median == pytest.approx(np.median(admission))
    assert first.summary.q1 == pytest.approx(np.percentile(admission, 25))
    assert first.summary.q3 == pytest.approx(np.percentile(admission, 75))
    assert discharge.summary.n == 4
    assert discharge.summary.sd == pytest.approx(post.std(ddof=1))
    change = discharge.change
    assert change is not None
    ci = stats.ttest_rel(post, pre).confidence_interval()
    assert change.n == 4
    assert change.mean_change == pytest.approx((post - pre).mean())
    assert (change.ci_low, change.ci_high) == pytest.approx((ci.low, ci.high))
    assert change.d_z == pytest.approx((post - pre).mean() / (post - pre).std(ddof=1))
    assert (change.g, change.g_ci_low, change.g_ci_high) == pytest.approx(
        _hedges_g(pre, post)
    )
    assert discharge.missing == 1 and discharge.not_yet_due == 0


def test_reliable_improvement_uses_the_cohorts_admission_sd() -> None:
    pairs = [(30, 10), (24, 22), (40, 22), (18, 16)]
    _cohort(pairs)

    table = cohort_table_get(filters=CohortFilter.default(), code="FDI-C")

    sd_pre = np.std([p for p, _ in pairs], ddof=1)
    s_diff = math.sqrt(2) * sd_pre * math.sqrt(1 - 0.89)
    expected = sum((q - p) / s_diff < -1.96 for p, q in pairs)
    discharge = table.discharge
    assert discharge is not None and discharge.reliable is not None
    assert (discharge.reliable.k, discharge.reliable.n) == (expected, 4)
    assert 0 < expected < 4
    # FDI-C has no published meaningful-change threshold: not computed.
    assert table.threshold is None and discharge.meaningful is None
    assert "0.89" in str(table.reliability)


def test_meaningful_improvement_follows_the_published_nrs_threshold() -> None:
    # 8 -> 7 is 1 point (meaningful); 8 -> 8 is not; 2 -> 3 is worse.
    _cohort([(8, 7), (8, 8), (2, 3)], code="NRS")

    table = cohort_table_get(filters=CohortFilter.default(), code="NRS")

    discharge = table.discharge
    assert discharge is not None and discharge.meaningful is not None
    assert (discharge.meaningful.k, discharge.meaningful.n) == (1, 3)
    assert discharge.reliable is None  # no published reliability for NRS


def test_a_correction_replaces_the_score_it_corrects() -> None:
    episode = closed_episode(admitted_days_ago=40)
    wrong = score(episode, "FDI-C", 50, on=_days_ago(40))
    score(episode, "FDI-C", 10, time_point=DISCHARGE, on=_days_ago(13))
    correct(wrong, 20)

    table = cohort_table_get(filters=CohortFilter.default(), code="FDI-C")

    admission, discharge = table.admission, table.discharge
    assert admission is not None and discharge is not None
    assert admission.summary.n == 1 and admission.summary.mean == 20
    assert discharge.change is not None and discharge.change.mean_change == -10


def test_the_first_admission_score_is_the_baseline() -> None:
    episode = closed_episode(admitted_days_ago=40)
    score(episode, "FDI-C", 30, on=_days_ago(40))
    score(episode, "FDI-C", 25, on=_days_ago(38))

    table = cohort_table_get(filters=CohortFilter.default(), code="FDI-C")

    assert table.admission is not None and table.admission.summary.mean == 30


def test_missing_follow_ups_are_counted_not_imputed_and_split_by_due_date() -> None:
    # Discharged 123 days ago: the 3-month visit is due; 13 days ago: not yet.
    long_ago = closed_episode(admitted_days_ago=150)
    recent = closed_episode(admitted_days_ago=40)
    seen = closed_episode(admitted_days_ago=150)
    for episode, days in ((long_ago, 150), (recent, 40), (seen, 150)):
        score(episode, "FDI-C", 30, on=_days_ago(days))
    score(seen, "FDI-C", 12, time_point=FOLLOW_UP, index=3, on=_days_ago(20))

    table = cohort_table_get(filters=CohortFilter.default(), code="FDI-C")

    follow_up = table.row("follow_up_3")
    assert follow_up is not None
    assert follow_up.summary.n == 1 and follow_up.summary.mean == 12
    assert (follow_up.missing, follow_up.not_yet_due) == (1, 1)
    assert follow_up.change is not None and follow_up.change.n == 1


def test_promis_forms_without_t_scores_are_compared_on_raw_sums() -> None:
    episode = closed_episode(admitted_days_ago=40)
    score(episode, "PROMIS-PED-PAININT-8A", 20, on=_days_ago(40))
    score(episode, "PROMIS-PED-PAININT-8A", 10, time_point=DISCHARGE, on=_days_ago(13))

    table = cohort_table_get(
        filters=CohortFilter.default(), code="PROMIS-PED-PAININT-8A"
    )

    assert table.units == RAW_SUMS_NOTE
    # The 3 T-point threshold does not apply to raw sums.
    assert table.threshold is None
    assert table.discharge is not None and table.discharge.meaningful is None


def test_an_unknown_or_non_outcome_instrument_is_refused() -> None:
    with pytest.raises(KeyError):
        cohort_table_get(filters=CohortFilter.default(), code="NOPE")
    with pytest.raises(KeyError):
        cohort_table_get(filters=CohortFilter.default(), code="ARCS")
