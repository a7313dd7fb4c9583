"""Instrument definitions as frozen data: items, options, scales, bands, rules.

A definition holds scoring logic only (sums, reverse keys, subscale allocation,
missing-data rules, cut points), never item wording: see
``/work/shared/reference/instruments.md`` §0, "Scoring logic may be shipped; item
wording may not". Wording lives in content packs (``content.py``).

Each definition cites its source, and any fact the reference marks [unverified]
is listed in ``InstrumentDefinition.unverified`` so the product can label it.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from itertools import pairwise


class Respondent(StrEnum):
    """Who fills the form in."""

    CHILD = "child"
    PARENT = "parent"
    CLINICIAN = "clinician"


class ScaleMethod(StrEnum):
    """How a scale combines its inputs."""

    SUM = "sum"  # sum of its items' scored values
    MEAN = "mean"  # mean of its answered items' scored values
    MEAN_OF_SCALES = "mean_of_scales"  # mean of other scales' values (ARCS total)


class MissingKind(StrEnum):
    """The families of missing-data rule."""

    NONE_ALLOWED = "none_allowed"  # any missing item → scale not scorable
    PRORATE = "prorate"  # sum scaled up from the answered items
    MIN_ANSWERED = "min_answered"  # mean of the answered items, if enough


@dataclass(frozen=True)
class MissingRule:
    """A scale's missing-data rule and where it comes from.

    Build one with ``none_allowed()``, ``prorate()`` or ``min_answered()``.
    ``source`` cites the rule; an empty source means no rule is published, and
    the scale then requires every item (missing is never treated as 0).
    """

    kind: MissingKind
    max_missing: int = 0
    min_answered_items: int = 0
    method: str = ""
    source: str = ""

    @classmethod
    def none_allowed(cls, source: str = "") -> "MissingRule":
        return cls(MissingKind.NONE_ALLOWED, source=source)

    @classmethod
    def prorate(cls, max_missing: int, source: str) -> "MissingRule":
        """Sum x items / answered, rounded half up, if ≤ ``max_missing`` missing."""
        return cls(
            MissingKind.PRORATE,
            max_missing=max_missing,
            method="mean_substitution",
            source=source,
        )

    @classmethod
    def min_answered(cls, n: int, source: str) -> "MissingRule":
        return cls(MissingKind.MIN_ANSWERED, min_answered_items=n, source=source)

    def __post_init__(self) -> None:
        if self.max_missing < 0 or self.min_answered_items < 0:
            raise ValueError("missing-data rule limits cannot be negative")
        if self.kind is MissingKind.MIN_ANSWERED and self.min_answered_items < 1:
            raise ValueError("MIN_ANSWERED needs at least one answered item")


NO_PUBLISHED_RULE = MissingRule.none_allowed()


@dataclass(frozen=True)
class ResponseOption:
    """One answer choice: the numeric code that is scored and a wording key."""

    value: int
    label_key: str


@dataclass(frozen=True)
class Item:
    """One question, keyed "1".."N" by its position on the form."""

    key: str
    options: tuple[ResponseOption, ...]
    reverse: bool = False

    def __post_init__(self) -> None:
        values = [option.value for option in self.options]
        if not values:
            raise ValueError(f"item {self.key} has no options")
        if len(values) != len(set(values)):
            raise ValueError(f"item {self.key} has duplicate option values")

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(sorted(option.value for option in self.options))

    @property
    def min_value(self) -> int:
        return min(self.values)

    @property
    def max_value(self) -> int:
        return max(self.values)

    def scored(self, value: int) -> int:
        """The value that is summed: max + min - value for reverse-keyed items."""
        if self.reverse:
            return self.max_value + self.min_value - value
        return value


@dataclass(frozen=True)
class Band:
    """A labelled score range, inclusive at both ends."""

    low: float
    high: float
    label: str

    def __post_init__(self) -> None:
        if self.low > self.high:
            raise ValueError(f"band {self.label!r} has low above high")

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high


@dataclass(frozen=True)
class Scale:
    """A score computed from items (or, for MEAN_OF_SCALES, from other scales)."""

    key: str
    label: str
    items: tuple[str, ...]
    method: ScaleMethod = ScaleMethod.SUM
    missing: MissingRule = NO_PUBLISHED_RULE
    bands: tuple[Band, ...] = ()
    flag_at: float | None = None
    of_scales: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self._check_inputs()
        self._check_rule()
        ordered = sorted(self.bands, key=lambda band: band.low)
        for previous, current in pairwise(ordered):
            if current.low <= previous.high:
                raise ValueError(f"scale {self.key} has overlapping bands")

    def _check_inputs(self) -> None:
        if self.method is ScaleMethod.MEAN_OF_SCALES:
            if self.items or not self.of_scales:
                raise ValueError(f"scale {self.key} must list scales, not items")
        elif not self.items or self.of_scales:
            raise ValueError(f"scale {self.key} must list items, not scales")
        if len(self.items) != len(set(self.items)):
            raise ValueError(f"scale {self.key} lists an item twice")

    def _check_rule(self) -> None:
        kind = self.missing.kind
        if kind is MissingKind.PRORATE and (
            self.method is not ScaleMethod.SUM
            or self.missing.max_missing >= len(self.items)
        ):
            raise ValueError(f"scale {self.key}: prorating needs a sum of enough items")
        if kind is MissingKind.MIN_ANSWERED and (
            self.method is not ScaleMethod.MEAN
            or self.missing.min_answered_items > len(self.items)
        ):
            raise ValueError(f"scale {self.key}: MIN_ANSWERED needs a mean scale")

    def band_for(self, value: float) -> str | None:
        for band in self.bands:
            if band.contains(value):
                return band.label
        return None


@dataclass(frozen=True)
class InstrumentDefinition:
    """One version of one questionnaire: its items, scales and provenance."""

    code: str
    version: str
    name: str
    respondent: Respondent
    age_min: int | None
    age_max: int | None
    items: tuple[Item, ...]
    scales: tuple[Scale, ...]
    total_scale_key: str
    higher_is_worse: bool
    meaningful_change: float | None
    meaningful_change_source: str
    loinc: str | None
    citation: str
    unverified: tuple[str, ...] = ()
    converts_to_t: bool = False  # PROMIS short forms: raw sum → T via a table
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        for position, item in enumerate(self.items, start=1):
            if item.key != str(position):
                raise ValueError(f"{self.code}: item {position} is keyed {item.key!r}")
        item_keys = {item.key for item in self.items}
        seen: set[str] = set()
        for scale in self.scales:
            if scale.key in seen:
                raise ValueError(f"{self.code}: scale {scale.key} defined twice")
            unknown = set(scale.items) - item_keys
            if unknown:
                raise ValueError(f"{self.code}: scale {scale.key} unknown items")
            if set(scale.of_scales) - seen:
                raise ValueError(f"{self.code}: scale {scale.key} needs earlier scales")
            seen.add(scale.key)
        if self.total_scale_key not in seen:
            raise ValueError(f"{self.code}: no scale {self.total_scale_key}")

    @property
    def item_keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.items)

    def item(self, key: str) -> Item:
        return self.items[int(key) - 1]

    def scale(self, key: str) -> Scale:
        for scale in self.scales:
            if scale.key == key:
                return scale
        raise KeyError(key)

    @property
    def total_scale(self) -> Scale:
        return self.scale(self.total_scale_key)

    def bounds(self, scale_key: str) -> tuple[float, float]:
        """The lowest and highest value a scale can take (complete answers)."""
        scale = self.scale(scale_key)
        if scale.method is ScaleMethod.MEAN_OF_SCALES:
            parts = [self.bounds(key) for key in scale.of_scales]
            return min(p[0] for p in parts), max(p[1] for p in parts)
        items = [self.item(key) for key in scale.items]
        lows = [min(i.scored(v) for v in i.values) for i in items]
        highs = [max(i.scored(v) for v in i.values) for i in items]
        if scale.method is ScaleMethod.SUM:
            return float(sum(lows)), float(sum(highs))
        return float(min(lows)), float(max(highs))


def options(low: int, high: int, prefix: str) -> tuple[ResponseOption, ...]:
    """Options ``low``..``high`` with label keys ``<prefix>.<value>``."""
    return tuple(ResponseOption(v, f"{prefix}.{v}") for v in range(low, high + 1))


def items(
    count: int,
    choices: tuple[ResponseOption, ...],
    reverse: frozenset[int] = frozenset(),
) -> tuple[Item, ...]:
    """``count`` items keyed "1".."N" sharing one option set."""
    return tuple(
        Item(str(n), choices, reverse=n in reverse) for n in range(1, count + 1)
    )


def keys(*numbers: int) -> tuple[str, ...]:
    """Item keys from item numbers: ``keys(1, 2)`` → ``("1", "2")``."""
    return tuple(str(n) for n in numbers)
