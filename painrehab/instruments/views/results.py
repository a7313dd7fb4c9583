"""The chart's Measures tab (due list and scores over time) and flagged-score alerts."""

import uuid
from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from painrehab.accounts.choices import CLINICAL_ROLES, Role
from painrehab.accounts.decorators import roles
from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, DataCategory
from painrehab.audit.services import record
from painrehab.common.htmx import HtmxHttpRequest
from painrehab.domain.scoring import get
from painrehab.episodes.selectors import episode_current
from painrehab.instruments import services
from painrehab.instruments.choices import RespondentKind, TimePoint
from painrehab.instruments.selectors import (
    DueItem,
    HistoryPoint,
    administration_history,
    admission_baseline,
    change_from,
    compared_value,
    due_list,
    flagged_scores_for,
)
from painrehab.patients import chart
from painrehab.patients.access import PatientNotFound, patient_get_for_user
from painrehab.patients.models import Guardian, Patient

ALERT_ROLES = (Role.PSYCHOLOGIST, Role.COORDINATOR, Role.PHYSICIAN)


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


@dataclass(frozen=True)
class Row:
    """One administration in the results table, in plain words."""

    point: HistoryPoint
    time_point: str
    respondent: str
    change: float | None
    meaningful: bool | None


@dataclass(frozen=True)
class InstrumentResults:
    code: str
    name: str
    threshold: float | None
    rows: list[Row]


@dataclass(frozen=True)
class DueRow:
    item: DueItem
    form_token: uuid.UUID
    needs_guardian: bool


def _time_point(point: HistoryPoint) -> str:
    label = str(TimePoint(point.time_point).label)
    if point.time_point in (TimePoint.WEEKLY, TimePoint.FOLLOW_UP):
        return f"{label} {point.time_point_index}"
    return label


def _rows(points: list[HistoryPoint], threshold: float | None, on_t: bool) -> list[Row]:
    baseline = admission_baseline(points, on_t=on_t)
    rows = []
    for p in points:
        change, meaningful = change_from(
            baseline, compared_value(p, on_t=on_t), threshold
        )
        rows.append(
            Row(
                point=p,
                time_point=_time_point(p),
                respondent=str(RespondentKind(p.respondent_kind).label),
                change=change,
                meaningful=meaningful,
            )
        )
    return rows


def _results(patient: Patient) -> list[InstrumentResults]:
    found = []
    for code, points in sorted(administration_history(patient=patient).items()):
        definition = get(code)
        threshold = definition.meaningful_change
        found.append(
            InstrumentResults(
                code,
                definition.name,
                threshold,
                _rows(points, threshold, definition.converts_to_t),
            )
        )
    return found


def _audit(user: User, action: str, patient_id: int | None = None) -> None:
    record(
        action=action,
        action_type=ActionType.READ,
        actor=user,
        patient_id=patient_id,
        data_category=DataCategory.EPISODE,
    )


def _due_rows(patient: Patient) -> list[DueRow]:
    episode = episode_current(patient=patient)
    if episode is None:
        return []
    return [
        DueRow(item, uuid.uuid4(), item.respondent == RespondentKind.PARENT)
        for item in due_list(episode=episode, today=timezone.localdate())
    ]


@require_GET
@roles(*CLINICAL_ROLES)
def measures(request: HtmxHttpRequest, patient_id: int) -> HttpResponse:
    """Questionnaires due now, with Start buttons, and every score over time."""
    user = _user(request)
    patient = patient_get_for_user(user=user, patient_id=patient_id)
    _audit(user, "results.viewed", patient.pk)
    due = _due_rows(patient)
    context: dict[str, Any] = {
        "due": due,
        "child_due": sum(1 for r in due if r.item.respondent == RespondentKind.CHILD),
        "guardians": list(Guardian.objects.filter(patient_links__patient=patient)),
        "results": _results(patient),
        "patient": patient,
        **chart.header_context(patient),
    }
    return render(request, "instruments/results.html", context)


@require_GET
@roles(*ALERT_ROLES)
def alerts(request: HtmxHttpRequest) -> HttpResponse:
    """Flagged scores of this person's patients that nobody has acknowledged yet."""
    user = _user(request)
    _audit(user, "alerts.viewed")
    context = {"scores": list(flagged_scores_for(user))}
    return render(request, "instruments/alerts.html", context)


@require_POST
@roles(*ALERT_ROLES)
def alert_acknowledge(request: HtmxHttpRequest, score_id: int) -> HttpResponse:
    """Mark a flagged score as seen; it leaves the list."""
    user = _user(request)
    score = flagged_scores_for(user).filter(pk=score_id).first()
    if score is None:
        raise PatientNotFound
    services.score_acknowledge(score=score, by=user)
    messages.success(request, _("Acknowledged."))
    return redirect("instruments:alerts")
