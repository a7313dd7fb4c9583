"""The portal's menu for one child: what this viewer may open, in a fixed order."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from painrehab.domain.proxy import Category
from painrehab.portal.access import PortalChild


@dataclass(frozen=True)
class NavItem:
    name: str  # the URL name in the ``portal`` namespace
    label: str | Promise
    category: Category | None  # None: shown to every viewer
    teen_only: bool = False
    # Other categories that also make the page worth opening.
    also: tuple[Category, ...] = ()


NAV: tuple[NavItem, ...] = (
    NavItem("today", _("Today"), Category.SCHEDULE),
    NavItem("week", _("This week"), Category.SCHEDULE),
    NavItem(
        "progress",
        _("Progress"),
        Category.GOALS,
        also=(Category.FAMILY_SUMMARY, Category.OUTCOMES),
    ),
    NavItem("exercises", _("Home exercises"), Category.HOME_PROGRAMME),
    NavItem("questionnaires", _("Questionnaires"), Category.QUESTIONNAIRES),
    NavItem("checkin", _("Check-in"), Category.CHECKIN, teen_only=True),
    NavItem("messages", _("Messages"), Category.MESSAGES),
    NavItem("notes", _("Notes"), None),
    NavItem("after", _("After the stay"), Category.DISCHARGE),
    NavItem("sharing", _("Sharing"), None, teen_only=True),
)


@dataclass(frozen=True)
class Link:
    url: str
    label: str | Promise
    current: bool


def child_nav(child: PortalChild, current: str) -> list[Link]:
    """The child's menu: pages this viewer may see, the current one marked."""
    links = []
    for item in NAV:
        if item.teen_only and not child.is_teen:
            continue
        if item.category is not None and not any(
            child.sees(c) for c in (item.category, *item.also)
        ):
            continue
        url = reverse(f"portal:{item.name}", args=[child.patient.pk])
        links.append(Link(url, item.label, item.name == current))
    return links
