"""Staff pages: the patient list and the chart."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from painrehab.accounts.choices import CLINICAL_ROLES
from painrehab.accounts.decorators import roles
from painrehab.common.htmx import HtmxHttpRequest, is_partial
from painrehab.patients import selectors

PAGE_SIZE = 25


@require_GET
@roles(*CLINICAL_ROLES)
def patient_list(request: HtmxHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    patients = selectors.patient_list(user=request.user, query=query)  # type: ignore[arg-type]
    page = Paginator(patients, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "patients/patient_list.html"
    if is_partial(request, "patient-table"):
        template += "#patient-table"
    querystring = urlencode({"q": query}) if query else ""
    context = {"page": page, "query": query, "querystring": querystring}
    return render(request, template, context)


@require_GET
@roles(*CLINICAL_ROLES)
def patient_detail(request: HtmxHttpRequest, patient_id: int) -> HttpResponse:
    patient = selectors.patient_get(user=request.user, patient_id=patient_id)  # type: ignore[arg-type]
    context = {
        "patient": patient,
        "guardians": selectors.patient_guardians(patient=patient),
        "care_team": selectors.patient_care_team(patient=patient),
    }
    return render(request, "patients/patient_detail.html", context)
