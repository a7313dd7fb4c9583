"""Home exercises in the portal: what to do, and "Done today".

The guardian and the teen see the child's active exercises in plain words and tick
each one when it is done; the therapists see the ticks on the chart. Where the
home programme is hidden from this viewer (a guardian of a 12-17-year-old when the
program's list leaves it out), the page says so and the tick is the same 404 as
a missing page. An exercise is looked up within this child's episodes, so another
family's exercise id is a 404 too. Works without JavaScript: the tick is a plain
POST that redirects back to the page.
"""

from datetime import date, timedelta
from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from painrehab.accounts.decorators import family
from painrehab.accounts.models import User
from painrehab.audit.actions import DataCategory
from painrehab.domain.proxy import Category
from painrehab.homeprogram import selectors, services
from painrehab.homeprogram.forms import TickForm
from painrehab.portal.access import audit_viewed, child_get, require
from painrehab.portal.views.base import render_child

# A tick may come in a little late (a page opened before midnight), never for
# a day outside the week the page shows.
TICK_WINDOW_DAYS = 7
TICKED = _("Well done! It is ticked as done.")
UNTICKED = _("The tick for today is taken back.")
TOO_OLD = _("Only the last 7 days can be ticked here.")
NOT_UNDERSTOOD = _("Sorry, that did not work. Please try again.")


@require_GET
@family
def exercises(request: HttpRequest, patient_id: int) -> HttpResponse:
    """The child's active exercises, each with "Done today" and the last 7 days."""
    child = child_get(request, patient_id)
    programme = None
    if child.sees(Category.HOME_PROGRAMME):
        programme = selectors.family_programme(patient=child.patient)
    audit_viewed(
        child,
        page="exercises",
        data_category=DataCategory.HOME_PROGRAMME,
        shown=[Category.HOME_PROGRAMME],
        extra={"exercises": programme.exercise_ids if programme else []},
    )
    context = {
        "programme": programme,
        "withheld": child.withheld_text(Category.HOME_PROGRAMME),
    }
    return render_child(
        request, "portal/exercises.html", child, current="exercises", context=context
    )


def _back(patient_id: int, exercise_id: int) -> HttpResponse:
    url = reverse("portal:exercises", args=[patient_id])
    return redirect(f"{url}#exercise-{exercise_id}")


def _day(form: TickForm) -> date | None:
    """The posted day (today when none), or ``None`` when too old to tick here."""
    today = timezone.localdate()
    day: date = form.cleaned_data["done_on"] or today
    if day < today - timedelta(days=TICK_WINDOW_DAYS - 1):
        return None
    return day


@require_POST
@family
def tick(request: HttpRequest, patient_id: int, exercise_id: int) -> HttpResponse:
    """Record (``done`` = 1) or take back (``done`` = 0) one day's tick."""
    child = child_get(request, patient_id)
    require(child, Category.HOME_PROGRAMME)
    exercise = selectors.family_exercise_get(
        patient=child.patient, exercise_id=exercise_id
    )
    form = TickForm(request.POST)
    day = _day(form) if form.is_valid() else None
    if day is None:
        messages.error(request, TOO_OLD if form.is_valid() else NOT_UNDERSTOOD)
        return _back(patient_id, exercise.pk)
    user = cast(User, request.user)
    try:
        if form.is_done:
            services.tick_record(exercise=exercise, by=user, done_on=day)
        else:
            services.tick_remove(exercise=exercise, by=user, done_on=day)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, TICKED if form.is_done else UNTICKED)
    return _back(patient_id, exercise.pk)
