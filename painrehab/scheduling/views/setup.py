"""Setting up the unit (see docs/scheduling.md, "Setting up the unit").

The coordinator edits rooms, each person's week of shifts, the day template and
the therapy groups; the director reads the overview and the lists. A refused save
comes back with each message next to its field and nothing stored; a save made
meanwhile by someone else is refused above the form.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from painrehab.accounts.choices import Role
from painrehab.accounts.decorators import roles
from painrehab.accounts.models import User
from painrehab.common.htmx import HtmxHttpRequest
from painrehab.scheduling import selectors_setup as selectors
from painrehab.scheduling.forms_setup import (
    GroupForm,
    RoomForm,
    TemplateForm,
    WeekForm,
    group_initial,
    room_initial,
    template_initial,
    week_initial,
)
from painrehab.scheduling.services import setup as services

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

EDITORS = (Role.COORDINATOR,)
READERS = (Role.COORDINATOR, Role.DIRECTOR)
SAVED = _("Saved.")
ROOM_ADDED = _("Room added.")
GROUP_ADDED = _("Group added.")
BAD = 400


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    """A refused save beside the fields it names; a stale one above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, texts in error.message_dict.items():
        visible = name in form.fields and not form.fields[name].widget.is_hidden
        form.add_error(name if visible else None, texts)


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    full = {"may_edit": _user(request).role in EDITORS, **context}
    return render(request, f"scheduling/{template}", full, status=status)


# --- Read pages (coordinator and director) ----------------------------------------


@require_GET
@roles(*READERS)
def setup(request: HtmxHttpRequest) -> HttpResponse:
    """The unit at a glance: rooms, who works when, the day, the groups."""
    return _page(request, "setup_overview.html", {"page": selectors.setup_overview()})


@require_GET
@roles(*READERS)
def room_list(request: HtmxHttpRequest) -> HttpResponse:
    return _page(request, "setup_rooms.html", {"rooms": selectors.room_list()})


@require_GET
@roles(*READERS)
def shift_list(request: HtmxHttpRequest) -> HttpResponse:
    context = {
        "weeks": selectors.shift_staff_list(),
        "weekdays": selectors.WEEKDAY_LABELS,
    }
    return _page(request, "setup_shifts.html", context)


@require_GET
@roles(*READERS)
def group_list(request: HtmxHttpRequest) -> HttpResponse:
    return _page(request, "setup_groups.html", {"groups": selectors.group_list()})


def _new_page(
    request: HtmxHttpRequest,
    *,
    form_class: type[RoomForm] | type[GroupForm],
    initial: dict[str, Any],
    create: Callable[..., object],
    template: str,
    done: tuple["StrOrPromise", str],
) -> HttpResponse:
    """A "new" page: the empty form, or the posted one, created once.

    ``done`` is the success message and the list to return to. A form whose
    one-time token was already used (a double click) creates nothing more.
    """
    if request.method == "GET":
        return _page(request, template, {"form": form_class(initial=initial)})
    form = form_class(request.POST)
    if form.is_valid() and form.cleaned_data["form_token"] is None:
        form.add_error(None, services.FORM_REUSED)
    elif form.is_valid():
        try:
            create(
                by=_user(request),
                fields=form.fields_value(),
                form_token=form.cleaned_data["form_token"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, done[0])
            return redirect(done[1])
    return _page(request, template, {"form": form}, BAD)


# --- Rooms ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@roles(*EDITORS)
def room_new(request: HtmxHttpRequest) -> HttpResponse:
    """Add a room; a double click adds one."""
    return _new_page(
        request,
        form_class=RoomForm,
        initial=room_initial(None),
        create=services.room_create,
        template="setup_room_form.html",
        done=(ROOM_ADDED, "scheduling:room_list"),
    )


@require_http_methods(["GET", "POST"])
@roles(*EDITORS)
def room_edit(request: HtmxHttpRequest, room_id: int) -> HttpResponse:
    room = selectors.room_get(room_id=room_id)
    if request.method == "GET":
        form = RoomForm(initial=room_initial(room))
        return _page(request, "setup_room_form.html", {"form": form, "room": room})
    form = RoomForm(request.POST)
    if form.is_valid():
        try:
            services.room_change(
                by=_user(request),
                room=room,
                version=form.cleaned_data["version"] or 0,
                fields=form.fields_value(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, SAVED)
            return redirect("scheduling:room_list")
    context = {"form": form, "room": room}
    return _page(request, "setup_room_form.html", context, BAD)


# --- A person's week of shifts ----------------------------------------------------


@require_http_methods(["GET", "POST"])
@roles(*EDITORS)
def shift_edit(request: HtmxHttpRequest, user_id: int) -> HttpResponse:
    """One person's week: several shifts a day; the whole week saves or nothing."""
    week = selectors.staff_week(user_id=user_id)
    initial, rows = week_initial(week)
    if request.method == "GET":
        form = WeekForm(initial=initial, rows=rows)
        return _page(request, "setup_week_form.html", {"form": form, "week": week})
    form = WeekForm(request.POST, rows=rows)
    if form.is_valid():
        try:
            services.week_save(
                by=_user(request),
                staff=week.staff,
                fingerprint=form.cleaned_data["fingerprint"],
                rows=form.shift_rows(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, SAVED)
            return redirect("scheduling:shift_list")
    context = {"form": form, "week": week}
    return _page(request, "setup_week_form.html", context, BAD)


# --- The day template -------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@roles(*EDITORS)
def template_edit(request: HtmxHttpRequest) -> HttpResponse:
    """The functional day: when therapy may happen, and the fixed blocks."""
    template = selectors.active_template()
    initial, rows = template_initial(template)
    if request.method == "GET":
        form = TemplateForm(initial=initial, rows=rows)
        return _page(request, "setup_template_form.html", {"form": form})
    form = TemplateForm(request.POST, rows=rows)
    if form.is_valid():
        try:
            services.template_save(
                by=_user(request),
                version=form.cleaned_data["version"],
                fields=form.fields_value(),
                blocks=form.block_rows(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, SAVED)
            return redirect("scheduling:setup")
    return _page(request, "setup_template_form.html", {"form": form}, BAD)


# --- Therapy groups ---------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@roles(*EDITORS)
def group_new(request: HtmxHttpRequest) -> HttpResponse:
    """Add a group; a double click adds one."""
    return _new_page(
        request,
        form_class=GroupForm,
        initial=group_initial(None),
        create=services.group_create,
        template="setup_group_form.html",
        done=(GROUP_ADDED, "scheduling:group_list"),
    )


@require_http_methods(["GET", "POST"])
@roles(*EDITORS)
def group_edit(request: HtmxHttpRequest, group_id: int) -> HttpResponse:
    group = selectors.group_get(group_id=group_id)
    if request.method == "GET":
        form = GroupForm(initial=group_initial(group))
        return _page(request, "setup_group_form.html", {"form": form, "group": group})
    form = GroupForm(request.POST)
    if form.is_valid():
        try:
            services.group_change(
                by=_user(request),
                group=group,
                fingerprint=form.cleaned_data["fingerprint"],
                fields=form.fields_value(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, SAVED)
            return redirect("scheduling:group_list")
    context = {"form": form, "group": group}
    return _page(request, "setup_group_form.html", context, BAD)


urlpatterns: list[URLPattern] = [
    path("schedule/setup/", setup, name="setup"),
    path("schedule/setup/rooms/", room_list, name="room_list"),
    path("schedule/setup/rooms/new/", room_new, name="room_new"),
    path("schedule/setup/rooms/<int:room_id>/", room_edit, name="room_edit"),
    path("schedule/setup/staff/", shift_list, name="shift_list"),
    path("schedule/setup/staff/<int:user_id>/", shift_edit, name="shift_edit"),
    path("schedule/setup/day/", template_edit, name="template_edit"),
    path("schedule/setup/groups/", group_list, name="group_list"),
    path("schedule/setup/groups/new/", group_new, name="group_new"),
    path("schedule/setup/groups/<int:group_id>/", group_edit, name="group_edit"),
]
