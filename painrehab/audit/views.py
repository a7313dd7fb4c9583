"""The privacy officer's audit report: list, filter, sort and export as CSV."""

import csv

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from painrehab.accounts.choices import Role
from painrehab.accounts.decorators import roles
from painrehab.audit import selectors
from painrehab.audit.actions import ActionType, AuditAction, DataCategory
from painrehab.audit.forms import AuditFilterForm
from painrehab.audit.models import AuditEvent
from painrehab.audit.services import record
from painrehab.common.htmx import HtmxHttpRequest, is_partial

PAGE_SIZE = 50
CSV_COLUMNS = (
    "seq",
    "recorded_at",
    "actor_username",
    "actor_role",
    "action",
    "action_type",
    "outcome",
    "outcome_reason",
    "patient_id",
    "data_category",
    "object_type",
    "object_id",
    "purpose_of_use",
    "request_id",
    "source_ip",
    "row_hash",
)


def _filtered(request: HtmxHttpRequest) -> tuple[AuditFilterForm, QuerySet[AuditEvent]]:
    """The filter form and its events; an invalid filter shows errors and no rows."""
    form = AuditFilterForm(request.GET or None)
    if not form.is_bound:
        return form, selectors.audit_list(filters={})
    if not form.is_valid():
        return form, AuditEvent.objects.none()
    return form, selectors.audit_list(filters=form.cleaned_data)


def _filters_for_audit(form: AuditFilterForm) -> dict[str, str]:
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return {k: str(v) for k, v in data.items() if v}


@require_GET
@roles(Role.PRIVACY_OFFICER)
def event_list(request: HtmxHttpRequest) -> HttpResponse:
    form, events = _filtered(request)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    record(
        action=AuditAction.AUDIT_VIEWED,
        action_type=ActionType.QUERY,
        data_category=DataCategory.AUDIT,
        changes={"filters": _filters_for_audit(form)},
    )
    query = request.GET.copy()
    query.pop("page", None)
    template = "audit/event_list.html"
    if is_partial(request, "audit-table"):
        template += "#audit-table"
    context = {"form": form, "page": page, "querystring": query.urlencode()}
    return render(request, template, context)


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_GET
@roles(Role.PRIVACY_OFFICER)
def event_export(request: HtmxHttpRequest) -> HttpResponseBase:
    form, events = _filtered(request)
    if form.is_bound and not form.is_valid():
        return HttpResponse(
            form.errors.as_text(), status=400, content_type="text/plain"
        )
    record(
        action=AuditAction.AUDIT_EXPORTED,
        action_type=ActionType.EXPORT,
        data_category=DataCategory.AUDIT,
        changes={"filters": _filters_for_audit(form)},
    )
    rows_out = events.values_list(*CSV_COLUMNS)
    writer = csv.writer(_Echo())
    rows = (writer.writerow(row) for row in rows_out.iterator(chunk_size=2000))
    header = iter([writer.writerow(CSV_COLUMNS)])
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    response = StreamingHttpResponse(
        (line for part in (header, rows) for line in part), content_type="text/csv"
    )
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response
