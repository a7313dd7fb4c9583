"""Outcome data for the demo: questionnaires, daily check-ins, body maps, measures.

Runs after ``journeys_replay``, once every episode stands in its planned phase, and
writes only through the instruments services, so scores, flags and audit rows are
the real ones. The protocol (``instruments.protocol``) decides which questionnaire
is given to whom at each time point: admission (answered that day or the next),
weekly while the stay lasted, discharge, end of step-down and each follow-up visit
that was seen. Nothing is dated before the episode opened or after today.

Scores follow an improving course (function, catastrophizing and pain falling
over the stay), drawn from ``random.Random`` seeded with the demo seed and the
MRN. A few children are set apart so the screens have something to show: the child
admitted yesterday has nothing filled in yet, one parent form is left half done,
one child missed the week-2 forms, two children score CES-DC at or above its
cut-off (one alert acknowledged by the psychologist, one still open) and two do
not improve. Every other score stays below its flag cut point, so the alerts page
shows only the two planned flags.
"""

import random
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from painrehab.accounts.models import User
from painrehab.demo.plan import DemoPatient, PlannedPhase
from painrehab.domain.scoring import get
from painrehab.domain.scoring.definitions import InstrumentDefinition
from painrehab.episodes.choices import FollowUpStatus, Phase
from painrehab.episodes.models import Episode, FollowUp, Stay, StepDownPlan
from painrehab.instruments import daily, services
from painrehab.instruments.choices import RespondentKind, TimePoint
from painrehab.instruments.models import (
    DailyRespondent,
    MeasureKind,
    Mood,
    Score,
    SleepQuality,
)
from painrehab.instruments.protocol import (
    DEFAULT_PROTOCOL,
    WEEK_DAYS,
    ProtocolEntry,
    entries_at,
)
from painrehab.patients.choices import TeamRole
from painrehab.patients.models import Guardian, Patient

P = PlannedPhase
STAY_DAYS = 27  # journeys discharge every past stay on day 28
# Children set apart, by (phase, place among that phase's patients in MRN order).
# Today's inpatients are in journeys.INPATIENT_DAYS order (admitted 1, 3, 5 … days ago).
NOTHING_YET = (P.INPATIENT, 0)  # admitted yesterday: the admission battery is due
DRAFT_LEFT = (P.INPATIENT, 1)  # the parent's ARCS started and not finished
FLAGGED_OPEN = (P.INPATIENT, 2)  # CES-DC flagged at admission, alert still open
FLAGGED_SEEN = (P.INPATIENT, 6)  # CES-DC flagged, acknowledged by the psychologist
WEEK_MISSED = (P.INPATIENT, 8)  # the week-2 forms were never given: overdue
NOT_IMPROVING = frozenset({(P.INPATIENT, 4), (P.STEP_DOWN, 2)})
MISSED_WEEK = (TimePoint.WEEKLY, 2)
DRAFT_CODE = "ARCS"
FLAGGED_CODE = "CES-DC"
FLAGGED_RANGE = (19.0, 24.0)
# Typical totals at admission and at discharge (low, high) for a child who improves.
TARGETS: dict[str, tuple[tuple[float, float], tuple[float, float]]] = {
    "FDI-C": ((25, 40), (5, 15)),
    "FDI-P": ((27, 42), (6, 16)),
    "PCS-C": ((22, 34), (8, 16)),
    "PCS-P": ((24, 36), (9, 18)),
    "FOPQ-C-SF": ((9, 15), (3, 8)),
    "CES-DC": ((6, 13), (3, 9)),
    "PROMIS-PED-PAININT-8A": ((18, 26), (6, 12)),
    "ARCS": ((1.6, 2.4), (0.9, 1.4)),
}
CHECK_IN_SKIPPED = 0.1
GOALS = (
    "Walk to the gym and back without stopping",
    "Two hours of hospital school",
    "Shower and dress without help",
    "Climb one flight of stairs",
    "Eat breakfast with the group",
    "Use the breathing exercise when pain spikes",
)
# Where it hurts, by kind of pain; discharge maps keep a few of these regions.
PAIN_PATTERNS: tuple[tuple[str, ...], ...] = (
    ("front.head", "back.head", "back.neck", "back.upper_back"),
    ("front.abdomen", "back.lower_back", "front.right_hip"),
    (
        "front.right_knee",
        "front.right_lower_leg",
        "front.right_foot",
        "back.right_lower_leg",
        "back.right_foot",
    ),
    (
        "front.left_shoulder",
        "front.left_upper_arm",
        "front.left_forearm",
        "front.left_hand",
    ),
    (
        "back.neck",
        "back.upper_back",
        "back.lower_back",
        "front.left_knee",
        "front.right_knee",
        "front.left_hand",
        "front.right_hand",
    ),
)
MOODS = (Mood.VERY_SAD, Mood.SAD, Mood.OKAY, Mood.HAPPY, Mood.VERY_HAPPY)


@dataclass(frozen=True)
class MeasuresResult:
    """How many of each kind of record the demo wrote."""

    counts: dict[str, int]


@dataclass(frozen=True)
class Course:
    """One child's course: the start and end of each questionnaire, and who enters."""

    episode: Episode
    planned: DemoPatient
    place: tuple[PlannedPhase, int]
    stay: Stay
    step_down: StepDownPlan | None
    follow_ups: tuple[FollowUp, ...]
    rng: random.Random
    psychologist: User
    guardian: Guardian
    today: date

    @property
    def improves(self) -> bool:
        return self.place not in NOT_IMPROVING


@dataclass(frozen=True)
class Occasion:
    """One time point of the protocol as it happened for one child."""

    time_point: TimePoint
    index: int
    due_on: date
    answered_on: date
    progress: float  # 0 at admission, 1 at discharge, above 1 at follow-ups

    @property
    def key(self) -> tuple[TimePoint, int]:
        return (self.time_point, self.index)


def measures_record(
    patients: list[tuple[Patient, DemoPatient]],
    *,
    seed: int,
    today: date,
    staff: dict[str, User],
    coordinator: User,
) -> MeasuresResult:
    """Give every admitted child the protocol's questionnaires and daily records."""
    counts: Counter[str] = Counter()
    for course in _courses(patients, seed, today, staff, coordinator):
        _questionnaires(course, counts)
        if course.episode.phase == Phase.INPATIENT:
            _check_ins(course, staff, counts)
        if course.episode.is_open:  # the daily services refuse closed episodes
            _body_maps(course, staff, counts)
            _clinician_measures(course, staff, coordinator, counts)
    return MeasuresResult(counts=dict(counts))


def _courses(
    patients: list[tuple[Patient, DemoPatient]],
    seed: int,
    today: date,
    staff: dict[str, User],
    coordinator: User,
) -> Iterator[Course]:
    places: Counter[PlannedPhase] = Counter()
    for patient, planned in patients:
        place = (planned.planned_phase, places[planned.planned_phase])
        places[planned.planned_phase] += 1
        episode = (
            Episode.objects.filter(patient=patient)
            .select_related("patient")
            .order_by("-opened_on", "-pk")
            .first()
        )
        stay = Stay.objects.filter(episode=episode).first()
        if episode is None or stay is None:
            continue
        guardian = (
            Guardian.objects.filter(patient_links__patient=patient)
            .order_by("-patient_links__is_primary_contact", "pk")
            .first()
        )
        assert guardian is not None, "every demo patient has a guardian"  # noqa: S101
        yield Course(
            episode=episode,
            planned=planned,
            place=place,
            stay=stay,
            step_down=StepDownPlan.objects.filter(episode=episode).first(),
            follow_ups=tuple(FollowUp.objects.filter(episode=episode)),
            rng=random.Random(f"{seed}:{planned.mrn}:measures"),
            psychologist=_member(planned, staff, TeamRole.PRIMARY_PSYCHOLOGIST)
            or coordinator,
            guardian=guardian,
            today=today,
        )


def _member(
    planned: DemoPatient, staff: dict[str, User], role: TeamRole
) -> User | None:
    for slot in planned.care_team:
        if slot.team_role == role:
            return staff[slot.username]
    return None


# --- Questionnaires ----------------------------------------------------------


def _occasions(course: Course) -> list[Occasion]:
    """The protocol's time points this child has reached, with the day answered.

    Forms are answered on the day due or the next; one answered after today is
    simply still due. Nothing is dated before the episode opened (the service
    refuses it).
    """
    rng, stay, admitted = course.rng, course.stay, course.stay.admitted_on
    lag = (0, 0, 1)
    found = [
        Occasion(
            TimePoint.ADMISSION,
            0,
            admitted,
            admitted + timedelta(days=rng.choice(lag)),
            0.0,
        )
    ]
    on_unit_until = (
        stay.discharged_on - timedelta(days=1) if stay.discharged_on else course.today
    )
    week = 1
    while (due := admitted + timedelta(days=WEEK_DAYS * week)) <= on_unit_until:
        answered = due + timedelta(days=rng.choice(lag))
        progress = min(1.0, WEEK_DAYS * week / STAY_DAYS)
        found.append(Occasion(TimePoint.WEEKLY, week, due, answered, progress))
        week += 1
    if stay.discharged_on is not None:
        found.append(
            Occasion(
                TimePoint.DISCHARGE, 0, stay.discharged_on, stay.discharged_on, 1.0
            )
        )
        found.extend(_aftercare_occasions(course))
    return [o for o in found if _on_record(course, o.answered_on)]


def _aftercare_occasions(course: Course) -> list[Occasion]:
    found = []
    if course.step_down is not None:
        end = course.step_down.starts_on + timedelta(
            days=WEEK_DAYS * course.step_down.weeks
        )
        found.append(Occasion(TimePoint.END_OF_STEP_DOWN, 0, end, end, 1.2))
    for visit in course.follow_ups:
        if visit.status == FollowUpStatus.COMPLETED and visit.completed_on:
            progress = 1.0 + min(1.0, visit.months_after / 6)
            found.append(
                Occasion(
                    TimePoint.FOLLOW_UP,
                    visit.months_after,
                    visit.due_on,
                    visit.completed_on,
                    progress,
                )
            )
    return found


def _questionnaires(course: Course, counts: Counter[str]) -> None:
    if course.place == NOTHING_YET:
        return
    places = {code: (course.rng.random(), course.rng.random()) for code in TARGETS}
    flagged = course.place in (FLAGGED_OPEN, FLAGGED_SEEN)
    birth = course.planned.date_of_birth
    for occasion in _occasions(course):
        if course.place == WEEK_MISSED and occasion.key == MISSED_WEEK:
            continue
        for entry in entries_at(DEFAULT_PROTOCOL, occasion.time_point):
            if not entry.applies(birth_date=birth, on=occasion.due_on):
                continue
            total = _total(course, entry.code, places[entry.code], occasion, flagged)
            submit = not (
                course.place == DRAFT_LEFT
                and occasion.time_point == TimePoint.ADMISSION
                and entry.code == DRAFT_CODE
            )
            score = _administer(course, entry, occasion, total, submit=submit)
            counts["administrations" if submit else "drafts"] += 1
            if score is not None and score.flagged:
                counts["flagged"] += 1
                if course.place == FLAGGED_SEEN:
                    services.score_acknowledge(score=score, by=course.psychologist)
                    counts["acknowledged"] += 1


def _total(
    course: Course,
    code: str,
    places: tuple[float, float],
    occasion: Occasion,
    flagged: bool,
) -> float:
    """The total this child scores on ``code`` at ``occasion``, on its own scale."""
    (a_low, a_high), (d_low, d_high) = TARGETS[code]
    planned_flag = flagged and code == FLAGGED_CODE
    if planned_flag:
        a_low, a_high = FLAGGED_RANGE
    start = a_low + (a_high - a_low) * places[0]
    end = d_low + (d_high - d_low) * places[1]
    if not course.improves:
        end = start * (0.85 + 0.15 * places[1])
    value = start + (end - start) * min(occasion.progress, 1.0)
    if occasion.progress > 1.0 and course.improves:  # gains hold, or grow a little
        value *= 1.0 - 0.15 * (occasion.progress - 1.0)
    definition = get(code)
    low, high = definition.bounds(definition.total_scale_key)
    value += (high - low) * course.rng.uniform(-0.03, 0.03)
    if planned_flag and occasion.time_point == TimePoint.ADMISSION:
        return max(value, _flag_at(definition))
    return min(value, _flag_at(definition) - 1)


def _flag_at(definition: InstrumentDefinition) -> float:
    """The lowest flag cut point of any scale (unflagged scores stay below it)."""
    cuts = [s.flag_at for s in definition.scales if s.flag_at is not None]
    return min(cuts, default=float("inf"))


def answers_for(
    definition: InstrumentDefinition, total: float, rng: random.Random
) -> dict[str, int]:
    """Item answers whose scored total is ``total`` (rounded, within the bounds).

    Scored values are spread over the items one step at a time, then turned back
    into the answers given (a reverse-keyed item's answer is its mirrored value).
    With a sum over every item the scored total is exactly the target; for mean
    scales (ARCS) it lands on the same fraction of the range.
    """
    low, high = definition.bounds(definition.total_scale_key)
    fraction = min(1.0, max(0.0, (total - low) / (high - low)))
    floors = [item.min_value for item in definition.items]
    ceilings = [item.max_value for item in definition.items]
    target = round(sum(floors) + fraction * (sum(ceilings) - sum(floors)))
    values = list(floors)
    open_items = list(range(len(values)))
    for _step in range(target - sum(floors)):
        i = rng.choice(open_items)
        values[i] += 1
        if values[i] == ceilings[i]:
            open_items.remove(i)
    return {
        item.key: item.scored(value)
        for item, value in zip(definition.items, values, strict=True)
    }


def _administer(
    course: Course,
    entry: ProtocolEntry,
    occasion: Occasion,
    total: float,
    *,
    submit: bool,
) -> Score | None:
    definition = get(entry.code)
    by = course.psychologist
    administration = services.administration_start(
        episode=course.episode,
        instrument_code=entry.code,
        time_point=occasion.time_point,
        time_point_index=occasion.index,
        respondent_kind=entry.respondent,
        entered_by=by,
        form_token=uuid.UUID(int=course.rng.getrandbits(128), version=4),
        respondent_guardian=(
            course.guardian if entry.respondent == RespondentKind.PARENT else None
        ),
    )
    answers = answers_for(definition, total, course.rng)
    if not submit:  # half the form, then the parent was called away
        keys = list(answers)[: len(answers) // 2]
        answers = {key: answers[key] for key in keys}
    saved = services.answers_save(
        administration=administration,
        by=by,
        answers=answers,
        version=administration.version,
    )
    if not submit:
        return None
    return services.administration_submit(
        administration=saved,
        by=by,
        version=saved.version,
        answered_on=occasion.answered_on,
    )


# --- Daily check-ins, body maps and clinician measures ---------------------------


def _check_ins(course: Course, staff: dict[str, User], counts: Counter[str]) -> None:
    """One check-in a day so far, pain easing and goals met more often."""
    nurse = _member(course.planned, staff, TeamRole.NURSE) or course.psychologist
    rng = course.rng
    start_pain = rng.uniform(6.0, 8.0)
    end_pain = rng.uniform(3.0, 5.0) if course.improves else start_pain - 1.0
    day = course.stay.admitted_on
    while day <= course.today:
        progress = min(1.0, (day - course.stay.admitted_on).days / STAY_DAYS)
        skipped = rng.random() < CHECK_IN_SKIPPED
        pain = round(
            start_pain + (end_pain - start_pain) * progress + rng.gauss(0, 0.8)
        )
        sleep = 5.5 + 2.5 * progress + rng.uniform(-1.0, 1.0)
        met = rng.random() < 0.3 + 0.55 * progress * (1.0 if course.improves else 0.4)
        if not skipped:
            daily.checkin_record(
                episode=course.episode,
                on=day,
                pain_now=min(10, max(0, pain)),
                sleep_hours=Decimal(f"{round(sleep * 2) / 2:.1f}"),
                sleep_quality=_sleep_quality(sleep),
                mood=_mood(pain, rng),
                goal_met=met,
                goal_text=rng.choice(GOALS),
                respondent=DailyRespondent.CHILD,
                by=nurse,
            )
            counts["check_ins"] += 1
        day += timedelta(days=1)


def _mood(pain: int, rng: random.Random) -> Mood:
    """Happier on days with less pain, give or take a face."""
    face = round(4.2 - pain / 2.5 + rng.uniform(-1.0, 1.0))
    return MOODS[min(len(MOODS) - 1, max(0, face))]


def _sleep_quality(hours: float) -> SleepQuality:
    if hours < 6.5:
        return SleepQuality.POOR
    return SleepQuality.OK if hours < 7.5 else SleepQuality.GOOD


def _on_record(course: Course, on: date) -> bool:
    return course.episode.opened_on <= on <= course.today


def _body_maps(course: Course, staff: dict[str, User], counts: Counter[str]) -> None:
    """Where it hurts at admission and, for those discharged, at discharge."""
    nurse = _member(course.planned, staff, TeamRole.NURSE) or course.psychologist
    rng = course.rng
    pattern = list(rng.choice(PAIN_PATTERNS))
    admitted = rng.sample(pattern, k=rng.randint(min(3, len(pattern)), len(pattern)))
    keep = len(admitted) - 1 if not course.improves else rng.randint(1, 2)
    days = [(course.stay.admitted_on, admitted)]
    if course.stay.discharged_on is not None:
        days.append((course.stay.discharged_on, admitted[:keep]))
    for on, regions in days:
        if _on_record(course, on):
            daily.body_map_record(
                episode=course.episode,
                on=on,
                regions=regions,
                respondent=DailyRespondent.CHILD,
                by=nurse,
            )
            counts["body_maps"] += 1


def _clinician_measures(
    course: Course, staff: dict[str, User], coordinator: User, counts: Counter[str]
) -> None:
    """Walk, up-and-go, sit-to-stand, grip and school: admission, day 15, discharge."""
    pt = _member(course.planned, staff, TeamRole.PRIMARY_PT) or coordinator
    teacher = _member(course.planned, staff, TeamRole.TEACHER) or coordinator
    rng = course.rng
    age = (course.stay.admitted_on - course.planned.date_of_birth).days // 365
    grip = 8.0 + 2.0 * max(0, age - 7) + rng.uniform(-2.0, 2.0)
    start = {
        MeasureKind.SIX_MINUTE_WALK: rng.uniform(280, 360),
        MeasureKind.TIMED_UP_AND_GO: rng.uniform(8.0, 12.0),
        MeasureKind.SIT_TO_STAND_30S: rng.uniform(6, 11),
        MeasureKind.GRIP_LEFT: grip * 0.8,
        MeasureKind.GRIP_RIGHT: grip * 0.85,
    }
    end = {
        MeasureKind.SIX_MINUTE_WALK: rng.uniform(420, 500),
        MeasureKind.TIMED_UP_AND_GO: rng.uniform(5.5, 7.0),
        MeasureKind.SIT_TO_STAND_30S: rng.uniform(13, 18),
        MeasureKind.GRIP_LEFT: grip * 0.95,
        MeasureKind.GRIP_RIGHT: grip,
    }
    if not course.improves:
        end = {kind: value + (end[kind] - value) * 0.2 for kind, value in start.items()}
    admitted, discharged = course.stay.admitted_on, course.stay.discharged_on
    sessions = [(admitted + timedelta(days=1), 0.0)]
    if admitted + timedelta(days=14) <= (discharged or course.today):
        sessions.append((admitted + timedelta(days=14), 14 / STAY_DAYS))
    if discharged is not None:
        sessions.append((discharged, 1.0))
    for on, progress in sessions:
        if not _on_record(course, on):
            continue
        for kind, value in start.items():
            measured = value + (end[kind] - value) * progress
            daily.measure_record(
                episode=course.episode,
                on=on,
                kind=kind,
                value=_measure_value(kind, measured),
                by=pt,
            )
            counts["measures"] += 1
        if progress in (0.0, 1.0):
            attended = _attended(course, progress)
            daily.measure_record(
                episode=course.episode,
                on=on,
                kind=MeasureKind.SCHOOL_ATTENDANCE,
                value=Decimal(attended),
                offered=5,
                by=teacher,
            )
            counts["measures"] += 1


def _measure_value(kind: MeasureKind, value: float) -> Decimal:
    if kind == MeasureKind.SIT_TO_STAND_30S:
        return Decimal(round(value))
    return Decimal(f"{value:.1f}")


def _attended(course: Course, progress: float) -> int:
    """School days of five: the week before admission, then the last week here."""
    if progress == 0.0:
        return course.rng.randint(0, 2)
    return course.rng.randint(4, 5) if course.improves else course.rng.randint(2, 3)
