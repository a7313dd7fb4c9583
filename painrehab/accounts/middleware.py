"""Server-side time-outs (ONC 170.315(d)(5)).

Idle: 15 minutes for staff and families. Absolute: 12 hours after signing in, however
active the session (every request saves the session, which would otherwise push
Django's own expiry forward for ever).
"""

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from painrehab.accounts import services

LAST_SEEN_KEY = "last_seen"
SIGNED_IN_AT_KEY = "signed_in_at"


class IdleTimeoutMiddleware:
    """Ends a signed-in session that has been idle too long, before the view runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            last_seen = request.session.get(LAST_SEEN_KEY, now)
            signed_in_at = request.session.get(SIGNED_IN_AT_KEY, now)
            if now - last_seen > self._limit(request).total_seconds():
                return self._time_out(request, reason="idle")
            if now - signed_in_at > settings.SESSION_ABSOLUTE_LIMIT.total_seconds():
                return self._time_out(request, reason="absolute")
            request.session[LAST_SEEN_KEY] = now
            request.session.setdefault(SIGNED_IN_AT_KEY, now)
        return self.get_response(request)

    def _limit(self, request: HttpRequest) -> timedelta:
        if getattr(request.user, "is_staff_member", False):
            return settings.IDLE_TIMEOUT_STAFF
        return settings.IDLE_TIMEOUT_FAMILY

    def _time_out(self, request: HttpRequest, *, reason: str) -> HttpResponse:
        services.session_time_out(request=request, reason=reason)
        response = redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        response["Location"] += "&timed_out=1"
        if request.headers.get("HX-Request"):
            response["HX-Redirect"] = response["Location"]
        return response


class FamilyLanguageMiddleware:
    """A signed-in family member sees the portal in the language they chose.

    The choice is kept on the account (``User.preferred_language``), so it follows
    the person to any device; before sign-in, Django's language cookie and the
    browser's preference apply (``LocaleMiddleware``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = getattr(user, "preferred_language", "")
        if not (
            user is not None
            and user.is_authenticated
            and user.is_family
            and translation.check_for_language(language)
        ):
            return self.get_response(request)
        # Only for this request: the thread serves other people next (and the
        # server-error page, rendered without a request, uses the thread's language).
        request.LANGUAGE_CODE = language
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
