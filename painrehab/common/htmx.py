"""HTMX helpers shared by every app."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """An ``HttpRequest`` as HtmxMiddleware leaves it (for typing views)."""

    htmx: HtmxDetails


def is_partial(request: HttpRequest, target: str) -> bool:
    """True when HTMX asks for just the element ``target`` (its id)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and htmx.target == target
