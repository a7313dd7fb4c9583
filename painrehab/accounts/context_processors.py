"""Role-aware navigation for the staff layout."""

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.choices import CLINICAL_ROLES, Role

# (label, url name, roles that see it): one table, so navigation is data.
UNIT_ROLES = frozenset({Role.COORDINATOR, Role.DIRECTOR, Role.PHYSICIAN, Role.NURSE})
NAVIGATION = (
    (_("Census"), "episodes:census", UNIT_ROLES),
    (
        _("Referrals"),
        "referrals:triage",
        frozenset({Role.COORDINATOR, Role.PHYSICIAN, Role.PSYCHOLOGIST}),
    ),
    (
        _("Waitlist"),
        "episodes:waitlist",
        frozenset({Role.COORDINATOR, Role.DIRECTOR, Role.PHYSICIAN}),
    ),
    (_("Follow-ups"), "episodes:follow_ups", frozenset({Role.COORDINATOR})),
    (
        _("Alerts"),
        "instruments:alerts",
        frozenset({Role.PSYCHOLOGIST, Role.PHYSICIAN, Role.COORDINATOR}),
    ),
    (_("Patients"), "patients:patient_list", CLINICAL_ROLES),
    (_("Audit trail"), "audit:event_list", frozenset({Role.PRIVACY_OFFICER})),
    (_("Administration"), "admin:index", frozenset({Role.SYSADMIN})),
)


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    role = getattr(user, "role", None)
    staff = getattr(user, "is_staff_member", False)
    idle = settings.IDLE_TIMEOUT_STAFF if staff else settings.IDLE_TIMEOUT_FAMILY
    items = [(label, name) for label, name, roles in NAVIGATION if role in roles]
    return {
        "nav_items": items,
        "demo_mode": settings.DEBUG and settings.DEMO_MODE,
        "idle_seconds": int(idle.total_seconds()),
    }
