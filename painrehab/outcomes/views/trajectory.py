"""The chart's Trajectory tab: one child's outcomes over time.

Every clinician on the child's care team reads it (the access funnel: a child off
the team is the same 404 as a missing one); the read is audited. Charts are drawn
here on the server and inlined; each sits beside a table of its values, with the
change told in words under it.
"""

from typing import Any, cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from painrehab.accounts.choices import CLINICAL_ROLES
from painrehab.accounts.decorators import roles
from painrehab.accounts.models import User
from painrehab.common.htmx import HtmxHttpRequest
from painrehab.instruments import bodymap
from painrehab.outcomes.trajectory import Trajectory, trajectory_get
from painrehab.patients import chart


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _drawn(found: Trajectory) -> dict[str, Any]:
    """Each series beside its chart, for the template; nothing drawn if empty."""
    # matplotlib loads with the first chart, not with every page of the site.
    from painrehab.outcomes import charts

    span = found.span
    if span is None:
        return {"panels": [{"panel": p} for p in found.panels]}
    markers = found.markers
    return {
        "panels": [
            {
                "panel": panel,
                "instruments": [
                    (s, charts.instrument_chart(s, markers=markers, span=span))
                    for s in panel.instruments
                ],
                "daily": [
                    (d, charts.daily_chart(d, markers=markers, span=span))
                    for d in panel.daily
                ],
            }
            for panel in found.panels
        ],
        "attendance_chart": (
            charts.attendance_chart(found.attendance, markers=markers, span=span)
            if found.attendance
            else None
        ),
        "measures": [
            (m, charts.measure_chart(m, markers=markers, span=span))
            for m in found.measures
        ],
        "goals_chart": (
            charts.goals_chart(found.goals, markers=markers, span=span)
            if found.goals
            else None
        ),
    }


@require_GET
@roles(*CLINICAL_ROLES)
def trajectory(request: HtmxHttpRequest, patient_id: int) -> HttpResponse:
    """Function, pain, fear, mood, sleep, school, measures, goals and the body map."""
    patient, found = trajectory_get(user=_user(request), patient_id=patient_id)
    context: dict[str, Any] = {
        "patient": patient,
        "trajectory": found,
        "sides": [(label, bodymap.regions_of(side)) for side, label in bodymap.SIDES],
        **_drawn(found),
        **chart.header_context(patient),
    }
    return render(request, "outcomes/trajectory.html", context)
