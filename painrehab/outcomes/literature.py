"""Published results of other intensive interdisciplinary pain programs.

Shown beside the program's own figures for context, never mixed into them. Only
figures stated in the sources' abstracts or public pages are listed
(../shared/reference/outcomes-literature.md, where each is tagged [verified]).
Effect sizes keep the sign convention of ``domain.outcomes``: negative when the
scores fell, as Claus et al. report them.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class PublishedFigure:
    measure: str
    figure: str  # as the source states it
    kind: str  # "Hedges' g", "mean before → after", "proportion", …


@dataclass(frozen=True)
class PublishedResult:
    program: str
    design: str
    citation: str
    link: str  # a DOI or PMC address; "" when the reference list has none
    figures: tuple[PublishedFigure, ...]
    note: str = ""


CLAUS_2022 = PublishedResult(
    program="Individual-patient-data meta-analysis, 13 treatment sites",
    design="Pre-post, intensive interdisciplinary pain treatment; pooled",
    citation="Claus et al., Pain 2022",
    link="https://doi.org/10.1097/j.pain.0000000000002636",
    figures=(
        PublishedFigure("Pain intensity", "−1.28", "Hedges' g"),
        PublishedFigure("Disability", "−1.91", "Hedges' g"),
        PublishedFigure("Missed school days at 12 months", "−0.99", "Hedges' g"),
        PublishedFigure("Anxiety", "−0.77", "Hedges' g"),
        PublishedFigure("Depression", "−0.76", "Hedges' g"),
    ),
    note="Certainty of evidence very low to low (as the authors rate it).",
)

BRUCE_2017 = PublishedResult(
    program="Mayo Clinic Pediatric Pain Rehabilitation Center, first 1,000 patients",
    design="1,000 consecutive patients aged 9-24, 2008-2015; 3-week program",
    citation=(
        "Bruce, Weiss, Ale, Harrison & Fischer, Mayo Clin Proc Innov Qual Outcomes 2017"
    ),
    link="https://www.ncbi.nlm.nih.gov/pmc/articles/PMC6135035/",
    figures=(
        PublishedFigure(
            "Functional Disability Inventory", "27 → 9", "mean, admission → discharge"
        ),
    ),
)

BANEZ_2014 = PublishedResult(
    program="Cleveland Clinic pediatric pain rehabilitation",
    design="173 patients, mean age 15.1; 3-week inpatient/day hospital",
    citation="Banez et al., J Pediatr Rehabil Med 2014;7(3):197-206",
    link="",
    figures=(
        PublishedFigure(
            "Pain (NRS 0-10)", "6.20 → 4.81", "mean, discharge → 1-month follow-up"
        ),
        PublishedFigure(
            "Pain (NRS 0-10)",
            "4.90 → 3.56",
            "mean, 12 months → 24-42 months after treatment",
        ),
    ),
)

HECHLER_2014 = PublishedResult(
    program="German Paediatric Pain Centre, Datteln (randomized trial)",
    design="52 treated vs 52 on a waitlist",
    citation="Hechler et al., Pain 2014;155(1):118-28",
    link="",
    figures=(
        PublishedFigure(
            "Improved (pain, disability and school absence combined)",
            "55% vs 14%",
            "proportion, treated vs waitlist, after treatment",
        ),
    ),
    note="95% CI of the difference 0.21-0.60.",
)

SIMONS_2018 = PublishedResult(
    program="Boston Children's Pediatric Pain Rehabilitation Center",
    design="253 patients; admission, discharge, 1, 4 and 12 months",
    citation="Simons et al., J Pain 2018;19(2):207-18",
    link="",
    figures=(
        PublishedFigure("Disability (FDI) responders", "88%", "proportion of patients"),
    ),
    note="Trajectory groups over a year, not a single before-after comparison.",
)

PUBLISHED: tuple[PublishedResult, ...] = (
    CLAUS_2022,
    BRUCE_2017,
    BANEZ_2014,
    HECHLER_2014,
    SIMONS_2018,
)
