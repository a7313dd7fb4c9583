"""Adding, changing and stopping prescriptions."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from painrehab.accounts.choices import CLINICAL_ROLES
from painrehab.accounts.decorators import roles
from painrehab.accounts.models import User
from painrehab.careplans import selectors, services
from painrehab.careplans.choices import PRESCRIBABLE_DISCIPLINES
from painrehab.careplans.forms import (
    PrescriptionForm,
    StopForm,
    new_prescription_initial,
    prescription_initial,
)
from painrehab.careplans.inputs import PrescriptionFields
from painrehab.careplans.models import Prescription
from painrehab.careplans.rules import Part, check_may_edit, editable_disciplines
from painrehab.careplans.views._common import (
    CONFLICT,
    add_service_errors,
    conflict,
    edit_page,
    is_stale,
    plan_url,
    user_of,
    with_version,
)
from painrehab.common.htmx import HtmxHttpRequest

ADDED = _("Prescription added.")
SAVED = _("Prescription changed.")
UNCHANGED = _("Nothing was changed.")
STOPPED = _("Prescription stopped.")
NO_DISCIPLINE = "You have no discipline to prescribe therapy for."
FORM = "careplans/prescription_form.html"
STOP_FORM = "careplans/stop_form.html"


def _disciplines(user: User) -> tuple[str, ...]:
    found = editable_disciplines(user, Part.PRESCRIPTION, PRESCRIBABLE_DISCIPLINES)
    if not found:
        raise PermissionDenied(NO_DISCIPLINE)
    return found


@require_http_methods(["GET", "POST"])
@roles(*CLINICAL_ROLES)
def prescription_add(request: HtmxHttpRequest, patient_id: int) -> HttpResponse:
    """A new therapy for one of the disciplines the user may prescribe for."""
    user = user_of(request)
    plan = selectors.plan_get(user=user, patient_id=patient_id)
    kwargs: dict[str, Any] = {"disciplines": _disciplines(user), "editing": False}
    if request.method == "GET":
        admitted = selectors.plan_dates(plan).admitted_on
        starts = max(timezone.localdate(), admitted or timezone.localdate())
        form = PrescriptionForm(initial=new_prescription_initial(starts), **kwargs)
        return edit_page(request, plan, FORM, {"form": form})
    form = PrescriptionForm(request.POST, **kwargs)
    if form.is_valid():
        try:
            services.prescription_create(
                care_plan=plan,
                by=user,
                form_token=form.cleaned_data["form_token"],
                fields=form.values(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, ADDED)
            return redirect(plan_url(patient_id))
    return edit_page(request, plan, FORM, {"form": form}, status=400)


def _edit_kwargs(user: User, prescription: Prescription) -> dict[str, Any]:
    found = editable_disciplines(user, Part.PRESCRIPTION, PRESCRIBABLE_DISCIPLINES)
    if prescription.discipline not in found:
        found = (*found, prescription.discipline)
    return {"disciplines": found, "editing": True}


def _editable(user: User, patient_id: int, prescription_id: int) -> Prescription:
    found = selectors.prescription_get(
        user=user, patient_id=patient_id, prescription_id=prescription_id
    )
    check_may_edit(user, Part.PRESCRIPTION, found.discipline)
    return found


@require_http_methods(["GET", "POST"])
@roles(*CLINICAL_ROLES)
def prescription_edit(
    request: HtmxHttpRequest, patient_id: int, prescription_id: int
) -> HttpResponse:
    """Change how often, how long, when or with whom; a reason is required."""
    user = user_of(request)
    found = _editable(user, patient_id, prescription_id)
    kwargs = _edit_kwargs(user, found)
    context: dict[str, Any] = {"prescription": found}
    if request.method == "GET":
        initial = prescription_initial(
            PrescriptionFields.of(found), version=found.version
        )
        context["form"] = PrescriptionForm(initial=initial, **kwargs)
        return edit_page(request, found.care_plan, FORM, context)
    form = PrescriptionForm(request.POST, **kwargs)
    if form.is_valid():
        try:
            saved = services.prescription_change(
                prescription=found,
                by=user,
                version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
                fields=form.values(),
            )
        except ValidationError as error:
            if is_stale(error):
                return _conflict(request, found, kwargs)
            add_service_errors(form, error)
        else:
            changed = saved.version != form.cleaned_data["version"]
            messages.success(request, SAVED if changed else UNCHANGED)
            return redirect(plan_url(patient_id))
    context["form"] = form
    return edit_page(request, found.care_plan, FORM, context, status=400)


def _conflict(
    request: HtmxHttpRequest, found: Prescription, kwargs: dict[str, Any]
) -> HttpResponse:
    found.refresh_from_db()
    form = PrescriptionForm(with_version(request.POST, found.version), **kwargs)
    form.is_valid()
    shown = conflict(
        subject="prescription",
        names=PrescriptionForm.COMPARED,
        theirs=PrescriptionFields.of(found).as_stored(),
        mine=form.values().as_stored(),
        change=selectors.last_change(found.care_plan, "prescription", found.pk),
    )
    context = {"prescription": found, "form": form, "conflict": shown}
    return edit_page(request, found.care_plan, FORM, context, status=CONFLICT)


@require_http_methods(["GET", "POST"])
@roles(*CLINICAL_ROLES)
def prescription_stop(
    request: HtmxHttpRequest, patient_id: int, prescription_id: int
) -> HttpResponse:
    """Stop a prescription from a date, saying why; it stays in the plan's record."""
    user = user_of(request)
    found = _editable(user, patient_id, prescription_id)
    context: dict[str, Any] = {"prescription": found}
    if request.method == "GET":
        initial = {"stopped_on": timezone.localdate(), "version": found.version}
        context["form"] = StopForm(initial=initial)
        return edit_page(request, found.care_plan, STOP_FORM, context)
    form = StopForm(request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.prescription_stop(
                prescription=found,
                by=user,
                version=data["version"],
                reason=data["reason"],
                stopped_on=data["stopped_on"],
            )
        except ValidationError as error:
            if is_stale(error):
                found.refresh_from_db()
                form = StopForm(with_version(request.POST, found.version))
                context["changed_by"] = selectors.last_change(
                    found.care_plan, "prescription", found.pk
                )
                status = CONFLICT
            else:
                add_service_errors(form, error)
        else:
            messages.success(request, STOPPED)
            return redirect(plan_url(patient_id))
    context["form"] = form
    return edit_page(request, found.care_plan, STOP_FORM, context, status=status)
