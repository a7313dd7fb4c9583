"""Score one set of answers against one instrument definition.

Rules applied (instruments.md):

- Answers are validated first; a bad answer raises a ``ScoringInputError`` that
  names the item.
- Reverse-keyed items are scored as max option + min option - value (CES-DC
  items 4, 8, 12, 16, §2.11).
- A missing answer (absent or ``None``) is never treated as 0. Each scale
  applies its own ``MissingRule``; where no rule is published, any missing item
  makes the scale not scorable, with a reason naming the items.
- Prorating (PROMIS, §3.3): raw = round(sum x items / answered), rounded half
  up, only while the published minimum is answered. HealthMeasures requires at
  least 4 answered items in forms of 4 or more items [verified]; the proration
  formula is CHOIR's production rule [implementation].
- T-scores come only from a loaded official table (``norms.py``).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from math import floor

from painrehab.domain.scoring.definitions import (
    InstrumentDefinition,
    MissingKind,
    Scale,
    ScaleMethod,
)
from painrehab.domain.scoring.norms import TTable

ENGINE_VERSION = "1.0.0"


class ScoringInputError(ValueError):
    """An answer set that cannot be scored as given; ``item`` names the culprit."""

    def __init__(self, item: str, message: str) -> None:
        super().__init__(message)
        self.item = item


class UnknownItem(ScoringInputError):
    def __init__(self, item: str) -> None:
        super().__init__(item, f"Item {item!r} is not on this form.")


class WrongType(ScoringInputError):
    def __init__(self, item: str) -> None:
        super().__init__(item, f"Item {item}: the answer must be a whole number.")


class ValueOutOfRange(ScoringInputError):
    def __init__(self, item: str, value: int, allowed: tuple[int, ...]) -> None:
        allowed_text = ", ".join(str(v) for v in allowed)
        super().__init__(
            item, f"Item {item}: {value} is not one of the options ({allowed_text})."
        )
        self.value = value
        self.allowed = allowed


@dataclass(frozen=True)
class ScaleScore:
    value: float | None
    scorable: bool
    prorated: bool
    missing: tuple[str, ...]
    band: str | None
    flagged: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class ScoreResult:
    code: str
    version: str
    scorable: bool  # the total scale could be scored
    total: float | None
    scales: dict[str, ScaleScore]
    t_score: float | None
    t_score_reason: str
    band: str | None
    prorated: bool
    missing: tuple[str, ...]  # every unanswered item, in form order
    reasons: tuple[str, ...]
    engine_version: str
    t_score_se: float | None = None


def _validate(
    definition: InstrumentDefinition, answers: Mapping[str, object]
) -> dict[str, int | None]:
    known = set(definition.item_keys)
    for key in answers:
        if key not in known:
            raise UnknownItem(str(key))
    cleaned: dict[str, int | None] = {}
    for item in definition.items:
        value = answers.get(item.key)
        if value is None:
            cleaned[item.key] = None
            continue
        if not isinstance(value, int) or isinstance(value, bool):
            raise WrongType(item.key)
        if value not in item.values:
            raise ValueOutOfRange(item.key, value, item.values)
        cleaned[item.key] = item.scored(value)
    return cleaned


def round_half_up(value: Fraction) -> int:
    """Round to the nearest integer, halves upward (6.5 → 7), exactly."""
    return floor(value + Fraction(1, 2))


def _list(keys: tuple[str, ...]) -> str:
    noun = "item" if len(keys) == 1 else "items"
    return f"{noun} {', '.join(keys)}"


def _finish(
    scale: Scale,
    value: float,
    prorated: bool,
    missing: tuple[str, ...],
    reasons: tuple[str, ...],
) -> ScaleScore:
    flagged = scale.flag_at is not None and value >= scale.flag_at
    band = scale.band_for(value)
    return ScaleScore(value, True, prorated, missing, band, flagged, reasons)


def _unscorable(missing: tuple[str, ...], reason: str) -> ScaleScore:
    return ScaleScore(None, False, False, missing, None, False, (reason,))


def _complete(scale: Scale, values: list[int]) -> float:
    if scale.method is ScaleMethod.SUM:
        return float(sum(values))
    return sum(values) / len(values)


def _with_missing(
    scale: Scale, values: list[int], missing: tuple[str, ...]
) -> ScaleScore:
    rule = scale.missing
    n_items, n_answered = len(scale.items), len(values)
    cite = f" ({rule.source})" if rule.source else ""
    if rule.kind is MissingKind.PRORATE and len(missing) <= rule.max_missing:
        raw = round_half_up(Fraction(sum(values) * n_items, n_answered))
        reason = (
            f"{scale.label}: prorated from {n_answered} of {n_items} items "
            f"(round(sum × {n_items} ÷ {n_answered})){cite}; {_list(missing)} "
            "unanswered."
        )
        return _finish(scale, float(raw), True, missing, (reason,))
    if rule.kind is MissingKind.MIN_ANSWERED and n_answered >= rule.min_answered_items:
        reason = (
            f"{scale.label}: mean of the {n_answered} answered items "
            f"(at least {rule.min_answered_items} needed){cite}; "
            f"{_list(missing)} unanswered."
        )
        return _finish(scale, sum(values) / n_answered, False, missing, (reason,))
    return _unscorable(missing, _not_scored_reason(scale, n_answered, missing))


def _not_scored_reason(scale: Scale, n_answered: int, missing: tuple[str, ...]) -> str:
    rule = scale.missing
    head = f"{scale.label} not scored: {_list(missing)} unanswered"
    if rule.kind is MissingKind.PRORATE:
        return f"{head}; at most {rule.max_missing} may be missing ({rule.source})."
    if rule.kind is MissingKind.MIN_ANSWERED:
        return (
            f"{head}; {n_answered} answered but at least "
            f"{rule.min_answered_items} are needed ({rule.source})."
        )
    if rule.source:
        return f"{head}; every item is required ({rule.source})."
    return f"{head}; no missing-data rule is published, so every item is required."


def _item_scale(scale: Scale, scored: Mapping[str, int | None]) -> ScaleScore:
    missing = tuple(key for key in scale.items if scored[key] is None)
    values = [v for key in scale.items if (v := scored[key]) is not None]
    if not missing:
        return _finish(scale, _complete(scale, values), False, (), ())
    return _with_missing(scale, values, missing)


def _scale_of_scales(scale: Scale, done: Mapping[str, ScaleScore]) -> ScaleScore:
    parts = [done[key] for key in scale.of_scales]
    missing = tuple(sorted({m for p in parts for m in p.missing}, key=int))
    not_scored = tuple(key for key in scale.of_scales if done[key].value is None)
    if not_scored:
        reason = (
            f"{scale.label} not scored: needs every subscale, and "
            f"{', '.join(not_scored)} could not be scored."
        )
        return _unscorable(missing, reason)
    values = [p.value for p in parts if p.value is not None]
    value = sum(values) / len(values)
    return _finish(scale, value, any(p.prorated for p in parts), missing, ())


def _t_score(
    definition: InstrumentDefinition,
    total: ScaleScore,
    t_tables: Mapping[str, TTable] | None,
) -> tuple[float | None, float | None, str]:
    if not definition.converts_to_t:
        return None, None, f"{definition.code} is not scored on a T-score metric."
    table = (t_tables or {}).get(definition.code)
    if table is None:
        return None, None, f"No official conversion table loaded for {definition.code}"
    if table.version != definition.version:
        reason = (
            f"The loaded table is for version {table.version}, "
            f"but the form is version {definition.version}."
        )
        return None, None, reason
    if total.value is None:
        return None, None, "The raw score could not be computed, so there is no T."
    row = table.lookup(int(total.value))
    if row is None:
        return None, None, f"Raw score {int(total.value)} is not in the loaded table."
    return row.t, row.se, f"Looked up in {table.source}."


def score(
    definition: InstrumentDefinition,
    answers: Mapping[str, int | None],
    t_tables: Mapping[str, TTable] | None = None,
) -> ScoreResult:
    """Score every scale of ``definition`` for ``answers`` (item key → value)."""
    scored = _validate(definition, answers)
    done: dict[str, ScaleScore] = {}
    for scale in definition.scales:
        if scale.method is ScaleMethod.MEAN_OF_SCALES:
            done[scale.key] = _scale_of_scales(scale, done)
        else:
            done[scale.key] = _item_scale(scale, scored)
    total = done[definition.total_scale_key]
    t_score, t_se, t_reason = _t_score(definition, total, t_tables)
    return ScoreResult(
        code=definition.code,
        version=definition.version,
        scorable=total.scorable,
        total=total.value,
        scales=done,
        t_score=t_score,
        t_score_reason=t_reason,
        band=total.band,
        prorated=total.prorated,
        missing=tuple(key for key, value in scored.items() if value is None),
        reasons=tuple(reason for s in done.values() for reason in s.reasons),
        engine_version=ENGINE_VERSION,
        t_score_se=t_se,
    )
