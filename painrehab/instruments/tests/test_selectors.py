import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from painrehab.accounts.models import User
from painrehab.episodes.models import Episode
from painrehab.episodes.selectors.census import census_board
from painrehab.instruments import services
from painrehab.instruments.choices import RespondentKind, TimePoint
from painrehab.instruments.protocol import DEFAULT_PROTOCOL, ProtocolEntry
from painrehab.instruments.selectors import (
    DueItem,
    administration_history,
    due_counts_for_patients,
    due_labels_for_patients,
    due_list,
)
from painrehab.instruments.tests.support import all_answers, fill_and_submit, start
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import PatientFactory
from painrehab.referrals.tests import journey

ADMISSION_CODES = {entry.code for entry in DEFAULT_PROTOCOL}
WEEKLY_CODES = {"FDI-C", "FDI-P", "PROMIS-PED-PAININT-8A"}
DISCHARGE_CODES = ADMISSION_CODES
FOLLOW_UP_CODES = {
    "FDI-C",
    "FDI-P",
    "PCS-C",
    "PCS-P",
    "FOPQ-C-SF",
    "PROMIS-PED-PAININT-8A",
}


def _at(items: list[DueItem], point: TimePoint) -> list[DueItem]:
    return [item for item in items if item.time_point == point]


def _codes(items: list[DueItem]) -> set[str]:
    return {item.instrument_code for item in items}


def test_nothing_is_due_before_admission(child: Patient) -> None:
    episode = journey.waitlisted(child)

    assert due_list(episode=episode, today=journey.today()) == []


def test_admission_battery_is_due_on_the_day_of_admission(child: Patient) -> None:
    episode = journey.admitted(child)

    items = due_list(episode=episode, today=journey.today())

    assert _codes(items) == ADMISSION_CODES
    assert {i.time_point for i in items} == {TimePoint.ADMISSION}
    assert not any(i.overdue for i in items)
    assert {i.due_on for i in items} == {journey.today()}


def test_admitted_nine_days_ago_admission_overdue_and_week_one_due(
    child: Patient,
) -> None:
    episode = journey.admitted(child, days_ago=9)

    items = due_list(episode=episode, today=journey.today())

    admission = _at(items, TimePoint.ADMISSION)
    weekly = _at(items, TimePoint.WEEKLY)
    assert _codes(admission) == ADMISSION_CODES
    assert all(i.overdue for i in admission)
    assert _codes(weekly) == WEEKLY_CODES
    assert {i.time_point_index for i in weekly} == {1}
    assert not any(i.overdue for i in weekly)
    assert {i.due_on for i in weekly} == {journey.today() - dt.timedelta(days=2)}


def test_submitted_items_leave_the_list_and_drafts_are_marked(
    child: Patient, coordinator: User
) -> None:
    episode = journey.admitted(child, days_ago=1)
    fill_and_submit(start(episode, coordinator), coordinator, all_answers("FDI-C", 1))
    start(episode, coordinator, "PCS-C")

    items = due_list(episode=episode, today=journey.today())

    assert "FDI-C" not in _codes(items)
    assert [i.in_progress for i in items if i.instrument_code == "PCS-C"] == [True]


def test_discharge_closes_the_stay_items_and_opens_the_discharge_battery(
    child: Patient,
) -> None:
    episode = journey.discharged(child)

    items = due_list(episode=episode, today=journey.today())

    assert {i.time_point for i in items} == {TimePoint.DISCHARGE}
    assert _codes(items) == DISCHARGE_CODES


def test_follow_up_battery_is_due_at_each_follow_up(child: Patient) -> None:
    episode = journey.discharged(child)
    visit = episode.follow_ups.order_by("due_on").first()
    assert visit is not None

    items = due_list(episode=episode, today=visit.due_on)

    assert {i.time_point for i in items} == {TimePoint.FOLLOW_UP}
    assert _codes(items) == FOLLOW_UP_CODES
    assert {i.time_point_index for i in items} == {visit.months_after}
    later = due_list(episode=episode, today=visit.due_on + dt.timedelta(days=3))
    assert all(i.overdue for i in later)


def test_end_of_step_down_is_due_when_the_protocol_asks(child: Patient) -> None:
    episode = journey.discharged(child)
    plan = episode.step_down
    end = plan.starts_on + dt.timedelta(weeks=plan.weeks)
    protocol = (
        ProtocolEntry(
            "FDI-C", RespondentKind.CHILD, frozenset({TimePoint.END_OF_STEP_DOWN})
        ),
    )

    items = due_list(episode=episode, today=end, protocol=protocol)

    assert [(i.instrument_code, i.time_point) for i in items] == [
        ("FDI-C", TimePoint.END_OF_STEP_DOWN)
    ]


def test_child_forms_outside_the_age_band_are_not_due(db: None) -> None:
    today = journey.today()
    adult = PatientFactory(date_of_birth=today.replace(year=today.year - 18))
    episode = journey.admitted(adult)

    codes = _codes(due_list(episode=episode, today=today))

    assert "FDI-C" not in codes
    assert "PROMIS-PED-PAININT-8A" not in codes
    assert {"FDI-P", "PCS-C"} <= codes


def _admit_many(count: int) -> list[Episode]:
    return [journey.admitted(days_ago=n % 20) for n in range(count)]


def test_census_provider_uses_the_same_queries_for_12_and_60_patients(
    coordinator: User,
) -> None:
    few = _admit_many(12)
    fill_and_submit(start(few[0], coordinator), coordinator, all_answers("FDI-C", 1))
    ids = [e.patient_id for e in few]
    with CaptureQueriesContext(connection) as small:
        small_counts = due_counts_for_patients(ids, journey.today())
    many = few + _admit_many(48)
    ids = [e.patient_id for e in many]

    with CaptureQueriesContext(connection) as large:
        labels = due_labels_for_patients(ids, journey.today())

    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(small_counts) == 12
    assert small_counts[few[0].patient_id] == small_counts[few[1].patient_id] - 1
    assert len(labels) == 60


def test_census_board_shows_due_questionnaires(coordinator: User) -> None:
    episode = journey.admitted(days_ago=9)

    board = census_board(user=coordinator, today=journey.today())

    stay = next(
        b.stay for b in board.beds if b.stay and b.stay.episode_id == episode.pk
    )
    assert "FDI-C · Admission (overdue)" in stay.due_questionnaires
    assert "FDI-C · Weekly 1" in stay.due_questionnaires


def test_history_lists_scores_per_instrument_and_corrections_replace(
    child: Patient, coordinator: User
) -> None:
    episode = journey.admitted(child, days_ago=8)
    first = start(episode, coordinator)
    fill_and_submit(first, coordinator, all_answers("FDI-C", 2))
    first.refresh_from_db()
    correction = services.administration_correct(
        administration=first, by=coordinator, reason="Typo."
    )
    fill_and_submit(correction, coordinator, {"1": 0})
    week = start(episode, coordinator, time_point=TimePoint.WEEKLY, index=1)
    fill_and_submit(week, coordinator, all_answers("FDI-C", 1))

    history = administration_history(patient=child)

    points = history["FDI-C"]
    assert [(p.time_point, p.total) for p in points] == [
        ("admission", 28),
        ("weekly", 15),
    ]
    assert points[0].is_correction


@pytest.mark.django_db
def test_provider_with_no_patients_returns_nothing() -> None:
    assert due_counts_for_patients([], journey.today()) == {}
