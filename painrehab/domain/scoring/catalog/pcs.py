"""Pain Catastrophizing Scale, child (PCS-C) and parent (PCS-P) versions.

Source: instruments.md §2.2. 13 items coded 0 (not at all) to 4 (extremely),
total 0-52, no reverse items [implementation]/[verified for adult PCS].
Subscales use the adult mapping (awell-health/awell-score ``pcs_scales.ts``)
[verified], following Crombez's 3-factor structure, but not item-verified for
the child and parent forms [unverified]. CHOIR requires all 13 items
[implementation]; no prorating rule identified. Child bands Low 0-14,
Moderate 15-25, High ≥26 [implementation] (choir-d ``PCSScore``).
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

_ALL_REQUIRED = MissingRule.none_allowed(
    "CHOIR requires all 13 items [implementation]; no prorating rule identified"
)

PCS_C_BANDS = (
    Band(0, 14, "Low"),
    Band(15, 25, "Moderate"),
    Band(26, 52, "High"),
)


def _scales(bands: tuple[Band, ...]) -> tuple[Scale, ...]:
    return (
        Scale("rumination", "Rumination", keys(8, 9, 10, 11), missing=_ALL_REQUIRED),
        Scale("magnification", "Magnification", keys(6, 7, 13), missing=_ALL_REQUIRED),
        Scale(
            "helplessness",
            "Helplessness",
            keys(1, 2, 3, 4, 5, 12),
            missing=_ALL_REQUIRED,
        ),
        Scale(
            "total",
            "PCS total",
            keys(*range(1, 14)),
            missing=_ALL_REQUIRED,
            bands=bands,
        ),
    )


_COMMON_UNVERIFIED = (
    "Subscale item allocation is the adult PCS mapping; not item-verified for "
    "the child/parent forms.",
    "No prorating rule identified; every item is required.",
    "Licence terms for the child and parent versions.",
    "LOINC code not identified.",
)

PCS_C = InstrumentDefinition(
    code="PCS-C",
    version="1.0",
    name="Pain Catastrophizing Scale, child version",
    respondent=Respondent.CHILD,
    age_min=None,
    age_max=None,
    items=items(13, options(0, 4, "pcs")),
    scales=_scales(PCS_C_BANDS),
    total_scale_key="total",
    higher_is_worse=True,
    meaningful_change=None,
    meaningful_change_source="None identified in instruments.md.",
    loinc=None,
    citation=(
        "Crombez G et al. Child version of the PCS (PCS-C), Pain 2003; reference "
        "points Pielech et al., Pain 2014;155(11):2360–7; bands as shipped by "
        "choir-d PedPainScoreProviderFactory [implementation]."
    ),
    unverified=(
        *_COMMON_UNVERIFIED,
        "Bands Low 0–14 / Moderate 15–25 / High ≥26 are CHOIR's implementation "
        "of Pielech 2014; cut points not re-checked against the paper.",
    ),
)

PCS_P = InstrumentDefinition(
    code="PCS-P",
    version="1.0",
    name="Pain Catastrophizing Scale, parent version",
    respondent=Respondent.PARENT,
    age_min=None,
    age_max=None,
    items=items(13, options(0, 4, "pcs")),
    scales=_scales(()),
    total_scale_key="total",
    higher_is_worse=True,
    meaningful_change=None,
    meaningful_change_source="None identified in instruments.md.",
    loinc=None,
    citation="Goubert L et al. Parent version of the PCS (PCS-P), Pain 2006.",
    unverified=(
        *_COMMON_UNVERIFIED,
        "No bands shipped: CHOIR labels the parent form 'High' at ≥23 with no "
        "stated source.",
    ),
)
