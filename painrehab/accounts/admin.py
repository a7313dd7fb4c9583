"""Account management in the admin site (see admin_site.py for who may use it).

Patient information is never registered here, so the administrator role sees no
patient data by default.
"""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from painrehab.accounts.choices import Role
from painrehab.accounts.models import StaffProfile, User
from painrehab.audit.actions import ActionType
from painrehab.audit.services import record


class AdministratorOnly:
    """Model-admin permissions follow the role, not Django's per-model permissions.

    Accounts are deactivated, never deleted: audit events refer to them.
    """

    def _is_admin(self, request: HttpRequest) -> bool:
        return getattr(request.user, "role", "") == Role.SYSADMIN

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._is_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_admin(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._is_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StaffProfileInline(AdministratorOnly, admin.StackedInline):  # type: ignore[type-arg]
    model = StaffProfile
    fk_name = "user"
    extra = 0


@admin.register(User)
class PainRehabUserAdmin(AdministratorOnly, UserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (
        *UserAdmin.fieldsets,  # type: ignore[misc]
        ("Program", {"fields": ("role", "preferred_language")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "role", "password1", "password2")}),
    )
    inlines = [StaffProfileInline]

    def save_model(
        self, request: HttpRequest, obj: User, form: Any, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        record(
            action="user.changed" if change else "user.created",
            action_type=ActionType.UPDATE if change else ActionType.CREATE,
            actor=request.user,
            obj=obj,
            changes={"fields": sorted(form.changed_data)},
        )
