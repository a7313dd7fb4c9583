"""Placeholder: a child's outcome trajectory (being written)."""

from django.http import HttpRequest, HttpResponse

from painrehab.accounts.choices import CLINICAL_ROLES
from painrehab.accounts.decorators import roles


@roles(*CLINICAL_ROLES)
def trajectory(request: HttpRequest, patient_id: int) -> HttpResponse:
    return HttpResponse(status=501)
