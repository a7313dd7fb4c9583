"""The program's dashboard, one instrument's cohort table and the research export.

Aggregate figures only: no page here names a patient. Each view records who
looked at which cohort (filters and n); the export is recorded as a disclosure.
"""

import uuid
from typing import Any, cast

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from painrehab.accounts.choices import Role
from painrehab.accounts.decorators import roles
from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory
from painrehab.audit.services import record
from painrehab.common.htmx import HtmxHttpRequest
from painrehab.outcomes import export as research
from painrehab.outcomes.dashboard_forms import (
    FILTER_FIELDS,
    CohortFilterForm,
    ResearchExportForm,
)
from painrehab.outcomes.literature import PUBLISHED
from painrehab.outcomes.selectors import (
    CohortFilter,
    cohort_table_get,
    dashboard_get,
    is_outcome_code,
)


def _filter_form(request: HttpRequest) -> tuple[CohortFilterForm, CohortFilter]:
    form = CohortFilterForm(request.GET or None, today=timezone.localdate())
    return form, form.cohort_filter()


def _audit_query(action: str, filters: CohortFilter, n: int, **extra: Any) -> None:
    record(
        action=action,
        action_type=ActionType.QUERY,
        data_category=DataCategory.OUTCOMES,
        changes={"filters": filters.as_dict(), "n": n, **extra},
    )


@require_GET
@roles(Role.DIRECTOR, Role.COORDINATOR)
def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    form, filters = _filter_form(request)
    data = dashboard_get(filters=filters)
    _audit_query(AuditAction.OUTCOMES_DASHBOARD_VIEWED, filters, data.cohort_n)
    context = {
        "form": form,
        "dashboard": data,
        "figures": data.figures,
        "published": PUBLISHED,
        "querystring": request.GET.urlencode(),
        "may_export": getattr(request.user, "role", "") == Role.DIRECTOR,
    }
    return render(request, "outcomes/dashboard.html", context)


@require_GET
@roles(Role.DIRECTOR, Role.COORDINATOR)
def cohort(request: HtmxHttpRequest, code: str) -> HttpResponse:
    if not is_outcome_code(code):
        raise Http404("No such instrument.")
    form, filters = _filter_form(request)
    table = cohort_table_get(filters=filters, code=code)
    _audit_query(
        AuditAction.OUTCOMES_COHORT_VIEWED, filters, table.cohort_n, instrument=code
    )
    context = {
        "form": form,
        "table": table,
        "filters": filters,
        "querystring": request.GET.urlencode(),
    }
    return render(request, "outcomes/cohort.html", context)


def _export_page(
    request: HttpRequest, form: ResearchExportForm, status: int = 200
) -> HttpResponse:
    return render(request, "outcomes/export.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@roles(Role.DIRECTOR)
def export(request: HtmxHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    if request.method != "POST":
        given = {k: v for k, v in request.GET.items() if k in FILTER_FIELDS}
        initial = {**given, "form_token": uuid.uuid4()}
        return _export_page(request, ResearchExportForm(initial=initial, today=today))
    form = ResearchExportForm(request.POST, today=today)
    if not form.is_valid():
        return _export_page(request, form, status=400)
    try:
        made = research.research_export_create(
            filters=form.cohort_filter(),
            by=cast(User, request.user),
            purpose=form.cleaned_data["purpose"],
            recipient=form.cleaned_data["recipient"],
            channel="web",
            form_token=form.cleaned_data["form_token"],
        )
    except research.ExportRefused as refused:
        field = refused.field if refused.field != "form_token" else None
        form.add_error(field, refused.message)
        return _export_page(request, form, status=400)
    response = HttpResponse(research.export_zip(made), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{made.folder}.zip"'
    return response
