"""System checks that keep demo conveniences out of production."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

DEMO_WITHOUT_DEBUG = Error(
    "PAINREHAB_DEMO is set while DEBUG is off.",
    hint="Demo mode (and its fixed second-factor code) is for the local demo only.",
    id="painrehab.E001",
)


@register(Tags.security, deploy=True)
def demo_mode_only_with_debug(app_configs: Any, **kwargs: Any) -> list[Error]:
    if settings.DEMO_MODE and not settings.DEBUG:
        return [DEMO_WITHOUT_DEBUG]
    return []
