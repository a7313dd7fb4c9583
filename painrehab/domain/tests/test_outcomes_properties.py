"""Properties of the outcome metrics on random data (hypothesis): symmetry under
swapping pre and post, shrinkage of g, intervals that contain their estimate,
order independence, and "meaningful" never meaning a worsening."""

import math
import random

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from painrehab.domain.outcomes import (
    MEANINGFUL_CHANGE,
    Direction,
    MeaningfulChange,
    _matched_groups_g,
    change,
    describe,
    improvement,
    is_meaningful,
    paired_change,
    percent_change,
    proportion,
    reliable_change_index,
    wilson_interval,
)

scores = st.floats(min_value=0, max_value=100, allow_nan=False).map(
    lambda value: round(value, 1)
)
directions = st.sampled_from(list(Direction))
thresholds = st.builds(
    MeaningfulChange,
    points=st.none() | st.floats(min_value=0, max_value=20),
    percent=st.none() | st.floats(min_value=0, max_value=100),
    source=st.just("test"),
)


@st.composite
def pairs(draw: st.DrawFn, min_size: int = 3) -> tuple[list[float], list[float]]:
    n = draw(st.integers(min_size, 40))
    pre = draw(st.lists(scores, min_size=n, max_size=n))
    post = draw(st.lists(scores, min_size=n, max_size=n))
    return pre, post


@given(scores, scores)
def test_swapping_pre_and_post_negates_change(pre: float, post: float) -> None:
    assert change(post, pre) == -change(pre, post)


@given(pairs())
def test_swapping_pre_and_post_negates_mean_change_d_z_and_g(
    data: tuple[list[float], list[float]],
) -> None:
    pre, post = data
    forward, backward = paired_change(pre, post), paired_change(post, pre)
    assert forward.n == backward.n
    assert forward.mean_change == pytest.approx(-(backward.mean_change or 0))
    assert forward.sd_change == pytest.approx(backward.sd_change)
    assert (forward.d_z is None) == (backward.d_z is None)
    if forward.d_z is not None and backward.d_z is not None:
        assert forward.d_z == pytest.approx(-backward.d_z)
    assert (forward.g is None) == (backward.g is None)
    if forward.g is not None and backward.g is not None:
        assert forward.g == pytest.approx(-backward.g)
        assert forward.g_ci_low == pytest.approx(-(backward.g_ci_high or 0))


@given(
    mean_change=st.floats(-50, 50).filter(lambda value: abs(value) > 1e-6),
    s_diff=st.floats(0.1, 30),
    r=st.floats(-0.99, 0.99),
    n=st.integers(3, 500),
)
def test_hedges_correction_shrinks_d(
    mean_change: float, s_diff: float, r: float, n: int
) -> None:
    """J = 1 - 3 / (4 df - 1) < 1, so |g| < |d| with the same sign."""
    result = _matched_groups_g(mean_change=mean_change, s_diff=s_diff, r=r, n=n)
    assert result is not None
    assert 0 < result.j < 1
    assert abs(result.g) < abs(result.d)
    assert math.copysign(1, result.g) == math.copysign(1, result.d)
    assert result.v_g < result.v_d


@given(pairs(min_size=2))
def test_the_ci_contains_the_mean_change(data: tuple[list[float], list[float]]) -> None:
    result = paired_change(*data)
    assert result.mean_change is not None
    assert result.ci_low is not None and result.ci_high is not None
    assert result.ci_low <= result.mean_change <= result.ci_high


@given(pairs())
def test_the_g_interval_contains_g(data: tuple[list[float], list[float]]) -> None:
    result = paired_change(*data)
    if result.g is not None:
        assert result.g_ci_low is not None and result.g_ci_high is not None
        assert result.g_ci_low < result.g < result.g_ci_high


@given(st.integers(1, 2000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_bounds_lie_in_zero_one_and_contain_p(counts: tuple[int, int]) -> None:
    k, n = counts
    low, high = wilson_interval(k, n)
    assert 0 <= low <= k / n <= high <= 1
    result = proportion(k, n)
    assert result.p == k / n
    assert (result.low, result.high) == (low, high)


@given(st.lists(scores, max_size=50), st.randoms(use_true_random=False))
def test_describe_is_order_independent(values: list[float], rng: random.Random) -> None:
    shuffled = list(values)
    rng.shuffle(shuffled)
    first, second = describe(values), describe(shuffled)
    assert first.n == second.n
    for field in ("mean", "sd", "median", "q1", "q3"):
        a, b = getattr(first, field), getattr(second, field)
        assert (a is None) == (b is None)
        if a is not None:
            assert a == pytest.approx(b, abs=1e-9)


@given(st.lists(scores, min_size=1, max_size=50))
def test_quartiles_are_ordered_within_the_range(values: list[float]) -> None:
    summary = describe(values)
    assert summary.q1 is not None and summary.median is not None
    assert summary.q3 is not None
    assert min(values) <= summary.q1 <= summary.median <= summary.q3 <= max(values)


@given(
    scores,
    scores,
    st.floats(min_value=0.1, max_value=30),
    st.floats(min_value=0, max_value=0.99),
)
def test_rci_sign_equals_change_sign(
    pre: float, post: float, sd_pre: float, reliability: float
) -> None:
    rci = reliable_change_index(pre, post, sd_pre=sd_pre, reliability=reliability)
    assert math.copysign(1, rci) == math.copysign(1, change(pre, post)) or rci == 0
    assert (rci == 0) == (pre == post)


@given(scores, scores, directions, thresholds)
def test_meaningful_is_never_a_worsening(
    pre: float, post: float, direction: Direction, threshold: MeaningfulChange
) -> None:
    if improvement(pre, post, direction) <= 0:
        assert not is_meaningful(pre, post, direction, threshold)


@given(scores, scores, directions)
def test_meaningful_implies_reaching_a_published_threshold(
    pre: float, post: float, direction: Direction
) -> None:
    nrs = MEANINGFUL_CHANGE["NRS"]
    if is_meaningful(pre, post, direction, nrs):
        percent = percent_change(pre, post)
        assert abs(change(pre, post)) >= 1.0 - 1e-9 or (
            percent is not None and abs(percent) >= 12.5 - 1e-9
        )


@given(scores, scores)
def test_improvement_flips_with_direction(pre: float, post: float) -> None:
    assume(pre != post)
    lower = improvement(pre, post, Direction.LOWER_IS_BETTER)
    higher = improvement(pre, post, Direction.HIGHER_IS_BETTER)
    assert lower == -higher
