"""The family portal (grows with the portal issue): the signed-in family's home."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from painrehab.accounts.decorators import family
from painrehab.patients import selectors


@require_GET
@family
def home(request: HttpRequest) -> HttpResponse:
    """The children this guardian cares for, or the teen's own record."""
    children = selectors.patient_list(user=request.user)  # type: ignore[arg-type]
    return render(request, "portal/home.html", {"children": children})
