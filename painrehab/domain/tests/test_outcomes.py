"""Outcome metrics checked against worked examples from their sources and against
SciPy / NumPy on random data."""

import math
import random
import statistics

import numpy as np
import pytest
from scipy import stats

from painrehab.domain.outcomes import (
    MEANINGFUL_CHANGE,
    RELIABILITY,
    Direction,
    MeaningfulChange,
    PairedChange,
    Proportion,
    Summary,
    _matched_groups_g,
    change,
    describe,
    improvement,
    is_meaningful,
    is_reliable,
    paired_change,
    percent_change,
    proportion,
    reliable_change_index,
    reliable_change_threshold,
    wilson_interval,
)
from painrehab.domain.scoring.catalog import CATALOG

LOWER = Direction.LOWER_IS_BETTER
HIGHER = Direction.HIGHER_IS_BETTER
NRS_MCID = MEANINGFUL_CHANGE["NRS"]


def _exact_sample(
    *, n: int, sd_pre: float, sd_post: float, r: float, mean_pre: float, diff: float
) -> tuple[list[float], list[float]]:
    """Random pre/post pairs whose sample SDs, correlation and means are exact."""
    rng = np.random.default_rng(7)
    raw = rng.normal(size=(n, 2))
    raw -= raw.mean(axis=0)
    whitened = raw @ np.linalg.inv(np.linalg.cholesky(np.cov(raw, rowvar=False)).T)
    target = np.array(
        [[sd_pre**2, r * sd_pre * sd_post], [r * sd_pre * sd_post, sd_post**2]]
    )
    shaped = whitened @ np.linalg.cholesky(target).T
    pre = shaped[:, 0] + mean_pre
    post = shaped[:, 1] + mean_pre + diff
    return pre.tolist(), post.tolist()


# change, percent change, improvement


def test_bruce_2017_fdi_27_to_9_is_minus_18_points_and_minus_66_7_percent() -> None:
    """Bruce et al. 2017 (Mayo PPRC, first 1000 patients; outcomes-literature.md §1):
    FDI fell "from 27 to 9", reported as a 67% reduction."""
    assert change(27, 9) == -18
    assert round(percent_change(27, 9) or 0, 1) == -66.7
    assert improvement(27, 9, LOWER) == 18


def test_banez_2014_nrs_changes_and_both_are_meaningful() -> None:
    """Banez et al. 2014 (Cleveland Clinic; outcomes-literature.md §1): NRS
    6.20 -> 4.81 and 4.90 -> 3.56; both exceed the 1 point / 12.5% MCSD."""
    assert change(6.20, 4.81) == pytest.approx(-1.39)
    assert round(percent_change(6.20, 4.81) or 0, 1) == -22.4
    assert is_meaningful(6.20, 4.81, LOWER, NRS_MCID)
    assert change(4.90, 3.56) == pytest.approx(-1.34)
    assert round(percent_change(4.90, 3.56) or 0, 1) == -27.3
    assert is_meaningful(4.90, 3.56, LOWER, NRS_MCID)


def test_percent_change_is_none_from_zero() -> None:
    assert percent_change(0, 3) is None
    assert percent_change(4, 4) == 0


def test_improvement_is_positive_when_better_in_either_direction() -> None:
    assert improvement(7, 4, LOWER) == 3
    assert improvement(7, 9, LOWER) == -2
    assert improvement(40, 46, HIGHER) == 6
    assert improvement(40, 37, HIGHER) == -3


# meaningful change


def test_a_worsening_is_never_meaningful_however_large() -> None:
    assert not is_meaningful(2, 9, LOWER, NRS_MCID)
    assert not is_meaningful(50, 30, HIGHER, MEANINGFUL_CHANGE["PROMIS-PED-MOB-8A"])


def test_no_change_is_not_meaningful() -> None:
    assert not is_meaningful(5, 5, LOWER, MeaningfulChange(0.0, 0.0, "zero"))


def test_points_threshold_is_inclusive_and_below_it_is_not_meaningful() -> None:
    assert is_meaningful(5, 4, LOWER, NRS_MCID)
    assert not is_meaningful(9, 8.5, LOWER, NRS_MCID)  # 0.5 points, 5.6%


def test_percent_alone_can_make_a_small_change_meaningful() -> None:
    """NRS 2 -> 1.7 is 0.3 points but 15% (>= 12.5%, Hirschfeld threshold)."""
    assert is_meaningful(2, 1.7, LOWER, NRS_MCID)
    points_only = MeaningfulChange(points=1.0, percent=None, source="x")
    assert not is_meaningful(2, 1.7, LOWER, points_only)


def test_percent_is_not_applied_from_a_zero_baseline() -> None:
    percent_only = MeaningfulChange(points=None, percent=10.0, source="x")
    assert not is_meaningful(0, 5, HIGHER, percent_only)
    assert is_meaningful(10, 11, HIGHER, percent_only)


def test_no_threshold_means_never_meaningful() -> None:
    assert not is_meaningful(9, 0, LOWER, MeaningfulChange(None, None, "none"))


def test_decimal_t_scores_reaching_three_points_count_despite_float_rounding() -> None:
    """33.3 - 30.3 is 2.9999999999999964 in binary floating point."""
    assert 33.3 - 30.3 < 3
    pain_interference = MEANINGFUL_CHANGE["PROMIS-PED-PAININT-8A"]
    assert is_meaningful(33.3, 30.3, LOWER, pain_interference)
    assert not is_meaningful(33.3, 30.4, LOWER, pain_interference)


def test_promis_mobility_improves_upwards() -> None:
    mobility = MEANINGFUL_CHANGE["PROMIS-PP-MOB-8A"]
    assert is_meaningful(38.0, 41.0, HIGHER, mobility)
    assert not is_meaningful(41.0, 38.0, HIGHER, mobility)


# reliable change (Jacobson & Truax 1991)


def test_reliable_change_threshold_by_hand_sd_7_5_r_0_88() -> None:
    """Jacobson & Truax (1991) as documented by suddengains define_crit1_cutoff:
    SEM = 7.5 * sqrt(1 - 0.88) = 7.5 * 0.346410 = 2.598076;
    S_diff = sqrt(2 * 2.598076^2) = 3.674235; threshold = 1.96 * 3.674235 = 7.2015.
    A fall of 10 points: RCI = -10 / 3.674235 = -2.7217, reliable."""
    assert reliable_change_threshold(sd_pre=7.5, reliability=0.88) == pytest.approx(
        7.2015, abs=1e-4
    )
    rci = reliable_change_index(30, 20, sd_pre=7.5, reliability=0.88)
    assert rci == pytest.approx(-2.7217, abs=1e-4)
    assert is_reliable(rci)
    assert not is_reliable(reliable_change_index(30, 24, sd_pre=7.5, reliability=0.88))


def test_rci_matches_the_mdma_formula_sd_7_5_r_0_8() -> None:
    """MDMA::rci documents (x2 - x1) / sqrt(2 * sd(x1)^2 * (1 - rxx)); its example
    uses SD 7.5 (variance 56.25) and rxx .8: S_diff = sqrt(22.5) = 4.743416."""
    assert reliable_change_index(40, 50, sd_pre=7.5, reliability=0.8) == pytest.approx(
        10 / 4.743416, abs=1e-6
    )
    assert reliable_change_threshold(sd_pre=7.5, reliability=0.8) == pytest.approx(
        1.96 * 4.743416, abs=1e-5
    )


def test_a_change_exactly_at_the_threshold_is_not_reliable() -> None:
    """Reliable means |RCI| strictly above 1.96."""
    assert not is_reliable(1.96)
    assert not is_reliable(-1.96)
    assert is_reliable(1.9601)
    assert is_reliable(-2.5)


def test_rci_is_signed_like_the_change() -> None:
    assert reliable_change_index(20, 30, sd_pre=5, reliability=0.9) > 0
    assert reliable_change_index(30, 20, sd_pre=5, reliability=0.9) < 0
    assert reliable_change_index(30, 30, sd_pre=5, reliability=0.9) == 0


@pytest.mark.parametrize("reliability", [1.0, 1.2, -0.01, math.nan])
def test_reliability_outside_zero_to_one_is_refused(reliability: float) -> None:
    with pytest.raises(ValueError, match="reliability"):
        reliable_change_index(1, 2, sd_pre=5, reliability=reliability)
    with pytest.raises(ValueError, match="reliability"):
        reliable_change_threshold(sd_pre=5, reliability=reliability)


@pytest.mark.parametrize("sd_pre", [0.0, -3.0, math.nan, math.inf])
def test_sd_pre_must_be_a_positive_number(sd_pre: float) -> None:
    with pytest.raises(ValueError, match="sd_pre"):
        reliable_change_index(1, 2, sd_pre=sd_pre, reliability=0.8)


def test_reliability_zero_is_allowed() -> None:
    assert reliable_change_threshold(sd_pre=10, reliability=0) == pytest.approx(
        1.96 * 10 * math.sqrt(2)
    )


# describe


def test_describe_empty_is_all_none() -> None:
    assert describe([]) == Summary(0, None, None, None, None, None)


def test_describe_one_value_has_no_sd_and_collapsed_quartiles() -> None:
    assert describe([7]) == Summary(1, 7.0, None, 7.0, 7.0, 7.0)


def test_describe_uses_the_linear_quartiles() -> None:
    """Type 7 / numpy default on 1..4: q1 = 1.75, median 2.5, q3 = 3.25."""
    summary = describe([4, 1, 3, 2])
    assert summary.n == 4
    assert summary.mean == 2.5
    assert summary.sd == pytest.approx(statistics.stdev([1, 2, 3, 4]))
    assert (summary.q1, summary.median, summary.q3) == (1.75, 2.5, 3.25)


def test_describe_two_values() -> None:
    summary = describe([10, 20])
    assert summary.sd == pytest.approx(math.sqrt(50))
    assert (summary.q1, summary.median, summary.q3) == (12.5, 15.0, 17.5)


@pytest.mark.parametrize("seed", range(5))
def test_describe_matches_numpy_on_random_data(seed: int) -> None:
    rng = random.Random(seed)
    values = [rng.uniform(0, 60) for _ in range(rng.randint(2, 60))]
    summary = describe(values)
    assert summary.mean == pytest.approx(np.mean(values))
    assert summary.sd == pytest.approx(np.std(values, ddof=1))
    assert summary.median == pytest.approx(np.median(values))
    assert summary.q1 == pytest.approx(np.percentile(values, 25))
    assert summary.q3 == pytest.approx(np.percentile(values, 75))


# paired change: Borenstein et al. (2009) ch. 4 and Lakens (2013)


def test_matched_groups_g_reproduces_borenstein_2009_chapter_4() -> None:
    """Borenstein, Hedges, Higgins & Rothstein (2009) Introduction to Meta-Analysis,
    ch. 4, matched groups: mean difference 5.0, S_diff 10.0, r 0.5, n 50 ->
    S_within 10.0, d 0.50, V_d 0.0225, J 0.9846, g 0.4923, V_g 0.0218."""
    result = _matched_groups_g(mean_change=5.0, s_diff=10.0, r=0.5, n=50)
    assert result is not None
    assert result.s_within == pytest.approx(10.0)
    assert result.d == pytest.approx(0.50)
    assert result.v_d == pytest.approx(0.0225)
    assert round(result.j, 4) == 0.9846
    assert round(result.g, 4) == 0.4923
    assert round(result.v_g, 4) == 0.0218


def test_matched_groups_g_is_undefined_without_spread_or_below_three() -> None:
    assert _matched_groups_g(mean_change=5, s_diff=0, r=0.5, n=50) is None
    assert _matched_groups_g(mean_change=5, s_diff=10, r=1.0, n=50) is None
    assert _matched_groups_g(mean_change=5, s_diff=10, r=0.5, n=2) is None


def test_paired_change_on_data_with_the_borenstein_summary() -> None:
    """Data built to have exactly Borenstein's summary (SD pre = SD post = 10,
    r = 0.5, so S_diff = sqrt(100 + 100 - 2 * 0.5 * 100) = 10; mean change 5;
    n = 50) give his g = 0.4923 and V_g = 0.0218."""
    pre, post = _exact_sample(n=50, sd_pre=10, sd_post=10, r=0.5, mean_pre=40, diff=5)
    result = paired_change(pre, post)
    assert result.n == 50
    assert result.mean_change == pytest.approx(5.0)
    assert result.sd_change == pytest.approx(10.0)
    assert result.r == pytest.approx(0.5)
    assert result.d_z == pytest.approx(0.5)
    assert result.g is not None
    assert round(result.g, 4) == 0.4923
    half_width = 1.96 * math.sqrt(0.9846**2 * 0.0225)
    assert result.g_ci_low == pytest.approx(result.g - half_width, abs=1e-4)
    assert result.g_ci_high == pytest.approx(result.g + half_width, abs=1e-4)


def test_paired_change_with_unequal_sds_uses_s_within_from_s_diff_and_r() -> None:
    """SD pre 12, SD post 6, r 0.3, n 30, mean change -8:
    S_diff^2 = 144 + 36 - 2 * 0.3 * 72 = 136.8; S_within = sqrt(136.8 / 1.4) =
    9.8853; d = -0.8093; J = 1 - 3/115 = 0.97391; g = -0.7882."""
    pre, post = _exact_sample(n=30, sd_pre=12, sd_post=6, r=0.3, mean_pre=30, diff=-8)
    result = paired_change(pre, post)
    assert result.sd_change == pytest.approx(math.sqrt(136.8))
    assert result.g == pytest.approx(-0.7882, abs=1e-4)


@pytest.mark.parametrize("seed", range(5))
def test_d_z_is_t_over_root_n_and_the_ci_matches_scipy_ttest_rel(seed: int) -> None:
    """Lakens (2013, Front Psychol 4:863, eq. 7): d_z = t / sqrt(n). Checked with
    scipy.stats.ttest_rel on random data (his worked numbers were not at hand);
    the 95% CI must equal ttest_rel(post, pre).confidence_interval()."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 80))
    pre = rng.normal(40, 9, n)
    post = pre + rng.normal(-4, 6, n)
    result = paired_change(pre.tolist(), post.tolist())
    test = stats.ttest_rel(post, pre)
    assert result.d_z == pytest.approx(test.statistic / math.sqrt(n))
    interval = test.confidence_interval(0.95)
    assert result.ci_low == pytest.approx(interval.low)
    assert result.ci_high == pytest.approx(interval.high)
    assert result.r == pytest.approx(np.corrcoef(pre, post)[0, 1])


def test_paired_change_needs_equal_lengths() -> None:
    with pytest.raises(ValueError, match="pair up"):
        paired_change([1, 2, 3], [1, 2])


def test_paired_change_of_nothing_is_all_none() -> None:
    assert paired_change([], []) == PairedChange(
        0, None, None, None, None, None, None, None, None, None
    )


def test_one_pair_gives_only_the_change() -> None:
    assert paired_change([8], [5]) == PairedChange(
        1, -3.0, None, None, None, None, None, None, None, None
    )


def test_two_pairs_give_a_ci_and_d_z_but_no_g() -> None:
    result = paired_change([8, 6], [5, 4])
    assert result.mean_change == -2.5
    assert result.sd_change == pytest.approx(math.sqrt(0.5))
    assert result.ci_low is not None and result.ci_high is not None
    assert result.d_z is not None
    assert result.g is None and result.g_ci_low is None and result.g_ci_high is None


def test_constant_change_has_no_standardised_effect() -> None:
    """Everyone fell by 2: S_diff is 0, so d_z and g are undefined (not infinite)."""
    result = paired_change([5, 7, 9, 4], [3, 5, 7, 2])
    assert result.sd_change == 0
    assert result.ci_low == result.ci_high == -2
    assert result.d_z is None
    assert result.g is None


def test_no_variance_at_baseline_gives_no_r_and_no_g() -> None:
    result = paired_change([5, 5, 5, 5], [3, 4, 6, 2])
    assert result.r is None
    assert result.g is None
    assert result.d_z is not None


# Wilson intervals and proportions (Newcombe 1998)


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0000, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_reproduces_newcombe_1998(
    k: int, n: int, low: float, high: float
) -> None:
    """Newcombe (1998, Stat Med 17:857-872), Table II, method 3 (score interval)."""
    interval = wilson_interval(k, n)
    assert (round(interval[0], 4), round(interval[1], 4)) == (low, high)


@pytest.mark.parametrize("seed", range(5))
def test_wilson_matches_scipy_binomtest(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(20):
        n = rng.randint(1, 500)
        k = rng.randint(0, n)
        expected = stats.binomtest(k, n).proportion_ci(method="wilson")
        low, high = wilson_interval(k, n)
        assert low == pytest.approx(expected.low, abs=1e-12)
        assert high == pytest.approx(expected.high, abs=1e-12)


def test_wilson_bounds_are_exact_at_zero_and_all() -> None:
    assert wilson_interval(0, 5)[0] == 0.0
    assert wilson_interval(5, 5)[1] == 1.0


@pytest.mark.parametrize(("k", "n"), [(0, 0), (-1, 5), (6, 5)])
def test_wilson_refuses_impossible_counts(k: int, n: int) -> None:
    with pytest.raises(ValueError):
        wilson_interval(k, n)


def test_wilson_refuses_a_non_positive_z() -> None:
    with pytest.raises(ValueError, match="z"):
        wilson_interval(1, 5, z=0)


def test_proportion_of_nothing_has_no_estimate() -> None:
    assert proportion(0, 0) == Proportion(0, 0, None, None, None)
    with pytest.raises(ValueError):
        proportion(1, 0)
    with pytest.raises(ValueError):
        proportion(-1, 4)


def test_hechler_2014_improvement_55_vs_14_percent_of_52() -> None:
    """Hechler et al. 2014 (Pain 155:118-128; outcomes-literature.md §1): improvement
    in 55% of 52 treated vs 14% of 52 wait-listed; 95% CI of the difference
    0.21-0.60. 55% of 52 is 28.6 patients, so the nearest whole counts are 29
    and 7 (55.8% and 13.5%); the risk difference 22/52 = 0.423 is about 0.41 and
    inside the published interval, and the two Wilson intervals do not overlap.
    By hand for 29/52 (z = 1.959964): centre = (0.557692 + z^2/104) / (1 + z^2/52)
    = 0.553724; half width = z / 1.073874 * sqrt(0.557692 * 0.442308 / 52 +
    z^2 / 10816) = 0.130325; interval 0.4234-0.6840."""
    treated, waitlist = proportion(29, 52), proportion(7, 52)
    assert treated.p == pytest.approx(0.55, abs=0.01)
    assert waitlist.p == pytest.approx(0.14, abs=0.01)
    assert treated.p is not None and waitlist.p is not None
    difference = treated.p - waitlist.p
    assert difference == pytest.approx(0.41, abs=0.02)
    assert 0.21 < difference < 0.60
    assert treated.low is not None and waitlist.high is not None
    assert waitlist.high < treated.low
    assert (treated.low, treated.high) == wilson_interval(29, 52)
    assert (round(treated.low, 4), round(treated.high or 0, 4)) == (0.4234, 0.6840)
    assert (round(waitlist.low or 0, 4), round(waitlist.high, 4)) == (0.0668, 0.2527)


# the published tables


def test_every_table_key_is_a_catalog_code() -> None:
    assert set(RELIABILITY) <= set(CATALOG)
    assert set(MEANINGFUL_CHANGE) <= set(CATALOG)


def test_reliabilities_are_usable_and_sourced() -> None:
    for code, reliability in RELIABILITY.items():
        assert 0 < reliability.r < 1, code
        assert len(reliability.source) > 40, code
        assert reliable_change_threshold(sd_pre=10, reliability=reliability.r) > 0


def test_meaningful_change_agrees_with_the_scoring_catalog() -> None:
    """The scoring catalog stores the same published point thresholds."""
    for code, threshold in MEANINGFUL_CHANGE.items():
        assert threshold.points == CATALOG[code].meaningful_change, code
        assert threshold.source, code
    with_mid = {
        code for code, item in CATALOG.items() if item.meaningful_change is not None
    }
    assert set(MEANINGFUL_CHANGE) == with_mid


def test_nrs_threshold_is_hirschfeld_one_point_or_12_5_percent() -> None:
    assert (NRS_MCID.points, NRS_MCID.percent) == (1.0, 12.5)
    assert "24268356" in NRS_MCID.source


def test_promis_thresholds_are_three_t_points_without_percent() -> None:
    promis = {code: t for code, t in MEANINGFUL_CHANGE.items() if "PROMIS" in code}
    assert len(promis) == 8
    assert all(t.points == 3.0 and t.percent is None for t in promis.values())
    assert not {"PROMIS-PED-ANX-8B", "PROMIS-PED-SLEEP-8A"} & set(promis)
