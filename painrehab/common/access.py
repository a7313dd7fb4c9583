"""URL-level access declarations: every view says who may use it (default deny).

A view is wrapped by ``declare(rule)``; the wrapper enforces the rule and leaves
``view.access_rule`` for the test that walks every URL pattern. Which patient a
person may see is decided separately, in ``painrehab.patients.access``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase

View = Callable[..., HttpResponseBase]


@dataclass(frozen=True)
class AccessRule:
    """Who may use a view: a name for reports and a predicate over the request."""

    name: str
    allows: Callable[[HttpRequest], bool]
    needs_login: bool = True

    def check(self, request: HttpRequest) -> HttpResponse | None:
        """``None`` when allowed; a login redirect or ``PermissionDenied`` otherwise."""
        if self.needs_login and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        if not self.allows(request):
            raise PermissionDenied
        return None


def declare(rule: AccessRule) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(
            request: HttpRequest, *args: Any, **kwargs: Any
        ) -> HttpResponseBase:
            refusal = rule.check(request)
            if refusal is not None:
                return refusal
            return view(request, *args, **kwargs)

        wrapper.access_rule = rule  # type: ignore[attr-defined]
        return wrapper

    return decorator


PUBLIC = AccessRule("public", lambda request: True, needs_login=False)
public = declare(PUBLIC)
