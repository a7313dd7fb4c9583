"""The program's admission rules, as data, and the recommendation they give.

DESIGN.md, "Eligibility (the seed program's own rules, as data)": age 7-19 at
admission, ongoing or episodic pain from a qualifying condition group, and the team's
judgement after an interdisciplinary evaluation. ``assess`` checks each rule and
returns a recommendation with one reason per rule. People decide; the rules only
recommend.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from painrehab.domain.ages import age_on


class ConditionGroup(StrEnum):
    """The condition groups that diagnoses are sorted into."""

    ARTHRITIS_AUTOIMMUNE = "arthritis_autoimmune"
    CRPS = "crps"
    HEADACHE = "headache"
    FIBROMYALGIA = "fibromyalgia"
    MUSCULOSKELETAL = "musculoskeletal"
    CHRONIC_PRIMARY_PAIN = "chronic_primary_pain"
    OTHER = "other"  # a diagnosis on the list that does not qualify by itself


CONDITION_LABELS: Mapping[ConditionGroup, str] = {
    ConditionGroup.ARTHRITIS_AUTOIMMUNE: "arthritis or autoimmune disease",
    ConditionGroup.CRPS: "complex regional pain syndrome",
    ConditionGroup.HEADACHE: "headache disorder",
    ConditionGroup.FIBROMYALGIA: "fibromyalgia",
    ConditionGroup.MUSCULOSKELETAL: "musculoskeletal condition",
    ConditionGroup.CHRONIC_PRIMARY_PAIN: "chronic primary pain",
    ConditionGroup.OTHER: "other diagnosis",
}

DISCIPLINE_NAMES: Mapping[str, str] = {
    "MED": "pain medicine",
    "PSY": "psychology",
    "PT": "physical therapy",
    "OT": "occupational therapy",
    "SW": "social work",
}


@dataclass(frozen=True)
class Exclusion:
    """A finding that rules admission out, asked of one discipline."""

    key: str
    label: str
    question: str
    assessed_by: str


@dataclass(frozen=True)
class ProgramRules:
    """One version of a program's admission rules (ages inclusive at both ends)."""

    min_age: int
    max_age: int
    qualifying_groups: frozenset[ConditionGroup]
    exclusions: tuple[Exclusion, ...]
    version: str

    def __post_init__(self) -> None:
        if self.min_age > self.max_age:
            raise ValueError("min_age is above max_age")
        keys = [exclusion.key for exclusion in self.exclusions]
        if len(keys) != len(set(keys)):
            raise ValueError("exclusion keys must be unique")
        if not self.qualifying_groups:
            raise ValueError("qualifying_groups is empty")


DEFAULT_RULES = ProgramRules(
    min_age=7,
    max_age=19,
    qualifying_groups=frozenset(set(ConditionGroup) - {ConditionGroup.OTHER}),
    exclusions=(
        Exclusion(
            "medically_unstable",
            "Medically unstable",
            "Is the child medically unstable?",
            "MED",
        ),
        Exclusion(
            "not_medically_worked_up",
            "Medical work-up not complete",
            "Is the medical work-up of the pain still incomplete?",
            "MED",
        ),
        Exclusion(
            "acute_psychiatric_care",
            "Needs acute psychiatric care",
            "Does the child need acute psychiatric care (e.g. active "
            "suicidality, psychosis, a severe eating disorder)?",
            "PSY",
        ),
        Exclusion(
            "active_substance_use",
            "Active substance use",
            "Is there active substance use?",
            "PSY",
        ),
        Exclusion(
            "cannot_participate",
            "Cannot take part in intensive therapy",
            "Is the child unable to take part in an intensive physical program "
            "for a reason other than pain?",
            "PT",
        ),
    ),
    version="2026-1",
)


class Verdict(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Reason:
    """One rule's verdict, with a plain-English sentence for the team."""

    rule: str  # "age", "condition", or an exclusion key
    verdict: Verdict
    text: str


class Recommendation(StrEnum):
    ADMIT = "admit"  # every rule met
    DECLINE = "decline"  # at least one rule not met
    INCOMPLETE = "incomplete"  # none failed, at least one unknown


@dataclass(frozen=True)
class EligibilityFacts:
    """What is known about one referred child; ``None`` means not known yet."""

    birth_date: date
    planned_admission: date | None
    condition_groups: frozenset[ConditionGroup]
    exclusion_findings: Mapping[str, bool | None]  # True = present, False = absent


@dataclass(frozen=True)
class EligibilityResult:
    recommendation: Recommendation
    reasons: tuple[Reason, ...]  # age, condition, then exclusions in rules order
    rules_version: str

    @property
    def failed(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if r.verdict is Verdict.NOT_MET)

    @property
    def unknown(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if r.verdict is Verdict.UNKNOWN)


def age_at_admission(birth_date: date, planned_admission: date) -> int:
    """Completed years on the planned admission date."""
    return age_on(birth_date, planned_admission)


def _age_reason(facts: EligibilityFacts, rules: ProgramRules) -> Reason:
    planned = facts.planned_admission
    if planned is None:
        text = (
            "No planned admission date yet, so age at admission cannot be checked "
            f"(the program admits ages {rules.min_age}–{rules.max_age})."
        )
        return Reason("age", Verdict.UNKNOWN, text)
    if planned < facts.birth_date:
        text = (
            f"The planned admission date {planned} is before "
            f"the date of birth {facts.birth_date}."
        )
        return Reason("age", Verdict.NOT_MET, text)
    age = age_at_admission(facts.birth_date, planned)
    return _age_range_reason(age, planned, rules)


def _age_range_reason(age: int, planned: date, rules: ProgramRules) -> Reason:
    on = f"Age {age} on the planned admission date {planned}"
    if age < rules.min_age:
        text = f"{on} is below the program's minimum of {rules.min_age}."
        return Reason("age", Verdict.NOT_MET, text)
    if age > rules.max_age:
        text = f"{on} is above the program's maximum of {rules.max_age}."
        return Reason("age", Verdict.NOT_MET, text)
    text = f"{on} is within the program's range of {rules.min_age}–{rules.max_age}."
    return Reason("age", Verdict.MET, text)


def _labels(groups: frozenset[ConditionGroup]) -> str:
    return ", ".join(sorted(CONDITION_LABELS[group] for group in groups))


def _condition_reason(facts: EligibilityFacts, rules: ProgramRules) -> Reason:
    qualifying = facts.condition_groups & rules.qualifying_groups
    if qualifying:
        text = f"Has a qualifying condition: {_labels(qualifying)}."
        return Reason("condition", Verdict.MET, text)
    if not facts.condition_groups:
        text = "No diagnosis recorded, so no qualifying condition is shown."
        return Reason("condition", Verdict.NOT_MET, text)
    text = (
        "None of the diagnoses is one of the program's qualifying conditions "
        f"({_labels(rules.qualifying_groups)})."
    )
    return Reason("condition", Verdict.NOT_MET, text)


def _exclusion_reason(exclusion: Exclusion, finding: bool | None) -> Reason:
    who = DISCIPLINE_NAMES.get(exclusion.assessed_by, exclusion.assessed_by)
    if finding is None:
        text = f"Not yet assessed by {who}: {exclusion.question}"
        return Reason(exclusion.key, Verdict.UNKNOWN, text)
    if finding:
        text = f"{exclusion.label} (found by {who}), which rules out admission."
        return Reason(exclusion.key, Verdict.NOT_MET, text)
    text = f"{exclusion.label}: ruled out by {who}."
    return Reason(exclusion.key, Verdict.MET, text)


def _recommend(reasons: tuple[Reason, ...]) -> Recommendation:
    verdicts = {reason.verdict for reason in reasons}
    if Verdict.NOT_MET in verdicts:
        return Recommendation.DECLINE
    if Verdict.UNKNOWN in verdicts:
        return Recommendation.INCOMPLETE
    return Recommendation.ADMIT


def assess(
    facts: EligibilityFacts, rules: ProgramRules = DEFAULT_RULES
) -> EligibilityResult:
    """Check every rule; findings for keys the rules do not list are ignored."""
    reasons = (
        _age_reason(facts, rules),
        _condition_reason(facts, rules),
        *(
            _exclusion_reason(exclusion, facts.exclusion_findings.get(exclusion.key))
            for exclusion in rules.exclusions
        ),
    )
    return EligibilityResult(_recommend(reasons), reasons, rules.version)


def reasons_as_dicts(result: EligibilityResult) -> list[dict[str, str]]:
    """A JSON-ready snapshot of the reasons: rule, verdict and text."""
    return [
        {"rule": r.rule, "verdict": r.verdict.value, "text": r.text}
        for r in result.reasons
    ]
