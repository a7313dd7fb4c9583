"""What every portal page about a child shares: the child, the menu, the notice."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from painrehab.portal.access import PortalChild, children_of
from painrehab.portal.navigation import child_nav


def render_child(
    request: HttpRequest,
    template: str,
    child: PortalChild,
    *,
    current: str,
    context: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render a child page in ``portal/base.html`` with the child's menu.

    ``current`` is the URL name (in the ``portal`` namespace) the menu marks.
    """
    full: dict[str, Any] = {
        "child": child,
        "nav": child_nav(child, current),
        "other_children": [
            c for c in children_of(child.user) if c.patient.pk != child.patient.pk
        ],
    }
    full.update(context or {})
    return render(request, template, full, status=status)
