"""The demo's outcome data: questionnaires by the protocol, check-ins, body maps,
clinician measures, and the planned due items and flags.

One demo build is shared by the module (as in ``tests/test_demo.py``, whose
module-scoped fixture cannot be shared across modules): it runs inside a
module-wide transaction rolled back at the end, and each test runs in its own
savepoint within it.
"""

import random
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from painrehab.audit.selectors import audit_chain_verify
from painrehab.demo.generator import DemoBuildResult, demo_build
from painrehab.demo.measures import TARGETS, answers_for
from painrehab.domain.scoring import get, score
from painrehab.episodes.choices import Phase
from painrehab.episodes.models import Episode, Stay
from painrehab.instruments.choices import AdministrationStatus, TimePoint
from painrehab.instruments.models import (
    Administration,
    BodyMap,
    ClinicianMeasure,
    DailyCheckIn,
    MeasureKind,
    Score,
)
from painrehab.instruments.protocol import DEFAULT_PROTOCOL
from painrehab.instruments.selectors import due_list, flagged_scores_for
from painrehab.patients.choices import TeamRole
from painrehab.patients.models import CareTeamMember

# One build shared with tests/test_demo.py's worker (see the group there).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo_build")]
FDI_C = next(entry for entry in DEFAULT_PROTOCOL if entry.code == "FDI-C")


@pytest.fixture(scope="module")
def demo(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Iterator[DemoBuildResult]:
    """One demo build for the module, rolled back when the module is done."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo_build()
        transaction.set_rollback(True)


def inpatient_stays() -> list[Stay]:
    return list(
        Stay.objects.filter(episode__phase=Phase.INPATIENT).select_related(
            "episode__patient"
        )
    )


def submitted(episode: Episode, code: str, time_point: TimePoint) -> Score | None:
    administration = (
        Administration.objects.filter(
            episode=episode,
            instrument_version__code=code,
            time_point=time_point,
            status=AdministrationStatus.SUBMITTED,
        )
        .select_related("score")
        .first()
    )
    return administration.score if administration else None


def test_every_inpatient_here_over_two_days_has_a_submitted_admission_fdi_c(
    demo: DemoBuildResult,
) -> None:
    today = timezone.localdate()
    checked = 0
    for stay in inpatient_stays():
        birth = stay.episode.patient.date_of_birth
        if (today - stay.admitted_on).days <= 2 or not FDI_C.applies(
            birth_date=birth, on=stay.admitted_on
        ):
            continue
        assert submitted(stay.episode, "FDI-C", TimePoint.ADMISSION), stay.episode
        checked += 1
    assert checked >= 6


def test_the_child_admitted_yesterday_has_the_whole_admission_battery_due(
    demo: DemoBuildResult,
) -> None:
    today = timezone.localdate()
    newest = max(inpatient_stays(), key=lambda stay: stay.admitted_on)
    assert (today - newest.admitted_on).days == 1
    assert not Administration.objects.filter(episode=newest.episode).exists()
    due = due_list(episode=newest.episode, today=today)
    assert {"FDI-P", "PCS-P", "ARCS", "CES-DC"} <= {d.instrument_code for d in due}
    assert {d.time_point for d in due} == {TimePoint.ADMISSION}


def test_the_unit_shows_a_missed_week_and_a_half_done_parent_form(
    demo: DemoBuildResult,
) -> None:
    today = timezone.localdate()
    due = [
        item
        for s in inpatient_stays()
        for item in due_list(episode=s.episode, today=today)
    ]
    missed = [d for d in due if d.time_point == TimePoint.WEEKLY and d.overdue]
    assert {(d.instrument_code, d.time_point_index) for d in missed} >= {("FDI-P", 2)}
    drafts = [d for d in due if d.in_progress]
    assert [(d.instrument_code, d.time_point) for d in drafts] == [
        ("ARCS", TimePoint.ADMISSION)
    ]


def test_most_discharged_children_score_better_fdi_at_discharge(
    demo: DemoBuildResult,
) -> None:
    changes = []
    discharged = Episode.objects.filter(stay__discharged_on__isnull=False)
    for episode in discharged:
        for code in ("FDI-C", "FDI-P"):
            admission = submitted(episode, code, TimePoint.ADMISSION)
            discharge = submitted(episode, code, TimePoint.DISCHARGE)
            if admission and discharge:
                changes.append(discharge.total - admission.total)
    assert len(changes) >= 8
    improved = [change for change in changes if change <= -8]
    assert len(improved) >= 0.75 * len(changes)
    assert len(improved) < len(changes), "one child is planned not to improve"


def test_exactly_two_cesdc_flags_and_only_one_is_still_open(
    demo: DemoBuildResult,
) -> None:
    flagged = Score.objects.filter(flagged=True).select_related(
        "administration__episode", "administration__instrument_version"
    )
    assert {s.administration.instrument_version.code for s in flagged} == {"CES-DC"}
    assert {s.administration.time_point for s in flagged} == {TimePoint.ADMISSION}
    assert {s.administration.episode.phase for s in flagged} == {Phase.INPATIENT}
    assert len(flagged) == 2
    open_ones = [s for s in flagged if s.acknowledged_at is None]
    assert len(open_ones) == 1
    (seen,) = (s for s in flagged if s.acknowledged_at is not None)
    psychologists = CareTeamMember.objects.filter(
        team_role=TeamRole.PRIMARY_PSYCHOLOGIST
    )
    seen_by = psychologists.get(patient=seen.administration.episode.patient).member
    assert seen.acknowledged_by == seen_by
    (still_open,) = open_ones
    member = psychologists.get(patient=still_open.administration.episode.patient)
    assert list(flagged_scores_for(member.member)) == [still_open]


def test_inpatients_check_in_most_days_and_never_in_the_future(
    demo: DemoBuildResult,
) -> None:
    today = timezone.localdate()
    for stay in inpatient_stays():
        days = (today - stay.admitted_on).days + 1
        dates = set(
            DailyCheckIn.objects.filter(episode=stay.episode).values_list(
                "date", flat=True
            )
        )
        assert len(dates) >= 0.7 * days, stay.episode
        assert min(dates) >= stay.admitted_on
        assert max(dates) <= today
    assert not DailyCheckIn.objects.exclude(episode__phase=Phase.INPATIENT).exists()


def test_every_record_lies_between_the_episode_opening_and_today(
    demo: DemoBuildResult,
) -> None:
    today = timezone.localdate()
    administrations = Administration.objects.filter(
        status=AdministrationStatus.SUBMITTED
    ).select_related("episode")
    assert administrations.count() >= 200
    for a in administrations:
        assert a.answered_on is not None
        assert a.episode.opened_on <= a.answered_on <= today, a
    for model, field in ((BodyMap, "recorded_on"), (ClinicianMeasure, "measured_on")):
        for record in model.objects.select_related("episode"):
            assert record.episode.opened_on <= getattr(record, field) <= today


def test_body_maps_shrink_and_walks_lengthen_by_discharge(
    demo: DemoBuildResult,
) -> None:
    episodes = Episode.objects.filter(
        phase=Phase.STEP_DOWN, stay__discharged_on__isnull=False
    )
    assert episodes.count() == 5
    for episode in episodes:
        first, last = BodyMap.objects.filter(episode=episode).order_by("recorded_on")
        assert len(last.regions) < len(first.regions)
    gains = []
    for episode in episodes:
        walks = ClinicianMeasure.objects.filter(
            kind=MeasureKind.SIX_MINUTE_WALK, episode=episode
        ).order_by("measured_on")
        gains.append(walks.last().value - walks.first().value)
    assert sum(gain >= 80 for gain in gains) == 4, "one child is planned not to"


def test_the_build_is_audited_and_the_chain_still_verifies(
    demo: DemoBuildResult,
) -> None:
    assert Administration.objects.count() >= 200
    assert audit_chain_verify() is None


@pytest.mark.parametrize("code", sorted(TARGETS))
def test_answers_land_on_the_intended_total(code: str) -> None:
    definition = get(code)
    low, high = definition.bounds(definition.total_scale_key)
    rng = random.Random(code)
    for step in range(11):
        target = low + (high - low) * step / 10
        answers = answers_for(definition, target, rng)
        for key, value in answers.items():
            assert value in definition.item(key).values
        total = score(definition, answers).total
        assert total is not None
        assert abs(total - target) <= (high - low) / 100 + 0.5, (code, target)


def test_reverse_keyed_cesdc_items_are_answered_mirrored() -> None:
    definition = get("CES-DC")
    answers = answers_for(definition, 60, random.Random(1))
    assert answers["4"] == 0
    assert answers["1"] == 3
    assert score(definition, answers).total == 60
