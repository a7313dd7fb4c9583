"""The chart's Journey tab: every episode of the child as a timeline."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from painrehab.accounts.choices import CLINICAL_ROLES
from painrehab.accounts.decorators import roles
from painrehab.common.htmx import HtmxHttpRequest
from painrehab.episodes import selectors
from painrehab.episodes.views.access import STAY_ROLES, actions_for
from painrehab.episodes.views.common import chart_context, user_of


@require_GET
@roles(*CLINICAL_ROLES)
def journey(request: HtmxHttpRequest, patient_id: int) -> HttpResponse:
    """Each episode's phase changes, stay, discharge, step-down and follow-ups."""
    user = user_of(request)
    found = selectors.journey_get(user=user, patient_id=patient_id)
    entries = [
        (entry, actions_for(phase=entry.episode.phase, role=user.role))
        for entry in found.episodes
    ]
    context = {
        "entries": entries,
        "can_record_follow_ups": user.role in STAY_ROLES,
        **chart_context(found.patient),
    }
    return render(request, "episodes/journey.html", context)
