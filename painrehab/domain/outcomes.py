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

THIS FILE IS A SIGNATURE STUB: bodies are being written (see the helper brief).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

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
    raise NotImplementedError


def percent_change(pre: float, post: float) -> float | None:
    raise NotImplementedError


def improvement(pre: float, post: float, direction: Direction) -> float:
    raise NotImplementedError


def reliable_change_index(
    pre: float, post: float, *, sd_pre: float, reliability: float
) -> float:
    raise NotImplementedError


def reliable_change_threshold(*, sd_pre: float, reliability: float) -> float:
    raise NotImplementedError


def is_reliable(rci: float) -> bool:
    raise NotImplementedError


def is_meaningful(
    pre: float, post: float, direction: Direction, threshold: MeaningfulChange
) -> bool:
    raise NotImplementedError


def describe(values: Sequence[float]) -> Summary:
    raise NotImplementedError


def paired_change(pre: Sequence[float], post: Sequence[float]) -> PairedChange:
    raise NotImplementedError


def wilson_interval(k: int, n: int, z: float = Z_95) -> tuple[float, float]:
    raise NotImplementedError


def proportion(k: int, n: int) -> Proportion:
    raise NotImplementedError


RELIABILITY: dict[str, Reliability] = {}
MEANINGFUL_CHANGE: dict[str, MeaningfulChange] = {}
