"""Reads of referrals, evaluations and decisions: always through the funnel, audited.

A referral that does not exist and one whose patient the person may not see both
raise ``PatientNotFound`` (a 404), and both leave a failed read in the audit trail.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory, Outcome
from painrehab.audit.services import record
from painrehab.episodes.choices import Phase
from painrehab.episodes.models import Episode
from painrehab.patients.access import PatientNotFound, patient_get_for_user
from painrehab.patients.models import Patient
from painrehab.referrals.choices import (
    DecisionOutcome,
    EvaluationDiscipline,
    TriageStatus,
)
from painrehab.referrals.models import (
    EligibilityDecision,
    Evaluation,
    EvaluationVisit,
    Referral,
    ReferralAttachment,
    ReferralDiagnosis,
)
from painrehab.referrals.services import EVALUATOR_ROLE

QUEUE_PHASES = (Phase.REFERRED, Phase.EVALUATION)
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
REFUSED = "not found or not permitted"


@dataclass(frozen=True)
class QueueRow:
    """One line of the coordinator's triage queue."""

    episode_id: int
    patient_name: str
    mrn: str
    age: int
    days_waiting: int
    is_new: bool
    triage_status: str
    phase: str
    evaluation_on: date | None
    primary_diagnosis: str
    deferred: bool


@dataclass(frozen=True)
class Download:
    """An attachment and the neutral file name it is served under."""

    attachment: ReferralAttachment
    filename: str


def visit_of(episode: Episode) -> EvaluationVisit | None:
    """The episode's evaluation visit, or ``None`` (no query after select_related)."""
    try:
        return episode.evaluation_visit
    except EvaluationVisit.DoesNotExist:
        return None


def _queue_row(referral: Referral, today: date) -> QueueRow:
    episode, patient = referral.episode, referral.episode.patient
    primary = referral.primary_diagnoses  # type: ignore[attr-defined]
    decisions = list(episode.decisions.all())
    visit = visit_of(episode)
    return QueueRow(
        episode_id=episode.pk,
        patient_name=f"{patient.family_name}, {patient.given_name}",
        mrn=patient.mrn,
        age=patient.age(today),
        days_waiting=(today - referral.received_on).days,
        is_new=referral.triage_status == TriageStatus.NEW,
        triage_status=referral.get_triage_status_display(),
        phase=episode.get_phase_display(),
        evaluation_on=visit.scheduled_for if visit else None,
        primary_diagnosis=str(primary[0]) if primary else "",
        deferred=bool(decisions) and decisions[-1].outcome == DecisionOutcome.DEFER,
    )


def referral_queue(*, user: User) -> list[QueueRow]:
    """Open referrals ``user`` may see, longest waiting first; the read is audited."""
    primary = ReferralDiagnosis.objects.filter(is_primary=True)
    referrals = (
        Referral.objects.filter(
            episode__phase__in=QUEUE_PHASES,
            episode__patient__in=Patient.objects.visible_to(user),
        )
        .select_related("episode__patient", "episode__evaluation_visit")
        .prefetch_related(
            Prefetch("diagnoses", queryset=primary, to_attr="primary_diagnoses"),
            "episode__decisions",
        )
        .order_by("received_on", "pk")
    )
    today = timezone.localdate()
    rows = [_queue_row(referral, today) for referral in referrals]
    record(
        action=AuditAction.REFERRAL_QUEUE_VIEWED,
        action_type=ActionType.QUERY,
        actor=user,
        data_category=DataCategory.REFERRAL,
        changes={"rows": len(rows)},
    )
    return rows


def _refused(
    user: User, action: AuditAction, patient_id: int | None
) -> PatientNotFound:
    record(
        action=action,
        action_type=ActionType.READ,
        actor=user,
        patient_id=patient_id,
        data_category=DataCategory.REFERRAL,
        outcome=Outcome.FAILURE,
        outcome_reason=REFUSED,
    )
    return PatientNotFound()


def _patient_of(*, user: User, episode_id: int, action: AuditAction) -> Patient:
    """The referred patient, through the funnel; a refusal is audited."""
    patient_id = (
        Referral.objects.filter(episode_id=episode_id)
        .values_list("episode__patient_id", flat=True)
        .first()
    )
    if patient_id is None:
        raise _refused(user, action, None)
    try:
        return patient_get_for_user(user=user, patient_id=patient_id)
    except PatientNotFound:
        raise _refused(user, action, patient_id) from None


def referral_get(*, user: User, episode_id: int) -> Referral:
    """One referral with all that its page shows; missing and refused both 404."""
    action = AuditAction.REFERRAL_VIEWED
    patient = _patient_of(user=user, episode_id=episode_id, action=action)
    evaluations = Evaluation.objects.select_related("evaluator")
    decisions = EligibilityDecision.objects.select_related("decided_by")
    referral = (
        Referral.objects.select_related(
            "episode__patient", "episode__evaluation_visit", "created_by"
        )
        .prefetch_related(
            "diagnoses",
            "attachments",
            Prefetch("episode__decisions", queryset=decisions),
            Prefetch("episode__evaluation_visit__evaluations", queryset=evaluations),
        )
        .get(episode_id=episode_id)
    )
    record(
        action=action,
        action_type=ActionType.READ,
        actor=user,
        patient_id=patient.pk,
        data_category=DataCategory.REFERRAL,
        obj=referral,
    )
    return referral


def attachment_get(*, user: User, episode_id: int, attachment_id: int) -> Download:
    """A referral's document for download, under a name that identifies nobody."""
    action = AuditAction.ATTACHMENT_DOWNLOADED
    patient = _patient_of(user=user, episode_id=episode_id, action=action)
    attachments = list(
        ReferralAttachment.objects.filter(referral__episode_id=episode_id)
    )
    numbered = {a.pk: (n, a) for n, a in enumerate(attachments, start=1)}
    if attachment_id not in numbered:
        raise _refused(user, action, patient.pk)
    number, attachment = numbered[attachment_id]
    record(
        action=action,
        action_type=ActionType.EXPORT,
        actor=user,
        patient_id=patient.pk,
        data_category=DataCategory.REFERRAL,
        obj=attachment,
    )
    extension = EXTENSIONS.get(attachment.content_type, "bin")
    return Download(attachment, f"referral-{episode_id}-{number}.{extension}")


def evaluation_get(*, user: User, episode_id: int, discipline: str) -> Evaluation:
    """One discipline's evaluation of a referral; missing and refused both 404."""
    # Part of the referral file: recorded as such, with the evaluation as object.
    action = AuditAction.REFERRAL_VIEWED
    patient = _patient_of(user=user, episode_id=episode_id, action=action)
    evaluation = (
        Evaluation.objects.select_related("evaluator", "visit__episode__patient")
        .filter(visit__episode_id=episode_id, discipline=discipline)
        .first()
    )
    if evaluation is None:
        raise _refused(user, action, patient.pk)
    record(
        action=action,
        action_type=ActionType.READ,
        actor=user,
        patient_id=patient.pk,
        data_category=DataCategory.EVALUATION,
        obj=evaluation,
    )
    return evaluation


def evaluator_choices(*, discipline: EvaluationDiscipline) -> QuerySet[User]:
    """Active staff who may evaluate for ``discipline``, by last name."""
    return User.objects.filter(
        role=EVALUATOR_ROLE[discipline], is_active=True
    ).order_by("last_name", "first_name", "pk")


def patient_find(*, user: User, mrn: str) -> Patient | None:
    """The patient with this MRN if ``user`` may see them; the lookup is audited."""
    mrn = mrn.strip()
    patient = Patient.objects.visible_to(user).filter(mrn__iexact=mrn).first()
    record(
        action=AuditAction.PATIENT_SEARCHED,
        action_type=ActionType.QUERY,
        actor=user,
        patient_id=patient.pk if patient else None,
        data_category=DataCategory.DEMOGRAPHICS,
        changes={"mrn": mrn[:20]},
    )
    return patient
