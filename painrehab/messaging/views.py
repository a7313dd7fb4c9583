"""Team message pages: the inbox, a thread, a child's threads, a new thread.

Clinicians only, through the access funnel: a child (or a thread about a child)
outside the person's care teams is the same 404 as a missing page. Bad input shows
the form again with the message next to the field (400) and posts nothing.
"""

import uuid
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from painrehab.accounts.choices import CLINICAL_ROLES
from painrehab.accounts.decorators import roles
from painrehab.accounts.models import User
from painrehab.common.htmx import HtmxHttpRequest
from painrehab.episodes.selectors import episode_current
from painrehab.messaging import selectors, services
from painrehab.messaging.choices import InboxFilter
from painrehab.messaging.forms import ReplyForm, ThreadForm
from painrehab.messaging.models import Thread
from painrehab.patients import chart
from painrehab.patients.access import patient_get_for_user
from painrehab.patients.models import Patient

NO_EPISODE = "This child has no episode yet, so there is nothing to message about."
NOT_POSTED = "Nothing was posted: see the message next to the field."


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _refuse(form: ReplyForm, error: ValidationError) -> None:
    """Put a service's refusal next to the field it names, or above the form."""
    texts = (
        error.message_dict
        if hasattr(error, "error_dict")
        else {NON_FIELD_ERRORS: error.messages}
    )
    for field, found in texts.items():
        form.add_error(field if field in form.fields else None, found)


def _show(request: HttpRequest) -> InboxFilter:
    value = request.GET.get("show", InboxFilter.ALL)
    return InboxFilter(value) if value in InboxFilter.values else InboxFilter.ALL


@require_GET
@roles(*CLINICAL_ROLES)
def inbox(request: HtmxHttpRequest) -> HttpResponse:
    """Threads about this person's patients: unread first, then the newest."""
    show = _show(request)
    found = selectors.inbox_get(
        user=_user(request), show=show, page=request.GET.get("page", 1)
    )
    context = {
        "inbox": found,
        "filters": InboxFilter.choices,
        "querystring": f"show={show.value}",
    }
    return render(request, "messaging/inbox.html", context)


def _thread_page(
    request: HttpRequest, thread: Thread, form: ReplyForm, status: int = 200
) -> HttpResponse:
    user = _user(request)
    lines = selectors.thread_messages(user=user, thread=thread)
    services.thread_mark_read(thread=thread, user=user)
    context = {"thread": thread, "lines": lines, "form": form}
    return render(request, "messaging/thread.html", context, status=status)


def _reply_form(request: HttpRequest, thread: Thread) -> ReplyForm:
    team = selectors.team_choices(
        patient=thread.episode.patient, exclude=_user(request)
    )
    if request.method == "POST":
        return ReplyForm(request.POST, team=team)
    return ReplyForm(initial={"form_token": uuid.uuid4()}, team=team)


@require_http_methods(["GET", "POST"])
@roles(*CLINICAL_ROLES)
def thread_detail(request: HtmxHttpRequest, thread_id: int) -> HttpResponse:
    """The messages, oldest first, and a reply form; opening it marks it read."""
    user = _user(request)
    thread = selectors.thread_get(user=user, thread_id=thread_id)
    form = _reply_form(request, thread)
    if request.method == "GET":
        return _thread_page(request, thread, form)
    if form.is_valid():
        try:
            message = services.message_post(
                thread=thread, author=user, **form.service_arguments()
            )
        except ValidationError as error:
            _refuse(form, error)
        else:
            messages.success(request, _("Message posted."))
            url = reverse("messaging:thread", args=[thread.pk])
            return redirect(f"{url}#message-{message.pk}")
    messages.error(request, _(NOT_POSTED))
    return _thread_page(request, thread, form, status=400)


def _chart_context(patient: Patient) -> dict[str, Any]:
    return {"patient": patient, **chart.header_context(patient)}


@require_GET
@roles(*CLINICAL_ROLES)
def patient_threads(request: HtmxHttpRequest, patient_id: int) -> HttpResponse:
    """The chart's "Team messages" tab: this child's threads and "New thread"."""
    found = selectors.patient_threads(user=_user(request), patient_id=patient_id)
    context = {"lines": found.lines, **_chart_context(found.patient)}
    return render(request, "messaging/patient_threads.html", context)


def _new_thread_form(request: HttpRequest, patient: Patient) -> ThreadForm:
    team = selectors.team_choices(patient=patient, exclude=_user(request))
    if request.method == "POST":
        return ThreadForm(request.POST, team=team)
    return ThreadForm(initial={"form_token": uuid.uuid4()}, team=team)


def _started(request: HttpRequest, patient: Patient, form: ThreadForm) -> Thread | None:
    episode = episode_current(patient=patient)
    if not form.is_valid():
        return None
    if episode is None:
        form.add_error(None, _(NO_EPISODE))
        return None
    try:
        return services.thread_start(
            episode=episode, author=_user(request), **form.service_arguments()
        )
    except ValidationError as error:
        _refuse(form, error)
        return None


@require_http_methods(["GET", "POST"])
@roles(*CLINICAL_ROLES)
def thread_new(request: HtmxHttpRequest, patient_id: int) -> HttpResponse:
    """Start a thread about this child's current episode."""
    patient = patient_get_for_user(user=_user(request), patient_id=patient_id)
    form = _new_thread_form(request, patient)
    status = 200
    if request.method == "POST":
        thread = _started(request, patient, form)
        if thread is not None:
            messages.success(request, _("Thread started."))
            return redirect("messaging:thread", thread.pk)
        messages.error(request, _(NOT_POSTED))
        status = 400
    context = {
        "form": form,
        "has_episode": episode_current(patient=patient) is not None,
        **_chart_context(patient),
    }
    return render(request, "messaging/thread_new.html", context, status=status)
