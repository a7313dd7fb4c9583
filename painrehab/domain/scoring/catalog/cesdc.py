"""Center for Epidemiological Studies Depression Scale for Children (CES-DC).

Source: instruments.md §2.11 (Bright Futures CES-DC instructions) [verified]:
20 items coded 0 (not at all) to 3 (a lot); items 4, 8, 12 and 16 are
reverse-scored; total 0-60; a score of 15 or more suggests depressive symptoms.
No missing-data rule is given, so every item is required.
"""

from painrehab.domain.scoring.definitions import (
    InstrumentDefinition,
    Respondent,
    Scale,
    items,
    keys,
    options,
)

CES_DC_REVERSED = frozenset({4, 8, 12, 16})

CES_DC = InstrumentDefinition(
    code="CES-DC",
    version="1.0",
    name="Center for Epidemiological Studies Depression Scale for Children",
    respondent=Respondent.CHILD,
    age_min=None,
    age_max=None,
    items=items(20, options(0, 3, "cesdc"), reverse=CES_DC_REVERSED),
    scales=(Scale("total", "CES-DC total", keys(*range(1, 21)), flag_at=15),),
    total_scale_key="total",
    higher_is_worse=True,
    meaningful_change=None,
    meaningful_change_source="None identified in instruments.md.",
    loinc=None,
    citation=(
        "Weissman MM et al. CES-DC; scoring per the Bright Futures CES-DC "
        "instructions (https://issuu.com/gerritwillemse/docs/ces_dc) [verified]."
    ),
    unverified=(
        "Public-domain status of the wording.",
        "No missing-data rule is published; every item is required.",
        "LOINC code not identified.",
    ),
)
