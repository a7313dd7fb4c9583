"""Progress in plain language: goals, the team's summaries, and a simple chart.

Each section shows only if the viewer sees its category (goals, family summary,
outcomes); a hidden section says why. The chart is a separate SVG address that
goes through the same door (``child_get``) and is refused (404) where the
outcomes are not shown.
"""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from painrehab.accounts.decorators import family
from painrehab.audit.actions import DataCategory
from painrehab.domain.proxy import Category
from painrehab.portal.access import PortalChild, audit_viewed, child_get, require
from painrehab.portal.selectors.progress import (
    goal_lines,
    progress_series,
    released_summaries,
)
from painrehab.portal.views.base import render_child

# The chart's own policy: it styles its text and lines with style attributes and
# holds no script, so it needs inline styles and nothing else.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
SECTIONS = (Category.GOALS, Category.FAMILY_SUMMARY, Category.OUTCOMES)


def _chart_title(child: PortalChild) -> str:
    if child.is_teen:
        return _("My everyday activities and pain over time")
    return _("%(name)s's everyday activities and pain over time") % {
        "name": child.first_name
    }


@require_GET
@family
def progress(request: HttpRequest, patient_id: int) -> HttpResponse:
    child = child_get(request, patient_id)
    context: dict[str, object] = {
        "sees": {category.value: child.sees(category) for category in SECTIONS},
        "withheld": {
            category.value: child.withheld_text(category) for category in SECTIONS
        },
        "chart_title": _chart_title(child),
    }
    if child.sees(Category.GOALS):
        context["goals"] = goal_lines(child)
    if child.sees(Category.FAMILY_SUMMARY):
        context["summaries"] = released_summaries(child)
    if child.sees(Category.OUTCOMES):
        context["series"] = progress_series(child)
    audit_viewed(
        child, page="progress", data_category=DataCategory.CARE_PLAN, shown=SECTIONS
    )
    return render_child(
        request, "portal/progress.html", child, current="progress", context=context
    )


@require_GET
@family
def chart(request: HttpRequest, patient_id: int) -> HttpResponse:
    child = child_get(request, patient_id)
    require(child, Category.OUTCOMES)
    # matplotlib loads on the first chart, not with every page of the site.
    from painrehab.portal.charts import progress_svg

    series = progress_series(child)
    svg = progress_svg(series, title=_chart_title(child))
    audit_viewed(
        child,
        page="progress_chart",
        data_category=DataCategory.EPISODE,
        shown=[Category.OUTCOMES],
    )
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Security-Policy"] = SVG_POLICY
    return response
