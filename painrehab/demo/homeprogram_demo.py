"""Home exercises for the demo: a small programme for every child on the unit or
in step-down, and the family's ticks so far.

Runs after the journeys, once the children stand on the unit with their care
teams, and writes only through ``homeprogram.services``, so the audit rows are the
real ones. Each inpatient and step-down child gets two to four exercises from
``CATALOGUE``, each assigned by a physical or occupational therapist of that
child's care team (an exercise whose discipline has nobody on the team is left
out), starting a day or three after admission. The family (a guardian with a
portal account, or the teen) ticks about 70% of the days since then, up to
yesterday, so today is still open to tick in the portal. Everything is drawn from
``rng``, so a seed gives the same programme every time.
"""

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.episodes.choices import Phase
from painrehab.episodes.models import Stay
from painrehab.homeprogram import services
from painrehab.homeprogram.models import HomeExercise
from painrehab.homeprogram.services import ExerciseFields
from painrehab.patients.models import CareTeamMember, Patient

PT, OT = Role.PHYSICAL_THERAPIST, Role.OCCUPATIONAL_THERAPIST


@dataclass(frozen=True)
class Planned:
    role: Role
    title: str
    instructions: str
    repetitions: str
    times_per_day: int
    days_per_week: int


CATALOGUE: tuple[Planned, ...] = (
    Planned(
        PT,
        "Walking",
        "Walk at a steady pace, outside or around the house. If the pain grows, "
        "slow down rather than stop.",
        "15 minutes",
        2,
        7,
    ),
    Planned(
        PT,
        "Stairs",
        "Go up and down one flight of stairs, holding the rail, one foot on each step.",
        "5 times up and down",
        2,
        7,
    ),
    Planned(
        PT,
        "Core strengthening",
        "Lie on your back with knees bent. Lift your hips into a bridge, hold for "
        "5 seconds, and lower slowly. Then hold a plank on your knees for 20 "
        "seconds.",
        "10 bridges and 3 planks",
        1,
        5,
    ),
    Planned(
        OT,
        "Desensitisation with textures",
        "Stroke the sore area gently with each texture from the bag, from the "
        "softest to the roughest: silk, towel, then the soft brush.",
        "1 minute with each texture",
        3,
        7,
    ),
    Planned(
        OT,
        "Fine-motor tasks",
        "Squeeze, pinch and roll the therapy putty, then pick up 20 beads one at "
        "a time and drop them in the cup.",
        "5 minutes",
        2,
        5,
    ),
    Planned(
        OT,
        "Pacing plan",
        "Follow the day plan on the fridge: 30 minutes of activity, then a "
        "5-minute break, on good days and bad days alike.",
        "The whole day",
        1,
        7,
    ),
)
EXERCISES_PER_CHILD = (2, 4)
TICK_SHARE = 0.7
START_AFTER_ADMISSION = (1, 3)  # days: the therapists assess first


def _therapists(patient: Patient, on: date) -> dict[str, User]:
    """The first PT and OT of the child's care team on ``on``."""
    members = (
        CareTeamMember.objects.filter(
            patient=patient,
            end_date__isnull=True,
            start_date__lte=on,
            member__is_active=True,
            member__role__in=[PT, OT],
        )
        .select_related("member")
        .order_by("pk")
    )
    found: dict[str, User] = {}
    for membership in members:
        found.setdefault(membership.member.role, membership.member)
    return found


def _family(patient: Patient) -> list[User]:
    """Who may tick: the guardians with a portal account, and the teen."""
    guardians = User.objects.filter(
        is_active=True,
        role=Role.GUARDIAN,
        guardian_record__patient_links__patient=patient,
        guardian_record__patient_links__portal_access=True,
    )
    people = list(guardians.order_by("pk"))
    teen = patient.user
    if teen is not None and teen.is_active:
        people.append(teen)
    return [p for p in people if Patient.objects.visible_to(p).filter(pk=patient.pk)]


def _assign(
    rng: random.Random, patient: Patient, by: User, planned: Planned, starts: date
) -> HomeExercise:
    return services.exercise_assign(
        patient=patient,
        by=by,
        fields=ExerciseFields(
            title=planned.title,
            instructions=planned.instructions,
            repetitions=planned.repetitions,
            times_per_day=planned.times_per_day,
            days_per_week=planned.days_per_week,
            starts_on=starts,
        ),
        form_token=uuid.UUID(int=rng.getrandbits(128)),
    )


def _evening(rng: random.Random, day: date) -> datetime:
    at = time(hour=rng.randint(17, 20), minute=rng.randint(0, 59))
    return timezone.make_aware(datetime.combine(day, at))


def _ticks(
    rng: random.Random, exercise: HomeExercise, family: list[User], until: date
) -> None:
    """About ``TICK_SHARE`` of the days from the start up to ``until``."""
    day = exercise.starts_on
    while day <= until:
        if rng.random() < TICK_SHARE:
            services.tick_record(
                exercise=exercise,
                by=rng.choice(family),
                done_on=day,
                recorded_at=_evening(rng, day),
            )
        day += timedelta(days=1)


def _start(rng: random.Random, stay: Stay, latest: date) -> date:
    starts = stay.admitted_on + timedelta(days=rng.randint(*START_AFTER_ADMISSION))
    return max(min(starts, latest), stay.episode.opened_on)


def _programme(rng: random.Random, stay: Stay, today: date) -> None:
    patient = stay.episode.patient
    therapists = _therapists(patient, today)
    offered = [p for p in CATALOGUE if p.role in therapists]
    if not offered:
        return
    count = min(len(offered), rng.randint(*EXERCISES_PER_CHILD))
    chosen = sorted(rng.sample(offered, count), key=CATALOGUE.index)
    family = _family(patient)
    for planned in chosen:
        starts = _start(rng, stay, today)
        exercise = _assign(rng, patient, therapists[planned.role], planned, starts)
        if family:
            _ticks(rng, exercise, family, today - timedelta(days=1))


def homeprogram_populate(*, rng: random.Random, today: date) -> None:
    """Two to four home exercises for every inpatient and step-down child, with
    the family's ticks on about 70% of the days so far."""
    on = min(today, timezone.localdate())
    stays = Stay.objects.filter(
        episode__phase__in=[Phase.INPATIENT, Phase.STEP_DOWN], admitted_on__lte=on
    ).select_related("episode__patient__user")
    for stay in stays.order_by("episode__patient__mrn"):
        _programme(rng, stay, on)
