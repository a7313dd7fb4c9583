"""The admin site: for the system administrator only, after the second factor."""

from collections.abc import Callable
from functools import update_wrapper
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from painrehab.accounts.choices import Role


class PainRehabAdminSite(admin.AdminSite):
    site_header = "PainRehab administration"
    site_title = "PainRehab administration"
    index_title = "Accounts"
    access_rule_name = "roles:sysadmin"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        verified = getattr(user, "is_verified", lambda: False)()
        return bool(
            user.is_active and getattr(user, "role", "") == Role.SYSADMIN and verified
        )

    def admin_view(  # type: ignore[override]
        self, view: Callable[..., HttpResponse], cacheable: bool = False
    ) -> Callable[..., HttpResponse]:
        """Refuse signed-in people without the role outright, not by a login loop."""
        inner = super().admin_view(view, cacheable)

        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            if not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return update_wrapper(guarded, view)

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        # Everyone signs in through the one login (with its second factor); a
        # signed-in person without the administrator role is refused, not re-asked.
        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect("accounts:login")
