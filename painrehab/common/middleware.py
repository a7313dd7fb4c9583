"""Response headers that keep patient information off shared devices."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every page a signed-in person sees (ONC d(7))."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/static/"):
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response
