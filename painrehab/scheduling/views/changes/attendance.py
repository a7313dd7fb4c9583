"""Attendance: the session's staff and the coordinator record, child by child,
whether each came. From HTMX only the child's row comes back.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from painrehab.accounts.choices import CLINICAL_ROLES
from painrehab.accounts.decorators import roles
from painrehab.common.htmx import HtmxHttpRequest
from painrehab.scheduling import selectors_changes as selectors
from painrehab.scheduling.forms_changes import AttendanceForm
from painrehab.scheduling.models import SessionPatient
from painrehab.scheduling.services.attendance import attendance_record
from painrehab.scheduling.views.changes.common import (
    BAD_INPUT,
    CONFLICT,
    DETAIL,
    add_errors,
    attendance_form,
    detail_page,
    detail_url,
    request_user,
)

RECORDED = _("Attendance recorded.")


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
                by=request_user(request),
                status=data["status"],
                reason=data["reason"],
                version=data["version"],
            )
        except ValidationError as error:
            add_errors(form, error)
            status = (
                CONFLICT if "version" in getattr(error, "error_dict", {}) else BAD_INPUT
            )
        else:
            if not request.htmx:
                messages.success(request, RECORDED)
                return redirect(detail_url(session_id))
            form = attendance_form(attendee)
            status = 200
    if request.htmx:
        return _attendance_row(request, session_id, attendee, form, status)
    return detail_page(
        request, session_id, status=status, attendance={attendee.pk: form}
    )


def _attendance_row(
    request: HtmxHttpRequest,
    session_id: int,
    attendee: SessionPatient,
    form: AttendanceForm,
    status: int,
) -> HttpResponse:
    """The child's row again; HTMX swaps only successful answers, so a refusal
    comes back as 200 with its reason in the row (the plain form gets 400/409)."""
    page = selectors.session_page(user=request_user(request), session_id=session_id)
    row = next(a for a in page.attendees if a.row.pk == attendee.pk)
    if status == 200 and not form.errors:
        form = attendance_form(row.row)
    context = {"page": page, "a": row, "form": form, "saved": status == 200}
    return render(request, f"{DETAIL}#attendance-row", context)


urlpatterns = [
    path(
        "schedule/sessions/<int:session_id>/attendance/", attendance, name="attendance"
    ),
]
