"""Server-side idle time-out (ONC 170.315(d)(5)): 15 minutes for staff and families."""

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from painrehab.accounts import services

LAST_SEEN_KEY = "last_seen"


class IdleTimeoutMiddleware:
    """Ends a signed-in session that has been idle too long, before the view runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            last_seen = request.session.get(LAST_SEEN_KEY, now)
            if now - last_seen > self._limit(request).total_seconds():
                return self._time_out(request)
            request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)

    def _limit(self, request: HttpRequest) -> timedelta:
        if getattr(request.user, "is_staff_member", False):
            return settings.IDLE_TIMEOUT_STAFF
        return settings.IDLE_TIMEOUT_FAMILY

    def _time_out(self, request: HttpRequest) -> HttpResponse:
        services.session_time_out(request=request)
        response = redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        response["Location"] += "&timed_out=1"
        if request.headers.get("HX-Request"):
            response["HX-Redirect"] = response["Location"]
        return response
