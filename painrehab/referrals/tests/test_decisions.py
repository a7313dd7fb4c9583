"""Intake, evaluation and the team's decision, through the services."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from painrehab.audit.models import AuditEvent
from painrehab.domain.eligibility import Recommendation
from painrehab.episodes.choices import Phase
from painrehab.episodes.models import Episode
from painrehab.patients.tests.factories import PatientFactory
from painrehab.referrals import services
from painrehab.referrals.choices import (
    DecisionOutcome,
    EvaluationStatus,
    SchoolAttendance,
)
from painrehab.referrals.models import EligibilityDecision, Referral
from painrehab.referrals.services import DiagnosisEntry
from painrehab.referrals.tests import journey
from painrehab.referrals.tests.journey import coordinator, today

pytestmark = pytest.mark.django_db


def _referral(**overrides: object) -> Referral:
    arguments: dict[str, object] = {
        "patient": PatientFactory(),
        "by": coordinator(),
        "received_on": today(),
        "referrer_name": "Dr. Synthetic",
        "referrer_organisation": "Coast Pediatrics",
        "reason": "Daily headaches; missing school.",
        "pain_history": "Two years of headaches.",
        "pain_duration_months": 24,
        "school_attendance": SchoolAttendance.MINIMAL,
        "diagnoses_given": [DiagnosisEntry("G43.709", is_primary=True)],
    }
    arguments.update(overrides)
    return services.referral_create(**arguments)  # type: ignore[arg-type]


def test_a_referral_opens_an_episode_with_coded_diagnoses() -> None:
    referral = _referral(
        diagnoses_given=[DiagnosisEntry("G43.709", True), DiagnosisEntry("F41.1")],
        prior_treatments=["medications", "psychology"],
    )
    assert referral.episode.phase == Phase.REFERRED
    codes = {(d.code, d.group, d.is_primary) for d in referral.diagnoses.all()}
    assert codes == {("G43.709", "headache", True), ("F41.1", "other", False)}
    assert AuditEvent.objects.filter(action="referral.created").count() == 1


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        pytest.param("diagnoses", {"diagnoses_given": []}, id="no_diagnosis_case"),
        pytest.param(
            "diagnoses",
            {"diagnoses_given": [DiagnosisEntry("Z99.99", True)]},
            id="unknown_code_case",
        ),
        pytest.param(
            "diagnoses",
            {"diagnoses_given": [DiagnosisEntry("M79.7"), DiagnosisEntry("G89.4")]},
            id="no_primary_case",
        ),
        pytest.param(
            "prior_treatments", {"prior_treatments": ["magic"]}, id="bad_treatment_case"
        ),
    ],
)
def test_bad_referrals_name_the_field_and_save_nothing(
    field: str, overrides: dict[str, object]
) -> None:
    with pytest.raises(ValidationError) as refused:
        _referral(**overrides)
    assert field in refused.value.message_dict
    assert not Episode.objects.exists() and not Referral.objects.exists()


def test_a_duplicate_open_referral_is_caught() -> None:
    first = _referral()
    with pytest.raises(ValidationError) as refused:
        _referral(patient=first.episode.patient)
    assert "already has an open episode" in refused.value.message_dict["patient"][0]
    assert Referral.objects.count() == 1


def test_scheduling_needs_every_required_discipline_and_the_right_roles() -> None:
    episode = journey.referred()
    team = journey.evaluators()
    physician = team.pop(next(iter(team)))
    with pytest.raises(ValidationError, match="Pain medicine"):
        services.evaluation_schedule(
            episode=episode, by=coordinator(), scheduled_for=today(), evaluators=team
        )
    team_wrong = {**team, "MED": team["PSY"]}  # a psychologist cannot evaluate for MED
    with pytest.raises(ValidationError):
        services.evaluation_schedule(
            episode=episode,
            by=coordinator(),
            scheduled_for=today(),
            evaluators=team_wrong,  # type: ignore[arg-type]
        )
    assert physician.pk and Episode.objects.get(pk=episode.pk).phase == Phase.REFERRED


def test_evaluators_join_the_care_team() -> None:
    episode = journey.in_evaluation()
    evaluators = {e.evaluator for e in episode.evaluation_visit.evaluations.all()}
    members = {m.member for m in episode.patient.care_team.all()}
    assert evaluators <= members


def test_an_evaluation_is_written_and_signed_only_by_its_author() -> None:
    episode = journey.in_evaluation()
    evaluation = episode.evaluation_visit.evaluations.get(discipline="MED")
    other = episode.evaluation_visit.evaluations.get(discipline="PT").evaluator
    answers = {"medically_unstable": False, "not_medically_worked_up": False}
    with pytest.raises(ValidationError, match="assigned evaluator"):
        services.evaluation_save(
            evaluation=evaluation,
            by=other,
            version=1,
            summary="x",
            function_notes="",
            recommendation="recommend",
            exclusions=answers,
        )
    with pytest.raises(ValidationError, match="fill in the findings"):
        services.evaluation_sign(evaluation=evaluation, by=evaluation.evaluator)
    services.evaluation_save(
        evaluation=evaluation,
        by=evaluation.evaluator,
        version=1,
        summary="Stable.",
        function_notes="",
        recommendation="recommend",
        exclusions=answers,
    )
    signed = services.evaluation_sign(evaluation=evaluation, by=evaluation.evaluator)
    assert signed.status == EvaluationStatus.SIGNED
    assert signed.content_sha256 == signed.digest() and len(signed.content_sha256) == 64
    with pytest.raises(ValidationError, match="signed"):
        services.evaluation_save(
            evaluation=signed,
            by=signed.evaluator,
            version=signed.version,
            summary="Changed",
            function_notes="",
            recommendation="recommend",
            exclusions=answers,
        )


def test_a_save_from_an_older_version_never_overwrites() -> None:
    episode = journey.in_evaluation()
    evaluation = episode.evaluation_visit.evaluations.get(discipline="OT")
    author = evaluation.evaluator
    services.evaluation_save(
        evaluation=evaluation,
        by=author,
        version=1,
        summary="First tab",
        function_notes="",
        recommendation="",
        exclusions={},
    )
    with pytest.raises(ValidationError, match="Reload"):
        services.evaluation_save(
            evaluation=evaluation,
            by=author,
            version=1,
            summary="Second tab",
            function_notes="",
            recommendation="",
            exclusions={},
        )
    evaluation.refresh_from_db()
    assert evaluation.summary == "First tab"


def test_the_rules_see_signed_exclusions_only() -> None:
    episode = journey.in_evaluation()
    result = services.eligibility_assess(episode=episode, planned_admission=today())
    assert result.recommendation == Recommendation.INCOMPLETE
    journey.sign_all(episode, excluded="acute_psychiatric_care")
    result = services.eligibility_assess(episode=episode, planned_admission=today())
    assert result.recommendation == Recommendation.DECLINE
    assert [r.rule for r in result.failed] == ["acute_psychiatric_care"]


def test_admitting_needs_every_required_evaluation_signed() -> None:
    episode = journey.in_evaluation()
    with pytest.raises(ValidationError) as refused:
        services.decision_record(
            episode=episode,
            by=coordinator(),
            outcome=DecisionOutcome.ADMIT,
            rationale="Ready.",
            planned_admission=today(),
            disagreement_reason="x",
        )
    assert "Pain medicine" in refused.value.message_dict["outcome"][0]
    assert not EligibilityDecision.objects.exists()


def test_a_decision_against_the_rules_needs_a_reason() -> None:
    episode = journey.in_evaluation()
    journey.sign_all(episode, excluded="active_substance_use")
    with pytest.raises(ValidationError) as refused:
        services.decision_record(
            episode=episode,
            by=coordinator(),
            outcome=DecisionOutcome.ADMIT,
            rationale="Substance use addressed.",
            planned_admission=today(),
        )
    assert "decline" in refused.value.message_dict["disagreement_reason"][0]
    decision = services.decision_record(
        episode=episode,
        by=coordinator(),
        outcome=DecisionOutcome.ADMIT,
        rationale="Substance use addressed.",
        planned_admission=today(),
        disagreement_reason="Use stopped three months ago; psychiatry agrees.",
    )
    assert decision.rule_recommendation == "decline"
    assert any(r["rule"] == "active_substance_use" for r in decision.rule_reasons)
    assert Episode.objects.get(pk=episode.pk).phase == Phase.DECIDED


def test_a_decline_needs_recommendations_and_closes_the_door_politely() -> None:
    episode = journey.referred()
    with pytest.raises(ValidationError) as refused:
        services.decision_record(
            episode=episode,
            by=coordinator(),
            outcome=DecisionOutcome.DECLINE,
            rationale="Not yet worked up.",
            disagreement_reason="Incomplete evaluation.",
        )
    assert "recommendations" in refused.value.message_dict
    services.decision_record(
        episode=episode,
        by=coordinator(),
        outcome=DecisionOutcome.DECLINE,
        rationale="Not yet worked up.",
        recommendations="Outpatient PT and psychology.",
        disagreement_reason="Declined at triage before evaluation.",
    )
    assert Episode.objects.get(pk=episode.pk).phase == Phase.DECLINED


def test_a_deferred_decision_keeps_the_episode_in_evaluation() -> None:
    episode = journey.in_evaluation()
    services.decision_record(
        episode=episode,
        by=coordinator(),
        outcome=DecisionOutcome.DEFER,
        rationale="Await the neurology opinion.",
    )
    assert Episode.objects.get(pk=episode.pk).phase == Phase.EVALUATION
    assert EligibilityDecision.objects.get().outcome == "defer"


def test_a_planned_admission_in_the_past_is_refused() -> None:
    episode = journey.in_evaluation()
    with pytest.raises(ValidationError) as refused:
        services.decision_record(
            episode=episode,
            by=coordinator(),
            outcome=DecisionOutcome.DEFER,
            rationale="x",
            planned_admission=today() - dt.timedelta(days=1),
        )
    assert "planned_admission" in refused.value.message_dict


def test_no_decision_once_the_episode_is_past_evaluation() -> None:
    episode = journey.waitlisted()
    before = EligibilityDecision.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.decision_record(
            episode=episode,
            by=coordinator(),
            outcome=DecisionOutcome.DEFER,
            rationale="Stale form.",
        )
    assert "past that" in refused.value.message_dict["outcome"][0]
    assert EligibilityDecision.objects.count() == before
