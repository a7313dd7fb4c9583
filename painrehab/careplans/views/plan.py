"""The chart's "Care plan" tab, the plan's header and its formulation."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from painrehab.accounts.choices import CLINICAL_ROLES
from painrehab.accounts.decorators import roles
from painrehab.careplans import selectors, services
from painrehab.careplans.forms import (
    FormulationForm,
    PlanHeaderForm,
    formulation_initial,
    header_initial,
)
from painrehab.careplans.inputs import FormulationFields, PlanHeaderFields
from painrehab.careplans.models import CarePlan
from painrehab.careplans.rules import Part, check_may_edit
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
from painrehab.patients import chart

SAVED = _("Saved to the care plan.")
UNCHANGED = _("Nothing was changed.")


@require_GET
@roles(*CLINICAL_ROLES)
def plan(request: HtmxHttpRequest, patient_id: int) -> HttpResponse:
    """Goals by domain, prescriptions with totals, formulation and history."""
    page = selectors.care_plan_page(user=user_of(request), patient_id=patient_id)
    context = {
        "page": page,
        "patient": page.patient,
        **chart.header_context(page.patient),
    }
    return render(request, "careplans/plan.html", context)


@require_http_methods(["GET", "POST"])
@roles(*CLINICAL_ROLES)
def plan_edit(request: HtmxHttpRequest, patient_id: int) -> HttpResponse:
    """The header: summary, the child's hopes, the daily therapy limit."""
    user = user_of(request)
    found = selectors.plan_get(user=user, patient_id=patient_id)
    check_may_edit(user, Part.HEADER)
    template = "careplans/header_form.html"
    if request.method == "GET":
        initial = header_initial(PlanHeaderFields.of(found), found.version)
        return edit_page(
            request, found, template, {"form": PlanHeaderForm(initial=initial)}
        )
    form = PlanHeaderForm(request.POST)
    if form.is_valid():
        try:
            saved = services.care_plan_change(
                care_plan=found,
                by=user,
                version=form.cleaned_data["version"],
                fields=form.values(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            if is_stale(error):
                return _header_conflict(request, found, template)
            add_service_errors(form, error)
        else:
            changed = saved.version != form.cleaned_data["version"]
            messages.success(request, SAVED if changed else UNCHANGED)
            return redirect(plan_url(patient_id))
    return edit_page(request, found, template, {"form": form}, status=400)


def _header_conflict(
    request: HtmxHttpRequest, stale: CarePlan, template: str
) -> HttpResponse:
    fresh = stale
    fresh.refresh_from_db()
    form = PlanHeaderForm(with_version(request.POST, fresh.version))
    form.is_valid()
    shown = conflict(
        subject="plan",
        names=PlanHeaderForm.COMPARED,
        theirs=PlanHeaderFields.of(fresh).as_stored(),
        mine=form.values().as_stored(),
        change=selectors.last_change(fresh, "plan", fresh.pk),
    )
    context = {"form": form, "conflict": shown}
    return edit_page(request, fresh, template, context, status=CONFLICT)


@require_http_methods(["GET", "POST"])
@roles(*CLINICAL_ROLES)
def formulation_edit(request: HtmxHttpRequest, patient_id: int) -> HttpResponse:
    """Biological, psychological and social factors with a summary."""
    user = user_of(request)
    found = selectors.plan_get(user=user, patient_id=patient_id)
    check_may_edit(user, Part.FORMULATION)
    template = "careplans/formulation_form.html"
    current = found.formulation
    if request.method == "GET":
        initial = formulation_initial(FormulationFields.of(current), current.version)
        form = FormulationForm(initial=initial)
        return edit_page(request, found, template, {"form": form})
    form = FormulationForm(request.POST)
    if form.is_valid():
        try:
            services.formulation_change(
                care_plan=found,
                by=user,
                version=form.cleaned_data["version"],
                fields=form.values(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            if is_stale(error):
                return _formulation_conflict(request, found, template)
            form.show_refusal(error.message_dict)
        else:
            messages.success(request, SAVED)
            return redirect(plan_url(patient_id))
    return edit_page(request, found, template, {"form": form}, status=400)


def _formulation_conflict(
    request: HtmxHttpRequest, plan: CarePlan, template: str
) -> HttpResponse:
    fresh = plan.formulation
    fresh.refresh_from_db()
    form = FormulationForm(with_version(request.POST, fresh.version))
    form.is_valid()
    shown = conflict(
        subject="formulation",
        names=FormulationForm.COMPARED,
        theirs=FormulationFields.of(fresh).as_stored(),
        mine=form.values().as_stored(),
        change=selectors.last_change(plan, "formulation", fresh.pk),
    )
    context = {"form": form, "conflict": shown}
    return edit_page(request, plan, template, context, status=CONFLICT)
