"""Kiosk pages: the child answers their own due questionnaires on a handed-over tablet.

``instruments.kiosk`` keeps the session on these pages; here every page also checks
that the questionnaire is one of those handed over. The child never sees scores:
a submitted questionnaire leads on to the next one, and the last ends the kiosk.
"""

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
)

from painrehab.accounts.choices import CLINICAL_ROLES
from painrehab.accounts.decorators import roles
from painrehab.accounts.models import User
from painrehab.common.access import public
from painrehab.common.htmx import HtmxHttpRequest
from painrehab.domain.scoring import get
from painrehab.episodes.selectors import episode_current
from painrehab.instruments import kiosk, services
from painrehab.instruments.models import Administration
from painrehab.instruments.selectors import administration_get
from painrehab.instruments.views import pages
from painrehab.instruments.views.fill import NO_EPISODE
from painrehab.patients.access import PatientNotFound, patient_get_for_user

ENDED_REASONS = ("done", "finished", "idle")


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _state(request: HttpRequest) -> kiosk.KioskState:
    state = kiosk.state_of(request)
    if state is None:
        raise PatientNotFound
    return state


def _handed_over(request: HttpRequest, administration_id: int) -> Administration:
    """One of this kiosk's questionnaires, through the funnel; 404 for any other."""
    if administration_id not in _state(request).administration_ids:
        raise PatientNotFound
    return administration_get(user=_user(request), administration_id=administration_id)


def _kiosk_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    seconds = int(settings.KIOSK_IDLE_TIMEOUT.total_seconds())
    return {"kiosk_idle_seconds": seconds, **extra}


@require_POST
@roles(*CLINICAL_ROLES)
def kiosk_start(request: HtmxHttpRequest, patient_id: int) -> HttpResponse:
    """Hand the tablet to the child: their due questionnaires, and nothing else."""
    user = _user(request)
    patient = patient_get_for_user(user=user, patient_id=patient_id)
    state = kiosk.state_of(request)
    if state is not None:
        # A double tap on "Hand over" lands on the same kiosk; another child never.
        if state.patient_id != patient.pk:
            raise PatientNotFound
        return redirect("instruments:kiosk")
    episode = episode_current(patient=patient)
    if episode is None:
        messages.error(request, NO_EPISODE)
        return redirect("instruments:measures", patient.pk)
    try:
        kiosk.kiosk_begin(request, by=user, episode=episode)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("instruments:measures", patient.pk)
    return redirect("instruments:kiosk")


@require_GET
@roles(*CLINICAL_ROLES)
def kiosk_home(request: HtmxHttpRequest) -> HttpResponse:
    """The child's list of questionnaires; when all are sent, the kiosk ends."""
    state = _state(request)
    found = Administration.objects.filter(
        pk__in=state.administration_ids
    ).select_related("instrument_version", "episode__patient")
    by_id = {a.pk: a for a in found}
    administrations = [by_id[i] for i in state.administration_ids if i in by_id]
    if all(a.is_submitted for a in administrations):
        kiosk.kiosk_end(request, reason="done")
        return kiosk.ended_response(request, "done")
    rows = [(a, get(a.instrument_version.code).name) for a in administrations]
    upcoming = next(a for a in administrations if not a.is_submitted)
    context = _kiosk_context(
        request,
        rows=rows,
        upcoming=upcoming,
        first_name=_first_name(administrations[0]),
    )
    return render(request, "instruments/kiosk_home.html", context)


def _first_name(a: Administration) -> str:
    patient = a.episode.patient
    return patient.preferred_name or patient.given_name


@require_http_methods(["GET", "POST"])
@roles(*CLINICAL_ROLES)
def kiosk_fill(request: HtmxHttpRequest, administration_id: int) -> HttpResponse:
    """One page of a handed-over questionnaire; "Send" goes on to the next one."""
    user = _user(request)
    a = _handed_over(request, administration_id)
    if a.is_submitted:
        return redirect("instruments:kiosk")
    page = pages.page_of(request, pages.page_count(get(a.instrument_version.code)))
    if request.method == "GET":
        pages.audit_viewed(user, a)
        context = pages.fill_context(a, page, kiosk=True)
        return _page(request, context, a)
    saved, errors, problem = pages.save_posted(a, user, request.POST)
    if saved is None:
        messages.error(request, problem)
        context = pages.refused_context(a, page, request.POST, errors, kiosk=True)
        return _page(request, context, a, status=400)
    if "submit" in request.POST:
        return _submit(request, user, saved, page)
    step = -1 if "previous" in request.POST else 1
    url = reverse("instruments:kiosk_fill", args=[a.pk])
    return redirect(f"{url}?page={max(1, page + step)}")


def _page(
    request: HttpRequest, context: dict[str, Any], a: Administration, status: int = 200
) -> HttpResponse:
    context = _kiosk_context(request, first_name=_first_name(a), **context)
    return render(request, "instruments/kiosk_fill.html", context, status=status)


def _submit(
    request: HttpRequest, user: User, a: Administration, page: int
) -> HttpResponse:
    try:
        services.administration_submit(
            administration=a, by=user, version=a.version, via_kiosk=True
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        url = reverse("instruments:kiosk_fill", args=[a.pk])
        return redirect(f"{url}?page={page}")
    messages.success(request, _("Sent. Thank you!"))
    return redirect("instruments:kiosk")


@require_POST
@roles(*CLINICAL_ROLES)
def kiosk_save(request: HtmxHttpRequest, administration_id: int) -> HttpResponse:
    """Autosave of one answer on the kiosk (HTMX partial)."""
    user = _user(request)
    a = _handed_over(request, administration_id)
    page = pages.page_of(request, 10**6)
    saved, _ignored, problem = pages.save_posted(a, user, request.POST)
    if not request.htmx:
        if problem:
            messages.error(request, problem)
        url = reverse("instruments:kiosk_fill", args=[a.pk])
        return redirect(f"{url}?page={page}")
    context = pages.status_context(a, saved, request.POST, problem, page)
    return render(request, "instruments/fill_status.html", context)


@require_POST
@roles(*CLINICAL_ROLES)
def kiosk_finish(request: HtmxHttpRequest) -> HttpResponse:
    """The child is done for now: answers so far stay saved, the tablet locks."""
    _state(request)
    kiosk.kiosk_end(request, reason="finished")
    return kiosk.ended_response(request, "finished")


@require_GET
@public
def kiosk_ended(request: HttpRequest) -> HttpResponse:
    """After the kiosk: thank the child and ask for the tablet to go back."""
    reason = request.GET.get("reason", "")
    context = {"reason": reason if reason in ENDED_REASONS else "done"}
    return render(request, "instruments/kiosk_ended.html", context)
