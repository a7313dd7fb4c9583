"""The unit today (census) and the waitlist."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from painrehab.accounts.decorators import roles
from painrehab.common.htmx import HtmxHttpRequest
from painrehab.episodes import selectors
from painrehab.episodes.views.access import CENSUS_ROLES, COORDINATOR, WAITLIST_ROLES
from painrehab.episodes.views.common import user_of


@require_GET
@roles(*CENSUS_ROLES)
def census(request: HtmxHttpRequest) -> HttpResponse:
    """Beds, stays, the waitlist and upcoming admissions on one printable page."""
    user = user_of(request)
    board = selectors.census_board(user=user, today=timezone.localdate())
    context = {"board": board, "can_admit": user.role in COORDINATOR}
    return render(request, "episodes/census.html", context)


@require_GET
@roles(*WAITLIST_ROLES)
def waitlist(request: HtmxHttpRequest) -> HttpResponse:
    """Children waiting for a bed, most urgent and longest-waiting first."""
    user = user_of(request)
    lines = selectors.waitlist_list(user=user, today=timezone.localdate())
    context = {"lines": lines, "can_admit": user.role in COORDINATOR}
    return render(request, "episodes/waitlist.html", context)
