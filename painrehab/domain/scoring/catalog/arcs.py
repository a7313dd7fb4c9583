"""Adult Responses to Children's Symptoms (ARCS; Van Slyke & Walker 2006).

Source: instruments.md §2.7, CHOIR's 33-item implementation [implementation]
(choir-d ``PedPainScoreProviderFactory.ARCSScoreProvider``,
``ARCSPainResponse.xml``): items coded 0 (never) to 4 (always); Protect,
Minimize and Distract are means with minimum-answered rules; the total is the
mean of the three subscale means. Items 4, 23, 28 and 30 are in no subscale.
Mapping CHOIR's numbering to the 29-item original is [unverified].
"""

from painrehab.domain.scoring.definitions import (
    InstrumentDefinition,
    MissingRule,
    Respondent,
    Scale,
    ScaleMethod,
    items,
    keys,
    options,
)

_CHOIR = "choir-d ARCSScoreProvider [implementation]"

ARCS = InstrumentDefinition(
    code="ARCS",
    version="choir-33",
    name="Adult Responses to Children's Symptoms (CHOIR 33-item version)",
    respondent=Respondent.PARENT,
    age_min=None,
    age_max=None,
    items=items(33, options(0, 4, "arcs")),
    scales=(
        Scale(
            "protect",
            "Protect",
            keys(3, 6, 8, 9, 10, 13, 15, 16, 18, 19, 20, 22, 24, 26, 27),
            method=ScaleMethod.MEAN,
            missing=MissingRule.min_answered(12, _CHOIR),
        ),
        Scale(
            "minimize",
            "Minimize",
            keys(2, 11, 17, 21, 25, 32),
            method=ScaleMethod.MEAN,
            missing=MissingRule.min_answered(4, _CHOIR),
        ),
        Scale(
            "distract",
            "Distract",
            keys(1, 5, 7, 12, 14, 29, 31, 33),
            method=ScaleMethod.MEAN,
            missing=MissingRule.min_answered(6, _CHOIR),
        ),
        Scale(
            "total",
            "ARCS total (mean of subscale means)",
            (),
            method=ScaleMethod.MEAN_OF_SCALES,
            of_scales=("protect", "minimize", "distract"),
        ),
    ),
    total_scale_key="total",
    higher_is_worse=False,
    meaningful_change=None,
    meaningful_change_source="None identified in instruments.md.",
    loinc=None,
    citation=(
        "Van Slyke DA, Walker LS. Clin J Pain 2006 (ARCS); factors per Claar et "
        "al., Clin J Pain 2010;26(5):410–7 and Noel et al., J Pain 2015; item "
        "allocation and rules per choir-d ARCSScoreProvider [implementation]."
    ),
    unverified=(
        "Item numbering is CHOIR's 33-item version; mapping to the 29-item "
        "original is not confirmed.",
        "Official subscale item lists for the 29-item form.",
        "Respondent: CHOIR's form is taken to be the parent report.",
        "Direction: higher Protect/Minimize is usually read as less helpful, "
        "but no single 'higher is worse' direction is published for the total.",
        "LOINC code not identified.",
    ),
    notes=("Items 4, 23, 28 and 30 are collected but belong to no subscale.",),
)
