"""Filling in a questionnaire: start, page through, autosave, submit, correct.

Guardians and patients fill their forms in the family portal, and a child alone on
a handed-over tablet uses kiosk mode (views/kiosk.py); here the care team enters
answers (the child's, a parent's, or their own) through the funnel on the
administration's patient.
"""

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from painrehab.accounts.choices import CLINICAL_ROLES
from painrehab.accounts.decorators import roles
from painrehab.accounts.models import User
from painrehab.common.htmx import HtmxHttpRequest
from painrehab.domain.scoring import get
from painrehab.episodes.selectors import episode_current
from painrehab.instruments import services
from painrehab.instruments.choices import RespondentKind, TimePoint
from painrehab.instruments.forms import CorrectForm, StartForm, SubmitForm
from painrehab.instruments.models import Administration
from painrehab.instruments.selectors import (
    administration_get,
    corrections_of,
    score_of,
)
from painrehab.instruments.views import pages
from painrehab.patients.access import patient_get_for_user
from painrehab.patients.models import Guardian

NO_EPISODE = "This child has no episode to give a questionnaire in."
BAD_START = "That questionnaire could not be started; reload the page."


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _fill_url(a: Administration, page: int) -> str:
    return f"{reverse('instruments:fill', args=[a.pk])}?page={page}"


@require_http_methods(["GET", "POST"])
@roles(*CLINICAL_ROLES)
def fill(request: HtmxHttpRequest, administration_id: int) -> HttpResponse:
    """One page of items; "Next" saves, "Submit" on the last page scores."""
    user = _user(request)
    a = administration_get(user=user, administration_id=administration_id)
    if a.is_submitted:
        return _result(request, user, a)
    page = pages.page_of(request, pages.page_count(get(a.instrument_version.code)))
    if request.method == "GET":
        pages.audit_viewed(user, a)
        return _fill_page(request, pages.fill_context(a, page))
    submit = SubmitForm(request.POST)
    saved, errors, problem = pages.save_posted(a, user, request.POST)
    if saved is None or ("submit" in request.POST and not submit.is_valid()):
        return _refused(request, a, page, errors, problem, submit)
    if "submit" in request.POST:
        return _submit(request, user, saved, page, submit)
    step = -1 if "previous" in request.POST else 1
    return redirect(_fill_url(a, max(1, page + step)))


def _fill_page(
    request: HttpRequest,
    context: dict[str, Any],
    submit: SubmitForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context["submit_form"] = submit or SubmitForm()
    return render(request, "instruments/fill.html", context, status=status)


def _refused(
    request: HttpRequest,
    a: Administration,
    page: int,
    errors: dict[str, str],
    problem: str,
    submit: SubmitForm,
) -> HttpResponse:
    """Show the page again with what was posted, so nothing typed is lost."""
    messages.error(request, problem or _("Nothing was submitted: see the date below."))
    context = pages.refused_context(a, page, request.POST, errors)
    return _fill_page(request, context, submit, status=400)


def _submit(
    request: HttpRequest,
    user: User,
    a: Administration,
    page: int,
    submit: SubmitForm,
) -> HttpResponse:
    try:
        services.administration_submit(
            administration=a,
            by=user,
            version=a.version,
            answered_on=submit.cleaned_data["answered_on"],
        )
    except ValidationError as error:
        if hasattr(error, "error_dict") and "answered_on" in error.error_dict:
            submit.add_error("answered_on", error.error_dict["answered_on"])
            context = pages.fill_context(a, page)
            messages.error(request, _("Nothing was submitted: see the date below."))
            return _fill_page(request, context, submit, status=400)
        messages.error(request, " ".join(error.messages))
        return redirect(_fill_url(a, page))
    messages.success(request, _("Questionnaire submitted and scored."))
    return redirect("instruments:fill", a.pk)


def _result(
    request: HttpRequest,
    user: User,
    a: Administration,
    correct: CorrectForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """A submitted administration, read-only, with its score and corrections."""
    pages.audit_viewed(user, a)
    score = score_of(a)
    definition = get(a.instrument_version.code)
    context = {
        "administration": a,
        "patient": a.episode.patient,
        "definition": definition,
        "score": score,
        "scales": pages.scale_lines(definition, score) if score else [],
        "respondent": pages.respondent_line(a),
        "questions": pages.questions(
            definition, list(definition.item_keys), a.answers, {}
        ),
        "corrections": corrections_of(a),
        "correct_form": correct or CorrectForm(),
    }
    return render(request, "instruments/fill_result.html", context, status=status)


@require_POST
@roles(*CLINICAL_ROLES)
def save(request: HtmxHttpRequest, administration_id: int) -> HttpResponse:
    """Autosave of one radio change: the new version and progress (HTMX partial)."""
    user = _user(request)
    a = administration_get(user=user, administration_id=administration_id)
    page = pages.page_of(request, 10**6)
    saved, _ignored, problem = pages.save_posted(a, user, request.POST)
    if not request.htmx:
        if problem:
            messages.error(request, problem)
        return redirect(_fill_url(a, page))
    context = pages.status_context(a, saved, request.POST, problem, page)
    return render(request, "instruments/fill_status.html", context)


@require_POST
@roles(*CLINICAL_ROLES)
def correct(request: HtmxHttpRequest, administration_id: int) -> HttpResponse:
    """Correct a submitted form: a new draft linked to it, with a reason."""
    user = _user(request)
    a = administration_get(user=user, administration_id=administration_id)
    form = CorrectForm(request.POST)
    if not form.is_valid():
        return _result(request, user, a, form, status=400)
    try:
        correction = services.administration_correct(
            administration=a, by=user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("instruments:fill", a.pk)
    messages.success(
        request,
        _("Correction opened. The original stays on record; submit to replace it."),
    )
    return redirect("instruments:fill", correction.pk)


@require_POST
@roles(*CLINICAL_ROLES)
def start(request: HtmxHttpRequest, patient_id: int) -> HttpResponse:
    """Open (or reopen, same token) a due questionnaire and go to its first page."""
    user = _user(request)
    patient = patient_get_for_user(user=user, patient_id=patient_id)
    form = StartForm(request.POST)
    episode = episode_current(patient=patient)
    if episode is None or not form.is_valid():
        messages.error(request, NO_EPISODE if episode is None else BAD_START)
        return redirect("instruments:measures", patient.pk)
    data = form.cleaned_data
    guardian = (
        Guardian.objects.filter(
            pk=data["guardian"], patient_links__patient=patient
        ).first()
        if data["guardian"]
        else None
    )
    try:
        a = services.administration_start(
            episode=episode,
            instrument_code=data["instrument_code"],
            time_point=TimePoint(data["time_point"]),
            time_point_index=data["time_point_index"],
            respondent_kind=_respondent_kind(data["instrument_code"]),
            respondent_guardian=guardian,
            entered_by=user,
            form_token=data["form_token"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("instruments:measures", patient.pk)
    return redirect("instruments:fill", a.pk)


def _respondent_kind(code: str) -> RespondentKind:
    """The instrument's own respondent; an unknown code is refused by the service."""
    try:
        return RespondentKind(str(get(code).respondent))
    except KeyError:
        return RespondentKind.CLINICIAN
