"""Placeholder: built with the family-portal issue."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from painrehab.accounts.decorators import family


@family
def library(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


@family
def article(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404
