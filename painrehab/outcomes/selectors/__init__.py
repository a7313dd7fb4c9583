"""Reads of the program's outcomes: aggregate figures only, never a name."""

from painrehab.outcomes.selectors.cohort import (
    KEY_INSTRUMENTS,
    CohortTable,
    PointRow,
    cohort_table_get,
    cohort_tables,
    is_outcome_code,
)
from painrehab.outcomes.selectors.cohort_json import table_as_dict
from painrehab.outcomes.selectors.figures import ProgramFigures
from painrehab.outcomes.selectors.filters import (
    AGE_BANDS,
    CohortEpisode,
    CohortFilter,
    age_band_of,
    cohort_episodes,
)
from painrehab.outcomes.selectors.program import Dashboard, dashboard_get

__all__ = [
    "AGE_BANDS",
    "KEY_INSTRUMENTS",
    "CohortEpisode",
    "CohortFilter",
    "CohortTable",
    "Dashboard",
    "PointRow",
    "ProgramFigures",
    "age_band_of",
    "cohort_episodes",
    "cohort_table_get",
    "cohort_tables",
    "dashboard_get",
    "is_outcome_code",
    "table_as_dict",
]
