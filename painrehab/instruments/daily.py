"""Writes and reads of the daily check-in, the pain body map and clinician measures.

Services are keyword-only, atomic and audited, and run ``full_clean`` before
saving; their refusals are ``ValidationError``s keyed by the field they concern,
with the message constants below (tests import them). Reads go through the
patient funnel and record who looked.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory
from painrehab.audit.services import record
from painrehab.episodes.choices import Phase
from painrehab.episodes.models import Episode
from painrehab.episodes.selectors import episode_current
from painrehab.instruments import bodymap
from painrehab.instruments.models import (
    MEASURE_RANGES,
    BodyMap,
    ClinicianMeasure,
    DailyCheckIn,
    MeasureKind,
)
from painrehab.patients.access import patient_get_for_user
from painrehab.patients.models import Patient

NOT_INPATIENT = "Daily check-ins are for children on the inpatient unit only."
NOT_OPEN = "This child has no open episode to record against."
IN_FUTURE = "The date cannot be in the future."
ALREADY_CHECKED_IN = "There is already a check-in for this day."
OUT_OF_RANGE = "{label} must be between {low} and {high}{unit}."
NOT_WHOLE = "{label} must be a whole number."
UNKNOWN_REGIONS = "Unknown body regions: {codes}."
NO_REGIONS = "Mark at least one place that hurts."
MORE_ATTENDED = "Days attended cannot be more than days offered."
OFFERED_NEEDED = "Days offered is needed for school attendance."
RECENT_DAYS = 7


def _range(
    field: str, label: str, value: Decimal, low: Decimal, high: Decimal, unit: str = ""
) -> None:
    if not low <= value <= high:
        suffix = f" {unit}" if unit else ""
        message = OUT_OF_RANGE.format(label=label, low=low, high=high, unit=suffix)
        raise ValidationError({field: message})


def _not_future(field: str, on: date) -> None:
    if on > timezone.localdate():
        raise ValidationError({field: IN_FUTURE})


def _open(episode: Episode) -> None:
    if not episode.is_open:
        raise ValidationError(NOT_OPEN)


def _audit_write(*, action: str, by: User, obj: Any, changes: dict[str, Any]) -> None:
    record(
        action=action,
        action_type=ActionType.CREATE,
        actor=by,
        patient_id=obj.episode.patient_id,
        data_category=DataCategory.EPISODE,
        obj=obj,
        changes=changes,
    )


def _check_in_values(
    *, on: date, pain_now: int, sleep_hours: Decimal, episode: Episode
) -> None:
    if episode.phase != Phase.INPATIENT:
        raise ValidationError(NOT_INPATIENT)
    _not_future("date", on)
    _range("pain_now", "Pain now", Decimal(pain_now), Decimal(0), Decimal(10))
    _range("sleep_hours", "Sleep hours", sleep_hours, Decimal(0), Decimal(16))
    if DailyCheckIn.objects.filter(episode=episode, date=on).exists():
        raise ValidationError({"date": ALREADY_CHECKED_IN})


@transaction.atomic
def checkin_record(
    *,
    episode: Episode,
    on: date,
    pain_now: int,
    sleep_hours: Decimal,
    sleep_quality: str,
    mood: str,
    goal_met: bool,
    goal_text: str = "",
    respondent: str,
    by: User,
) -> DailyCheckIn:
    """Record one inpatient day; a second entry for the same day is refused."""
    _check_in_values(on=on, pain_now=pain_now, sleep_hours=sleep_hours, episode=episode)
    check_in = DailyCheckIn(
        episode=episode,
        date=on,
        pain_now=pain_now,
        sleep_hours=sleep_hours,
        sleep_quality=sleep_quality,
        mood=mood,
        goal_met=goal_met,
        goal_text=goal_text,
        respondent=respondent,
        entered_by=by,
        recorded_at=timezone.now(),
    )
    check_in.full_clean()
    check_in.save()
    changes = {"date": on.isoformat(), "respondent": respondent}
    _audit_write(
        action=AuditAction.CHECKIN_RECORDED, by=by, obj=check_in, changes=changes
    )
    return check_in


@transaction.atomic
def body_map_record(
    *, episode: Episode, on: date, regions: list[str], respondent: str, by: User
) -> BodyMap:
    """Record where it hurts; every code must name a region in ``bodymap``."""
    _open(episode)
    _not_future("recorded_on", on)
    unknown = bodymap.unknown_codes(regions)
    if unknown:
        message = UNKNOWN_REGIONS.format(codes=", ".join(unknown))
        raise ValidationError({"regions": message})
    if not regions:
        raise ValidationError({"regions": NO_REGIONS})
    body_map = BodyMap(
        episode=episode,
        recorded_on=on,
        regions=sorted(set(regions)),
        respondent=respondent,
        entered_by=by,
        recorded_at=timezone.now(),
    )
    body_map.full_clean()
    body_map.save()
    changes = {"recorded_on": on.isoformat(), "regions": len(body_map.regions)}
    _audit_write(
        action=AuditAction.BODY_MAP_RECORDED, by=by, obj=body_map, changes=changes
    )
    return body_map


def _measure_values(kind: str, value: Decimal, offered: int | None) -> None:
    limits = MEASURE_RANGES[kind]
    label = str(MeasureKind(kind).label)
    if limits.whole and value != value.to_integral_value():
        raise ValidationError({"value": NOT_WHOLE.format(label=label)})
    if kind != MeasureKind.SCHOOL_ATTENDANCE:
        _range("value", label, value, limits.low, limits.high, limits.unit)
        return
    if offered is None:
        raise ValidationError({"offered": OFFERED_NEEDED})
    _range("offered", "Days offered", Decimal(offered), limits.low, limits.high)
    _range("value", "Days attended", value, limits.low, limits.high)
    if value > offered:
        raise ValidationError({"value": MORE_ATTENDED})


@transaction.atomic
def measure_record(
    *,
    episode: Episode,
    on: date,
    kind: str,
    value: Decimal,
    offered: int | None = None,
    by: User,
) -> ClinicianMeasure:
    """Record one clinician measure, refusing values outside the plausible range."""
    _open(episode)
    _not_future("measured_on", on)
    _measure_values(kind, value, offered)
    measure = ClinicianMeasure(
        episode=episode,
        measured_on=on,
        kind=kind,
        value=value,
        offered=offered if kind == MeasureKind.SCHOOL_ATTENDANCE else None,
        entered_by=by,
        recorded_at=timezone.now(),
    )
    measure.full_clean()
    measure.save()
    changes = {"kind": kind, "measured_on": on.isoformat()}
    _audit_write(
        action=AuditAction.MEASURE_RECORDED, by=by, obj=measure, changes=changes
    )
    return measure


# --- Reads -----------------------------------------------------------------


@dataclass(frozen=True)
class DailyChart:
    """A patient seen through the funnel, with their current episode (if any)."""

    patient: Patient
    episode: Episode | None


def daily_chart_get(*, user: User, patient_id: int) -> DailyChart:
    """The patient (404 when not visible) and their open or latest episode."""
    patient = patient_get_for_user(user=user, patient_id=patient_id)
    return DailyChart(patient=patient, episode=episode_current(patient=patient))


def _audit_read(*, action: str, user: User, chart: DailyChart) -> None:
    record(
        action=action,
        action_type=ActionType.READ,
        actor=user,
        patient_id=chart.patient.pk,
        data_category=DataCategory.EPISODE,
        obj=chart.episode,
    )


def checkin_recent(*, user: User, chart: DailyChart, today: date) -> list[DailyCheckIn]:
    """The check-ins of the last seven days, newest first (an audited read)."""
    _audit_read(action=AuditAction.CHECKIN_VIEWED, user=user, chart=chart)
    if chart.episode is None:
        return []
    since = today - timedelta(days=RECENT_DAYS - 1)
    found = DailyCheckIn.objects.filter(episode=chart.episode, date__gte=since)
    return list(found.order_by("-date"))


def body_map_latest(*, user: User, chart: DailyChart) -> BodyMap | None:
    """The most recent body map of the current episode (an audited read)."""
    _audit_read(action=AuditAction.BODY_MAP_VIEWED, user=user, chart=chart)
    if chart.episode is None:
        return None
    return BodyMap.objects.filter(episode=chart.episode).first()


@dataclass(frozen=True)
class FlowsheetRow:
    kind: str
    label: str
    unit: str
    cells: tuple[str, ...]  # one per date; "" when not measured that day


@dataclass(frozen=True)
class Flowsheet:
    dates: tuple[date, ...]
    rows: tuple[FlowsheetRow, ...]


def _cell(measure: ClinicianMeasure) -> str:
    value = measure.value.normalize()
    if measure.kind == MeasureKind.SCHOOL_ATTENDANCE:
        return f"{value:f}/{measure.offered}"
    return f"{value:f}"


def _rows(
    measures: list[ClinicianMeasure], dates: tuple[date, ...]
) -> tuple[FlowsheetRow, ...]:
    cells: dict[tuple[str, date], list[str]] = {}
    for measure in measures:
        cells.setdefault((measure.kind, measure.measured_on), []).append(_cell(measure))
    return tuple(
        FlowsheetRow(
            kind=kind,
            label=str(label),
            unit=MEASURE_RANGES[kind].unit,
            cells=tuple(", ".join(cells.get((kind, on), [])) for on in dates),
        )
        for kind, label in MeasureKind.choices
    )


def flowsheet_get(*, user: User, chart: DailyChart) -> Flowsheet:
    """Rows = kinds, columns = dates, in one query (an audited read)."""
    _audit_read(action=AuditAction.MEASURES_VIEWED, user=user, chart=chart)
    if chart.episode is None:
        return Flowsheet(dates=(), rows=_rows([], ()))
    measures = list(ClinicianMeasure.objects.filter(episode=chart.episode))
    dates = tuple(sorted({m.measured_on for m in measures}))
    return Flowsheet(dates=dates, rows=_rows(measures, dates))
