"""HTMX helpers shared by every app."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """An ``HttpRequest`` as HtmxMiddleware leaves it (for typing views)."""

    htmx: HtmxDetails


def is_partial(request: HttpRequest, target: str) -> bool:
    """True when HTMX asks for just the element ``target`` (its id)."""
    htmx: HtmxDetails | None = getattr(request, "htmx", None)
    if not htmx:
        return False
    return not htmx.boosted and htmx.target == target
