"""The team's decision, beside what the program's rules recommend.

Changing the planned admission date re-asks the rules (HTMX posts the form with
``preview=1`` and swaps only ``#rules``), since the age rule depends on that date.
A preview never writes.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from painrehab.accounts.decorators import roles
from painrehab.common.htmx import HtmxHttpRequest, is_partial
from painrehab.patients import chart
from painrehab.referrals import selectors, services
from painrehab.referrals.choices import DecisionOutcome
from painrehab.referrals.forms import DecisionForm
from painrehab.referrals.models import Referral
from painrehab.referrals.views._common import DECIDERS, add_service_errors, user_of

TEMPLATE = "referrals/decision.html"
RECORDED = _("Decision recorded.")
# The episode's own refusals: a missing reason is the rationale; a phase, the form.
ALIASES: dict[str, str | None] = {"reason": "rationale", "phase": None}


def _render(
    request: HtmxHttpRequest,
    referral: Referral,
    form: DecisionForm,
    planned_form: DecisionForm | None = None,
) -> HttpResponse:
    """The page, or only ``#rules`` for an HTMX preview."""
    preview = planned_form is not None
    planned_form = planned_form or form
    episode = referral.episode
    rules = services.eligibility_assess(
        episode=episode, planned_admission=planned_form.planned()
    )
    template = TEMPLATE + ("#rules" if is_partial(request, "rules") else "")
    context = {
        "referral": referral,
        "episode": episode,
        "patient": episode.patient,
        "form": form,
        "rules": rules,
        # A preview has no form errors, so a bad date is explained beside the rules.
        "planned_errors": planned_form["planned_admission"].errors if preview else [],
        "open_for_decision": episode.phase in selectors.QUEUE_PHASES,
        **chart.header_context(episode.patient),
    }
    return render(request, template, context)


def _record(
    request: HtmxHttpRequest, referral: Referral, form: DecisionForm
) -> HttpResponse:
    if not form.is_valid():
        return _render(request, referral, form)
    data = form.cleaned_data
    try:
        services.decision_record(
            episode=referral.episode,
            by=user_of(request),
            outcome=DecisionOutcome(data["outcome"]),
            rationale=data["rationale"],
            planned_admission=data["planned_admission"],
            recommendations=data["recommendations"],
            disagreement_reason=data["disagreement_reason"],
        )
    except ValidationError as error:
        add_service_errors(form, error, ALIASES)
        return _render(request, referral, form)
    messages.success(request, RECORDED)
    return redirect("referrals:referral_detail", episode_id=referral.episode_id)


@require_http_methods(["GET", "POST"])
@roles(*DECIDERS)
def decision(request: HtmxHttpRequest, episode_id: int) -> HttpResponse:
    user = user_of(request)
    referral = selectors.referral_get(user=user, episode_id=episode_id)
    if request.method == "GET":
        return _render(request, referral, DecisionForm())
    if request.POST.get("preview"):
        # Shown again as typed, without "required" errors on fields not yet filled.
        typed = DecisionForm(initial=request.POST.dict())
        return _render(request, referral, typed, DecisionForm(request.POST))
    return _record(request, referral, DecisionForm(request.POST))
