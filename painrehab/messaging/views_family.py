"""Placeholder: built with the family-portal issue."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from painrehab.accounts.decorators import staff


@staff
def inbox(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


@staff
def patient_threads(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


@staff
def thread_detail(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404
