"""Fear of Pain Questionnaire, child short form (FOPQ-C-SF; Simons et al.).

Source: instruments.md §2.3 [implementation] (choir-d ``childFOPQ.xml``,
``FOPQScoreProvider``): 10 items coded 0 (strongly disagree) to 4 (strongly
agree); Fear = items 1, 2, 3, 5, 6; Avoidance = items 4, 7, 8, 9, 10; total
0-40; subscales scored only if all 5 items are answered. CHOIR flags the total
at ≥16 "At-Risk" and ≥20 "Elevated"; the cut-offs' source is not stated.
"""

from painrehab.domain.scoring.definitions import (
    Band,
    InstrumentDefinition,
    MissingRule,
    Respondent,
    Scale,
    items,
    keys,
    options,
)

_ALL_FIVE = MissingRule.none_allowed(
    "subscales scored only if all 5 items are answered (choir-d) [implementation]"
)

FOPQ_BANDS = (
    Band(0, 15, "Below at-risk"),
    Band(16, 19, "At-Risk"),
    Band(20, 40, "Elevated"),
)

FOPQ_C_SF = InstrumentDefinition(
    code="FOPQ-C-SF",
    version="1.0",
    name="Fear of Pain Questionnaire, child short form",
    respondent=Respondent.CHILD,
    age_min=None,
    age_max=None,
    items=items(10, options(0, 4, "fopq")),
    scales=(
        Scale("fear", "Fear of pain", keys(1, 2, 3, 5, 6), missing=_ALL_FIVE),
        Scale("avoidance", "Avoidance", keys(4, 7, 8, 9, 10), missing=_ALL_FIVE),
        Scale(
            "total",
            "FOPQ-C-SF total",
            keys(*range(1, 11)),
            bands=FOPQ_BANDS,
            flag_at=16,
        ),
    ),
    total_scale_key="total",
    higher_is_worse=True,
    meaningful_change=None,
    meaningful_change_source="Reliable change / MCID not identified [unverified].",
    loinc=None,
    citation=(
        "Simons LE et al., J Pain 2011;12(6):677–86 (FOPQ); short form and "
        "scoring as implemented in choir-d childFOPQ.xml / FOPQScoreProvider "
        "[implementation]."
    ),
    unverified=(
        "Cut-offs ≥16 At-Risk and ≥20 Elevated: CHOIR gives no source.",
        "Total-score missing-data rule not published; every item is required.",
        "Reliable change / MCID not identified.",
        "LOINC code not identified.",
    ),
)
