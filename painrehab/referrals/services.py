"""Writes for intake, the interdisciplinary evaluation and the team's decision."""

import dataclasses
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, DataCategory
from painrehab.audit.services import record
from painrehab.domain import eligibility
from painrehab.episodes import services as episodes
from painrehab.episodes.choices import Phase
from painrehab.episodes.models import Episode
from painrehab.patients.choices import Relationship, Sex, TeamRole
from painrehab.patients.models import CareTeamMember, Patient
from painrehab.patients.services import (
    care_team_member_add,
    guardian_link,
    patient_create,
)
from painrehab.referrals.choices import (
    REQUIRED_DISCIPLINES,
    DecisionOutcome,
    EvaluationDiscipline,
    EvaluationStatus,
    EvaluatorRecommendation,
    PriorTreatment,
    SchoolAttendance,
    TriageStatus,
)
from painrehab.referrals.codes import diagnoses
from painrehab.referrals.models import (
    EligibilityDecision,
    Evaluation,
    EvaluationVisit,
    Referral,
    ReferralAttachment,
    ReferralDiagnosis,
)

NO_DIAGNOSIS = "Give at least one diagnosis."
UNKNOWN_CODE = "{code} is not on the program's diagnosis list."
ONE_PRIMARY = "Mark exactly one diagnosis as primary."
BAD_TREATMENT = "{value} is not a listed treatment."
FILE_TOO_BIG = "The file is larger than 10 MB."
FILE_TYPE = "Attach PDF, JPEG or PNG files only."
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
MRN_TAKEN = (
    "MRN {mrn} belongs to an existing patient: use that patient instead "
    "(choose “An existing patient” and enter the MRN)."
)
SAME_CHILD = (
    "A patient with the same name and date of birth is already registered "
    "(MRN {mrn}). Use that patient instead, or tick “This is a different child”."
)
MAX_UPLOAD = 10 * 1024 * 1024
ALLOWED_TYPES = {
    "application/pdf": b"%PDF",
    "image/jpeg": b"\xff\xd8\xff",
    "image/png": b"\x89PNG",
}

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


def _audit(
    *,
    action: str,
    action_type: ActionType,
    episode: Episode,
    by: User,
    obj: Any,
    category: DataCategory,
    changes: dict[str, Any] | None = None,
) -> None:
    record(
        action=action,
        action_type=action_type,
        actor=by,
        patient_id=episode.patient_id,
        data_category=category,
        obj=obj,
        changes=changes,
    )


@dataclass(frozen=True)
class DiagnosisEntry:
    code: str
    is_primary: bool = False


def _validated_diagnoses(entries: Sequence[DiagnosisEntry]) -> list[DiagnosisEntry]:
    if not entries:
        raise ValidationError({"diagnoses": NO_DIAGNOSIS})
    listed = diagnoses()
    for entry in entries:
        if entry.code not in listed:
            raise ValidationError({"diagnoses": UNKNOWN_CODE.format(code=entry.code)})
    if sum(e.is_primary for e in entries) != 1:
        raise ValidationError({"diagnoses": ONE_PRIMARY})
    return list({e.code: e for e in entries}.values())


def _validated_treatments(values: Sequence[str]) -> list[str]:
    for value in values:
        if value not in PriorTreatment.values:
            raise ValidationError(
                {"prior_treatments": BAD_TREATMENT.format(value=value)}
            )
    return list(dict.fromkeys(values))


@transaction.atomic
def referral_create(
    *,
    patient: Patient,
    by: User,
    received_on: date,
    referrer_name: str,
    referrer_organisation: str,
    reason: str,
    pain_history: str,
    pain_duration_months: int,
    school_attendance: SchoolAttendance,
    diagnoses_given: Sequence[DiagnosisEntry],
    prior_treatments: Sequence[str] = (),
    prior_treatments_other: str = "",
    school_days_missed: int | None = None,
    referrer_phone: str = "",
    referrer_email: str = "",
) -> Referral:
    """Open an episode for ``patient`` from a referral; a duplicate is refused."""
    entries = _validated_diagnoses(diagnoses_given)
    treatments = _validated_treatments(prior_treatments)
    episode = episodes.episode_open(patient=patient, opened_on=received_on, by=by)
    referral = Referral(
        episode=episode,
        received_on=received_on,
        referrer_name=referrer_name,
        referrer_organisation=referrer_organisation,
        referrer_phone=referrer_phone,
        referrer_email=referrer_email,
        reason=reason,
        pain_history=pain_history,
        pain_duration_months=pain_duration_months,
        prior_treatments=treatments,
        prior_treatments_other=prior_treatments_other,
        school_attendance=school_attendance,
        school_days_missed=school_days_missed,
        created_by=by,
    )
    referral.full_clean()
    referral.save()
    listed = diagnoses()
    ReferralDiagnosis.objects.bulk_create(
        ReferralDiagnosis(
            referral=referral,
            code=e.code,
            title=listed[e.code].title,
            group=listed[e.code].group,
            is_primary=e.is_primary,
        )
        for e in entries
    )
    _audit(
        action="referral.created",
        action_type=ActionType.CREATE,
        episode=episode,
        by=by,
        obj=referral,
        category=DataCategory.REFERRAL,
        changes={"diagnoses": [e.code for e in entries]},
    )
    return referral


@transaction.atomic
def referral_attachment_add(
    *, referral: Referral, upload: UploadedFile, by: User
) -> ReferralAttachment:
    """Store a PDF or image sent with the referral, checked by size and content."""
    if upload.size is None or upload.size > MAX_UPLOAD:
        raise ValidationError({"attachment": FILE_TOO_BIG})
    head = upload.read(8)
    upload.seek(0)
    content_type = next(
        (ctype for ctype, magic in ALLOWED_TYPES.items() if head.startswith(magic)),
        None,
    )
    if content_type is None:
        raise ValidationError({"attachment": FILE_TYPE})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = ReferralAttachment(
        referral=referral,
        original_name=(upload.name or "attachment")[:200],
        content_type=content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=by,
        uploaded_at=timezone.now(),
    )
    attachment.file.save(digest.hexdigest(), upload, save=False)
    attachment.save()
    _audit(
        action="referral.attachment_added",
        action_type=ActionType.CREATE,
        episode=referral.episode,
        by=by,
        obj=attachment,
        category=DataCategory.REFERRAL,
        changes={"sha256": attachment.sha256, "size": attachment.size},
    )
    return attachment


@transaction.atomic
def referral_triage(*, referral: Referral, by: User, note: str) -> Referral:
    """The coordinator has read the referral; the note says what happens next."""
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    locked.triage_status = TriageStatus.TRIAGED
    locked.triage_note = note
    locked.save(update_fields=["triage_status", "triage_note", "updated_at"])
    _audit(
        action="referral.triaged",
        action_type=ActionType.UPDATE,
        episode=locked.episode,
        by=by,
        obj=locked,
        category=DataCategory.REFERRAL,
    )
    referral.refresh_from_db()
    return locked


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


@dataclass(frozen=True)
class NewGuardian:
    """The parent or caregiver who comes with a newly registered child."""

    given_name: str
    family_name: str
    relationship: Relationship
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class NewPatient:
    """A child registered at intake, with the guardian the referral names."""

    mrn: str
    given_name: str
    family_name: str
    date_of_birth: date
    sex: Sex
    guardian: NewGuardian
    preferred_name: str = ""
    preferred_language: str = "en"
    school_name: str = ""
    school_grade: str = ""


@dataclass(frozen=True)
class ReferralDetails:
    """What ``referral_create`` takes besides the patient and the author."""

    received_on: date
    referrer_name: str
    referrer_organisation: str
    reason: str
    pain_history: str
    pain_duration_months: int
    school_attendance: SchoolAttendance
    diagnoses_given: tuple[DiagnosisEntry, ...]
    prior_treatments: tuple[str, ...] = ()
    prior_treatments_other: str = ""
    school_days_missed: int | None = None
    referrer_phone: str = ""
    referrer_email: str = ""


def _check_not_registered(new: NewPatient, *, different_child: bool) -> None:
    mrn = new.mrn.strip()
    if Patient.objects.filter(mrn__iexact=mrn).exists():
        raise ValidationError({"mrn": MRN_TAKEN.format(mrn=mrn)})
    twin = Patient.objects.filter(
        given_name__iexact=new.given_name.strip(),
        family_name__iexact=new.family_name.strip(),
        date_of_birth=new.date_of_birth,
    ).first()
    if twin is not None and not different_child:
        raise ValidationError({"different_child": SAME_CHILD.format(mrn=twin.mrn)})


def _guardian_add(patient: Patient, new: NewPatient, by: User) -> None:
    guardian = new.guardian
    try:
        guardian_link(
            patient=patient,
            given_name=guardian.given_name.strip(),
            family_name=guardian.family_name.strip(),
            relationship=guardian.relationship,
            phone=guardian.phone,
            email=guardian.email,
            preferred_language=new.preferred_language,
            is_primary_contact=True,
            linked_by=by,
        )
    except ValidationError as error:  # the guardian's fields share the patient's names
        raise ValidationError(
            {f"guardian_{key}": value for key, value in error.message_dict.items()}
        ) from error


def _patient_register(new: NewPatient, *, by: User, different_child: bool) -> Patient:
    _check_not_registered(new, different_child=different_child)
    patient = patient_create(
        mrn=new.mrn,
        given_name=new.given_name.strip(),
        family_name=new.family_name.strip(),
        preferred_name=new.preferred_name.strip(),
        date_of_birth=new.date_of_birth,
        sex=new.sex,
        preferred_language=new.preferred_language,
        school_name=new.school_name,
        school_grade=new.school_grade,
        created_by=by,
    )
    _guardian_add(patient, new, by)
    return patient


@transaction.atomic
def referral_intake(
    *,
    by: User,
    details: ReferralDetails,
    patient: Patient | None = None,
    new_patient: NewPatient | None = None,
    different_child: bool = False,
    uploads: Sequence[UploadedFile] = (),
) -> Referral:
    """Register the child if new, open the referral and store its documents, as one.

    Give exactly one of ``patient`` (already registered) and ``new_patient``. Any
    refusal (an open referral, an MRN in use, the same child registered twice, a
    bad file) saves nothing at all.
    """
    if (patient is None) == (new_patient is None):
        raise ValueError("give exactly one of patient and new_patient")
    child = patient
    if new_patient is not None:
        child = _patient_register(new_patient, by=by, different_child=different_child)
    if child is None:  # pragma: no cover - ruled out above; narrows the type
        raise ValueError("no patient")
    fields = {f.name: getattr(details, f.name) for f in dataclasses.fields(details)}
    referral = referral_create(patient=child, by=by, **fields)
    for upload in uploads:
        referral_attachment_add(referral=referral, upload=upload, by=by)
    return referral


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
