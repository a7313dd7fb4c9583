"""PROMIS pediatric (self-report) and parent-proxy short forms.

Source: instruments.md §2.4 and §3. Items are coded 0-4 for pediatric and
parent-proxy forms (NINDS CDE) [verified]; recall "past 7 days", self-report
ages 8-17, parent proxy 5-17 [verified]. A higher T means more of the concept:
symptoms higher = worse, mobility higher = better [verified]. The raw sum is
converted to T with the form's official HealthMeasures table, which is PHO
material and is not shipped (§0, §3.2): load it with ``norms.load_t_table``.

Missing data (§3.3): HealthMeasures requires at least 4 answered items in
forms of 4 or more items [verified]; the raw sum is then prorated as
round(sum x items / answered), CHOIR's production formula [implementation].
HealthMeasures' own generic proration rule is [unverified].

MID about 2 (clinician) to 3 (adolescent, parent) T-points for pediatric
depression, pain interference, fatigue and mobility (Thissen et al., Qual
Life Res 2016;25:13-23) [verified]; 3 is stored as the patient-facing value.
"""

from dataclasses import dataclass

from painrehab.domain.scoring.definitions import (
    InstrumentDefinition,
    MissingRule,
    Respondent,
    Scale,
    items,
    keys,
    options,
)

PROMIS_MIN_ANSWERED = 4
_RULE_SOURCE = (
    "HealthMeasures: at least 4 items answered [verified]; proration "
    "round(sum × items ÷ answered) per choir-d [implementation]"
)
_MID_SOURCE = (
    "About 2 (clinician) to 3 (adolescent and parent) T-points, Thissen et al., "
    "Qual Life Res 2016;25:13–23 [verified]; applies to the T-score."
)
_COMMON_UNVERIFIED = (
    "HealthMeasures' generic proration rule for incomplete short forms; CHOIR's "
    "round(sum × items ÷ answered) is used.",
    "LOINC codes for pediatric and parent-proxy PROMIS short forms.",
    "Per-domain severity cut points on the T metric (not shipped).",
)


@dataclass(frozen=True)
class _Form:
    code: str
    version: str
    name: str
    respondent: Respondent
    n_items: int
    higher_is_worse: bool = True
    mid: bool = False
    extra_unverified: tuple[str, ...] = ()
    item_ids: tuple[str, ...] = ()


def _build(form: _Form) -> InstrumentDefinition:
    child = form.respondent is Respondent.CHILD
    rule = MissingRule.prorate(form.n_items - PROMIS_MIN_ANSWERED, _RULE_SOURCE)
    ids = f" Item IDs (choir-d): {', '.join(form.item_ids)}." if form.item_ids else ""
    return InstrumentDefinition(
        code=form.code,
        version=form.version,
        name=form.name,
        respondent=form.respondent,
        age_min=8 if child else 5,
        age_max=17,
        items=items(form.n_items, options(0, 4, form.code.lower())),
        scales=(
            Scale("total", "Raw sum", keys(*range(1, form.n_items + 1)), missing=rule),
        ),
        total_scale_key="total",
        higher_is_worse=form.higher_is_worse,
        meaningful_change=3.0 if form.mid else None,
        meaningful_change_source=_MID_SOURCE if form.mid else "None identified.",
        loinc=None,
        citation=(
            f"PROMIS {form.name} v{form.version}; HealthMeasures scoring "
            "instructions (https://www.healthmeasures.net/score-and-interpret/"
            f"calculate-scores/scoring-instructions); NINDS CDE.{ids}"
        ),
        unverified=(*_COMMON_UNVERIFIED, *form.extra_unverified),
        converts_to_t=True,
    )


_NOT_IN_REFERENCE = (
    "Form, version and item count are not listed in instruments.md; confirm "
    "against the HealthMeasures form before use.",
)
_MOBILITY = (
    "Option coding direction assumed higher = better mobility; confirm against "
    "the official form and table.",
)

_FORMS = (
    _Form("PROMIS-PED-PAININT-8A", "1.0", "Pediatric Pain Interference 8a",
          Respondent.CHILD, 8, mid=True,
          item_ids=("1698bR1", "1703R1", "2035R1", "2045R1", "2049R1", "2180R1",
                    "3793R1", "9004")),
    _Form("PROMIS-PED-ANX-8B", "1.1", "Pediatric Anxiety 8b", Respondent.CHILD, 8,
          item_ids=("2220R2", "2230R1", "227bR1", "231R1", "3150bR2", "3459bR1",
                    "5044R1", "713R1")),
    _Form("PROMIS-PED-DEP-8B", "1.1", "Pediatric Depressive Symptoms 8b",
          Respondent.CHILD, 8, mid=True,
          item_ids=("228R1", "3952aR2", "461R1", "488R1", "5035R1", "5041R1",
                    "711R1", "712R1")),
    _Form("PROMIS-PED-FAT-10A", "1.0", "Pediatric Fatigue 10a", Respondent.CHILD,
          10, mid=True,
          item_ids=("2876R1", "4196R1", "4208bR2", "4210R2", "4212R1", "4213R1",
                    "4220R1", "4221R1", "4239aR2", "4241R2")),
    _Form("PROMIS-PED-SLEEP-8A", "1.0", "Pediatric Sleep Disturbance 8a",
          Respondent.CHILD, 8,
          extra_unverified=("Short-form version number (8-item form verified, "
                            "Forrest et al. 2018; version assumed 1.0).",)),
    _Form("PROMIS-PED-MOB-8A", "2.0", "Pediatric Mobility 8a", Respondent.CHILD, 8,
          higher_is_worse=False, mid=True, extra_unverified=_MOBILITY),
    _Form("PROMIS-PP-PAININT-8A", "2.0", "Parent Proxy Pain Interference 8a",
          Respondent.PARENT, 8, mid=True,
          item_ids=("Pf1pain4r", "Pf2pain2r", "Pf2pain4r", "Pf2pain5r",
                    "Pf3pain2r", "Pf3pain4r", "Pf3pain7r", "Pf4pain6r")),
    _Form("PROMIS-PP-ANX-8A", "2.0", "Parent Proxy Anxiety 8a", Respondent.PARENT,
          8, extra_unverified=_NOT_IN_REFERENCE),
    _Form("PROMIS-PP-DEP-6A", "2.0", "Parent Proxy Depressive Symptoms 6a",
          Respondent.PARENT, 6, mid=True, extra_unverified=_NOT_IN_REFERENCE),
    _Form("PROMIS-PP-FAT-10A", "2.0", "Parent Proxy Fatigue 10a",
          Respondent.PARENT, 10, mid=True, extra_unverified=_NOT_IN_REFERENCE),
    _Form("PROMIS-PP-SLEEP-8A", "1.0", "Parent Proxy Sleep Disturbance 8a",
          Respondent.PARENT, 8, extra_unverified=_NOT_IN_REFERENCE),
    _Form("PROMIS-PP-MOB-8A", "2.0", "Parent Proxy Mobility 8a", Respondent.PARENT,
          8, higher_is_worse=False, mid=True, extra_unverified=_MOBILITY,
          item_ids=("Pf1mobil1r", "Pf1mobil3r", "Pf2mobil4r", "Pf2mobil7r",
                    "Pf3mobil3r", "Pf3mobil8r", "Pf3mobil9r", "Pf4mobil4r")),
)  # fmt: skip

PROMIS_FORMS: tuple[InstrumentDefinition, ...] = tuple(_build(f) for f in _FORMS)
