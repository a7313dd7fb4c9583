"""Plain words for how often an exercise is done, for the family's page."""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def times_a_day(count: int) -> str:
    """1 → "Once a day", 2 → "Twice a day", 3 → "3 times a day"."""
    if count == 1:
        return _("Once a day")
    if count == 2:
        return _("Twice a day")
    return ngettext("%(count)d time a day", "%(count)d times a day", count) % {
        "count": count
    }


@register.filter
def days_a_week(count: int) -> str:
    """7 → "Every day", 5 → "5 days a week"."""
    if count >= 7:
        return _("Every day")
    return ngettext("%(count)d day a week", "%(count)d days a week", count) % {
        "count": count
    }
