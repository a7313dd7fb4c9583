"""Placeholder: built with the family-portal issue."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from painrehab.accounts.decorators import family


@family
def today(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


@family
def week(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


@family
def calendar(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404
