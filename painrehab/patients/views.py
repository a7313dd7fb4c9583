"""Staff pages: the patient list and the chart."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from painrehab.accounts.choices import CLINICAL_ROLES
from painrehab.accounts.decorators import roles
from painrehab.common.htmx import HtmxHttpRequest, is_partial
from painrehab.patients import chart, selectors
from painrehab.patients.forms import PatientSearchForm

PAGE_SIZE = 25


@require_http_methods(["GET", "POST"])
@roles(*CLINICAL_ROLES)
def patient_list(request: HtmxHttpRequest) -> HttpResponse:
    """All visible patients by page (GET), or a search (POST).

    A search term is a name, so it travels in the body, never in the URL, the
    browser history or the proxy's logs. Searches show the first page of matches.
    """
    form = PatientSearchForm(request.POST or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    patients = selectors.patient_list(user=request.user, query=query)  # type: ignore[arg-type]
    page_number = None if request.method == "POST" else request.GET.get("page")
    page = Paginator(patients, PAGE_SIZE).get_page(page_number)
    template = "patients/patient_list.html"
    if is_partial(request, "patient-table"):
        template += "#patient-table"
    context = {"form": form, "page": page, "query": query, "searching": bool(query)}
    return render(request, template, context)


@require_GET
@roles(*CLINICAL_ROLES)
def patient_detail(request: HtmxHttpRequest, patient_id: int) -> HttpResponse:
    patient = selectors.patient_get(user=request.user, patient_id=patient_id)  # type: ignore[arg-type]
    context = {
        "patient": patient,
        "guardians": selectors.patient_guardians(patient=patient),
        "care_team": selectors.patient_care_team(patient=patient),
        **chart.header_context(patient),
    }
    return render(request, "patients/patient_detail.html", context)
