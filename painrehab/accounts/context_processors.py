"""Role-aware navigation for the staff layout, with counts from the apps above.

An app that has something waiting for a person (unread messages, flagged results)
registers a counter for its navigation entry in its ``AppConfig.ready`` with
``register_badge``; ``accounts`` cannot import those apps.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.choices import CLINICAL_ROLES, Role

# (label, url name, roles that see it): one table, so navigation is data.
UNIT_ROLES = frozenset({Role.COORDINATOR, Role.DIRECTOR, Role.PHYSICIAN, Role.NURSE})
NavEntry = tuple[Any, str, frozenset[str]]  # label, url name, roles that see it
NAVIGATION: tuple[NavEntry, ...] = (
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


Badge = Callable[[Any], int]  # the signed-in user → how many are waiting
_badges: dict[str, Badge] = {}


def register_badge(url_name: str, badge: Badge) -> None:
    """Show ``badge(user)`` beside the navigation entry ``url_name`` when above 0."""
    _badges[url_name] = badge


def register_navigation(label: Any, url_name: str, roles: frozenset[str]) -> None:
    """An app's own navigation entry, placed before "Patients"."""
    global NAVIGATION
    if any(name == url_name for _label, name, _roles in NAVIGATION):
        return
    at = next(
        i for i, entry in enumerate(NAVIGATION) if entry[1] == "patients:patient_list"
    )
    NAVIGATION = (*NAVIGATION[:at], (label, url_name, roles), *NAVIGATION[at:])


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    role = getattr(user, "role", None)
    staff = getattr(user, "is_staff_member", False)
    idle = settings.IDLE_TIMEOUT_STAFF if staff else settings.IDLE_TIMEOUT_FAMILY
    items = [
        (label, name, _badges[name](user) if name in _badges else 0)
        for label, name, roles in NAVIGATION
        if role in roles
    ]
    return {
        "nav_items": items,
        "demo_mode": settings.DEBUG and settings.DEMO_MODE,
        "idle_seconds": int(idle.total_seconds()),
    }
