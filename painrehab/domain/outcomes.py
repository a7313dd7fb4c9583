"""Outcome metrics: change, reliable and meaningful change, cohort statistics.

No Django and no other domain module: plain numbers in, frozen dataclasses out.
The application layer (``painrehab.outcomes``) joins these with the scoring catalog
(direction of improvement, published meaningful-change thresholds).

Conventions, used everywhere a figure is shown:
- a *change* is ``post - pre`` in the instrument's own units; whether that is an
  improvement depends on the instrument's direction (``Direction``);
- effect sizes are signed like the change (negative when scores fell), as in the
  literature we compare with (Claus et al. 2022 report pain g = -1.28);
- ``None`` means "cannot be computed from these data" (too few values, no published
  threshold), never zero.
"""

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from scipy.stats import t as t_dist

Z_95 = 1.959963984540054  # the two-sided 95% normal quantile
RELIABLE_CHANGE_Z = 1.96  # Jacobson & Truax 1991


class Direction(StrEnum):
    LOWER_IS_BETTER = "lower_is_better"
    HIGHER_IS_BETTER = "higher_is_better"


@dataclass(frozen=True)
class Reliability:
    """A published reliability coefficient, with where it comes from."""

    r: float
    source: str
    verified: bool  # False: shown with "source not confirmed"


@dataclass(frozen=True)
class MeaningfulChange:
    """A published threshold of clinically meaningful change (either or both)."""

    points: float | None
    percent: float | None
    source: str


@dataclass(frozen=True)
class Summary:
    """Descriptive statistics of one time point; ``None`` where n is too small."""

    n: int
    mean: float | None
    sd: float | None  # sample SD (n - 1); None below n = 2
    median: float | None
    q1: float | None  # quartiles by the "linear" (type 7) method
    q3: float | None


@dataclass(frozen=True)
class PairedChange:
    """Paired change pre -> post for the patients with both values."""

    n: int
    mean_change: float | None
    sd_change: float | None
    ci_low: float | None  # 95% CI of the mean change (t distribution, n - 1 df)
    ci_high: float | None
    d_z: float | None  # mean change / SD of change (Lakens 2013)
    g: float | None  # Hedges' g for matched groups (Borenstein et al. 2009, ch. 4)
    g_ci_low: float | None  # g +/- 1.96 SE(g)
    g_ci_high: float | None
    r: float | None  # pre-post correlation used by g


@dataclass(frozen=True)
class Proportion:
    """k of n, with the Wilson score 95% interval."""

    k: int
    n: int
    p: float | None
    low: float | None
    high: float | None


def change(pre: float, post: float) -> float:
    """Change in the instrument's own units: ``post - pre``."""
    return post - pre


def percent_change(pre: float, post: float) -> float | None:
    """Change as a percentage of the starting value; ``None`` when ``pre`` is 0."""
    if pre == 0:
        return None
    return 100.0 * (post - pre) / pre


def improvement(pre: float, post: float, direction: Direction) -> float:
    """The change signed so that a positive value always means "better"."""
    if direction is Direction.LOWER_IS_BETTER:
        return pre - post
    return post - pre


def _standard_error_of_difference(*, sd_pre: float, reliability: float) -> float:
    """S_diff of Jacobson & Truax (1991): sqrt(2 SEM^2), SEM = SD_pre sqrt(1 - r)."""
    if not 0 <= reliability < 1:
        raise ValueError(
            f"reliability must be at least 0 and below 1, got {reliability!r}"
        )
    if not (sd_pre > 0 and math.isfinite(sd_pre)):
        raise ValueError(f"sd_pre must be a positive number, got {sd_pre!r}")
    sem = sd_pre * math.sqrt(1 - reliability)
    return math.sqrt(2 * sem**2)


def reliable_change_index(
    pre: float, post: float, *, sd_pre: float, reliability: float
) -> float:
    """Jacobson & Truax (1991) RCI: ``(post - pre) / S_diff``, signed like the change.

    ``sd_pre`` is the SD of the pre-treatment scores (of the clinical reference
    sample) and ``reliability`` the instrument's published coefficient.
    """
    s_diff = _standard_error_of_difference(sd_pre=sd_pre, reliability=reliability)
    return (post - pre) / s_diff


def reliable_change_threshold(*, sd_pre: float, reliability: float) -> float:
    """The smallest change, in score units, that is reliable: ``1.96 * S_diff``."""
    s_diff = _standard_error_of_difference(sd_pre=sd_pre, reliability=reliability)
    return RELIABLE_CHANGE_Z * s_diff


def is_reliable(rci: float) -> bool:
    """Whether a change is larger than measurement error would explain (|RCI| > 1.96).

    Reliability in either direction: combine with ``improvement`` for the sign.
    """
    return abs(rci) > RELIABLE_CHANGE_Z


def _at_least(value: float, bound: float) -> bool:
    """``value >= bound``, tolerant of binary rounding of decimal scores.

    A T-score going 33.3 -> 30.3 must count as 3 points although the float
    subtraction gives 2.9999999999999964.
    """
    return value >= bound or math.isclose(value, bound, rel_tol=1e-9, abs_tol=1e-9)


def is_meaningful(
    pre: float, post: float, direction: Direction, threshold: MeaningfulChange
) -> bool:
    """Whether the change is a clinically *meaningful improvement*.

    True only when the change goes in the better direction and reaches the
    published threshold in points or in percent of ``pre`` (either suffices;
    percent is not applied when ``pre`` is 0). A worsening is never meaningful
    improvement, however large, so this does not answer "meaningful change".
    """
    if improvement(pre, post, direction) <= 0:
        return False
    size = abs(change(pre, post))
    if threshold.points is not None and _at_least(size, threshold.points):
        return True
    percent = percent_change(pre, post)
    return (
        threshold.percent is not None
        and percent is not None
        and _at_least(abs(percent), threshold.percent)
    )


def describe(values: Sequence[float]) -> Summary:
    """Descriptive statistics; quartiles by the linear (type 7, numpy default) rule."""
    data = [float(value) for value in values]
    n = len(data)
    if n == 0:
        return Summary(n=0, mean=None, sd=None, median=None, q1=None, q3=None)
    if n == 1:
        value = data[0]
        return Summary(n=1, mean=value, sd=None, median=value, q1=value, q3=value)
    q1, _, q3 = statistics.quantiles(data, n=4, method="inclusive")
    return Summary(
        n=n,
        mean=statistics.fmean(data),
        sd=statistics.stdev(data),
        median=statistics.median(data),
        q1=q1,
        q3=q3,
    )


@dataclass(frozen=True)
class _MatchedGroupsG:
    """Borenstein et al. (2009) ch. 4 quantities for a matched (pre-post) design."""

    s_within: float
    d: float
    v_d: float
    j: float
    g: float
    v_g: float


_BORENSTEIN_Z = 1.96  # Borenstein et al. (2009) build the CI as g +/- 1.96 SE


def _matched_groups_g(
    *, mean_change: float, s_diff: float, r: float, n: int
) -> _MatchedGroupsG | None:
    """Hedges' g from summary statistics of a matched design (Borenstein 2009, ch. 4).

    S_within = S_diff / sqrt(2(1 - r)); d = mean / S_within;
    V_d = (1/n + d^2 / (2n)) 2(1 - r); J = 1 - 3 / (4 df - 1), df = n - 1;
    g = J d; V_g = J^2 V_d. ``None`` when it is undefined: n < 3, r = 1 or
    S_diff = 0 (no spread of change to standardise by).
    """
    if n < 3 or s_diff <= 0 or not r < 1:
        return None
    s_within = s_diff / math.sqrt(2 * (1 - r))
    d = mean_change / s_within
    v_d = (1 / n + d**2 / (2 * n)) * 2 * (1 - r)
    j = 1 - 3 / (4 * (n - 1) - 1)
    return _MatchedGroupsG(
        s_within=s_within, d=d, v_d=v_d, j=j, g=j * d, v_g=j**2 * v_d
    )


def _pearson_r(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Pearson correlation; ``None`` when either series has no variance or n < 2."""
    if len(x) < 2 or statistics.variance(x) == 0 or statistics.variance(y) == 0:
        return None
    r = statistics.correlation(x, y)
    return max(-1.0, min(1.0, r))


def paired_change(pre: Sequence[float], post: Sequence[float]) -> PairedChange:
    """Mean pre -> post change with its t-based 95% CI, d_z and Hedges' g.

    ``pre[i]`` and ``post[i]`` belong to the same patient. d_z is the mean change
    over the SD of change (Lakens 2013, Front Psychol 4:863), equal to t / sqrt(n);
    g standardises by the within-time-point SD instead, so it is comparable with
    between-group effect sizes (Borenstein et al. 2009, ch. 4). Both keep the sign
    of the change.
    """
    if len(pre) != len(post):
        raise ValueError(
            f"pre and post must pair up: {len(pre)} pre vs {len(post)} post values"
        )
    before = [float(value) for value in pre]
    after = [float(value) for value in post]
    n = len(before)
    if n == 0:
        return PairedChange(
            n=0, mean_change=None, sd_change=None, ci_low=None, ci_high=None,
            d_z=None, g=None, g_ci_low=None, g_ci_high=None, r=None,
        )  # fmt: skip
    differences = [b - a for a, b in zip(before, after, strict=True)]
    mean_change = statistics.fmean(differences)
    if n == 1:
        return PairedChange(
            n=1, mean_change=mean_change, sd_change=None, ci_low=None, ci_high=None,
            d_z=None, g=None, g_ci_low=None, g_ci_high=None, r=None,
        )  # fmt: skip
    sd_change = statistics.stdev(differences)
    half_width = float(t_dist.ppf(0.975, n - 1)) * sd_change / math.sqrt(n)
    r = _pearson_r(before, after)
    matched = (
        None
        if r is None
        else _matched_groups_g(mean_change=mean_change, s_diff=sd_change, r=r, n=n)
    )
    g = g_low = g_high = None
    if matched is not None:
        g = matched.g
        g_half_width = _BORENSTEIN_Z * math.sqrt(matched.v_g)
        g_low, g_high = g - g_half_width, g + g_half_width
    return PairedChange(
        n=n,
        mean_change=mean_change,
        sd_change=sd_change,
        ci_low=mean_change - half_width,
        ci_high=mean_change + half_width,
        d_z=None if sd_change == 0 else mean_change / sd_change,
        g=g,
        g_ci_low=g_low,
        g_ci_high=g_high,
        r=r,
    )


def wilson_interval(k: int, n: int, z: float = Z_95) -> tuple[float, float]:
    """Wilson score interval for k successes of n (Newcombe 1998, method 3).

    Unlike the Wald interval it stays inside [0, 1] and is not degenerate at
    k = 0 or k = n.
    """
    if n <= 0:
        raise ValueError(f"n must be positive for an interval, got {n}")
    if not 0 <= k <= n:
        raise ValueError(f"k must be between 0 and n ({n}), got {k}")
    if not z > 0:
        raise ValueError(f"z must be positive, got {z!r}")
    p = k / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half_width = z / denominator * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    low = 0.0 if k == 0 else max(0.0, centre - half_width)
    high = 1.0 if k == n else min(1.0, centre + half_width)
    return low, high


def proportion(k: int, n: int) -> Proportion:
    """k of n with its Wilson 95% interval; p and bounds ``None`` when n is 0."""
    if n < 0 or not 0 <= k <= max(n, 0):
        raise ValueError(f"need 0 <= k <= n, got k={k}, n={n}")
    if n == 0:
        return Proportion(k=0, n=0, p=None, low=None, high=None)
    low, high = wilson_interval(k, n)
    return Proportion(k=k, n=n, p=k / n, low=low, high=high)


RELIABILITY: dict[str, Reliability] = {
    # Read in the abstract as fetched (ISPP 2017 abstract page 3-23): "Cronbach's
    # alpha of 0.89 for the total scale". Catalan translation, school sample, so
    # it stands in for the English form in a clinic; Claar & Walker (2006) could
    # not be read.
    "FDI-C": Reliability(
        r=0.89,
        source=(
            "Solé, Galán, de la Vega, Castarlenas, Sánchez-Rodríguez, Jensen & "
            "Miró, International Symposium on Pediatric Pain 2017 abstract: "
            "Cronbach's alpha 0.89 for the FDI total (Catalan FDI, 561 "
            "schoolchildren aged 8-18)"
        ),
        verified=True,
    ),
    # Read in the abstract as fetched (PMC2670806): "PCS-Ado total: 0.85" and
    # test-retest r = 0.73 over 12-16 weeks; alpha is used because the retest
    # interval spans a whole treatment. French adaptation, community sample;
    # Crombez et al. (2003) give no coefficient in their abstract.
    "PCS-C": Reliability(
        r=0.85,
        source=(
            "Tremblay et al., Pain Res Manag 2008;13(1):19-24: Cronbach's alpha "
            "0.85 for the total of the PCS for francophone adolescents (PCS-Ado, "
            "345 adolescents aged 12-18; test-retest r = 0.73 at 12-16 weeks)"
        ),
        verified=True,
    ),
}
"""Reliability for the reliable change index, only where a coefficient was read.

Instruments without an entry get no RCI ("no published reliability on file")
rather than a borrowed number: PCS-P, FDI-P, FOPQ-C-SF (alpha .92 in Simons et al.
2011 is for the 24-item FOPQ-C, not the short form), CES-DC (Faulstich et al.
1986 call it "adequate" without a figure in the abstract), NRS (one item) and the
PROMIS forms (IRT-scored; a T-score SE would be the better basis).
"""

_NRS_MCID = MeaningfulChange(
    points=1.0,
    percent=12.5,
    source=(
        "Adolescents with chronic pain: raw change of 1 NRS point or 12.5% "
        "(Hirschfeld/Zernikow group, J Pain 2014, PMID 24268356; instruments.md "
        "§2.5)"
    ),
)
_PROMIS_PEDIATRIC_MID = (
    "About 3 T-points as judged by adolescents and parents (about 2 by "
    "clinicians), Thissen et al., Qual Life Res 2016;25:13-23 (instruments.md "
    "§2.4); applies to the T-score"
)

MEANINGFUL_CHANGE: dict[str, MeaningfulChange] = {
    "NRS": _NRS_MCID,
    **{
        code: MeaningfulChange(points=3.0, percent=None, source=_PROMIS_PEDIATRIC_MID)
        for code in (
            "PROMIS-PED-PAININT-8A",
            "PROMIS-PED-DEP-8B",
            "PROMIS-PED-FAT-10A",
            "PROMIS-PED-MOB-8A",
            "PROMIS-PP-PAININT-8A",
            "PROMIS-PP-DEP-6A",
            "PROMIS-PP-FAT-10A",
            "PROMIS-PP-MOB-8A",
        )
    },
}
"""Published thresholds of meaningful change, keyed by catalog code.

Only those sourced in instruments.md: the NRS (§2.5) and the pediatric and
parent-proxy PROMIS domains that Thissen et al. studied (depression, pain
interference, fatigue, mobility; §2.4). None is known for the FDI, PCS, FOPQ or
CES-DC, and none for PROMIS anxiety or sleep.
"""
