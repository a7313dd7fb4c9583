"""Services of the daily check-in, body map and clinician measures."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.audit.models import AuditEvent
from painrehab.common.testing import staff
from painrehab.episodes.models import Episode
from painrehab.instruments import bodymap, daily
from painrehab.instruments.models import (
    BodyMap,
    ClinicianMeasure,
    DailyCheckIn,
    MeasureKind,
)
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db


@pytest.fixture
def episode() -> Episode:
    return journey.admitted(days_ago=3)


@pytest.fixture
def nurse() -> User:
    return staff(Role.NURSE)


def _check_in(episode: Episode, by: User, **overrides: Any) -> DailyCheckIn:
    arguments: dict[str, Any] = {
        "on": timezone.localdate(),
        "pain_now": 4,
        "sleep_hours": Decimal("7.5"),
        "sleep_quality": "ok",
        "mood": "okay",
        "goal_met": True,
        "respondent": "child",
        **overrides,
    }
    return daily.checkin_record(episode=episode, by=by, **arguments)


def _field_error(error: pytest.ExceptionInfo[ValidationError], field: str) -> str:
    return " ".join(error.value.message_dict[field])


def test_records_a_check_in_and_audits_it(episode: Episode, nurse: User) -> None:
    check_in = _check_in(episode, nurse)
    assert check_in.pk
    assert AuditEvent.objects.filter(action="checkin.recorded").count() == 1


@pytest.mark.parametrize(
    ("field", "value", "ok"),
    [
        ("pain_now", 0, True),
        ("pain_now", 10, True),
        ("pain_now", -1, False),
        ("pain_now", 11, False),
        ("sleep_hours", Decimal(0), True),
        ("sleep_hours", Decimal(16), True),
        ("sleep_hours", Decimal("-0.1"), False),
        ("sleep_hours", Decimal("16.1"), False),
    ],
    ids=lambda v: str(v) + "_case",
)
def test_check_in_ranges(
    episode: Episode, nurse: User, field: str, value: Any, ok: bool
) -> None:
    if ok:
        assert _check_in(episode, nurse, **{field: value}).pk
        return
    with pytest.raises(ValidationError) as error:
        _check_in(episode, nurse, **{field: value})
    assert "must be between" in _field_error(error, field)
    assert not DailyCheckIn.objects.exists()


def test_refuses_a_check_in_in_the_future(episode: Episode, nurse: User) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        _check_in(episode, nurse, on=tomorrow)
    assert _field_error(error, "date") == daily.IN_FUTURE


def test_refuses_a_second_check_in_for_the_same_day(
    episode: Episode, nurse: User
) -> None:
    _check_in(episode, nurse)
    with pytest.raises(ValidationError) as error:
        _check_in(episode, nurse, pain_now=2)
    assert _field_error(error, "date") == daily.ALREADY_CHECKED_IN
    assert DailyCheckIn.objects.count() == 1


def test_refuses_a_check_in_for_a_child_not_on_the_unit(nurse: User) -> None:
    waiting = journey.waitlisted()
    with pytest.raises(ValidationError) as error:
        _check_in(waiting, nurse)
    assert error.value.messages == [daily.NOT_INPATIENT]


def test_body_map_keeps_known_regions(episode: Episode, nurse: User) -> None:
    codes = ["front.left_knee", "back.lower_back"]
    body_map = daily.body_map_record(
        episode=episode,
        on=timezone.localdate(),
        regions=codes,
        respondent="child",
        by=nurse,
    )
    assert body_map.regions == sorted(codes)


def test_body_map_refuses_an_unknown_region(episode: Episode, nurse: User) -> None:
    with pytest.raises(ValidationError) as error:
        daily.body_map_record(
            episode=episode,
            on=timezone.localdate(),
            regions=["front.left_knee", "front.tail"],
            respondent="child",
            by=nurse,
        )
    assert "front.tail" in _field_error(error, "regions")
    assert not BodyMap.objects.exists()


def test_every_region_code_is_unique_and_sided() -> None:
    codes = [region.code for region in bodymap.REGIONS]
    assert len(codes) == len(set(codes)) == 44
    assert all(code.split(".")[0] in {"front", "back"} for code in codes)


def _measure(episode: Episode, by: User, kind: str, value: str, **kw: Any) -> Any:
    return daily.measure_record(
        episode=episode,
        on=timezone.localdate(),
        kind=kind,
        value=Decimal(value),
        by=by,
        **kw,
    )


@pytest.mark.parametrize(
    ("kind", "low", "high"),
    [
        (MeasureKind.SIX_MINUTE_WALK, "0", "1000"),
        (MeasureKind.TIMED_UP_AND_GO, "2", "60"),
        (MeasureKind.SIT_TO_STAND_30S, "0", "40"),
        (MeasureKind.GRIP_LEFT, "0", "80"),
        (MeasureKind.GRIP_RIGHT, "0", "80"),
    ],
    ids=lambda v: str(v) + "_case",
)
def test_measure_ranges(
    episode: Episode, nurse: User, kind: str, low: str, high: str
) -> None:
    assert _measure(episode, nurse, kind, low).pk
    assert _measure(episode, nurse, kind, high).pk
    for outside in (Decimal(low) - 1, Decimal(high) + 1):
        with pytest.raises(ValidationError) as error:
            _measure(episode, nurse, kind, str(outside))
        message = _field_error(error, "value")
        assert f"between {low} and {high}" in message
    assert ClinicianMeasure.objects.count() == 2


def test_school_attendance_needs_attended_not_above_offered(
    episode: Episode, nurse: User
) -> None:
    kind = MeasureKind.SCHOOL_ATTENDANCE
    assert _measure(episode, nurse, kind, "5", offered=5).pk
    with pytest.raises(ValidationError) as error:
        _measure(episode, nurse, kind, "4", offered=3)
    assert _field_error(error, "value") == daily.MORE_ATTENDED
    with pytest.raises(ValidationError) as error:
        _measure(episode, nurse, kind, "4", offered=8)
    assert "between 0 and 7" in _field_error(error, "offered")
    with pytest.raises(ValidationError):
        _measure(episode, nurse, kind, "4")


def test_measure_refuses_the_future(episode: Episode, nurse: User) -> None:
    with pytest.raises(ValidationError) as error:
        daily.measure_record(
            episode=episode,
            on=timezone.localdate() + dt.timedelta(days=1),
            kind=MeasureKind.GRIP_LEFT,
            value=Decimal(10),
            by=nurse,
        )
    assert _field_error(error, "measured_on") == daily.IN_FUTURE
