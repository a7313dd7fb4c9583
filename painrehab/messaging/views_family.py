"""The team's side of conversations with families: the inbox, a child's tab, one
conversation with its reply form.

Clinicians only, through the access funnel: a conversation about a child outside
the person's care teams is the same 404 as a missing page. A teen's own
conversation is marked as private from the parents on every page. Bad input shows
the form again with the message next to the field (400) and sends nothing.
"""

import uuid
from dataclasses import dataclass
from typing import cast

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from painrehab.accounts.choices import CLINICAL_ROLES, Role
from painrehab.accounts.decorators import roles
from painrehab.accounts.models import User
from painrehab.common.htmx import HtmxHttpRequest
from painrehab.messaging import selectors_family, services_family
from painrehab.messaging.forms_family import StaffFamilyReplyForm
from painrehab.messaging.models import FamilyAudience, FamilyMessage, FamilyThread
from painrehab.patients import chart

NOT_SENT = gettext_lazy("Nothing was sent: see the message next to the field.")


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _refuse(form: StaffFamilyReplyForm, error: ValidationError) -> None:
    """Put a service's refusal next to the field it names, or above the form."""
    texts = (
        error.message_dict
        if hasattr(error, "error_dict")
        else {NON_FIELD_ERRORS: error.messages}
    )
    for field, found in texts.items():
        form.add_error(field if field in form.fields else None, found)


@require_GET
@roles(*CLINICAL_ROLES)
def inbox(request: HtmxHttpRequest) -> HttpResponse:
    """Conversations with the families of this person's patients, awaiting first."""
    found = selectors_family.family_inbox_get(
        user=_user(request), page=request.GET.get("page", 1)
    )
    return render(request, "messaging/family_inbox.html", {"inbox": found})


@require_GET
@roles(*CLINICAL_ROLES)
def patient_threads(request: HtmxHttpRequest, patient_id: int) -> HttpResponse:
    """The chart's "Family messages" tab: this child's family conversations."""
    found = selectors_family.family_patient_threads(
        user=_user(request), patient_id=patient_id
    )
    context = {
        "lines": found.lines,
        "patient": found.patient,
        **chart.header_context(found.patient),
    }
    return render(request, "messaging/family_threads.html", context)


@dataclass(frozen=True)
class Said:
    """One message as the team sees it: who wrote it, from which side."""

    message: FamilyMessage
    who: str
    from_family: bool


def _who(author: User, from_family: bool) -> str:
    if not from_family:
        return _("%(name)s (%(role)s)") % {
            "name": author,
            "role": author.get_role_display(),
        }
    if author.role == Role.PATIENT:
        return _("%(name)s (the teen)") % {"name": author}
    return _("%(name)s (parent or guardian)") % {"name": author}


def _thread_page(
    request: HttpRequest,
    thread: FamilyThread,
    form: StaffFamilyReplyForm,
    status: int = 200,
) -> HttpResponse:
    lines = selectors_family.family_thread_read(user=_user(request), thread=thread)
    said = [
        Said(x.message, _who(x.author, x.from_family), x.from_family) for x in lines
    ]
    context = {
        "thread": thread,
        "private_to_teen": thread.audience == FamilyAudience.TEEN,
        "said": said,
        "awaiting": bool(said) and said[-1].from_family,
        "form": form,
    }
    return render(request, "messaging/family_thread.html", context, status=status)


@require_http_methods(["GET", "POST"])
@roles(*CLINICAL_ROLES)
def thread_detail(request: HtmxHttpRequest, thread_id: int) -> HttpResponse:
    """The conversation, oldest first, and the team's reply form."""
    user = _user(request)
    thread = selectors_family.family_thread_get(user=user, thread_id=thread_id)
    if request.method == "GET":
        form = StaffFamilyReplyForm(initial={"form_token": uuid.uuid4()})
        return _thread_page(request, thread, form)
    form = StaffFamilyReplyForm(request.POST)
    if form.is_valid():
        try:
            message = services_family.family_reply(
                thread=thread, author=user, **form.service_arguments()
            )
        except ValidationError as error:
            _refuse(form, error)
        else:
            messages.success(request, _("Reply sent. The family will see it."))
            url = reverse("messaging:family_thread", args=[thread.pk])
            return redirect(f"{url}#message-{message.pk}")
    messages.error(request, NOT_SENT)
    return _thread_page(request, thread, form, status=400)
