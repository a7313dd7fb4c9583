"""What the outcome figures need to know about each instrument, in one place.

Joins the scoring catalog (direction, bands, bounds, the published meaningful-change
threshold in points) with ``domain.outcomes`` (reliability coefficients and the
thresholds that also have a percent form). Selectors, charts and reports take an
``OutcomeSpec`` and never look these facts up on their own.

The compared value: PROMIS short forms are compared on T-scores when the
deployment installed the licensed conversion tables (``Score.t_score`` is set);
without them the raw sum is used, and no T-point threshold applies to it. Every
other instrument is compared on its total.
"""

from dataclasses import dataclass

from painrehab.domain import outcomes as metrics
from painrehab.domain.scoring import CATALOG, get
from painrehab.domain.scoring.definitions import Band


@dataclass(frozen=True)
class OutcomeSpec:
    code: str
    name: str
    respondent: str  # "child", "parent" or "clinician"
    direction: metrics.Direction
    on_t: bool  # a PROMIS form: T-scores when the tables are installed
    low: float  # bounds of the raw total
    high: float
    bands: tuple[Band, ...]
    threshold: metrics.MeaningfulChange | None  # in the units of the T-score or total
    reliability: metrics.Reliability | None

    def value(self, total: float | None, t_score: float | None) -> float | None:
        """The number a change is measured on (see the module docstring)."""
        if self.on_t and t_score is not None:
            return t_score
        return total

    def threshold_for(self, *, on_t_scores: bool) -> metrics.MeaningfulChange | None:
        """A T-point threshold does not apply to raw sums."""
        if self.on_t and not on_t_scores:
            return None
        return self.threshold

    def improved(self, change: float) -> bool:
        if self.direction is metrics.Direction.LOWER_IS_BETTER:
            return change < 0
        return change > 0


def _threshold(code: str) -> metrics.MeaningfulChange | None:
    if code in metrics.MEANINGFUL_CHANGE:
        return metrics.MEANINGFUL_CHANGE[code]
    definition = get(code)
    if definition.meaningful_change is None:
        return None
    return metrics.MeaningfulChange(
        points=definition.meaningful_change,
        percent=None,
        source=definition.meaningful_change_source,
    )


def spec(code: str) -> OutcomeSpec:
    """The outcome facts of one catalog instrument; ``KeyError`` if unknown."""
    definition = get(code)
    low, high = definition.bounds(definition.total_scale_key)
    return OutcomeSpec(
        code=definition.code,
        name=definition.name,
        respondent=str(definition.respondent),
        direction=(
            metrics.Direction.LOWER_IS_BETTER
            if definition.higher_is_worse
            else metrics.Direction.HIGHER_IS_BETTER
        ),
        on_t=definition.converts_to_t,
        low=low,
        high=high,
        bands=definition.total_scale.bands,
        threshold=_threshold(code),
        reliability=metrics.RELIABILITY.get(code),
    )


def outcome_codes() -> list[str]:
    """Every instrument whose change is an outcome (not ARCS, a parenting style)."""
    return [code for code in CATALOG if code != "ARCS"]
