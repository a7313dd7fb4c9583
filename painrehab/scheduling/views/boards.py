"""Scheduling pages: the boards (see docs/scheduling.md, "Boards").

The unit's day, a therapist's day and worklist, a child's week on the chart and
its printout, and what the solver could not place. Each view parses the day or
week, calls one selector (which checks access to children and audits the read)
and renders. Bad dates fall back to today: a board is never an error page.
"""

from datetime import date, timedelta
from typing import cast

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_GET

from painrehab.accounts.choices import CLINICAL_ROLES, Role
from painrehab.accounts.decorators import roles
from painrehab.accounts.models import User
from painrehab.common.htmx import HtmxHttpRequest
from painrehab.patients import chart
from painrehab.scheduling import selectors_boards as boards
from painrehab.scheduling.selectors_boards import WEEK, monday_of

# Who may open anyone's day, and the list of what could not be scheduled.
LEADS = frozenset({Role.COORDINATOR, Role.DIRECTOR})


def _user(request: HttpRequest) -> User:
    """The signed-in user; the role declaration has turned others away."""
    return cast(User, request.user)


def _date(request: HttpRequest, name: str) -> date:
    """The ``name`` parameter as a date (YYYY-MM-DD); today when absent or bad."""
    try:
        asked = date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return timezone.localdate()
    # Far enough from the calendar's ends for the previous/next links.
    if not date.min + timedelta(days=7) <= asked <= date.max - timedelta(days=7):
        return timezone.localdate()
    return asked


def _week(request: HttpRequest) -> date:
    return monday_of(_date(request, "week"))


@require_GET
@roles(*CLINICAL_ROLES)
def unit_day(request: HtmxHttpRequest) -> HttpResponse:
    """The unit's day: therapists and rooms against time, and the fixed blocks."""
    user = _user(request)
    board = boards.unit_day(user=user, day=_date(request, "day"))
    context = {"board": board, "is_lead": user.role in LEADS}
    return render(request, "scheduling/board_unit_day.html", context)


@require_GET
@roles(*CLINICAL_ROLES)
def my_day(request: HtmxHttpRequest) -> HttpResponseRedirect:
    """The signed-in therapist's own day (the day asked for is kept)."""
    url = reverse("scheduling:staff_day", args=[request.user.pk])
    day = request.GET.get("day")
    return redirect(f"{url}?day={_date(request, 'day').isoformat()}" if day else url)


@require_GET
@roles(*CLINICAL_ROLES)
def staff_day(request: HtmxHttpRequest, user_id: int) -> HttpResponse:
    """One therapist's day and worklist: their own, or anyone's for the leads."""
    user = _user(request)
    if user.pk != user_id and user.role not in LEADS:
        raise PermissionDenied
    board = boards.staff_day(user=user, staff_id=user_id, day=_date(request, "day"))
    context = {"board": board, "is_lead": user.role in LEADS, "own": user.pk == user_id}
    return render(request, "scheduling/board_staff_day.html", context)


@require_GET
@roles(*LEADS)
def unscheduled(request: HtmxHttpRequest) -> HttpResponse:
    """What the latest finished run(s) of the week could not place, and why."""
    week = boards.unscheduled_week(user=_user(request), week=_week(request))
    return render(request, "scheduling/board_unscheduled.html", {"board": week})


@require_GET
@roles(*CLINICAL_ROLES)
def patient_week(request: HtmxHttpRequest, patient_id: int) -> HttpResponse:
    """The chart tab: the child's week, with attendance; 404 like a missing chart."""
    week = boards.patient_days(
        user=_user(request),
        patient_id=patient_id,
        first_day=_week(request),
        count=WEEK,
        board="patient_week",
    )
    patient = week.patient
    context = {"week": week, "patient": patient, **chart.header_context(patient)}
    return render(request, "scheduling/patient_week.html", context)


@require_GET
@roles(*CLINICAL_ROLES)
def patient_print(request: HtmxHttpRequest, patient_id: int) -> HttpResponse:
    """A child-friendly day (``?day=``) or week (``?week=``) on one printed page,
    in the child's language where translated (``?lang=en|es`` chooses another):
    first name only, nothing clinical."""
    by_week = "week" in request.GET
    first_day = _week(request) if by_week else _date(request, "day")
    sheet = boards.patient_days(
        user=_user(request),
        patient_id=patient_id,
        first_day=first_day,
        count=WEEK if by_week else 1,
        board="patient_print",
    )
    language = _print_language(request, sheet.patient.preferred_language)
    with translation.override(language):
        context = {
            "sheet": sheet,
            "by_week": by_week,
            "language": language,
            "languages": _language_links(request, language),
        }
        return render(request, "scheduling/patient_print.html", context)


def _print_language(request: HttpRequest, preferred: str) -> str:
    """``?lang=`` when it names a language of the site, else the child's own."""
    asked = request.GET.get("lang", "")
    return asked if asked in dict(settings.LANGUAGES) else preferred


def _language_links(request: HttpRequest, current: str) -> list[dict[str, object]]:
    """The same sheet in each language of the site (the day or week kept)."""
    links: list[dict[str, object]] = []
    for code, name in settings.LANGUAGES:
        query = request.GET.copy()
        query["lang"] = code
        links.append(
            {
                "code": code,
                "name": name,
                "url": f"?{query.urlencode()}",
                "current": code == current,
            }
        )
    return links


urlpatterns: list[URLPattern] = [
    path("schedule/", unit_day, name="unit_day"),
    path("schedule/mine/", my_day, name="my_day"),
    path("schedule/staff/<int:user_id>/", staff_day, name="staff_day"),
    path("schedule/unscheduled/", unscheduled, name="unscheduled"),
    path("patients/<int:patient_id>/timetable/", patient_week, name="patient_week"),
    path(
        "patients/<int:patient_id>/timetable/print/",
        patient_print,
        name="patient_print",
    ),
]
