"""Scheduling pages: one session (move, swap, lock, attendance), absences and the
repair they lead to (see docs/scheduling.md, "Manual changes, absences and
attendance").

Refusals come back next to the form that caused them, with nothing changed:
400 for input the form cannot read, 409 for a change the timetable refuses (a
clash, a stale version, a session already under way). A request from HTMX gets
only the part of the page it replaces.
"""

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from painrehab.accounts.choices import CLINICAL_ROLES, Role
from painrehab.accounts.decorators import roles
from painrehab.accounts.models import User
from painrehab.common.htmx import HtmxHttpRequest, is_partial
from painrehab.scheduling import selectors_changes as selectors
from painrehab.scheduling.forms_changes import (
    AbsenceForm,
    AttendanceForm,
    LockForm,
    MoveForm,
    SwapForm,
    absence_initial,
)
from painrehab.scheduling.models import Absence, Session, SessionPatient
from painrehab.scheduling.services import absences as absence_services
from painrehab.scheduling.services import changes as services
from painrehab.scheduling.services.attendance import attendance_record

BAD_INPUT, CONFLICT = 400, 409
MOVED = _("Session moved and locked there.")
SWAPPED = _("Times swapped; both sessions are locked there.")
LOCKED = _("Session locked: later solves keep it where it is.")
UNLOCKED = _("Session unlocked: later solves may move it.")
RECORDED = _("Attendance recorded.")
ABSENCE_RECORDED = _("Absence recorded; the repair is being worked out.")
NOTHING_TO_REPAIR = _("No session involves them then: nothing moves.")
CANCELLED = _("Absence cancelled.")
ACCEPTED = _("Repair accepted: the timetable is updated.")
DISCARDED = _("Proposal discarded; the timetable is unchanged.")
DETAIL = "scheduling/session_detail.html"
REPAIR = "scheduling/repair_detail.html"


def _user(request: HtmxHttpRequest) -> User:
    return cast(User, request.user)


def _current_version(form: Any, error: ValidationError, row: Session) -> None:
    """After a stale save, the form again with what the user chose, now based on
    the session as it is (submitting it again is "keep mine")."""
    if "version" in getattr(error, "error_dict", {}):
        row.refresh_from_db(fields=["version"])
        data = form.data.copy()
        data["version"] = str(row.version)
        form.data = data


def _add_errors(form: Any, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, texts in error.message_dict.items():
        form.add_error(name if name in form.fields else None, texts)


def detail_url(session_id: int) -> str:
    return reverse("scheduling:session_detail", args=[session_id])


# --- One session ------------------------------------------------------------------


def _initial_move(row: Session) -> dict[str, Any]:
    return {
        "version": row.version,
        "day": row.day,
        "start": row.start,
        "staff": [p.pk for p in row.staff.all()],
        "room": row.room_id,
    }


def _attendance_form(row: SessionPatient) -> AttendanceForm:
    return AttendanceForm(
        initial={
            "version": row.version,
            "status": row.attendance or "attended",
            "reason": row.reason,
        },
        prefix=f"a{row.pk}",
    )


def _detail(
    request: HtmxHttpRequest,
    session_id: int,
    *,
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    page = selectors.session_page(user=_user(request), session_id=session_id)
    row = page.session
    others = [
        (f"{o.session.pk}:{o.session.version}", selectors.swap_label(o))
        for o in page.others
    ]
    attendance = forms.pop("attendance", {})
    context = {
        "page": page,
        "move_form": forms.get("move_form")
        or MoveForm(initial=_initial_move(row), discipline=row.discipline),
        "swap_form": forms.get("swap_form")
        or SwapForm(initial={"version": row.version}, others=others),
        "lock_form": LockForm(
            initial={"version": row.version, "locked": not row.locked}
        ),
        "rows": [
            (a, attendance.get(a.row.pk) or _attendance_form(a.row))
            for a in page.attendees
        ],
    }
    return render(request, DETAIL, context, status=status)


@require_GET
@roles(*CLINICAL_ROLES)
def session_detail(request: HtmxHttpRequest, session_id: int) -> HttpResponse:
    """Who, when, where, attendance and history; the coordinator's changes."""
    return _detail(request, session_id)


def _session(session_id: int) -> Session:
    return get_object_or_404(Session, pk=session_id)


@require_POST
@roles(Role.COORDINATOR)
def session_move(request: HtmxHttpRequest, session_id: int) -> HttpResponse:
    """Move the session (another time, day, person or room), checked by the rules."""
    row = _session(session_id)
    form = MoveForm(request.POST, discipline=row.discipline)
    if not form.is_valid():
        return _detail(request, session_id, status=BAD_INPUT, move_form=form)
    data = form.cleaned_data
    try:
        services.session_move(
            session=row,
            by=_user(request),
            version=data["version"],
            day=data["day"],
            start=data["start"],
            staff_ids=[person.pk for person in data["staff"]],
            room_id=data["room"].pk if data["room"] else None,
        )
    except ValidationError as error:
        _add_errors(form, error)
        _current_version(form, error, row)
        return _detail(request, session_id, status=CONFLICT, move_form=form)
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
        return _detail(request, session_id, status=BAD_INPUT, swap_form=form)
    other_pk, other_version = form.other_session()
    try:
        services.session_swap(
            first=row,
            second=others.get(pk=other_pk),
            by=_user(request),
            versions=(form.cleaned_data["version"], other_version),
        )
    except ValidationError as error:
        _add_errors(form, error)
        _current_version(form, error, row)
        return _detail(request, session_id, status=CONFLICT, swap_form=form)
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
        return _detail(request, session_id, status=BAD_INPUT)
    locked = form.cleaned_data["locked"]
    try:
        services.session_lock(
            session=row,
            by=_user(request),
            version=form.cleaned_data["version"],
            locked=locked,
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return _detail(request, session_id, status=CONFLICT)
    messages.success(request, LOCKED if locked else UNLOCKED)
    return redirect(_next_or(request, detail_url(session_id)))


@require_POST
@roles(*CLINICAL_ROLES)
def attendance(request: HtmxHttpRequest, session_id: int) -> HttpResponse:
    """Record one child's attendance (the session's staff and the coordinator)."""
    attendee_id = request.POST.get("attendee", "")
    attendee = get_object_or_404(
        SessionPatient.objects.select_related("session"),
        pk=int(attendee_id) if attendee_id.isdigit() else 0,
        session_id=session_id,
    )
    prefix = f"a{attendee.pk}"
    posted = f"{prefix}-status" in request.POST
    form = AttendanceForm(request.POST, prefix=prefix if posted else None)
    status = BAD_INPUT
    if form.is_valid():
        data = form.cleaned_data
        try:
            attendee = attendance_record(
                attendee=attendee,
                by=_user(request),
                status=data["status"],
                reason=data["reason"],
                version=data["version"],
            )
        except ValidationError as error:
            _add_errors(form, error)
            status = (
                CONFLICT if "version" in getattr(error, "error_dict", {}) else BAD_INPUT
            )
        else:
            if not request.htmx:
                messages.success(request, RECORDED)
                return redirect(detail_url(session_id))
            form = _attendance_form(attendee)
            status = 200
    if request.htmx:
        return _attendance_row(request, session_id, attendee, form, status)
    return _detail(request, session_id, status=status, attendance={attendee.pk: form})


def _attendance_row(
    request: HtmxHttpRequest,
    session_id: int,
    attendee: SessionPatient,
    form: AttendanceForm,
    status: int,
) -> HttpResponse:
    """The child's row again; HTMX swaps only successful answers, so a refusal
    comes back as 200 with its reason in the row (the plain form gets 400/409)."""
    page = selectors.session_page(user=_user(request), session_id=session_id)
    row = next(a for a in page.attendees if a.row.pk == attendee.pk)
    if status == 200 and not form.errors:
        form = _attendance_form(row.row)
    context = {"page": page, "a": row, "form": form, "saved": status == 200}
    return render(request, f"{DETAIL}#attendance-row", context)


# --- Absences and repairs ---------------------------------------------------------


@require_http_methods(["GET", "POST"])
@roles(Role.COORDINATOR)
def absence_new(request: HtmxHttpRequest) -> HttpResponse:
    """Mark someone absent (all day or part of it), then work out the repair."""
    template = "scheduling/absence_form.html"
    if request.method == "GET":
        form = AbsenceForm(initial=absence_initial())
        return render(request, template, {"form": form})
    form = AbsenceForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        user = _user(request)
        try:
            absence = absence_services.absence_record(
                staff=data["staff"],
                day=data["day"],
                start=data["start"],
                end=data["end"],
                reason=data["reason"],
                note=data["note"],
                by=user,
                form_token=data["form_token"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            run = absence_services.repair_request(absence=absence, by=user)
            if run is None:
                messages.success(request, NOTHING_TO_REPAIR)
                return redirect("scheduling:absence_list")
            messages.success(request, ABSENCE_RECORDED)
            return redirect("scheduling:repair", run.pk)
    return render(request, template, {"form": form}, status=BAD_INPUT)


@require_GET
@roles(Role.COORDINATOR)
def absence_list(request: HtmxHttpRequest) -> HttpResponse:
    """Absences from today on, with their repair; cancel one."""
    context = {"lines": selectors.absence_list()}
    return render(request, "scheduling/absence_list.html", context)


@require_POST
@roles(Role.COORDINATOR)
def absence_cancel(request: HtmxHttpRequest, absence_id: int) -> HttpResponse:
    absence = get_object_or_404(Absence, pk=absence_id)
    try:
        absence_services.absence_cancel(absence=absence, by=_user(request))
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, CANCELLED)
    return redirect("scheduling:absence_list")


@require_POST
@roles(Role.COORDINATOR)
def absence_repair(request: HtmxHttpRequest, absence_id: int) -> HttpResponse:
    """Plan the repair (again, after one out of date, discarded or failed)."""
    absence = get_object_or_404(Absence, pk=absence_id)
    try:
        run = absence_services.repair_request(absence=absence, by=_user(request))
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect("scheduling:absence_list")
    if run is None:
        messages.success(request, NOTHING_TO_REPAIR)
        return redirect("scheduling:absence_list")
    return redirect("scheduling:repair", run.pk)


def _repair(request: HtmxHttpRequest, run_id: int, status: int = 200) -> HttpResponse:
    run = selectors.repair_get(run_id=run_id)
    view = selectors.repair_view(user=_user(request), run=run)
    context = {"run": run, "view": view}
    if is_partial(request, "repair-status"):
        return render(request, f"{REPAIR}#repair-status", context, status=status)
    return render(request, REPAIR, context, status=status)


@require_GET
@roles(Role.COORDINATOR)
def repair(request: HtmxHttpRequest, run_id: int) -> HttpResponse:
    """The repair: progress while it runs, then which sessions move and which
    cannot be placed; accept or discard."""
    return _repair(request, run_id)


@require_POST
@roles(Role.COORDINATOR)
def repair_accept(request: HtmxHttpRequest, run_id: int) -> HttpResponse:
    run = selectors.repair_get(run_id=run_id)
    try:
        absence_services.repair_accept(run=run, by=_user(request))
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return _repair(request, run_id, status=CONFLICT)
    messages.success(request, ACCEPTED)
    return redirect("scheduling:repair", run_id)


@require_POST
@roles(Role.COORDINATOR)
def repair_discard(request: HtmxHttpRequest, run_id: int) -> HttpResponse:
    run = selectors.repair_get(run_id=run_id)
    try:
        absence_services.repair_discard(run=run, by=_user(request))
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return _repair(request, run_id, status=CONFLICT)
    messages.success(request, DISCARDED)
    return redirect("scheduling:repair", run_id)


urlpatterns = [
    path("schedule/sessions/<int:session_id>/", session_detail, name="session_detail"),
    path("schedule/sessions/<int:session_id>/move/", session_move, name="session_move"),
    path("schedule/sessions/<int:session_id>/swap/", session_swap, name="session_swap"),
    path("schedule/sessions/<int:session_id>/lock/", session_lock, name="session_lock"),
    path(
        "schedule/sessions/<int:session_id>/attendance/", attendance, name="attendance"
    ),
    path("schedule/absences/", absence_list, name="absence_list"),
    path("schedule/absences/new/", absence_new, name="absence_new"),
    path(
        "schedule/absences/<int:absence_id>/cancel/",
        absence_cancel,
        name="absence_cancel",
    ),
    path(
        "schedule/absences/<int:absence_id>/repair/",
        absence_repair,
        name="absence_repair",
    ),
    path("schedule/repairs/<int:run_id>/", repair, name="repair"),
    path("schedule/repairs/<int:run_id>/accept/", repair_accept, name="repair_accept"),
    path(
        "schedule/repairs/<int:run_id>/discard/", repair_discard, name="repair_discard"
    ),
]
