"""The admin site: for the system administrator only, after the second factor."""

from typing import Any

from django.contrib import admin
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

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        # Everyone signs in through the one login (with its second factor); a
        # signed-in person without the administrator role is refused, not re-asked.
        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect("accounts:login")
