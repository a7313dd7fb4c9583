"""Role-based access declarations for views (built on painrehab.common.access)."""

from collections.abc import Callable, Iterable

from django.http import HttpRequest

from painrehab.accounts.choices import FAMILY_ROLES, STAFF_ROLES, Role
from painrehab.common.access import AccessRule, View, declare


def _role(request: HttpRequest) -> str:
    return getattr(request.user, "role", "")


def _verified(request: HttpRequest) -> bool:
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


def roles_rule(name: str, roles: Iterable[Role]) -> AccessRule:
    """Staff in ``roles`` who passed the second factor; families need only a login."""
    allowed = frozenset(roles)

    def allows(request: HttpRequest) -> bool:
        role = _role(request)
        if role not in allowed:
            return False
        return role in FAMILY_ROLES or _verified(request)

    return AccessRule(name, allows)


def roles(*allowed: Role) -> Callable[[View], View]:
    """Only these roles may use the view."""
    return declare(roles_rule("roles:" + ",".join(sorted(allowed)), allowed))


STAFF = roles_rule("staff", STAFF_ROLES)
FAMILY = roles_rule("family", FAMILY_ROLES)
SIGNED_IN = roles_rule("signed-in", Role)

staff = declare(STAFF)
family = declare(FAMILY)
signed_in = declare(SIGNED_IN)
