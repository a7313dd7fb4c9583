"""What the session, attendance and absence pages share: the refusal statuses,
the signed-in user, a refused write's messages on its form, and the session page
itself (shown again with the submitted forms after a refusal).
"""

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from painrehab.accounts.models import User
from painrehab.common.htmx import HtmxHttpRequest
from painrehab.scheduling import selectors_changes as selectors
from painrehab.scheduling.forms_changes import (
    AttendanceForm,
    LockForm,
    MoveForm,
    SwapForm,
)
from painrehab.scheduling.models import Session, SessionPatient

BAD_INPUT, CONFLICT = 400, 409
DETAIL = "scheduling/session_detail.html"


def request_user(request: HtmxHttpRequest) -> User:
    return cast(User, request.user)


def add_errors(form: Any, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, texts in error.message_dict.items():
        form.add_error(name if name in form.fields else None, texts)


def detail_url(session_id: int) -> str:
    return reverse("scheduling:session_detail", args=[session_id])


def _initial_move(row: Session) -> dict[str, Any]:
    return {
        "version": row.version,
        "day": row.day,
        "start": row.start,
        "staff": [p.pk for p in row.staff.all()],
        "room": row.room_id,
    }


def attendance_form(row: SessionPatient) -> AttendanceForm:
    return AttendanceForm(
        initial={
            "version": row.version,
            "status": row.attendance or "attended",
            "reason": row.reason,
        },
        prefix=f"a{row.pk}",
    )


def detail_page(
    request: HtmxHttpRequest,
    session_id: int,
    *,
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    page = selectors.session_page(user=request_user(request), session_id=session_id)
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
            (a, attendance.get(a.row.pk) or attendance_form(a.row))
            for a in page.attendees
        ],
    }
    return render(request, DETAIL, context, status=status)
