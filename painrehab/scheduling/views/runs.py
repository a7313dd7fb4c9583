"""Scheduling pages: solver runs (docs/scheduling.md, "Background solves").

The coordinator asks for a week's (or some days') timetable; the solve runs in
the worker, and the run's page polls its status every 2 seconds until it is done,
then shows what was delivered against the coordinator's first fit and the bound.
"""

import uuid
from datetime import date, timedelta
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from painrehab.accounts.choices import Role
from painrehab.accounts.decorators import roles
from painrehab.accounts.models import User
from painrehab.common.forms import DateInput
from painrehab.common.htmx import HtmxHttpRequest, is_partial
from painrehab.scheduling import selectors_runs as selectors
from painrehab.scheduling.services import runs as services

LIST_TEMPLATE = "scheduling/run_list.html"
DETAIL_TEMPLATE = "scheduling/run_detail.html"
STATUS = "run-status"
QUEUED = _("The timetable is being built; this page follows the solver.")
NOT_MONDAY = _("Choose a Monday.")
CHOOSE_DAYS = _("Choose a week, or the first and the last day.")


class SolveForm(forms.Form):
    """A week (its Monday) or a range of days, and the solver's time limit."""

    week = forms.DateField(
        label=_("Week starting on Monday"), required=False, widget=DateInput()
    )
    first_day = forms.DateField(
        label=_("Or from this day"), required=False, widget=DateInput()
    )
    last_day = forms.DateField(
        label=_("until this day"), required=False, widget=DateInput()
    )
    time_limit = forms.IntegerField(
        label=_("Time limit (seconds)"),
        min_value=services.TIME_LIMITS[0],
        max_value=services.TIME_LIMITS[1],
        help_text=_("A week of 12 children is usually done within a minute."),
    )
    form_token = forms.UUIDField(widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())
        week, first, last = (
            data.get("week"),
            data.get("first_day"),
            data.get("last_day"),
        )
        if week is not None:
            if week.weekday() != 0:
                self.add_error("week", NOT_MONDAY)
            data["first_day"], data["last_day"] = week, week + timedelta(days=6)
        elif (first is None or last is None) and not self._dates_refused():
            self.add_error("week", CHOOSE_DAYS)
        return data

    def _dates_refused(self) -> bool:
        return self.has_error("first_day") or self.has_error("last_day")


def _initial() -> dict[str, object]:
    today = timezone.localdate()
    return {
        "week": today + timedelta(days=7 - today.weekday()),
        "time_limit": 60,
        "form_token": uuid.uuid4(),
    }


def _user(request: HttpRequest) -> User:
    """The signed-in coordinator (the role declaration has turned others away)."""
    return cast(User, request.user)


def _list_page(
    request: HttpRequest, form: SolveForm, status: int = 200
) -> HttpResponse:
    context = {"form": form, "runs": selectors.run_list()}
    return render(request, LIST_TEMPLATE, context, status=status)


@require_GET
@roles(Role.COORDINATOR)
def run_list(request: HtmxHttpRequest) -> HttpResponse:
    """Recent runs and the form that builds a timetable."""
    return _list_page(request, SolveForm(initial=_initial()))


@require_POST
@roles(Role.COORDINATOR)
def solve(request: HtmxHttpRequest) -> HttpResponse:
    """Queue a solve; a double click queues one. Refusals show beside the field."""
    form = SolveForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            run = services.solve_request(
                first_day=cast(date, data["first_day"]),
                last_day=cast(date, data["last_day"]),
                by=_user(request),
                form_token=data["form_token"],
                time_limit=data["time_limit"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, QUEUED)
            return redirect(reverse("scheduling:run_detail", args=[run.pk]))
    return _list_page(request, form, status=400)


def _add_errors(form: SolveForm, error: ValidationError) -> None:
    """Service refusals beside the field the user filled in (the week, if used)."""
    by_week = form.cleaned_data.get("week") is not None
    for name, texts in error.message_dict.items():
        field = name if name in form.fields else None
        if by_week and name in ("first_day", "last_day"):
            field = "week"
        form.add_error(field, texts)


@require_GET
@roles(Role.COORDINATOR)
def run_detail(request: HtmxHttpRequest, run_id: int) -> HttpResponse:
    """A run's status (polled every 2 s while open) and, once done, its results."""
    partial = is_partial(request, STATUS)
    page = selectors.run_page(user=_user(request), run_id=run_id, audit=not partial)
    template = f"{DETAIL_TEMPLATE}#{STATUS}" if partial else DETAIL_TEMPLATE
    return render(request, template, {"page": page})


urlpatterns: list[URLPattern] = [
    path("schedule/runs/", run_list, name="run_list"),
    path("schedule/runs/solve/", solve, name="solve"),
    path("schedule/runs/<int:run_id>/", run_detail, name="run_detail"),
]
