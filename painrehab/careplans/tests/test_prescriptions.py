"""Prescriptions: tailored from the template, validated with field messages,
version-checked, stopped (never deleted), each change in history and audit."""

import datetime as dt
import uuid
from dataclasses import replace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from painrehab.accounts.choices import Role
from painrehab.audit.models import AuditEvent
from painrehab.careplans import services, validation
from painrehab.careplans.inputs import PrescriptionFields
from painrehab.careplans.models import PlanChange, Prescription
from painrehab.careplans.selectors import prescriptions_active
from painrehab.careplans.tests.support import (
    add_prescription,
    admitted_on,
    admitted_plan,
    on_team,
    prescription_fields,
    template_row,
)
from painrehab.common.testing import staff
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db


def test_a_psychologist_adds_family_therapy_twice_a_week() -> None:
    plan = admitted_plan()
    psy = on_team(plan, Role.PSYCHOLOGIST)
    row = add_prescription(plan, psy)
    assert (row.sessions_per_week, row.sessions_per_day, row.minutes) == (2, None, 45)
    assert row.minutes_per_week == 90 and row.minutes_per_day == 0
    entry = PlanChange.objects.get(action="prescription.created")
    assert entry.changes["sessions_per_week"] == {"old": None, "new": 2}
    assert AuditEvent.objects.filter(
        action="prescription.created", object_id=str(row.pk)
    ).exists()


def test_a_double_clicked_add_makes_one_prescription() -> None:
    plan = admitted_plan()
    token = uuid.uuid4()
    fields = prescription_fields(plan)
    for _ in range(2):
        services.prescription_create(
            care_plan=plan, by=journey.coordinator(), form_token=token, fields=fields
        )
    assert Prescription.objects.filter(form_token=token).count() == 1


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"minutes": 10}, {"minutes": [validation.MINUTES_RANGE]}),
        ({"minutes": 195}, {"minutes": [validation.MINUTES_RANGE]}),
        ({"minutes": 50}, {"minutes": [validation.MINUTES_STEP]}),
        ({"minutes": 120, "mode": "group"}, {"minutes": [validation.GROUP_MINUTES]}),
        ({"minutes": 15, "mode": "group"}, {"minutes": [validation.GROUP_MINUTES]}),
        (
            {"sessions_per_week": None},
            {"sessions_per_day": [validation.FREQUENCY_MISSING]},
        ),
        (
            {"sessions_per_day": 1, "sessions_per_week": 2},
            {"sessions_per_week": [validation.FREQUENCY_BOTH]},
        ),
        (
            {"sessions_per_day": 4, "sessions_per_week": None},
            {"sessions_per_day": [validation.PER_DAY_RANGE]},
        ),
        (
            {"sessions_per_week": 6, "excluded_weekdays": (5, 6)},
            {"sessions_per_week": [validation.PER_WEEK_RANGE.format(days=5)]},
        ),
        (
            {"excluded_weekdays": tuple(range(7)), "sessions_per_week": 1},
            {
                "excluded_weekdays": [validation.ALL_DAYS_EXCLUDED],
                "sessions_per_week": [validation.PER_WEEK_RANGE.format(days=0)],
            },
        ),
        (
            {"discipline": "SCHOOL"},
            {"discipline": [validation.NOT_PRESCRIBABLE.format(discipline="SCHOOL")]},
        ),
    ],
    ids=[
        "too_short_case",
        "too_long_case",
        "not_a_slot_case",
        "long_group_case",
        "short_group_case",
        "no_frequency_case",
        "both_frequencies_case",
        "too_many_a_day_case",
        "too_many_a_week_case",
        "every_day_excluded_case",
        "school_case",
    ],
)
def test_bad_values_are_refused_with_a_message_per_field(
    overrides: dict[str, object], errors: dict[str, list[str]]
) -> None:
    plan = admitted_plan()
    with pytest.raises(ValidationError) as refused:
        add_prescription(plan, journey.coordinator(), **overrides)
    assert refused.value.message_dict == errors
    assert not Prescription.objects.filter(template_key="").exists()


def test_dates_must_fall_in_order_and_after_admission() -> None:
    plan = admitted_plan(days_ago=2)
    start = admitted_on(plan) - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        add_prescription(
            plan,
            journey.coordinator(),
            starts_on=start,
            ends_on=start - dt.timedelta(days=1),
        )
    assert refused.value.message_dict == {
        "starts_on": [validation.BEFORE_ADMISSION.format(admitted=admitted_on(plan))],
        "ends_on": [validation.ENDS_BEFORE_START],
    }


def test_the_template_is_tailored_extra_psychology_with_a_reason() -> None:
    plan = admitted_plan()
    psy = on_team(plan, Role.PSYCHOLOGIST)
    row = template_row(plan, "psychotherapy")
    fields = replace(PrescriptionFields.of(row), sessions_per_day=2, minutes=45)
    saved = services.prescription_change(
        prescription=row,
        by=psy,
        version=row.version,
        reason="High anxiety; two shorter sessions",
        fields=fields,
    )
    assert (saved.sessions_per_day, saved.minutes, saved.version) == (2, 45, 2)
    entry = PlanChange.objects.get(action="prescription.changed")
    assert entry.changes == {
        "sessions_per_day": {"old": 1, "new": 2},
        "minutes": {"old": 60, "new": 45},
    }
    assert entry.reason == "High anxiety; two shorter sessions"
    event = AuditEvent.objects.get(action="prescription.changed")
    assert event.changes["fields"] == entry.changes


def test_a_change_needs_a_reason() -> None:
    plan = admitted_plan()
    row = template_row(plan, "pt")
    with pytest.raises(ValidationError) as refused:
        services.prescription_change(
            prescription=row,
            by=journey.coordinator(),
            version=1,
            reason=" ",
            fields=replace(PrescriptionFields.of(row), minutes=45),
        )
    assert refused.value.message_dict == {"reason": [services.REASON_REQUIRED]}


def test_a_stale_change_is_refused_and_the_first_one_stands() -> None:
    plan = admitted_plan()
    row = template_row(plan, "pt")
    by = journey.coordinator()
    first = replace(PrescriptionFields.of(row), minutes=45)
    services.prescription_change(
        prescription=row, by=by, version=1, reason="Tired", fields=first
    )
    second = replace(PrescriptionFields.of(row), time_of_day="afternoon")
    with pytest.raises(ValidationError) as refused:
        services.prescription_change(
            prescription=row, by=by, version=1, reason="Later", fields=second
        )
    assert refused.value.message_dict == {"version": [services.STALE]}
    row.refresh_from_db()
    assert (row.minutes, row.time_of_day, row.version) == (45, "morning", 2)


def test_acupuncture_is_stopped_for_a_needle_phobic_child() -> None:
    plan = admitted_plan(days_ago=4)
    acupuncturist = on_team(plan, Role.ACUPUNCTURIST)
    row = template_row(plan, "acupuncture")
    today = journey.today()
    stopped = services.prescription_stop(
        prescription=row,
        by=acupuncturist,
        version=1,
        reason="Needle phobia; distress at the first session",
    )
    assert (stopped.status, stopped.stopped_on) == ("stopped", today)
    assert row not in prescriptions_active(plan.episode, on=today)
    assert row in prescriptions_active(plan.episode, on=today - dt.timedelta(days=1))
    entry = PlanChange.objects.get(action="prescription.ended")
    assert entry.changes["status"] == {"old": "active", "new": "stopped"}
    assert entry.reason.startswith("Needle phobia")
    with pytest.raises(ValidationError) as refused:
        services.prescription_change(
            prescription=row,
            by=acupuncturist,
            version=2,
            reason="Try again",
            fields=PrescriptionFields.of(stopped),
        )
    assert refused.value.messages == [services.ALREADY_STOPPED]
    with pytest.raises(PermissionError):
        stopped.delete()


def test_stopping_needs_a_reason_and_a_date_after_the_start() -> None:
    plan = admitted_plan(days_ago=2)
    row = template_row(plan, "ot")
    early = admitted_on(plan) - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.prescription_stop(
            prescription=row,
            by=journey.coordinator(),
            version=1,
            reason="",
            stopped_on=early,
        )
    assert refused.value.message_dict == {
        "reason": [services.REASON_REQUIRED],
        "stopped_on": [services.STOP_BEFORE_START.format(starts=row.starts_on)],
    }
    row.refresh_from_db()
    assert row.status == "active"


@pytest.mark.parametrize(
    ("role", "key", "allowed"),
    [
        (Role.PHYSICAL_THERAPIST, "pt", True),
        (Role.PHYSICAL_THERAPIST, "group_pt", True),
        (Role.PHYSICAL_THERAPIST, "ot", False),
        (Role.ACUPUNCTURIST, "acupuncture", True),
        (Role.NURSE, "psychotherapy", False),
        (Role.PHYSICIAN, "acupuncture", True),
    ],
    ids=lambda v: str(v),
)
def test_who_may_stop_which_prescription(role: Role, key: str, allowed: bool) -> None:
    plan = admitted_plan()
    user = on_team(plan, role)
    row = template_row(plan, key)
    if allowed:
        services.prescription_stop(prescription=row, by=user, version=1, reason="x")
    else:
        with pytest.raises(PermissionDenied):
            services.prescription_stop(prescription=row, by=user, version=1, reason="x")


def test_nobody_off_the_team_changes_the_plan() -> None:
    plan = admitted_plan()
    row = template_row(plan, "pt")
    from painrehab.patients.access import PatientNotFound

    with pytest.raises(PatientNotFound):
        services.prescription_stop(
            prescription=row,
            by=staff(Role.PHYSICAL_THERAPIST),
            version=1,
            reason="x",
        )
