"""One session's page and the coordinator's changes to it: move it (another
time, day, person or room), swap its time with another session's, lock or unlock
it. A refused change comes back on the page next to its form, nothing changed.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from painrehab.accounts.choices import CLINICAL_ROLES, Role
from painrehab.accounts.decorators import roles
from painrehab.common.htmx import HtmxHttpRequest
from painrehab.scheduling.forms_changes import LockForm, MoveForm, SwapForm
from painrehab.scheduling.models import Session
from painrehab.scheduling.services import changes as services
from painrehab.scheduling.views.changes.common import (
    BAD_INPUT,
    CONFLICT,
    add_errors,
    detail_page,
    detail_url,
    request_user,
)

MOVED = _("Session moved and locked there.")
SWAPPED = _("Times swapped; both sessions are locked there.")
LOCKED = _("Session locked: later solves keep it where it is.")
UNLOCKED = _("Session unlocked: later solves may move it.")


def _current_version(form: Any, error: ValidationError, row: Session) -> None:
    """After a stale save, the form again with what the user chose, now based on
    the session as it is (submitting it again is "keep mine")."""
    if "version" in getattr(error, "error_dict", {}):
        row.refresh_from_db(fields=["version"])
        data = form.data.copy()
        data["version"] = str(row.version)
        form.data = data


@require_GET
@roles(*CLINICAL_ROLES)
def session_detail(request: HtmxHttpRequest, session_id: int) -> HttpResponse:
    """Who, when, where, attendance and history; the coordinator's changes."""
    return detail_page(request, session_id)


def _session(session_id: int) -> Session:
    return get_object_or_404(Session, pk=session_id)


@require_POST
@roles(Role.COORDINATOR)
def session_move(request: HtmxHttpRequest, session_id: int) -> HttpResponse:
    """Move the session (another time, day, person or room), checked by the rules."""
    row = _session(session_id)
    form = MoveForm(request.POST, discipline=row.discipline)
    if not form.is_valid():
        return detail_page(request, session_id, status=BAD_INPUT, move_form=form)
    data = form.cleaned_data
    try:
        services.session_move(
            session=row,
            by=request_user(request),
            version=data["version"],
            day=data["day"],
            start=data["start"],
            staff_ids=[person.pk for person in data["staff"]],
            room_id=data["room"].pk if data["room"] else None,
        )
    except ValidationError as error:
        add_errors(form, error)
        _current_version(form, error, row)
        return detail_page(request, session_id, status=CONFLICT, move_form=form)
    messages.success(request, MOVED)
    return redirect(detail_url(session_id))


@require_POST
@roles(Role.COORDINATOR)
def session_swap(request: HtmxHttpRequest, session_id: int) -> HttpResponse:
    """Exchange the times of this session and another of the same day."""
    row = _session(session_id)
    others = Session.objects.filter(day=row.day).exclude(pk=row.pk)
    choices = [(f"{o.pk}:{o.version}", str(o)) for o in others]
    form = SwapForm(request.POST, others=choices)
    if not form.is_valid():
        return detail_page(request, session_id, status=BAD_INPUT, swap_form=form)
    other_pk, other_version = form.other_session()
    try:
        services.session_swap(
            first=row,
            second=others.get(pk=other_pk),
            by=request_user(request),
            versions=(form.cleaned_data["version"], other_version),
        )
    except ValidationError as error:
        add_errors(form, error)
        _current_version(form, error, row)
        return detail_page(request, session_id, status=CONFLICT, swap_form=form)
    messages.success(request, SWAPPED)
    return redirect(detail_url(session_id))


def _next_or(request: HtmxHttpRequest, fallback: str) -> str:
    wanted = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if wanted and allowed else fallback


@require_POST
@roles(Role.COORDINATOR)
def session_lock(request: HtmxHttpRequest, session_id: int) -> HttpResponse:
    """Lock or unlock the session (from its page or a board: back to ``next``)."""
    row = _session(session_id)
    form = LockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form could not be read; try again."))
        return detail_page(request, session_id, status=BAD_INPUT)
    locked = form.cleaned_data["locked"]
    try:
        services.session_lock(
            session=row,
            by=request_user(request),
            version=form.cleaned_data["version"],
            locked=locked,
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return detail_page(request, session_id, status=CONFLICT)
    messages.success(request, LOCKED if locked else UNLOCKED)
    return redirect(_next_or(request, detail_url(session_id)))


urlpatterns = [
    path("schedule/sessions/<int:session_id>/", session_detail, name="session_detail"),
    path("schedule/sessions/<int:session_id>/move/", session_move, name="session_move"),
    path("schedule/sessions/<int:session_id>/swap/", session_swap, name="session_swap"),
    path("schedule/sessions/<int:session_id>/lock/", session_lock, name="session_lock"),
]
