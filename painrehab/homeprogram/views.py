"""The chart's "Home exercises" tab: the programme, the family's ticks, and edits.

Every clinician on the child's care team may read the tab (the access funnel: a
child off the team is the same 404 as a missing one). Physical and occupational
therapists may add, change and stop exercises; the services check that again.
Bad input shows the form again with the message next to the field and saves
nothing; a stale change or stop shows what is saved now (409).
"""

import uuid
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from painrehab.accounts.choices import CLINICAL_ROLES, Role
from painrehab.accounts.decorators import roles
from painrehab.accounts.models import User
from painrehab.common.htmx import HtmxHttpRequest
from painrehab.homeprogram import selectors, services
from painrehab.homeprogram.forms import ExerciseForm, StopForm, exercise_initial
from painrehab.homeprogram.models import HomeExercise
from painrehab.patients import chart
from painrehab.patients.access import patient_get_for_user
from painrehab.patients.models import Patient

THERAPIST_ROLES = (Role.PHYSICAL_THERAPIST, Role.OCCUPATIONAL_THERAPIST)
CONFLICT = 409
ADDED = _("Exercise added to the home programme.")
SAVED = _("Exercise changed.")
UNCHANGED = _("Nothing was changed.")
STOPPED = _("Exercise stopped. The family no longer sees it from that day.")
NOT_SAVED = _("Nothing was saved: see the message next to the field.")


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _list_url(patient_id: int) -> str:
    return reverse("homeprogram:exercise_list", args=[patient_id])


def _refuse(form: ExerciseForm | StopForm, error: ValidationError) -> None:
    """Put a service's refusal next to the field it names, or above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, found in error.message_dict.items():
        form.add_error(name if name in form.fields else None, found)


def _is_stale(error: ValidationError) -> bool:
    return hasattr(error, "error_dict") and "version" in error.error_dict


def _chart(patient: Patient) -> dict[str, Any]:
    return {"patient": patient, **chart.header_context(patient)}


def _new_form() -> ExerciseForm:
    initial = {
        "form_token": uuid.uuid4(),
        "starts_on": timezone.localdate(),
        "times_per_day": 1,
        "days_per_week": 7,
    }
    return ExerciseForm(initial=initial, editing=False)


def _list_page(
    request: HttpRequest, patient_id: int, form: ExerciseForm | None, status: int = 200
) -> HttpResponse:
    patient, programme = selectors.programme_get(
        user=_user(request), patient_id=patient_id
    )
    may_edit = _user(request).role in THERAPIST_ROLES
    if may_edit and form is None:
        form = _new_form()
    context = {
        "programme": programme,
        "form": form if may_edit else None,
        "may_edit": may_edit,
        **_chart(patient),
    }
    return render(request, "homeprogram/exercise_list.html", context, status=status)


def _add(request: HttpRequest, patient_id: int) -> HttpResponse:
    user = _user(request)
    if user.role not in THERAPIST_ROLES:
        raise PermissionDenied(services.THERAPISTS_ONLY)
    patient = patient_get_for_user(user=user, patient_id=patient_id)
    form = ExerciseForm(request.POST, editing=False)
    if form.is_valid():
        try:
            services.exercise_assign(
                patient=patient,
                by=user,
                fields=form.values(),
                form_token=form.cleaned_data["form_token"],
            )
        except ValidationError as error:
            _refuse(form, error)
        else:
            messages.success(request, ADDED)
            return redirect(_list_url(patient_id))
    messages.error(request, NOT_SAVED)
    return _list_page(request, patient_id, form, status=400)


@require_http_methods(["GET", "POST"])
@roles(*CLINICAL_ROLES)
def exercise_list(request: HtmxHttpRequest, patient_id: int) -> HttpResponse:
    """The programme with 14 days of the family's ticks; PT/OT add from here."""
    if request.method == "POST":
        return _add(request, patient_id)
    return _list_page(request, patient_id, None)


def _edit_page(
    request: HttpRequest,
    exercise: HomeExercise,
    form: ExerciseForm,
    stop_form: StopForm,
    *,
    status: int = 200,
    conflict: str = "",
) -> HttpResponse:
    context = {
        "exercise": exercise,
        "form": form,
        "stop_form": stop_form,
        "conflict": conflict,
        **_chart(exercise.episode.patient),
    }
    return render(request, "homeprogram/exercise_edit.html", context, status=status)


def _stop_form(exercise: HomeExercise, data: Any = None) -> StopForm:
    if data is not None:
        return StopForm(data)
    initial = {
        "version": exercise.version,
        "stopped_on": services.stop_default(exercise),
    }
    return StopForm(initial=initial)


def _fresh_form(exercise: HomeExercise) -> ExerciseForm:
    return ExerciseForm(initial=exercise_initial(exercise), editing=True)


def _with_version(data: Any, version: int) -> Any:
    """The posted values again, now based on ``version`` (save again = keep mine)."""
    copied = data.copy()
    copied["version"] = str(version)
    return copied


def _conflict(
    request: HttpRequest, exercise: HomeExercise, *, stopping: bool = False
) -> HttpResponse:
    """What is saved now, above the form: the user's values for a change, the
    saved ones for a stop (its form has no values to keep)."""
    exercise.refresh_from_db()
    if stopping or exercise.stopped_on is not None:
        form = _fresh_form(exercise)
    else:
        form = ExerciseForm(_with_version(request.POST, exercise.version), editing=True)
        form.is_valid()
    return _edit_page(
        request,
        exercise,
        form,
        _stop_form(exercise),
        status=CONFLICT,
        conflict="stop" if stopping else "change",
    )


def _change(request: HttpRequest, exercise: HomeExercise) -> HttpResponse:
    form = ExerciseForm(request.POST, editing=True)
    if form.is_valid():
        version = form.cleaned_data["version"]
        try:
            saved = services.exercise_change(
                exercise=exercise,
                by=_user(request),
                version=version,
                fields=form.values(),
            )
        except ValidationError as error:
            if _is_stale(error):
                return _conflict(request, exercise)
            _refuse(form, error)
        else:
            messages.success(request, SAVED if saved.version != version else UNCHANGED)
            return redirect(_list_url(exercise.episode.patient_id))
    messages.error(request, NOT_SAVED)
    return _edit_page(request, exercise, form, _stop_form(exercise), status=400)


@require_http_methods(["GET", "POST"])
@roles(*THERAPIST_ROLES)
def exercise_edit(
    request: HtmxHttpRequest, patient_id: int, exercise_id: int
) -> HttpResponse:
    """Change an exercise (the version seen is checked), or stop it."""
    exercise = selectors.exercise_get(
        user=_user(request), patient_id=patient_id, exercise_id=exercise_id
    )
    if request.method == "POST":
        return _change(request, exercise)
    return _edit_page(request, exercise, _fresh_form(exercise), _stop_form(exercise))


@require_POST
@roles(*THERAPIST_ROLES)
def exercise_stop(
    request: HtmxHttpRequest, patient_id: int, exercise_id: int
) -> HttpResponse:
    """Stop an exercise from a day (today, or after the family's last tick)."""
    exercise = selectors.exercise_get(
        user=_user(request), patient_id=patient_id, exercise_id=exercise_id
    )
    stop_form = _stop_form(exercise, request.POST)
    if stop_form.is_valid():
        try:
            services.exercise_stop(
                exercise=exercise,
                by=_user(request),
                version=stop_form.cleaned_data["version"],
                stopped_on=stop_form.cleaned_data["stopped_on"],
            )
        except ValidationError as error:
            if _is_stale(error):
                return _conflict(request, exercise, stopping=True)
            _refuse(stop_form, error)
        else:
            messages.success(request, STOPPED)
            return redirect(_list_url(patient_id))
    messages.error(request, NOT_SAVED)
    return _edit_page(request, exercise, _fresh_form(exercise), stop_form, status=400)
