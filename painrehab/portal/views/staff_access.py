"""The chart's "Family access" tab: guardians, the teen's account, invitations.

Coordinators and social workers invite and revoke; the director reads. The child
comes through the access funnel, so a child the person may not see is the same 404
as a missing one.

A new code is shown once, on the page the "Invite" button returns (no redirect:
only the code's digest is kept, and a code parked in the session for a redirect
would sit there in plain text). The same ``form_token`` posted twice makes one
invitation; the repeat says so instead of showing a code it no longer has.
"""

import uuid
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from painrehab.accounts.decorators import roles
from painrehab.accounts.models import User
from painrehab.patients import chart
from painrehab.portal.forms import InviteForm
from painrehab.portal.services.family_access import FamilyAccess, family_access_get
from painrehab.portal.services.invitations import (
    INVITERS,
    READERS,
    NewInvitation,
    invitation_create,
    invitation_revoke,
    invitation_send,
)

TEMPLATE = "portal/staff/family_access.html"
NOT_MADE = gettext_lazy("No invitation was made: see the message next to the field.")


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _form(access: FamilyAccess, data: Any = None) -> InviteForm:
    initial = {
        "form_token": uuid.uuid4(),
        "language": access.patient.preferred_language,
    }
    return InviteForm(data, initial=initial, invitees=access.invitee_choices())


def _page(
    request: HttpRequest,
    access: FamilyAccess,
    form: InviteForm,
    *,
    extra: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "patient": access.patient,
        "access": access,
        "form": form,
        **chart.header_context(access.patient),
        **(extra or {}),
    }
    return render(request, TEMPLATE, context, status=status)


@require_GET
@roles(*READERS)
def family_access(request: HttpRequest, patient_id: int) -> HttpResponse:
    access = family_access_get(user=_user(request), patient_id=patient_id)
    return _page(request, access, _form(access))


def _refuse(form: InviteForm, error: ValidationError) -> None:
    """Put a service's refusal next to the field it names, or above the form."""
    texts = (
        error.message_dict
        if hasattr(error, "error_dict")
        else {NON_FIELD_ERRORS: error.messages}
    )
    for field, found in texts.items():
        form.add_error(field if field in form.fields else None, found)


def _created(
    request: HttpRequest, access: FamilyAccess, form: InviteForm
) -> NewInvitation | None:
    kind, guardian = access.invitee(form.cleaned_data["invitee"])
    try:
        return invitation_create(
            patient_id=access.patient.pk,
            created_by=_user(request),
            kind=kind,
            guardian=guardian,
            email=form.cleaned_data["email"],
            language=form.cleaned_data["language"],
            form_token=form.cleaned_data["form_token"],
        )
    except ValidationError as error:
        _refuse(form, error)
        return None


def _shown_once(request: HttpRequest, made: NewInvitation) -> dict[str, Any]:
    """The new code for the page, after e-mailing it if an address was given."""
    if made.code is None:
        messages.info(
            request,
            _(
                "This invitation was already made by the first click. Its code was "
                "shown then; if it was lost, revoke the invitation and make a new one."
            ),
        )
        return {}
    join_url = request.build_absolute_uri(reverse("portal:join_code", args=[made.code]))
    sent = invitation_send(
        invitation=made.invitation,
        code=made.code,
        join_url=join_url,
        code_page_url=request.build_absolute_uri(reverse("portal:join")),
    )
    return {
        "new": made.invitation,
        "new_code": made.code,
        "new_url": join_url,
        "sent": sent,
    }


@require_POST
@roles(*INVITERS)
def invite(request: HttpRequest, patient_id: int) -> HttpResponse:
    """Make an invitation and show its code once (see the module docstring)."""
    access = family_access_get(user=_user(request), patient_id=patient_id)
    form = _form(access, request.POST)
    made = _created(request, access, form) if form.is_valid() else None
    if made is None:
        messages.error(request, NOT_MADE)
        return _page(request, access, form, status=400)
    extra = _shown_once(request, made)
    access = family_access_get(user=_user(request), patient_id=patient_id)
    return _page(request, access, _form(access), extra=extra)


@require_POST
@roles(*INVITERS)
def revoke(request: HttpRequest, patient_id: int, invitation_id: int) -> HttpResponse:
    try:
        invitation_revoke(
            patient_id=patient_id, invitation_id=invitation_id, by=_user(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The invitation was revoked; its code no longer works.")
        )
    return redirect("portal_staff:family_access", patient_id=patient_id)
