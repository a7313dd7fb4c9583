"""Placeholder: reports (being written)."""

from django.http import HttpRequest, HttpResponse

from painrehab.accounts.choices import CLINICAL_ROLES
from painrehab.accounts.decorators import roles


@roles(*CLINICAL_ROLES)
def report_list(request: HttpRequest, patient_id: int) -> HttpResponse:
    return HttpResponse(status=501)


@roles(*CLINICAL_ROLES)
def report_create(request: HttpRequest, patient_id: int, kind: str) -> HttpResponse:
    return HttpResponse(status=501)


@roles(*CLINICAL_ROLES)
def report_download(
    request: HttpRequest, patient_id: int, report_id: int
) -> HttpResponse:
    return HttpResponse(status=501)
