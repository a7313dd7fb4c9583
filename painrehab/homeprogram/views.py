"""Placeholder: built with the family-portal issue."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from painrehab.accounts.decorators import staff


@staff
def exercise_list(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


@staff
def exercise_edit(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


@staff
def exercise_stop(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404
