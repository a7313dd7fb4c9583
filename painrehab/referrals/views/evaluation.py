"""Booking the evaluation visit, and each discipline's structured evaluation."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from painrehab.accounts.decorators import roles
from painrehab.common.htmx import HtmxHttpRequest
from painrehab.patients import chart
from painrehab.referrals import selectors, services
from painrehab.referrals.forms import EvaluationForm, ScheduleForm, evaluation_initial
from painrehab.referrals.models import Evaluation
from painrehab.referrals.views._common import (
    COORDINATOR,
    READERS,
    add_service_errors,
    user_of,
)

SCHEDULED = _("Evaluation visit booked; the evaluators are on the care team.")
SAVED = _("Draft saved.")
SIGNED = _("Evaluation signed.")
# A stale version or a wrong phase concerns the form as a whole.
SCHEDULE_ALIASES: dict[str, str | None] = {"evaluators": None, "phase": None}
EVALUATION_ALIASES: dict[str, str | None] = {
    "version": None,
    "status": None,
    "evaluator": None,
}


@require_http_methods(["GET", "POST"])
@roles(*COORDINATOR)
def schedule(request: HtmxHttpRequest, episode_id: int) -> HttpResponse:
    user = user_of(request)
    referral = selectors.referral_get(user=user, episode_id=episode_id)
    form = ScheduleForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.evaluation_schedule(
                episode=referral.episode,
                by=user,
                scheduled_for=form.cleaned_data["scheduled_for"],
                location=form.cleaned_data["location"],
                evaluators=form.evaluators(),
            )
        except ValidationError as error:
            add_service_errors(form, error, SCHEDULE_ALIASES)
        else:
            messages.success(request, SCHEDULED)
            return redirect("referrals:referral_detail", episode_id=episode_id)
    patient = referral.episode.patient
    context = {
        "referral": referral,
        "patient": patient,
        "visit": selectors.visit_of(referral.episode),
        "form": form,
        **chart.header_context(patient),
    }
    return render(request, "referrals/schedule.html", context)


def _answers(evaluation: Evaluation) -> list[tuple[str, str]]:
    """Each exclusion question with the answer given, for the read-only view."""
    words = {True: _("Yes"), False: _("No"), None: _("Not answered")}
    return [
        (q.question, str(words[evaluation.exclusions.get(q.key)]))
        for q in services.exclusion_questions(evaluation.discipline)
    ]


def _render(
    request: HtmxHttpRequest, evaluation: Evaluation, form: EvaluationForm | None
) -> HttpResponse:
    patient = evaluation.visit.episode.patient
    context: dict[str, Any] = {
        "evaluation": evaluation,
        "episode": evaluation.visit.episode,
        "patient": patient,
        "form": form,
        "answers": _answers(evaluation),
        **chart.header_context(patient),
    }
    return render(request, "referrals/evaluation.html", context)


def _show_refusal(form: EvaluationForm, error: ValidationError) -> None:
    errors = dict(error.message_dict)
    if unanswered := errors.pop("exclusions", None):
        form.mark_unanswered(unanswered[0])
    add_service_errors(form, ValidationError(errors), EVALUATION_ALIASES)


def _save(request: HtmxHttpRequest, evaluation: Evaluation) -> HttpResponse:
    """Save the draft, or save and sign; a refusal keeps every word typed."""
    questions = services.exclusion_questions(evaluation.discipline)
    form = EvaluationForm(request.POST, questions=questions)
    if not form.is_valid():
        return _render(request, evaluation, form)
    sign = request.POST.get("action") == "sign"
    write = services.evaluation_save_and_sign if sign else services.evaluation_save
    try:
        write(evaluation=evaluation, by=user_of(request), **form.values())
    except ValidationError as error:
        _show_refusal(form, error)
        return _render(request, evaluation, form)
    messages.success(request, SIGNED if sign else SAVED)
    return redirect(request.path)


@require_http_methods(["GET", "POST"])
@roles(*READERS)
def evaluation(
    request: HtmxHttpRequest, episode_id: int, discipline: str
) -> HttpResponse:
    """The assigned evaluator edits and signs; everyone else with access reads."""
    user = user_of(request)
    found = selectors.evaluation_get(
        user=user, episode_id=episode_id, discipline=discipline
    )
    is_author = found.evaluator_id == user.pk
    if request.method == "POST":
        if not is_author:
            raise PermissionDenied
        if found.is_signed:
            messages.error(request, services.ALREADY_SIGNED)
            return redirect(request.path)
        return _save(request, found)
    if not is_author or found.is_signed:
        return _render(request, found, None)
    questions = services.exclusion_questions(found.discipline)
    form = EvaluationForm(initial=evaluation_initial(found), questions=questions)
    return _render(request, found, form)
