"""System checks of the portal's settings: a typo must not open or close the portal
silently."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, register

from painrehab.domain.proxy import NEVER_TO_GUARDIANS, Category


@register()
def guardian_teen_list_is_valid(app_configs: Any, **kwargs: Any) -> list[Error]:
    names = getattr(settings, "PORTAL_GUARDIAN_TEEN_SEES", ())
    known = {c.value for c in Category}
    errors = [
        Error(
            f"PORTAL_GUARDIAN_TEEN_SEES names an unknown category: {name!r}.",
            hint=f"Use some of: {', '.join(sorted(known))}.",
            id="painrehab.E101",
        )
        for name in names
        if name not in known
    ]
    never = sorted(c.value for c in NEVER_TO_GUARDIANS if c.value in names)
    if never:
        errors.append(
            Error(
                f"PORTAL_GUARDIAN_TEEN_SEES lists {', '.join(never)}, which a "
                "guardian never sees whatever the list says.",
                hint="Remove them: the list can only narrow what guardians see.",
                id="painrehab.E102",
            )
        )
    return errors
