"""Pain intensity numeric rating scale, 0-10 (NRS).

Source: instruments.md §2.5. Generic scale with no owner (§0), so its wording
ships. PedIMMPACT recommends it for self-report above age 8 (§1a) [verified].
MCID in adolescents with chronic pain: 1 point or 12.5% (PMID 24268356)
[verified]. LOINC 72514-3 [verified].
"""

from painrehab.domain.scoring.definitions import (
    InstrumentDefinition,
    Respondent,
    Scale,
    items,
    keys,
    options,
)

NRS = InstrumentDefinition(
    code="NRS",
    version="1.0",
    name="Pain intensity numeric rating scale (0–10)",
    respondent=Respondent.CHILD,
    age_min=8,
    age_max=None,
    items=items(1, options(0, 10, "nrs")),
    scales=(Scale("total", "Pain intensity", keys(1)),),
    total_scale_key="total",
    higher_is_worse=True,
    meaningful_change=1.0,
    meaningful_change_source=(
        "Adolescents with chronic pain: raw change of 1 NRS point or 12.5% "
        "(PMID 24268356; instruments.md §2.5) [verified]"
    ),
    loinc="72514-3",
    citation=(
        "Generic 0–10 numeric rating scale; PedIMMPACT (McGrath et al., J Pain "
        "2008;9(9):771–83) recommends it for self-report above age 8."
    ),
    unverified=(
        "Exact citation of the MCID study (Hirschfeld/Zernikow group, J Pain 2014).",
    ),
)
