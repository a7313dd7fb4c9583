"""After discharge: the step-down weeks, the clinic check-ups, what to keep doing
at home, and the printable school re-entry letter (see docs/portal.md, "The
child's day and after discharge").

Both pages show their content only when this viewer sees
``Category.DISCHARGE`` (else the reason it is withheld). Before discharge they
say plainly what will appear.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from painrehab.accounts.decorators import family
from painrehab.audit.actions import DataCategory
from painrehab.domain.proxy import Category
from painrehab.portal.access import PortalChild, audit_viewed, child_get
from painrehab.portal.selectors import after as selectors
from painrehab.portal.views.base import render_child


def _withheld(child: PortalChild) -> dict[str, Any] | None:
    if child.sees(Category.DISCHARGE):
        return None
    return {"withheld": child.withheld_text(Category.DISCHARGE)}


def _audit(child: PortalChild, page: str) -> None:
    audit_viewed(
        child,
        page=page,
        data_category=DataCategory.EPISODE,
        shown=[Category.DISCHARGE],
    )


@require_GET
@family
def after(request: HttpRequest, patient_id: int) -> HttpResponse:
    """The plan for after the stay, or what will appear here once it is written."""
    child = child_get(request, patient_id)
    context = _withheld(child) or {
        "after": selectors.after_discharge(child=child),
        "phone": selectors.unit_phone(),
    }
    _audit(child, "after")
    return render_child(
        request, "portal/after.html", child, current="after", context=context
    )


@require_GET
@family
def school_letter(request: HttpRequest, patient_id: int) -> HttpResponse:
    """A one-page letter for the child's school: the return plan and whom to
    call, with no diagnosis and nothing clinical."""
    child = child_get(request, patient_id)
    context = _withheld(child) or {"letter": selectors.school_letter(child=child)}
    _audit(child, "school_letter")
    return render_child(
        request,
        "portal/school_letter.html",
        child,
        current="after",
        context=context,
    )
