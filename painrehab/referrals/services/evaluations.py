"""The interdisciplinary evaluation: booking, writing and signing."""

from collections.abc import Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, DataCategory
from painrehab.domain import eligibility
from painrehab.episodes import services as episodes
from painrehab.episodes.models import Episode
from painrehab.patients.choices import TeamRole
from painrehab.patients.models import CareTeamMember, Patient
from painrehab.patients.services import (
    care_team_member_add,
)
from painrehab.referrals.choices import (
    REQUIRED_DISCIPLINES,
    EvaluationDiscipline,
    EvaluationStatus,
    EvaluatorRecommendation,
)
from painrehab.referrals.models import (
    Evaluation,
    EvaluationVisit,
)
from painrehab.referrals.services._common import _audit

NOT_YOURS = "Only the assigned evaluator can write or sign this evaluation."
ALREADY_SIGNED = "This evaluation is signed and can no longer change."
STALE = (
    "Someone saved this evaluation after you opened it. Reload to see their changes."
)
SIGN_NEEDS = "Before signing, fill in the findings and the recommendation."
EXCLUSIONS_MISSING = (
    "Answer every exclusion question for this discipline before signing."
)
WRONG_EVALUATOR = "{user} is not a {role} and cannot evaluate for {discipline}."
MISSING_EVALUATIONS = "Admission needs signed evaluations from: {missing}."


EVALUATOR_ROLE = {
    EvaluationDiscipline.MED: Role.PHYSICIAN,
    EvaluationDiscipline.PSY: Role.PSYCHOLOGIST,
    EvaluationDiscipline.PT: Role.PHYSICAL_THERAPIST,
    EvaluationDiscipline.OT: Role.OCCUPATIONAL_THERAPIST,
    EvaluationDiscipline.SW: Role.SOCIAL_WORKER,
    EvaluationDiscipline.CL: Role.CHILD_LIFE,
    EvaluationDiscipline.NURSE: Role.NURSE,
}

TEAM_ROLE = {
    EvaluationDiscipline.MED: TeamRole.ATTENDING,
    EvaluationDiscipline.PSY: TeamRole.PRIMARY_PSYCHOLOGIST,
    EvaluationDiscipline.PT: TeamRole.PRIMARY_PT,
    EvaluationDiscipline.OT: TeamRole.PRIMARY_OT,
    EvaluationDiscipline.SW: TeamRole.SOCIAL_WORKER,
    EvaluationDiscipline.CL: TeamRole.CHILD_LIFE,
    EvaluationDiscipline.NURSE: TeamRole.NURSE,
}


@transaction.atomic
def evaluation_schedule(
    *,
    episode: Episode,
    by: User,
    scheduled_for: date,
    evaluators: Mapping[EvaluationDiscipline, User],
    location: str = "Pain Medicine Clinic",
) -> EvaluationVisit:
    """Book the clinic visit, assign one evaluator per discipline, start evaluation.

    Evaluators join the care team, which opens the chart to them.
    """
    missing = [d.label for d in REQUIRED_DISCIPLINES if d not in evaluators]
    if missing:
        raise ValidationError(
            {
                "evaluators": MISSING_EVALUATIONS.format(
                    missing=", ".join(str(m) for m in missing)
                )
            }
        )
    for key, user in evaluators.items():
        discipline = EvaluationDiscipline(key)
        if user.role != EVALUATOR_ROLE[discipline]:
            raise ValidationError(
                {
                    f"evaluator_{discipline}": WRONG_EVALUATOR.format(
                        user=user,
                        role=Role(EVALUATOR_ROLE[discipline]).label.lower(),
                        discipline=discipline.label.lower(),
                    )
                }
            )
    episodes.episode_start_evaluation(
        episode=episode, by=by, scheduled_for=scheduled_for
    )
    visit = EvaluationVisit.objects.create(
        episode=episode, scheduled_for=scheduled_for, location=location, scheduled_by=by
    )
    for key, user in evaluators.items():
        discipline = EvaluationDiscipline(key)
        Evaluation.objects.create(visit=visit, discipline=discipline, evaluator=user)
        _join_team(episode.patient, user, TEAM_ROLE[discipline], scheduled_for, by)
    _audit(
        action="evaluation.scheduled",
        action_type=ActionType.CREATE,
        episode=episode,
        by=by,
        obj=visit,
        category=DataCategory.EVALUATION,
        changes={"on": scheduled_for.isoformat(), "disciplines": sorted(evaluators)},
    )
    return visit


def _join_team(
    patient: Patient, user: User, role: TeamRole, start: date, by: User
) -> None:
    active = CareTeamMember.objects.filter(
        patient=patient, member=user, team_role=role, end_date__isnull=True
    )
    if not active.exists():
        care_team_member_add(
            patient=patient,
            member=user,
            team_role=role,
            start_date=min(start, timezone.localdate()),
            added_by=by,
        )


def _locked_evaluation(
    evaluation: Evaluation, by: User, version: int | None
) -> Evaluation:
    locked = (
        Evaluation.objects.select_for_update()
        .select_related("visit__episode")
        .get(pk=evaluation.pk)
    )
    if locked.evaluator_id != by.pk:
        raise ValidationError({"evaluator": NOT_YOURS})
    if locked.is_signed:
        raise ValidationError({"status": ALREADY_SIGNED})
    if version is not None and version != locked.version:
        raise ValidationError({"version": STALE})
    return locked


@transaction.atomic
def evaluation_save(
    *,
    evaluation: Evaluation,
    by: User,
    version: int,
    summary: str,
    function_notes: str,
    recommendation: EvaluatorRecommendation | str,
    exclusions: Mapping[str, bool],
) -> Evaluation:
    """Save a draft; a save based on an older version is refused, never overwrites."""
    locked = _locked_evaluation(evaluation, by, version)
    keys = {e.key for e in exclusion_questions(locked.discipline)}
    locked.summary = summary
    locked.function_notes = function_notes
    locked.recommendation = recommendation
    locked.exclusions = {k: bool(v) for k, v in exclusions.items() if k in keys}
    locked.version += 1
    locked.full_clean()
    locked.save()
    _audit(
        action="evaluation.saved",
        action_type=ActionType.UPDATE,
        episode=locked.visit.episode,
        by=by,
        obj=locked,
        category=DataCategory.EVALUATION,
        changes={"version": locked.version},
    )
    evaluation.refresh_from_db()
    return locked


@transaction.atomic
def evaluation_sign(
    *, evaluation: Evaluation, by: User, version: int | None = None
) -> Evaluation:
    """Sign: only the author, only when complete; the content's SHA-256 is stored."""
    locked = _locked_evaluation(evaluation, by, version)
    if not locked.summary.strip() or not locked.recommendation:
        raise ValidationError({"summary": SIGN_NEEDS})
    asked = {e.key for e in exclusion_questions(locked.discipline)}
    if not asked <= set(locked.exclusions):
        raise ValidationError({"exclusions": EXCLUSIONS_MISSING})
    locked.status = EvaluationStatus.SIGNED
    locked.signed_at = timezone.now()
    locked.content_sha256 = locked.digest()
    locked.version += 1
    locked.save()
    _audit(
        action="evaluation.signed",
        action_type=ActionType.UPDATE,
        episode=locked.visit.episode,
        by=by,
        obj=locked,
        category=DataCategory.EVALUATION,
        changes={"sha256": locked.content_sha256},
    )
    evaluation.refresh_from_db()
    return locked


def exclusion_questions(discipline: str) -> tuple[eligibility.Exclusion, ...]:
    """The exclusion checks this discipline answers (the program's rules as data)."""
    return tuple(
        e for e in eligibility.DEFAULT_RULES.exclusions if e.assessed_by == discipline
    )


@transaction.atomic
def evaluation_save_and_sign(
    *,
    evaluation: Evaluation,
    by: User,
    version: int,
    summary: str,
    function_notes: str,
    recommendation: EvaluatorRecommendation | str,
    exclusions: Mapping[str, bool],
) -> Evaluation:
    """Save the author's last edits and sign them, or do neither."""
    saved = evaluation_save(
        evaluation=evaluation,
        by=by,
        version=version,
        summary=summary,
        function_notes=function_notes,
        recommendation=recommendation,
        exclusions=exclusions,
    )
    return evaluation_sign(evaluation=saved, by=by, version=saved.version)
