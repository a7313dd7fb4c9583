"""Calendar feeds (see docs/scheduling.md, "Calendar feeds").

``feed`` is the one public page: a calendar app fetches it with no login, and the
token in its address is the key. Every refusal (an unknown token, a revoked feed,
an owner gone) is the same 404, with the same headers. The management pages show
a new feed's address once, right after it is made.
"""

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import URLPattern, path, reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from painrehab.accounts.choices import Role
from painrehab.accounts.decorators import roles
from painrehab.accounts.models import User
from painrehab.common.access import public
from painrehab.common.htmx import HtmxHttpRequest
from painrehab.patients import chart
from painrehab.patients.access import patient_get_for_user
from painrehab.patients.models import Patient
from painrehab.scheduling import feeds
from painrehab.scheduling.forms_feeds import (
    FeedCreateForm,
    FeedRevokeForm,
    feed_create_initial,
)
from painrehab.scheduling.models import CalendarFeed
from painrehab.scheduling.services import feeds as services

CALENDAR_TYPE = "text/calendar; charset=utf-8"
OWNER_ROLES = tuple(sorted(services.FEED_OWNER_ROLES))
REVOKED = _("The calendar is switched off. Its address no longer works.")
ALREADY_MADE = _(
    "This calendar was made a moment ago, and its address was shown then only. "
    "If you did not copy it, revoke the calendar and make a new one."
)


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _private(response: HttpResponse) -> HttpResponse:
    """Headers of every answer of the feed page, found or not."""
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
@public
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar document of a live feed; anything else is the same 404."""
    body = services.feed_read(token=token)
    if body is None:
        # Rendered without the request, so nothing of it can differ.
        missing = HttpResponse(loader.render_to_string("404.html"), status=404)
        return _private(missing)
    response = HttpResponse(body, content_type=CALENDAR_TYPE)
    response["Content-Disposition"] = 'inline; filename="painrehab.ics"'
    return _private(response)


def _address(request: HttpRequest, token: str) -> dict[str, str]:
    url = request.build_absolute_uri(reverse("scheduling:feed", args=[token]))
    return {"url": url, "webcal": "webcal://" + url.split("://", 1)[1]}


def _add_errors(form: FeedCreateForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, texts in error.message_dict.items():
        form.add_error(name if name in form.fields else None, texts)


def _revoke_target(data: QueryDict) -> int | None:
    """The feed a revoke form names, or ``None`` when the post is a creation."""
    if "feed" not in data:
        return None
    form = FeedRevokeForm(data)
    if not form.is_valid():
        raise Http404
    return cast(int, form.cleaned_data["feed"])


def _revoke(request: HttpRequest, target: CalendarFeed) -> None:
    services.feed_revoke(by=_user(request), feed=target)
    messages.success(request, REVOKED)


def _create_result(
    request: HttpRequest, form: FeedCreateForm, created: services.CreatedFeed | None
) -> dict[str, Any]:
    """The context after a create: the address once, or why there is none."""
    if created is None:
        return {"form": form}
    if created.token is None:
        messages.info(request, ALREADY_MADE)
        return {"form": FeedCreateForm(initial=feed_create_initial())}
    return {
        "form": FeedCreateForm(initial=feed_create_initial()),
        "created": created.feed,
        "address": _address(request, created.token),
    }


@require_http_methods(["GET", "POST"])
@roles(*OWNER_ROLES)
def feed_list(request: HtmxHttpRequest) -> HttpResponse:
    """The user's own calendars: make one (address shown once), revoke one."""
    user = _user(request)
    template = "scheduling/feed_list.html"
    context: dict[str, Any] = {"form": FeedCreateForm(initial=feed_create_initial())}
    status = 200
    if request.method == "POST":
        target = _revoke_target(request.POST)
        if target is not None:
            _revoke(request, feeds.staff_feed_get(user=user, feed_id=target))
            return redirect("scheduling:feed_list")
        context, status = _staff_create(request, user)
    context["feeds"] = feeds.staff_feeds(user=user)
    return render(request, template, context, status=status)


def _staff_create(request: HttpRequest, user: User) -> tuple[dict[str, Any], int]:
    form = FeedCreateForm(request.POST)
    created = None
    if form.is_valid():
        try:
            created = services.staff_feed_create(
                by=user,
                label=form.cleaned_data["label"],
                form_token=form.cleaned_data["form_token"],
            )
        except ValidationError as error:
            _add_errors(form, error)
    return _create_result(request, form, created), 200 if created else 400


def _patient_create(
    request: HttpRequest, user: User, patient: Patient
) -> tuple[dict[str, Any], int]:
    form = FeedCreateForm(request.POST)
    created = None
    if form.is_valid():
        try:
            created = services.patient_feed_create(
                by=user,
                patient=patient,
                label=form.cleaned_data["label"],
                form_token=form.cleaned_data["form_token"],
            )
        except ValidationError as error:
            _add_errors(form, error)
    return _create_result(request, form, created), 200 if created else 400


@require_http_methods(["GET", "POST"])
@roles(Role.COORDINATOR)
def patient_feeds(request: HtmxHttpRequest, patient_id: int) -> HttpResponse:
    """A child's calendars for the family: make one, revoke one."""
    user = _user(request)
    context: dict[str, Any] = {"form": FeedCreateForm(initial=feed_create_initial())}
    status = 200
    if request.method == "POST":
        patient = patient_get_for_user(user=user, patient_id=patient_id)
        target = _revoke_target(request.POST)
        if target is not None:
            _revoke(request, feeds.patient_feed_get(patient=patient, feed_id=target))
            return redirect("scheduling:patient_feeds", patient_id=patient.pk)
        context, status = _patient_create(request, user, patient)
    page = feeds.patient_feeds(user=user, patient_id=patient_id)
    context.update({"patient": page.patient, "feeds": page.feeds})
    context.update(chart.header_context(page.patient))
    return render(request, "scheduling/feed_patient.html", context, status=status)


urlpatterns: list[URLPattern] = [
    path("calendar/<str:token>.ics", feed, name="feed"),
    path("schedule/calendars/", feed_list, name="feed_list"),
    path(
        "patients/<int:patient_id>/calendars/",
        patient_feeds,
        name="patient_feeds",
    ),
]
