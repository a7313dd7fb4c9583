"""Builders for the outcome tests and the benchmark.

``closed_episode`` walks a child through the real services (referral with a
primary diagnosis, evaluation, decision, waitlist, admission, discharge), and
``score`` gives and submits a questionnaire with a chosen total on a chosen day,
so audit rows and history exist as in real use. ``synthetic_cohort`` writes many
finished episodes at once with ``bulk_create`` (synthetic data for query-count
tests and bench/outcomes.py), bypassing the services on purpose.
"""

import datetime as dt
import random
import uuid
from decimal import Decimal

from django.utils import timezone

from painrehab.accounts.models import User
from painrehab.domain.dates import add_months
from painrehab.domain.scoring import get
from painrehab.episodes import services as episodes
from painrehab.episodes.choices import (
    Disposition,
    FollowUpStatus,
    Phase,
    Transition,
    WaitlistPriority,
)
from painrehab.episodes.models import (
    Bed,
    Discharge,
    Episode,
    FollowUp,
    PhaseChange,
    Stay,
    StepDownPlan,
)
from painrehab.instruments import daily
from painrehab.instruments import services as instruments
from painrehab.instruments.catalog_sync import catalog_sync
from painrehab.instruments.choices import (
    AdministrationStatus,
    RespondentKind,
    TimePoint,
)
from painrehab.instruments.models import (
    Administration,
    ClinicianMeasure,
    InstrumentVersion,
    MeasureKind,
    Score,
)
from painrehab.instruments.tests.support import start
from painrehab.patients.choices import Sex
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import PatientFactory
from painrehab.referrals import services as referrals
from painrehab.referrals.choices import DecisionOutcome, SchoolAttendance
from painrehab.referrals.models import Referral, ReferralDiagnosis
from painrehab.referrals.tests import journey

# One ICD-10-CM code per diagnosis group (painrehab/referrals/data/icd10cm.json).
DX = {
    "crps": "G90.50",
    "headache": "G43.909",
    "musculoskeletal": "M25.50",
    "fibromyalgia": "M79.7",
    "chronic_primary_pain": "G89.29",
}


def today() -> dt.date:
    return timezone.localdate()


def born(age: int, on: dt.date) -> dt.date:
    """A birth date ``age`` completed years (and 30 days) before ``on``."""
    try:
        birthday = on.replace(year=on.year - age)
    except ValueError:  # 29 February
        birthday = on.replace(year=on.year - age, day=28)
    return birthday - dt.timedelta(days=30)


def closed_episode(
    *,
    sex: str = Sex.FEMALE,
    age: int = 13,
    dx: str = DX["crps"],
    admitted_days_ago: int = 40,
    stay_days: int = 27,
    patient: Patient | None = None,
    **patient_fields: object,
) -> Episode:
    """A child admitted ``admitted_days_ago`` and discharged ``stay_days`` later."""
    admitted_on = today() - dt.timedelta(days=admitted_days_ago)
    patient = patient or PatientFactory(
        sex=sex, date_of_birth=born(age, admitted_on), **patient_fields
    )
    coordinator = journey.coordinator()
    episode = journey.referred(
        patient, code=dx, received_days_ago=admitted_days_ago + 10
    )
    referrals.evaluation_schedule(
        episode=episode,
        by=coordinator,
        scheduled_for=today(),
        evaluators=journey.evaluators(),
    )
    journey.sign_all(episode)
    referrals.decision_record(
        episode=episode,
        by=coordinator,
        outcome=DecisionOutcome.ADMIT,
        rationale="Meets criteria; family ready.",
        planned_admission=today(),
        disagreement_reason="Admitted for the outcome tests.",
    )
    episodes.episode_waitlist(
        episode=episode,
        by=coordinator,
        priority=WaitlistPriority.ROUTINE,
        accepted_on=today(),
    )
    episodes.episode_admit(
        episode=episode,
        by=coordinator,
        bed=journey.free_bed(),
        admitted_on=admitted_on,
        planned_discharge_on=admitted_on + dt.timedelta(days=28),
    )
    episodes.episode_discharge(
        episode=episode,
        by=coordinator,
        discharged_on=admitted_on + dt.timedelta(days=stay_days),
        disposition=Disposition.HOME,
        texts={"home_programme": "Daily walking and desensitisation."},
    )
    episode.refresh_from_db()
    return episode


def joined_waitlist(episode: Episode, on: dt.date) -> None:
    """Put the history's "waitlist" step on ``on``, with ``on`` as the date
    accepted: a test building the past cannot choose when the services run, and
    the builder above waitlists with today's date."""
    at = dt.datetime.combine(on, dt.time(10), tzinfo=timezone.get_current_timezone())
    for step in PhaseChange.objects.filter(
        episode=episode, transition=Transition.WAITLIST
    ):
        details = {**step.details, "accepted_on": on.isoformat()}
        PhaseChange.objects.filter(pk=step.pk).update(at=at, details=details)


def answers_for(code: str, total: int) -> dict[str, int | None]:
    """Answers summing to ``total`` (instruments without reverse-keyed items)."""
    answers: dict[str, int | None] = {}
    left = total
    for item in get(code).items:
        top = max(o.value for o in item.options)
        answers[item.key] = min(top, left)
        left -= answers[item.key] or 0
    if left:
        raise ValueError(f"{code} cannot total {total}")
    return answers


def score(
    episode: Episode,
    code: str,
    total: int,
    *,
    time_point: TimePoint = TimePoint.ADMISSION,
    index: int = 0,
    on: dt.date | None = None,
    by: User | None = None,
) -> Administration:
    """Give ``code`` at a time point and submit it with ``total``, answered ``on``."""
    by = by or journey.coordinator()
    administration = start(episode, by, code, time_point=time_point, index=index)
    saved = instruments.answers_save(
        administration=administration,
        by=by,
        answers=answers_for(code, total),
        version=administration.version,
    )
    instruments.administration_submit(
        administration=saved, by=by, version=saved.version, answered_on=on
    )
    administration.refresh_from_db()
    return administration


def admission_and_discharge(episode: Episode, code: str, pre: int, post: int) -> None:
    """``code`` at admission (40 days ago) and discharge (13 days ago), the dates
    of a ``closed_episode`` with its default stay."""
    score(episode, code, pre, on=today() - dt.timedelta(days=40))
    score(
        episode,
        code,
        post,
        time_point=TimePoint.DISCHARGE,
        on=today() - dt.timedelta(days=13),
    )


def correct(administration: Administration, total: int) -> Administration:
    """Correct a submitted score to ``total`` (a new, submitted administration)."""
    by = journey.coordinator()
    draft = instruments.administration_correct(
        administration=administration, by=by, reason="Typed from the wrong sheet."
    )
    saved = instruments.answers_save(
        administration=draft,
        by=by,
        answers=answers_for(administration.instrument_version.code, total),
        version=draft.version,
    )
    instruments.administration_submit(
        administration=saved,
        by=by,
        version=saved.version,
        answered_on=administration.answered_on,
    )
    draft.refresh_from_db()
    return draft


def attendance(
    episode: Episode, on: dt.date, attended: int, offered: int = 5
) -> ClinicianMeasure:
    return daily.measure_record(
        episode=episode,
        on=on,
        kind=MeasureKind.SCHOOL_ATTENDANCE,
        value=Decimal(attended),
        offered=offered,
        by=journey.coordinator(),
    )


def follow_up(
    episode: Episode,
    months: int,
    status: FollowUpStatus,
    completed_on: dt.date | None = None,
) -> FollowUp:
    visit = FollowUp.objects.get(episode=episode, months_after=months)
    return episodes.follow_up_record(
        follow_up=visit,
        by=journey.coordinator(),
        status=status,
        completed_on=completed_on,
    )


# --- Many synthetic episodes at once (query-count tests, bench/outcomes.py) ---

SYNTHETIC = {  # code: (admission mean, SD, change to discharge, SD, top)
    "FDI-C": (27.0, 10.0, -15.0, 8.0, 60),
    "NRS": (6.5, 1.8, -2.0, 2.0, 10),
    "PCS-C": (30.0, 10.0, -12.0, 8.0, 52),
}
SYNTHETIC_SEXES = (Sex.FEMALE, Sex.FEMALE, Sex.FEMALE, Sex.MALE)


def _clip(value: float, top: int) -> float:
    return float(min(max(round(value), 0), top))


def _versions() -> dict[str, InstrumentVersion]:
    catalog_sync()
    return {
        code: InstrumentVersion.objects.get(code=code, version=get(code).version)
        for code in SYNTHETIC
    }


def _patients(n: int, rng: random.Random, tag: str) -> list[Patient]:
    born_on = [
        today() - dt.timedelta(days=rng.randint(8 * 365, 18 * 365)) for _ in range(n)
    ]
    return Patient.objects.bulk_create(
        Patient(
            mrn=f"S{tag}{i:07d}",
            given_name="Synthetic",
            family_name=f"Child{tag}{i}",
            date_of_birth=born_on[i],
            sex=SYNTHETIC_SEXES[i % len(SYNTHETIC_SEXES)],
        )
        for i in range(n)
    )


def _referrals(episodes_: list[Episode], rng: random.Random) -> None:
    referrals_ = Referral.objects.bulk_create(
        Referral(
            episode=e,
            received_on=e.opened_on,
            referrer_name="Dr. Synthetic",
            referrer_organisation="Synthetic Clinic",
            reason="Synthetic.",
            pain_history="Synthetic.",
            pain_duration_months=6,
            school_attendance=SchoolAttendance.NONE,
        )
        for e in episodes_
    )
    groups = list(DX)
    ReferralDiagnosis.objects.bulk_create(
        ReferralDiagnosis(
            referral=r,
            code=DX[group],
            title=group,
            group=group,
            is_primary=True,
        )
        for r in referrals_
        for group in [rng.choice(groups)]
    )


def _scores(
    stays: list[Stay],
    by: User,
    rng: random.Random,
    versions: dict[str, InstrumentVersion],
) -> None:
    now = timezone.now()
    administrations: list[Administration] = []
    values: list[float] = []
    for stay in stays:
        for code, (mean, sd, delta, delta_sd, top) in SYNTHETIC.items():
            pre = _clip(rng.gauss(mean, sd), top)
            post = _clip(pre + rng.gauss(delta, delta_sd), top)
            later = _clip(post + rng.gauss(-1, 4), top)
            points = [
                (TimePoint.ADMISSION, 0, stay.admitted_on, pre),
                (TimePoint.DISCHARGE, 0, stay.discharged_on, post),
                (
                    TimePoint.FOLLOW_UP,
                    3,
                    stay.discharged_on + dt.timedelta(days=91),
                    later,
                ),
            ]
            for time_point, index, on, value in points:
                if on is None or on > today():
                    continue
                administrations.append(
                    Administration(
                        episode_id=stay.episode_id,
                        instrument_version=versions[code],
                        time_point=time_point,
                        time_point_index=index,
                        respondent_kind=RespondentKind.CHILD,
                        respondent_patient_id=stay.episode.patient_id,
                        entered_by=by,
                        status=AdministrationStatus.SUBMITTED,
                        submitted_at=now,
                        answered_on=on,
                        form_token=uuid.uuid4(),
                    )
                )
                values.append(value)
    made = Administration.objects.bulk_create(administrations, batch_size=2000)
    Score.objects.bulk_create(
        (
            Score(
                administration=a,
                total=v,
                scales={"total": {"value": v}},
                engine_version="synthetic",
                definition_version=a.instrument_version.version,
                scored_at=now,
            )
            for a, v in zip(made, values, strict=True)
        ),
        batch_size=2000,
    )


def _aftercare(stays: list[Stay], by: User, rng: random.Random) -> None:
    now = timezone.now()
    Discharge.objects.bulk_create(
        Discharge(
            episode_id=s.episode_id,
            discharged_on=s.discharged_on,
            disposition=Disposition.HOME,
            recorded_by=by,
            recorded_at=now,
        )
        for s in stays
    )
    StepDownPlan.objects.bulk_create(
        StepDownPlan(episode_id=s.episode_id, starts_on=s.discharged_on) for s in stays
    )
    visits = []
    for s in stays:
        assert s.discharged_on is not None
        due = add_months(s.discharged_on, 3)
        seen = due <= today() and rng.random() < 0.8
        visits.append(
            FollowUp(
                episode_id=s.episode_id,
                months_after=3,
                due_on=due,
                status=FollowUpStatus.COMPLETED if seen else FollowUpStatus.SCHEDULED,
                completed_on=due if seen else None,
            )
        )
    FollowUp.objects.bulk_create(visits)
    ClinicianMeasure.objects.bulk_create(
        ClinicianMeasure(
            episode_id=s.episode_id,
            measured_on=s.discharged_on,
            kind=MeasureKind.SCHOOL_ATTENDANCE,
            value=Decimal(rng.choice([3, 4, 5, 5])),
            offered=5,
            entered_by=by,
            recorded_at=now,
        )
        for s in stays
    )
    tz = timezone.get_current_timezone()
    PhaseChange.objects.bulk_create(
        PhaseChange(
            episode_id=s.episode_id,
            transition=Transition.WAITLIST,
            from_phase=Phase.DECIDED,
            to_phase=Phase.WAITLISTED,
            at=dt.datetime.combine(
                s.admitted_on - dt.timedelta(days=rng.randint(5, 60)), dt.time(9), tz
            ),
            by=by,
        )
        for s in stays
    )


def synthetic_cohort(
    n: int, *, by: User, seed: int = 1, within_days: int = 330, tag: str = "A"
) -> list[Episode]:
    """``n`` closed episodes discharged within the last ``within_days`` days, each
    with FDI-C, NRS and PCS-C at admission, discharge and (when past) 3 months."""
    rng = random.Random(seed)
    versions = _versions()
    bed = Bed.objects.order_by("number").first() or Bed.objects.create(number=1)
    patients = _patients(n, rng, tag)
    admitted = [
        today() - dt.timedelta(days=rng.randint(30, within_days)) for _ in patients
    ]
    made = Episode.objects.bulk_create(
        Episode(
            patient=p,
            phase=Phase.CLOSED,
            opened_on=a - dt.timedelta(days=40),
            closed_on=today(),
        )
        for p, a in zip(patients, admitted, strict=True)
    )
    _referrals(made, rng)
    stays = Stay.objects.bulk_create(
        Stay(
            episode=e,
            bed=bed,
            admitted_on=a,
            planned_discharge_on=a + dt.timedelta(days=28),
            discharged_on=a + dt.timedelta(days=rng.randint(18, 29)),
        )
        for e, a in zip(made, admitted, strict=True)
    )
    _scores(stays, by, rng, versions)
    _aftercare(stays, by, rng)
    return made
