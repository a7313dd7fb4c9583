"""Walks each demo patient's episode to its planned phase through the real services.

Dates are placed so the unit looks lived-in: referrals waiting different lengths of
time, twelve inpatients on different days of their stay, families in step-down and
follow-up months after discharge, one follow-up overdue. Past stays are replayed
first, so beds are free when today's inpatients are admitted.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings

from painrehab.accounts.models import User
from painrehab.demo.plan import DemoPatient, PlannedPhase
from painrehab.episodes import services as episodes
from painrehab.episodes.choices import Disposition, FollowUpStatus, WaitlistPriority
from painrehab.episodes.models import Bed, Episode
from painrehab.episodes.selectors import free_beds
from painrehab.patients.choices import TeamRole
from painrehab.patients.models import Patient
from painrehab.referrals import services as referrals
from painrehab.referrals.choices import (
    REQUIRED_DISCIPLINES,
    DecisionOutcome,
    EvaluationDiscipline,
    EvaluatorRecommendation,
    SchoolAttendance,
)
from painrehab.referrals.services import DiagnosisEntry, exclusion_questions

P = PlannedPhase
# Replay order: stays that ended long ago first, today's unit after them.
REPLAY_ORDER = (
    P.CLOSED, P.FOLLOW_UP, P.STEP_DOWN, P.INPATIENT, P.WAITLISTED, P.DECIDED,
    P.DECLINED, P.EVALUATION, P.REFERRED,
)  # fmt: skip
ADMITTED = frozenset({P.INPATIENT, P.STEP_DOWN, P.FOLLOW_UP, P.CLOSED})
# Days since admission of the twelve inpatients (day 2 … day 28 of their stay).
INPATIENT_DAYS = (1, 3, 5, 7, 9, 11, 13, 15, 18, 21, 24, 27)
DISCHARGED_DAYS_AGO = {
    P.STEP_DOWN: (4, 9, 14, 18, 24),
    P.FOLLOW_UP: (45, 100, 190, 260, 330),
}
EVALUATOR_SLOT = {
    EvaluationDiscipline.MED: TeamRole.ATTENDING,
    EvaluationDiscipline.PSY: TeamRole.PRIMARY_PSYCHOLOGIST,
    EvaluationDiscipline.PT: TeamRole.PRIMARY_PT,
    EvaluationDiscipline.OT: TeamRole.PRIMARY_OT,
    EvaluationDiscipline.SW: TeamRole.SOCIAL_WORKER,
}
DIAGNOSES = (
    "G90.521",
    "G43.709",
    "M79.7",
    "M08.40",
    "G89.4",
    "M54.50",
    "G44.52",
    "R10.84",
)
ATTENDANCE = (SchoolAttendance.NONE, SchoolAttendance.MINIMAL, SchoolAttendance.PARTIAL)
REFERRERS = ("Avery", "Lin", "Ortega", "Patel", "Brooks")
REFERRAL_REASON = (
    "Disabling pain with loss of function and school absence despite outpatient care."
)
DECLINE_ADVICE = "Adolescent psychiatry first; outpatient PT; re-refer when stable."
EVALUATION_SUMMARY = (
    "Seen with a parent at the Pain Medicine Clinic; findings discussed with the team."
)
DISCHARGE_TEXTS = {
    "summary_physical_therapy": "Walks without aids; stairs independently.",
    "summary_psychology": "Uses pacing and relaxation; much less fear of movement.",
    "home_programme": "Daily walk, desensitisation twice a day, strength 3x a week.",
    "school_reentry_plan": "Half days for one week, then full days; 504 plan updated.",
}


@dataclass
class Replay:
    """What one replay needs: today, the coordinator, staff by username, counters."""

    today: date
    coordinator: User
    staff: dict[str, User]
    counters: dict[PlannedPhase, int]

    def next_index(self, phase: PlannedPhase) -> int:
        self.counters[phase] = self.counters.get(phase, -1) + 1
        return self.counters[phase]


def journeys_replay(
    patients: list[tuple[Patient, DemoPatient]],
    *,
    today: date,
    coordinator: User,
    staff: dict[str, User],
) -> int:
    """Replay every patient's journey; returns the number of episodes opened."""
    episodes.beds_configure(count=settings.PROGRAM_BEDS, by=coordinator)
    replay = Replay(today, coordinator, staff, {})
    ordered = sorted(
        patients, key=lambda pair: REPLAY_ORDER.index(pair[1].planned_phase)
    )
    for number, (patient, planned) in enumerate(ordered):
        _replay_one(replay, patient, planned, number)
    return len(ordered)


def _replay_one(
    replay: Replay, patient: Patient, planned: DemoPatient, number: int
) -> None:
    phase = planned.planned_phase
    index = replay.next_index(phase)
    received = replay.today - timedelta(days=_referral_age(phase, index))
    if phase in ADMITTED:
        # Referred ten weeks before the admission, however long ago that was.
        received = _admission_date(replay, phase, index) - timedelta(
            days=_referral_age(phase, index)
        )
    episode = _refer(replay, patient, received, number)
    if phase == P.REFERRED:
        if index % 2:
            referrals.referral_triage(
                referral=episode.referral,
                by=replay.coordinator,
                note="Read; evaluation visit to be booked with the family.",
            )
        return
    _evaluate(replay, episode, planned, received + timedelta(days=12), phase, index)
    if phase in (P.EVALUATION, P.DECLINED):
        return
    _decide_admit(replay, episode)
    if phase == P.DECIDED:
        return
    _waitlist(replay, episode, received, index, phase)
    if phase == P.WAITLISTED:
        return
    admitted_on = _admission_date(replay, phase, index)
    _admit(replay, episode, admitted_on, index if phase == P.INPATIENT else None)
    if phase == P.INPATIENT:
        return
    _discharge_and_follow(
        replay, episode, admitted_on + timedelta(days=27), phase, index
    )


def _referral_age(phase: PlannedPhase, index: int) -> int:
    base = {
        P.REFERRED: 2,
        P.EVALUATION: 20,
        P.DECIDED: 30,
        P.DECLINED: 30,
        P.WAITLISTED: 40,
    }
    if phase in base:
        return base[phase] + 4 * index
    return 70  # referrals of patients already admitted: counted back from admission


def _refer(replay: Replay, patient: Patient, received: date, number: int) -> Episode:
    code = DIAGNOSES[number % len(DIAGNOSES)]
    referral = referrals.referral_create(
        patient=patient,
        by=replay.coordinator,
        received_on=min(received, replay.today),
        referrer_name=f"Dr. {REFERRERS[number % len(REFERRERS)]} (synthetic)",
        referrer_organisation=(
            "Valley Pediatrics",
            "Coastal Children's Clinic",
            "Sierra Rheumatology",
        )[number % 3],
        reason=REFERRAL_REASON,
        pain_history="Pain for many months; outpatient therapies helped little.",
        pain_duration_months=6 + number % 30,
        school_attendance=ATTENDANCE[number % len(ATTENDANCE)],
        school_days_missed=5 + number % 15,
        prior_treatments=["outpatient_pt", "medications"]
        + (["psychology"] if number % 2 else []),
        diagnoses_given=[DiagnosisEntry(code, is_primary=True)],
    )
    return referral.episode


def _evaluators(
    replay: Replay, planned: DemoPatient
) -> dict[EvaluationDiscipline, User]:
    by_role = {slot.team_role: slot.username for slot in planned.care_team}
    return {d: replay.staff[by_role[EVALUATOR_SLOT[d]]] for d in REQUIRED_DISCIPLINES}


def _evaluate(
    replay: Replay,
    episode: Episode,
    planned: DemoPatient,
    visit_on: date,
    phase: PlannedPhase,
    index: int,
) -> None:
    referrals.evaluation_schedule(
        episode=episode,
        by=replay.coordinator,
        scheduled_for=min(visit_on, replay.today),
        evaluators=_evaluators(replay, planned),
    )
    evaluations = list(episode.evaluation_visit.evaluations.all())
    # Evaluations still being written: the second half of the team has not signed.
    to_sign = evaluations[: 2 + index] if phase == P.EVALUATION else evaluations
    excluded = "acute_psychiatric_care" if phase == P.DECLINED else None
    for evaluation in to_sign:
        _sign(evaluation, excluded)
    if phase == P.DECLINED:
        referrals.decision_record(
            episode=episode,
            by=replay.coordinator,
            outcome=DecisionOutcome.DECLINE,
            rationale="Needs acute psychiatric care before an intensive pain program.",
            recommendations=DECLINE_ADVICE,
        )
    elif phase == P.EVALUATION and index == 0:
        referrals.decision_record(
            episode=episode,
            by=replay.coordinator,
            outcome=DecisionOutcome.DEFER,
            rationale="Waiting for the neurology opinion before deciding.",
        )


def _sign(evaluation: object, excluded: str | None) -> None:
    answers = {
        e.key: e.key == excluded
        for e in exclusion_questions(evaluation.discipline)  # type: ignore[attr-defined]
    }
    saved = referrals.evaluation_save(
        evaluation=evaluation,  # type: ignore[arg-type]
        by=evaluation.evaluator,  # type: ignore[attr-defined]
        version=evaluation.version,  # type: ignore[attr-defined]
        summary=EVALUATION_SUMMARY,
        function_notes="Limited walking and stairs; missing most school days.",
        recommendation=EvaluatorRecommendation.RECOMMEND,
        exclusions=answers,
    )
    referrals.evaluation_sign(evaluation=saved, by=saved.evaluator)


def _decide_admit(replay: Replay, episode: Episode) -> None:
    referrals.decision_record(
        episode=episode,
        by=replay.coordinator,
        outcome=DecisionOutcome.ADMIT,
        rationale="Meets the program's criteria; the family is ready to take part.",
        planned_admission=replay.today,
    )


def _waitlist(
    replay: Replay, episode: Episode, received: date, index: int, phase: PlannedPhase
) -> None:
    accepted = min(received + timedelta(days=16), replay.today)
    upcoming = phase == P.WAITLISTED
    episodes.episode_waitlist(
        episode=episode,
        by=replay.coordinator,
        priority=(
            WaitlistPriority.HIGH,
            WaitlistPriority.ROUTINE,
            WaitlistPriority.URGENT,
        )[index % 3],
        accepted_on=accepted,
        preferred_start=replay.today + timedelta(days=3 + 6 * index)
        if upcoming
        else None,
    )


def _admission_date(replay: Replay, phase: PlannedPhase, index: int) -> date:
    if phase == P.INPATIENT:
        return replay.today - timedelta(
            days=INPATIENT_DAYS[index % len(INPATIENT_DAYS)]
        )
    if phase == P.CLOSED:
        return replay.today - timedelta(days=420 + 10 * index)
    return replay.today - timedelta(days=DISCHARGED_DAYS_AGO[phase][index % 5] + 27)


def _admit(
    replay: Replay, episode: Episode, admitted_on: date, bed_index: int | None
) -> None:
    bed = free_beds().first()
    if bed_index is not None:
        bed = Bed.objects.get(number=bed_index + 1)
    assert bed is not None, "the demo never admits more patients than beds"  # noqa: S101
    stay = episodes.episode_admit(
        episode=episode,
        by=replay.coordinator,
        bed=bed,
        admitted_on=admitted_on,
        planned_discharge_on=admitted_on + timedelta(days=28),
    )
    if bed_index == 4:
        episodes.stay_extend(
            stay=stay,
            planned_discharge_on=stay.planned_discharge_on + timedelta(days=7),
            reason="Slower progress with walking; team agreed one more week.",
            by=replay.coordinator,
        )


def _discharge_and_follow(
    replay: Replay,
    episode: Episode,
    discharged_on: date,
    phase: PlannedPhase,
    index: int,
) -> None:
    episodes.episode_discharge(
        episode=episode,
        by=replay.coordinator,
        discharged_on=discharged_on,
        disposition=Disposition.HOME,
        texts=DISCHARGE_TEXTS,
    )
    if phase == P.STEP_DOWN:
        return
    episodes.episode_start_follow_up(episode=episode, by=replay.coordinator)
    for follow_up in episode.follow_ups.all():
        overdue = follow_up.due_on <= replay.today - timedelta(days=14)
        missed_on_purpose = (
            phase == P.FOLLOW_UP and index == 2 and follow_up.months_after == 3
        )
        if phase == P.CLOSED or (overdue and not missed_on_purpose):
            episodes.follow_up_record(
                follow_up=follow_up,
                by=replay.coordinator,
                status=FollowUpStatus.COMPLETED,
                completed_on=follow_up.due_on,
                notes="Back at school full days.",
            )
    if phase == P.CLOSED:
        episodes.episode_close(
            episode=episode,
            by=replay.coordinator,
            reason="Twelve-month follow-up completed.",
        )
