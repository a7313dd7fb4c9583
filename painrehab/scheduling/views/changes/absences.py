"""Absences and the repairs they lead to (the coordinator): mark someone absent,
cancel an absence, plan its repair, then accept or discard the proposal.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from painrehab.accounts.choices import Role
from painrehab.accounts.decorators import roles
from painrehab.common.htmx import HtmxHttpRequest, is_partial
from painrehab.scheduling import selectors_changes as selectors
from painrehab.scheduling.forms_changes import AbsenceForm, absence_initial
from painrehab.scheduling.models import Absence
from painrehab.scheduling.services import absences as absence_services
from painrehab.scheduling.views.changes.common import (
    BAD_INPUT,
    CONFLICT,
    add_errors,
    request_user,
)

ABSENCE_RECORDED = _("Absence recorded; the repair is being worked out.")
NOTHING_TO_REPAIR = _("No session involves them then: nothing moves.")
CANCELLED = _("Absence cancelled.")
ACCEPTED = _("Repair accepted: the timetable is updated.")
DISCARDED = _("Proposal discarded; the timetable is unchanged.")
REPAIR = "scheduling/repair_detail.html"


@require_http_methods(["GET", "POST"])
@roles(Role.COORDINATOR)
def absence_new(request: HtmxHttpRequest) -> HttpResponse:
    """Mark someone absent (all day or part of it), then work out the repair."""
    template = "scheduling/absence_form.html"
    if request.method == "GET":
        form = AbsenceForm(initial=absence_initial())
        return render(request, template, {"form": form})
    form = AbsenceForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        user = request_user(request)
        try:
            absence = absence_services.absence_record(
                staff=data["staff"],
                day=data["day"],
                start=data["start"],
                end=data["end"],
                reason=data["reason"],
                note=data["note"],
                by=user,
                form_token=data["form_token"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            run = absence_services.repair_request(absence=absence, by=user)
            if run is None:
                messages.success(request, NOTHING_TO_REPAIR)
                return redirect("scheduling:absence_list")
            messages.success(request, ABSENCE_RECORDED)
            return redirect("scheduling:repair", run.pk)
    return render(request, template, {"form": form}, status=BAD_INPUT)


@require_GET
@roles(Role.COORDINATOR)
def absence_list(request: HtmxHttpRequest) -> HttpResponse:
    """Absences from today on, with their repair; cancel one."""
    context = {"lines": selectors.absence_list()}
    return render(request, "scheduling/absence_list.html", context)


@require_POST
@roles(Role.COORDINATOR)
def absence_cancel(request: HtmxHttpRequest, absence_id: int) -> HttpResponse:
    absence = get_object_or_404(Absence, pk=absence_id)
    try:
        absence_services.absence_cancel(absence=absence, by=request_user(request))
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, CANCELLED)
    return redirect("scheduling:absence_list")


@require_POST
@roles(Role.COORDINATOR)
def absence_repair(request: HtmxHttpRequest, absence_id: int) -> HttpResponse:
    """Plan the repair (again, after one out of date, discarded or failed)."""
    absence = get_object_or_404(Absence, pk=absence_id)
    try:
        run = absence_services.repair_request(absence=absence, by=request_user(request))
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect("scheduling:absence_list")
    if run is None:
        messages.success(request, NOTHING_TO_REPAIR)
        return redirect("scheduling:absence_list")
    return redirect("scheduling:repair", run.pk)


def _repair(request: HtmxHttpRequest, run_id: int, status: int = 200) -> HttpResponse:
    run = selectors.repair_get(run_id=run_id)
    view = selectors.repair_view(user=request_user(request), run=run)
    context = {"run": run, "view": view}
    if is_partial(request, "repair-status"):
        return render(request, f"{REPAIR}#repair-status", context, status=status)
    return render(request, REPAIR, context, status=status)


@require_GET
@roles(Role.COORDINATOR)
def repair(request: HtmxHttpRequest, run_id: int) -> HttpResponse:
    """The repair: progress while it runs, then which sessions move and which
    cannot be placed; accept or discard."""
    return _repair(request, run_id)


@require_POST
@roles(Role.COORDINATOR)
def repair_accept(request: HtmxHttpRequest, run_id: int) -> HttpResponse:
    run = selectors.repair_get(run_id=run_id)
    try:
        absence_services.repair_accept(run=run, by=request_user(request))
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return _repair(request, run_id, status=CONFLICT)
    messages.success(request, ACCEPTED)
    return redirect("scheduling:repair", run_id)


@require_POST
@roles(Role.COORDINATOR)
def repair_discard(request: HtmxHttpRequest, run_id: int) -> HttpResponse:
    run = selectors.repair_get(run_id=run_id)
    try:
        absence_services.repair_discard(run=run, by=request_user(request))
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return _repair(request, run_id, status=CONFLICT)
    messages.success(request, DISCARDED)
    return redirect("scheduling:repair", run_id)


urlpatterns = [
    path("schedule/absences/", absence_list, name="absence_list"),
    path("schedule/absences/new/", absence_new, name="absence_new"),
    path(
        "schedule/absences/<int:absence_id>/cancel/",
        absence_cancel,
        name="absence_cancel",
    ),
    path(
        "schedule/absences/<int:absence_id>/repair/",
        absence_repair,
        name="absence_repair",
    ),
    path("schedule/repairs/<int:run_id>/", repair, name="repair"),
    path("schedule/repairs/<int:run_id>/accept/", repair_accept, name="repair_accept"),
    path(
        "schedule/repairs/<int:run_id>/discard/", repair_discard, name="repair_discard"
    ),
]
