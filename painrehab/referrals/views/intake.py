"""The referral form: a new or existing patient, the referral and its documents.

A one-time token guards against a double submit: it is issued with the form, kept in
the session, and remembered with the referral it created, so a second POST of the
same form leads to that referral instead of making another.
"""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from painrehab.accounts.decorators import roles
from painrehab.common.htmx import HtmxHttpRequest
from painrehab.referrals import selectors, services
from painrehab.referrals.forms import IntakeForm
from painrehab.referrals.models import Referral
from painrehab.referrals.views._common import COORDINATOR, add_service_errors, user_of

TEMPLATE = "referrals/intake.html"
SESSION_KEY = "referrals.intake_tokens"
KEPT_TOKENS = 20
NO_SUCH_MRN = _("No patient with this MRN. Check it, or register a new patient.")
TOKEN_EXPIRED = _("This form has expired. Check the details and submit it again.")
ALREADY_SENT = _("This referral was already received; here it is.")
RECEIVED = _("Referral received.")
# The services' field names that differ from the form's.
ALIASES: dict[str, str | None] = {"attachment": "attachments"}


def _tokens(request: HtmxHttpRequest) -> dict[str, int | None]:
    """Issued tokens: ``None`` while unused, else the episode the form created."""
    return dict(request.session.get(SESSION_KEY, {}))


def _keep(request: HtmxHttpRequest, tokens: dict[str, int | None]) -> None:
    request.session[SESSION_KEY] = dict(list(tokens.items())[-KEPT_TOKENS:])


def _issue_token(request: HtmxHttpRequest) -> str:
    tokens, token = _tokens(request), uuid.uuid4().hex
    tokens[token] = None
    _keep(request, tokens)
    return token


def _spend_token(request: HtmxHttpRequest, token: str, episode_id: int) -> None:
    tokens = _tokens(request)
    tokens[token] = episode_id
    _keep(request, tokens)


def _submit(request: HtmxHttpRequest, form: IntakeForm) -> Referral:
    user, patient = user_of(request), None
    if not form.is_new:
        mrn = form.cleaned_data["patient"]
        patient = selectors.patient_find(user=user, mrn=mrn)
        if patient is None:
            raise ValidationError({"patient": NO_SUCH_MRN})
    return services.referral_intake(
        by=user,
        details=form.details(),
        patient=patient,
        new_patient=form.new_patient(),
        different_child=form.cleaned_data["different_child"],
        uploads=form.cleaned_data["attachments"],
    )


def _page(request: HtmxHttpRequest, form: IntakeForm) -> HttpResponse:
    return render(request, TEMPLATE, {"form": form})


def _expired(request: HtmxHttpRequest) -> HttpResponse:
    """An unknown token: show the form again, filled in, with a fresh token."""
    data = request.POST.copy()
    data["form_token"] = _issue_token(request)
    form = IntakeForm(data, request.FILES)
    form.is_valid()
    form.add_error(None, TOKEN_EXPIRED)
    return _page(request, form)


def _post(request: HtmxHttpRequest) -> HttpResponse:
    token = request.POST.get("form_token", "")
    tokens = _tokens(request)
    if (episode_id := tokens.get(token)) is not None:
        messages.info(request, ALREADY_SENT)
        return redirect("referrals:referral_detail", episode_id=episode_id)
    if token not in tokens:
        return _expired(request)
    form = IntakeForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form)
    try:
        referral = _submit(request, form)
    except ValidationError as error:
        add_service_errors(form, error, ALIASES)
        return _page(request, form)
    _spend_token(request, token, referral.episode_id)
    messages.success(request, RECEIVED)
    return redirect("referrals:referral_detail", episode_id=referral.episode_id)


@require_http_methods(["GET", "POST"])
@roles(*COORDINATOR)
def intake(request: HtmxHttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _post(request)
    return _page(request, IntakeForm(initial={"form_token": _issue_token(request)}))
