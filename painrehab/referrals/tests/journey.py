"""Test helpers that walk an episode to a phase through the real services.

Each helper returns the episode in the named phase; nothing is written directly, so
history and audit rows exist as in real use.
"""

import datetime as dt

from django.utils import timezone

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.accounts.tests.factories import StaffFactory
from painrehab.episodes import services as episodes
from painrehab.episodes.choices import Disposition, WaitlistPriority
from painrehab.episodes.models import Bed, Episode
from painrehab.episodes.selectors import free_beds
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import PatientFactory
from painrehab.referrals import services
from painrehab.referrals.choices import (
    REQUIRED_DISCIPLINES,
    DecisionOutcome,
    EvaluationDiscipline,
    EvaluatorRecommendation,
    SchoolAttendance,
)
from painrehab.referrals.services import (
    EVALUATOR_ROLE,
    DiagnosisEntry,
    exclusion_questions,
)


def today() -> dt.date:
    return timezone.localdate()


def coordinator() -> User:
    user = User.objects.filter(username="journey-coordinator").first()
    return user or StaffFactory(role=Role.COORDINATOR, username="journey-coordinator")


def referred(
    patient: Patient | None = None,
    *,
    code: str = "G90.521",
    received_days_ago: int = 10,
) -> Episode:
    patient = patient or PatientFactory(
        date_of_birth=today().replace(year=today().year - 13)
    )
    referral = services.referral_create(
        patient=patient,
        by=coordinator(),
        received_on=today() - dt.timedelta(days=received_days_ago),
        referrer_name="Dr. Synthetic Referrer",
        referrer_organisation="Valley Children's Clinic",
        reason="Disabling leg pain, not attending school.",
        pain_history="Pain after an ankle sprain eight months ago.",
        pain_duration_months=8,
        school_attendance=SchoolAttendance.NONE,
        diagnoses_given=[DiagnosisEntry(code, is_primary=True)],
    )
    return referral.episode


def evaluators() -> dict[EvaluationDiscipline, User]:
    return {
        d: StaffFactory(
            role=EVALUATOR_ROLE[d], username=f"eval-{d.lower()}-{User.objects.count()}"
        )
        for d in REQUIRED_DISCIPLINES
    }


def in_evaluation(
    patient: Patient | None = None, *, received_days_ago: int = 10
) -> Episode:
    episode = referred(patient, received_days_ago=received_days_ago)
    services.evaluation_schedule(
        episode=episode,
        by=coordinator(),
        scheduled_for=today(),
        evaluators=evaluators(),
    )
    return episode


def sign_all(episode: Episode, *, excluded: str | None = None) -> None:
    for evaluation in episode.evaluation_visit.evaluations.all():
        answers = {
            e.key: e.key == excluded for e in exclusion_questions(evaluation.discipline)
        }
        services.evaluation_save(
            evaluation=evaluation,
            by=evaluation.evaluator,
            version=evaluation.version,
            summary="Assessed at the clinic visit.",
            function_notes="Uses crutches; out of school.",
            recommendation=EvaluatorRecommendation.RECOMMEND,
            exclusions=answers,
        )
        services.evaluation_sign(evaluation=evaluation, by=evaluation.evaluator)


def accepted(
    patient: Patient | None = None,
    *,
    disagreement_reason: str = "",
    received_days_ago: int = 10,
) -> Episode:
    episode = in_evaluation(patient, received_days_ago=received_days_ago)
    sign_all(episode)
    services.decision_record(
        episode=episode,
        by=coordinator(),
        outcome=DecisionOutcome.ADMIT,
        rationale="Meets criteria; family ready.",
        planned_admission=today(),
        disagreement_reason=disagreement_reason,
    )
    return episode


def waitlisted(patient: Patient | None = None, **kwargs: object) -> Episode:
    episode = accepted(
        patient,
        disagreement_reason=str(kwargs.get("disagreement_reason", "")),
        received_days_ago=int(kwargs.get("received_days_ago", 10)),  # type: ignore[call-overload]
    )
    episodes.episode_waitlist(
        episode=episode,
        by=coordinator(),
        priority=kwargs.get("priority", WaitlistPriority.ROUTINE),  # type: ignore[arg-type]
        accepted_on=today(),
        preferred_start=kwargs.get("preferred_start"),  # type: ignore[arg-type]
    )
    return episode


def free_bed() -> Bed:
    bed = free_beds().first()
    if bed is not None:
        return bed
    last = Bed.objects.order_by("-number").values_list("number", flat=True).first()
    return Bed.objects.create(number=(last or 0) + 1, label="Extra bed")


def admitted(patient: Patient | None = None, *, days_ago: int = 0) -> Episode:
    # The referral came in ten days before the admission, as in the program.
    episode = waitlisted(patient, received_days_ago=days_ago + 10)
    admitted_on = today() - dt.timedelta(days=days_ago)
    episodes.episode_admit(
        episode=episode,
        by=coordinator(),
        bed=free_bed(),
        admitted_on=admitted_on,
        planned_discharge_on=admitted_on + dt.timedelta(days=28),
    )
    return episode


def discharged(patient: Patient | None = None) -> Episode:
    episode = admitted(patient, days_ago=27)
    episodes.episode_discharge(
        episode=episode,
        by=coordinator(),
        discharged_on=today(),
        disposition=Disposition.HOME,
        texts={"home_programme": "Daily walking and desensitisation."},
    )
    return episode
