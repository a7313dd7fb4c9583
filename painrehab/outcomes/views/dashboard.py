"""Placeholder: the program dashboard (being written)."""

from django.http import HttpRequest, HttpResponse

from painrehab.accounts.choices import Role
from painrehab.accounts.decorators import roles


@roles(Role.DIRECTOR, Role.COORDINATOR)
def dashboard(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=501)


@roles(Role.DIRECTOR, Role.COORDINATOR)
def cohort(request: HttpRequest, code: str) -> HttpResponse:
    return HttpResponse(status=501)


@roles(Role.DIRECTOR)
def export(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=501)
