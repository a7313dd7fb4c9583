"""What the care plan pages share: the user, refusals on forms, the conflict view.

A stale save is shown as a conflict: the form comes back with what the user typed,
now carrying the current version, and beside it, field by field, the values the
other person saved. "Keep mine" re-submits the form; "Take theirs" reloads it.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse

from painrehab.accounts.models import User
from painrehab.careplans.history import field_label, shown
from painrehab.careplans.models import CarePlan, PlanChange
from painrehab.patients import chart

CONFLICT = 409


def user_of(request: HttpRequest) -> User:
    """The signed-in clinician (the access declaration has checked the login)."""
    return cast(User, request.user)


def plan_url(patient_id: int) -> str:
    return reverse("careplans:plan", args=[patient_id])


def edit_page(
    request: HttpRequest,
    plan: CarePlan,
    template: str,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    """An edit form under the chart header of the plan's patient."""
    patient = plan.episode.patient
    full = {"plan": plan, "patient": patient, **chart.header_context(patient)}
    return render(request, template, {**full, **context}, status=status)


def is_stale(error: ValidationError) -> bool:
    return hasattr(error, "error_dict") and "version" in error.error_dict


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """A refused service call beside the fields it names, else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages)


def with_version(data: QueryDict, version: int) -> QueryDict:
    """The posted values again, now based on ``version`` ("keep mine")."""
    copied = data.copy()
    copied["version"] = str(version)
    return copied


@dataclass(frozen=True)
class ConflictRow:
    label: str
    theirs: str
    mine: str

    @property
    def differs(self) -> bool:
        return self.theirs != self.mine


@dataclass(frozen=True)
class Conflict:
    """Who saved in between, and each compared field: theirs and mine."""

    by: str
    at: datetime | None
    rows: tuple[ConflictRow, ...]


def conflict(
    *,
    subject: str,
    names: tuple[str, ...],
    theirs: Mapping[str, Any],
    mine: Mapping[str, Any],
    change: PlanChange | None,
) -> Conflict:
    rows = tuple(
        ConflictRow(
            field_label(subject, name),
            shown(subject, name, theirs.get(name)),
            shown(subject, name, mine.get(name)),
        )
        for name in names
    )
    by = (change.by.get_full_name() or change.by.get_username()) if change else ""
    return Conflict(by=by, at=change.at if change else None, rows=rows)
