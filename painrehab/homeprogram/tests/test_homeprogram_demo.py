"""The demo's home programmes: who gets them, who assigns them, how often ticked."""

import random
from datetime import timedelta

import pytest
from django.db import transaction

from painrehab.accounts.choices import Role
from painrehab.audit.actions import AuditAction
from painrehab.audit.models import AuditEvent
from painrehab.demo.homeprogram_demo import CATALOGUE, homeprogram_populate
from painrehab.homeprogram.models import ExerciseTick, HomeExercise
from painrehab.homeprogram.tests.support import on_team, today
from painrehab.portal.tests.support import Family, family
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db


class _Rollback(Exception):
    pass


def _child(name: str, *, stage: str, teen: bool = False) -> Family:
    fam = family(
        age=14 if teen else 9,
        name=name,
        surname=f"{name}family",
        parent=f"P{name}",
        stage="none",
        teen_account=teen,
    )
    on_team(fam.child, Role.PHYSICAL_THERAPIST, username=f"{name}.pt")
    on_team(fam.child, Role.OCCUPATIONAL_THERAPIST, username=f"{name}.ot")
    if stage == "admitted":
        fam.episode = journey.admitted(fam.child, days_ago=12)
    elif stage == "discharged":
        fam.episode = journey.discharged(fam.child)
    else:
        fam.episode = journey.referred(fam.child)
    return fam


@pytest.fixture
def children() -> dict[str, Family]:
    return {
        "inpatient": _child("Robin", stage="admitted"),
        "teen": _child("Sam", stage="admitted", teen=True),
        "step_down": _child("Alex", stage="discharged"),
        "referred": _child("Kim", stage="referred"),
    }


def _signature() -> list[tuple[str, str, str, list[str]]]:
    return [
        (
            e.episode.patient.given_name,
            e.title,
            str(e.starts_on),
            [str(t.done_on) for t in e.ticks.order_by("done_on")],
        )
        for e in HomeExercise.objects.order_by("episode__patient__given_name", "pk")
    ]


def test_inpatients_and_step_down_children_get_two_to_four_exercises(
    children: dict[str, Family],
) -> None:
    homeprogram_populate(rng=random.Random(7), today=today())

    for key in ("inpatient", "teen", "step_down"):
        count = HomeExercise.objects.filter(episode=children[key].episode).count()
        assert 2 <= count <= 4, key
    assert not HomeExercise.objects.filter(episode=children["referred"].episode)


def test_each_exercise_is_assigned_by_the_childs_pt_or_ot(
    children: dict[str, Family],
) -> None:
    homeprogram_populate(rng=random.Random(7), today=today())

    titles = {p.title: p.role for p in CATALOGUE}
    for exercise in HomeExercise.objects.select_related("assigned_by", "episode"):
        assert exercise.assigned_by.role == titles[exercise.title]
        assert exercise.assigned_by.username.startswith(
            exercise.episode.patient.given_name
        )


def test_families_tick_about_seven_days_in_ten_and_never_today(
    children: dict[str, Family],
) -> None:
    homeprogram_populate(rng=random.Random(7), today=today())

    past_days = sum((today() - e.starts_on).days for e in HomeExercise.objects.all())
    ticks = ExerciseTick.objects.all()
    assert 0.5 <= ticks.count() / past_days <= 0.9
    assert not ticks.filter(done_on__gte=today())
    for tick in ticks.select_related("exercise"):
        assert tick.done_on >= tick.exercise.starts_on
    recorders = set(ticks.values_list("recorded_by__role", flat=True))
    assert recorders == {Role.GUARDIAN, Role.PATIENT}


def test_exercises_start_after_admission(children: dict[str, Family]) -> None:
    homeprogram_populate(rng=random.Random(7), today=today())

    stay = children["inpatient"].episode.stay  # type: ignore[union-attr]
    for exercise in HomeExercise.objects.filter(episode=children["inpatient"].episode):
        assert stay.admitted_on < exercise.starts_on <= stay.admitted_on + timedelta(3)


def test_the_same_seed_gives_the_same_programme(children: dict[str, Family]) -> None:
    runs = []
    for _ in range(2):
        try:
            with transaction.atomic():
                homeprogram_populate(rng=random.Random(11), today=today())
                runs.append(_signature())
                raise _Rollback
        except _Rollback:
            pass

    assert runs[0] == runs[1]
    assert runs[0]


def test_the_demo_writes_through_the_services(children: dict[str, Family]) -> None:
    homeprogram_populate(rng=random.Random(7), today=today())

    saved = AuditEvent.objects.filter(action=AuditAction.HOME_EXERCISE_SAVED)
    ticked = AuditEvent.objects.filter(action=AuditAction.HOME_EXERCISE_TICKED)
    assert saved.count() == HomeExercise.objects.count()
    assert ticked.count() == ExerciseTick.objects.count()
