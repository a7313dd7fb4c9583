"""The coordinator's triage queue."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from painrehab.accounts.choices import Role
from painrehab.accounts.decorators import roles
from painrehab.common.htmx import HtmxHttpRequest
from painrehab.referrals import selectors
from painrehab.referrals.views._common import QUEUE_READERS, user_of


@require_GET
@roles(*QUEUE_READERS)
def triage(request: HtmxHttpRequest) -> HttpResponse:
    """Open referrals, longest waiting first (clinicians see their own patients)."""
    user = user_of(request)
    context = {
        "rows": selectors.referral_queue(user=user),
        "can_refer": user.role == Role.COORDINATOR,
    }
    return render(request, "referrals/triage.html", context)
