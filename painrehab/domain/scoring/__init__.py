"""Questionnaire scoring core: pure Python, no Django.

Public API: ``score(definition, answers, t_tables=None) -> ScoreResult``,
``ENGINE_VERSION``, the ``CATALOG`` of definitions with ``get(code)``, and the
input-error exceptions. Sources and licensing: instruments.md and
docs/instruments.md.
"""

from painrehab.domain.scoring.catalog import CATALOG, get
from painrehab.domain.scoring.engine import (
    ENGINE_VERSION,
    ScaleScore,
    ScoreResult,
    ScoringInputError,
    UnknownItem,
    ValueOutOfRange,
    WrongType,
    score,
)

__all__ = [
    "CATALOG",
    "ENGINE_VERSION",
    "ScaleScore",
    "ScoreResult",
    "ScoringInputError",
    "UnknownItem",
    "ValueOutOfRange",
    "WrongType",
    "get",
    "score",
]
