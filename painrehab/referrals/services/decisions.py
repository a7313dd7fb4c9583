"""The rules' recommendation and the team's decision."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, DataCategory
from painrehab.domain import eligibility
from painrehab.episodes import services as episodes
from painrehab.episodes.choices import Phase
from painrehab.episodes.models import Episode
from painrehab.referrals.choices import (
    REQUIRED_DISCIPLINES,
    DecisionOutcome,
    EvaluationStatus,
)
from painrehab.referrals.models import (
    EligibilityDecision,
    Evaluation,
)
from painrehab.referrals.services._common import _audit
from painrehab.referrals.services.evaluations import MISSING_EVALUATIONS

DISAGREEMENT_REASON = (
    "The rules recommend “{rules}”; explain why the team decides otherwise."
)
NEEDS_RATIONALE = "Give the team's rationale."
DECLINE_NEEDS_RECOMMENDATIONS = (
    "Say what the team recommends instead (for example outpatient therapy)."
)
NOT_DECIDABLE = (
    "The team decides during referral or evaluation; this episode is past that."
)
DECIDABLE_PHASES = frozenset({Phase.REFERRED, Phase.EVALUATION})
PLANNED_BEFORE_TODAY = "The planned admission date cannot be in the past."


def eligibility_assess(
    *, episode: Episode, planned_admission: date | None
) -> eligibility.EligibilityResult:
    """What the program's rules recommend, from the referral and signed evaluations."""
    groups = frozenset(
        eligibility.ConditionGroup(g)
        for g in episode.referral.diagnoses.values_list("group", flat=True)
    )
    findings: dict[str, bool | None] = {}
    signed = Evaluation.objects.filter(
        visit__episode=episode, status=EvaluationStatus.SIGNED
    )
    for evaluation in signed:
        findings.update(evaluation.exclusions)
    facts = eligibility.EligibilityFacts(
        birth_date=episode.patient.date_of_birth,
        planned_admission=planned_admission,
        condition_groups=groups,
        exclusion_findings=findings,
    )
    return eligibility.assess(facts)


def _signed_disciplines(episode: Episode) -> set[str]:
    return set(
        Evaluation.objects.filter(
            visit__episode=episode, status=EvaluationStatus.SIGNED
        ).values_list("discipline", flat=True)
    )


def _check_decision(
    outcome: DecisionOutcome,
    result: eligibility.EligibilityResult,
    *,
    episode: Episode,
    rationale: str,
    recommendations: str,
    disagreement_reason: str,
) -> None:
    if not rationale.strip():
        raise ValidationError({"rationale": NEEDS_RATIONALE})
    if outcome == DecisionOutcome.ADMIT:
        missing = [
            d.label
            for d in REQUIRED_DISCIPLINES
            if d not in _signed_disciplines(episode)
        ]
        if missing:
            raise ValidationError(
                {
                    "outcome": MISSING_EVALUATIONS.format(
                        missing=", ".join(str(m) for m in missing)
                    )
                }
            )
    if outcome == DecisionOutcome.DECLINE and not recommendations.strip():
        raise ValidationError({"recommendations": DECLINE_NEEDS_RECOMMENDATIONS})
    agrees = {
        DecisionOutcome.ADMIT: result.recommendation
        == eligibility.Recommendation.ADMIT,
        DecisionOutcome.DECLINE: result.recommendation
        == eligibility.Recommendation.DECLINE,
        DecisionOutcome.DEFER: True,
    }[outcome]
    if not agrees and not disagreement_reason.strip():
        raise ValidationError(
            {
                "disagreement_reason": DISAGREEMENT_REASON.format(
                    rules=result.recommendation.value
                )
            }
        )


@transaction.atomic
def decision_record(
    *,
    episode: Episode,
    by: User,
    outcome: DecisionOutcome,
    rationale: str,
    planned_admission: date | None = None,
    recommendations: str = "",
    disagreement_reason: str = "",
) -> EligibilityDecision:
    """Record the team's decision beside the rules' advice; move the episode."""
    if episode.phase not in DECIDABLE_PHASES:
        raise ValidationError({"outcome": NOT_DECIDABLE})
    if planned_admission is not None and planned_admission < timezone.localdate():
        raise ValidationError({"planned_admission": PLANNED_BEFORE_TODAY})
    result = eligibility_assess(episode=episode, planned_admission=planned_admission)
    _check_decision(
        outcome,
        result,
        episode=episode,
        rationale=rationale,
        recommendations=recommendations,
        disagreement_reason=disagreement_reason,
    )
    if outcome == DecisionOutcome.ADMIT:
        episodes.episode_accept(episode=episode, by=by, reason=rationale)
    elif outcome == DecisionOutcome.DECLINE:
        episodes.episode_decline(episode=episode, by=by, reason=rationale)
    decision = EligibilityDecision.objects.create(
        episode=episode,
        outcome=outcome,
        rationale=rationale.strip(),
        recommendations=recommendations.strip(),
        rule_recommendation=result.recommendation.value,
        rule_reasons=eligibility.reasons_as_dicts(result),
        rules_version=result.rules_version,
        disagreement_reason=disagreement_reason.strip(),
        decided_by=by,
        decided_at=timezone.now(),
    )
    _audit(
        action="decision.recorded",
        action_type=ActionType.CREATE,
        episode=episode,
        by=by,
        obj=decision,
        category=DataCategory.REFERRAL,
        changes={"outcome": str(outcome), "rules": result.recommendation.value},
    )
    return decision
