"""The child's day (the portal's landing page for a child), their week, and the
family member's calendar link (see docs/portal.md, "The child's day and after
discharge").

Each page opens the child through the portal's door, shows the timetable only
when this viewer sees ``Category.SCHEDULE`` (else the reason it is withheld),
and records the view. A bad ``?day=`` or ``?week=`` means today: never an error.
"""

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from painrehab.accounts.decorators import family
from painrehab.audit.actions import DataCategory
from painrehab.domain.proxy import Category
from painrehab.portal.access import PortalChild, audit_viewed, child_get, require
from painrehab.portal.selectors.calendar import family_feeds
from painrehab.portal.selectors.day import (
    WEEK,
    child_schedule,
    day_parse,
    monday_of,
)
from painrehab.portal.services import calendar as services
from painrehab.portal.views.base import render_child
from painrehab.scheduling.forms_feeds import (
    FeedCreateForm,
    FeedRevokeForm,
    feed_create_initial,
)

WEEK_STEP = timedelta(days=WEEK)
DAY_STEP = timedelta(days=1)
SWITCHED_OFF = _("The calendar link is switched off. It no longer works anywhere.")
ALREADY_MADE = _(
    "This calendar link was made a moment ago and shown then only. If you did "
    "not copy it, switch it off and make a new one."
)


def _schedule_context(
    child: PortalChild, first_day: date, count: int
) -> dict[str, Any]:
    if not child.sees(Category.SCHEDULE):
        return {"withheld": child.withheld_text(Category.SCHEDULE)}
    return {"schedule": child_schedule(child=child, first_day=first_day, count=count)}


def _audit(child: PortalChild, page: str, **extra: Any) -> None:
    audit_viewed(
        child,
        page=page,
        data_category=DataCategory.SCHEDULE,
        shown=[Category.SCHEDULE],
        extra=extra,
    )


@require_GET
@family
def today(request: HttpRequest, patient_id: int) -> HttpResponse:
    """The child's day: today, or ``?day=YYYY-MM-DD``."""
    child = child_get(request, patient_id)
    now = timezone.localdate()
    day = day_parse(request.GET.get("day"), today=now)
    context = _schedule_context(child, day, 1)
    context.update(
        {
            "day": day,
            "previous": day - DAY_STEP,
            "next": day + DAY_STEP,
            "is_today": day == now,
            "week_of": monday_of(day),
        }
    )
    _audit(child, "today", day=day.isoformat())
    return render_child(
        request, "portal/today.html", child, current="today", context=context
    )


@require_GET
@family
def week(request: HttpRequest, patient_id: int) -> HttpResponse:
    """The child's week (Monday to Friday, a weekend day when something is on),
    this week or the one holding ``?week=YYYY-MM-DD``."""
    child = child_get(request, patient_id)
    now = timezone.localdate()
    first = monday_of(day_parse(request.GET.get("week"), today=now))
    context = _schedule_context(child, first, WEEK)
    context.update(
        {
            "first_day": first,
            "previous": first - WEEK_STEP,
            "next": first + WEEK_STEP,
            "today": now,
            "is_this_week": first == monday_of(now),
        }
    )
    _audit(child, "week", week=first.isoformat())
    return render_child(
        request, "portal/week.html", child, current="week", context=context
    )


def _address(request: HttpRequest, token: str) -> dict[str, str]:
    url = request.build_absolute_uri(reverse("scheduling:feed", args=[token]))
    return {"url": url, "webcal": "webcal://" + url.split("://", 1)[1]}


def _add_errors(form: FeedCreateForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, texts in error.message_dict.items():
        form.add_error(name if name in form.fields else None, texts)


def _create(request: HttpRequest, child: PortalChild) -> tuple[dict[str, Any], int]:
    """Make a link from the posted form: the address once, or the form's errors."""
    form = FeedCreateForm(request.POST)
    if not form.is_valid():
        return {"form": form}, 400
    try:
        created = services.family_feed_create(
            child=child,
            label=form.cleaned_data["label"],
            form_token=form.cleaned_data["form_token"],
        )
    except ValidationError as error:
        _add_errors(form, error)
        return {"form": form}, 400
    fresh = FeedCreateForm(initial=feed_create_initial())
    if created.token is None:
        messages.info(request, ALREADY_MADE)
        return {"form": fresh}, 200
    return {"form": fresh, "address": _address(request, created.token)}, 200


def _revoke(request: HttpRequest, child: PortalChild) -> HttpResponse:
    form = FeedRevokeForm(request.POST)
    if not form.is_valid():
        raise Http404
    services.family_feed_revoke(child=child, feed_id=form.cleaned_data["feed"])
    messages.success(request, SWITCHED_OFF)
    return redirect("portal:calendar", patient_id=child.patient.pk)


@require_http_methods(["GET", "POST"])
@family
def calendar(request: HttpRequest, patient_id: int) -> HttpResponse:
    """This family member's calendar links of the child: make one (the address
    is shown once), switch one off."""
    child = child_get(request, patient_id)
    context: dict[str, Any] = {"form": FeedCreateForm(initial=feed_create_initial())}
    status = 200
    if request.method == "POST":
        if "feed" in request.POST:
            return _revoke(request, child)
        require(child, Category.SCHEDULE)
        context, status = _create(request, child)
    if child.sees(Category.SCHEDULE):
        context["feeds"] = family_feeds(child=child)
    else:
        context["withheld"] = child.withheld_text(Category.SCHEDULE)
    _audit(child, "calendar")
    return render_child(
        request,
        "portal/calendar.html",
        child,
        current="calendar",
        context=context,
        status=status,
    )
