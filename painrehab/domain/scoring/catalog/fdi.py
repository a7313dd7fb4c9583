"""Functional Disability Inventory (FDI; Walker & Greene 1991), child and parent.

Source: instruments.md §2.1. 15 items coded 0 (no trouble) to 4 (impossible),
summed to 0-60, no reverse items [implementation] (choir-d
``childFDIPhysicalFunction.xml``, ``proxyFDIPhysicalFunction.xml``). Bands 0-12
no/minimal, 13-29 moderate, ≥30 severe (Kashikar-Zuck et al., Pain
2011;152(7):1600-7) [unverified]. No published missing-data rule, so every
item is required. Wording is copyrighted (§0) and is not shipped.
"""

from painrehab.domain.scoring.definitions import (
    Band,
    InstrumentDefinition,
    Respondent,
    Scale,
    items,
    keys,
    options,
)

FDI_BANDS = (
    Band(0, 12, "No/minimal disability"),
    Band(13, 29, "Moderate disability"),
    Band(30, 60, "Severe disability"),
)

_UNVERIFIED = (
    "Bands 0–12 / 13–29 / ≥30 (Kashikar-Zuck et al. 2011) are not confirmed "
    "against the paper.",
    "No missing-data or prorating rule is published; every item is required.",
    "No FDI-specific MCID identified.",
    "The original recall period (CHOIR's wording uses the past 2 weeks).",
    "LOINC code not identified.",
)


def _fdi(code: str, name: str, respondent: Respondent) -> InstrumentDefinition:
    return InstrumentDefinition(
        code=code,
        version="1.0",
        name=name,
        respondent=respondent,
        age_min=None,
        age_max=None,
        items=items(15, options(0, 4, "fdi")),
        scales=(Scale("total", "FDI total", keys(*range(1, 16)), bands=FDI_BANDS),),
        total_scale_key="total",
        higher_is_worse=True,
        meaningful_change=None,
        meaningful_change_source="No FDI-specific MCID identified [unverified].",
        loinc=None,
        citation=(
            "Walker LS, Greene JW. The Functional Disability Inventory. J Pediatr "
            "Psychol 1991. Coding per choir-d FDI forms [implementation]; bands "
            "per Kashikar-Zuck et al., Pain 2011;152(7):1600–7 [unverified]."
        ),
        unverified=_UNVERIFIED,
    )


FDI_C = _fdi("FDI-C", "Functional Disability Inventory, child report", Respondent.CHILD)
FDI_P = _fdi(
    "FDI-P", "Functional Disability Inventory, parent report", Respondent.PARENT
)
