"""Messages with the team: this viewer's conversations, a new one, one to read.

A guardian sees the parents' conversations; the teen sees their own, which are
private from the parents, and the parents' ones too (their own record). A
conversation is looked up within the child and the viewer's audience, so a
guardian asking for the teen's conversation, or for another family's, gets the
404 of a missing page. Team members appear by first name and role only. Every
page says to call the unit for anything urgent.
"""

import re
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages as flash
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods

from painrehab.accounts.choices import Role
from painrehab.accounts.decorators import family
from painrehab.accounts.models import User
from painrehab.audit.actions import DataCategory
from painrehab.domain.ages import ADOLESCENT_AGE
from painrehab.domain.proxy import Category
from painrehab.messaging import selectors_family, services_family
from painrehab.messaging.forms_family import FamilyReplyForm, FamilyThreadForm
from painrehab.messaging.models import FamilyAudience, FamilyMessage, FamilyThread
from painrehab.messaging.selectors_family import FamilyMessageLine, FamilyThreadLine
from painrehab.portal import access
from painrehab.portal.access import PortalChild
from painrehab.portal.people import team_member
from painrehab.portal.views.base import render_child

DEFAULT_UNIT_PHONE = "(555) 010-0000"
SHOWN = (Category.MESSAGES,)


def unit_phone() -> tuple[str, str]:
    """The unit's number as written (``PORTAL_UNIT_PHONE``) and as a ``tel:`` link."""
    phone = str(getattr(settings, "PORTAL_UNIT_PHONE", DEFAULT_UNIT_PHONE))
    return phone, "tel:" + re.sub(r"[^\d+]", "", phone)


def _common(child: PortalChild) -> dict[str, Any]:
    phone, tel = unit_phone()
    return {"unit_phone": phone, "unit_tel": tel, "is_teen": child.is_teen}


def _who(author: User, from_family: bool, child: PortalChild) -> str:
    """The author as this viewer knows them; never a team member's surname."""
    if author.pk == child.user.pk:
        # Spanish says "you" to a teen (tú) and to a parent (usted) differently.
        return pgettext("teen", "You") if child.is_teen else _("You")
    if not from_family:
        return team_member(author)
    if author.role == Role.PATIENT:
        return child.first_name
    if not author.first_name:
        return _("A parent or guardian")
    if child.is_teen:
        return _("%(first)s (your parent or guardian)") % {"first": author.first_name}
    return _("%(first)s (parent or guardian)") % {"first": author.first_name}


@dataclass(frozen=True)
class Row:
    """One conversation in the family's list."""

    line: FamilyThreadLine
    last_by: str
    private: bool

    @property
    def answered(self) -> bool:
        return not self.line.last_from_family


@require_GET
@family
def threads(request: HttpRequest, patient_id: int) -> HttpResponse:
    """This viewer's conversations about the child, newest activity first."""
    child = access.child_get(request, patient_id)
    rows: list[Row] = []
    if child.sees(Category.MESSAGES):
        lines = selectors_family.family_threads_for_viewer(
            user=child.user, patient=child.patient
        )
        rows = [_row(line, child) for line in lines]
    access.audit_viewed(
        child,
        page="portal:messages",
        data_category=DataCategory.FAMILY_MESSAGE,
        shown=SHOWN,
        extra={"threads": [row.line.thread_id for row in rows]},
    )
    context = {
        "rows": rows,
        "shown": child.sees(Category.MESSAGES),
        "withheld": child.withheld_text(Category.MESSAGES),
        **_common(child),
    }
    return render_child(
        request, "portal/messages.html", child, current="messages", context=context
    )


def _last_by(line: FamilyThreadLine, child: PortalChild) -> str:
    if line.last_author.pk == child.user.pk:
        if child.is_teen:
            return pgettext("teen", "Last message from you")
        return _("Last message from you")
    who = _who(line.last_author, line.last_from_family, child)
    return _("Last message from %(who)s") % {"who": who}


def _row(line: FamilyThreadLine, child: PortalChild) -> Row:
    return Row(line=line, last_by=_last_by(line, child), private=line.private_to_teen)


def _refuse(form: FamilyReplyForm, error: ValidationError) -> None:
    """Put a service's refusal next to the field it names, or above the form."""
    texts = (
        error.message_dict
        if hasattr(error, "error_dict")
        else {NON_FIELD_ERRORS: error.messages}
    )
    for field, found in texts.items():
        form.add_error(field if field in form.fields else None, found)


def _teen_may_read(child: PortalChild) -> bool:
    """Whether the parents should be told that their child can read this too."""
    patient = child.patient
    return patient.user_id is not None or patient.age() >= ADOLESCENT_AGE


def _started(form: FamilyThreadForm, child: PortalChild) -> FamilyThread | None:
    if not form.is_valid():
        return None
    try:
        return services_family.family_thread_start(
            patient=child.patient, author=child.user, **form.service_arguments()
        )
    except ValidationError as error:
        _refuse(form, error)
        return None


@require_http_methods(["GET", "POST"])
@family
def thread_new(request: HttpRequest, patient_id: int) -> HttpResponse:
    """Start a conversation with the team (the teen's is private from parents)."""
    child = access.child_get(request, patient_id)
    access.require(child, Category.MESSAGES)
    status = 200
    if request.method == "POST":
        form = FamilyThreadForm(request.POST)
        started = _started(form, child)
        if started is not None:
            flash.success(request, _("Your message was sent to the team."))
            return redirect("portal:thread", child.patient.pk, started.pk)
        status = 400
    else:
        form = FamilyThreadForm(initial={"form_token": uuid.uuid4()})
        access.audit_viewed(
            child,
            page="portal:message_new",
            data_category=DataCategory.FAMILY_MESSAGE,
            shown=SHOWN,
        )
    context = {
        "form": form,
        "has_episode": child.episode is not None,
        "teen_may_read": _teen_may_read(child),
        **_common(child),
    }
    return render_child(
        request,
        "portal/message_new.html",
        child,
        current="messages",
        context=context,
        status=status,
    )


@dataclass(frozen=True)
class Said:
    """One message as this viewer sees it."""

    message: FamilyMessage
    who: str
    mine: bool
    from_team: bool


def _said(lines: tuple[FamilyMessageLine, ...], child: PortalChild) -> list[Said]:
    return [
        Said(
            message=line.message,
            who=_who(line.author, line.from_family, child),
            mine=line.author.pk == child.user.pk,
            from_team=not line.from_family,
        )
        for line in lines
    ]


def _thread_page(
    request: HttpRequest,
    child: PortalChild,
    thread: FamilyThread,
    form: FamilyReplyForm,
    status: int = 200,
) -> HttpResponse:
    lines = selectors_family.family_thread_messages(thread=thread)
    access.audit_viewed(
        child,
        page="portal:thread",
        data_category=DataCategory.FAMILY_MESSAGE,
        shown=SHOWN,
        obj=thread,
        extra={
            "thread": thread.pk,
            "messages": [line.message.pk for line in lines],
        },
    )
    private = thread.audience == FamilyAudience.TEEN
    context = {
        "thread": thread,
        "said": _said(lines, child),
        "private": private,
        "parents_thread_for_teen": child.is_teen and not private,
        "form": form,
        **_common(child),
    }
    return render_child(
        request,
        "portal/thread.html",
        child,
        current="messages",
        context=context,
        status=status,
    )


@require_http_methods(["GET", "POST"])
@family
def thread(request: HttpRequest, patient_id: int, thread_id: int) -> HttpResponse:
    """One conversation, oldest message first, and a reply form."""
    child = access.child_get(request, patient_id)
    access.require(child, Category.MESSAGES)
    found = selectors_family.family_thread_for_viewer(
        user=child.user, patient=child.patient, thread_id=thread_id
    )
    if request.method == "GET":
        form = FamilyReplyForm(initial={"form_token": uuid.uuid4()})
        return _thread_page(request, child, found, form)
    form = FamilyReplyForm(request.POST)
    if form.is_valid():
        try:
            message = services_family.family_reply(
                thread=found, author=child.user, **form.service_arguments()
            )
        except ValidationError as error:
            _refuse(form, error)
        else:
            flash.success(request, _("Your message was sent to the team."))
            url = reverse("portal:thread", args=[child.patient.pk, found.pk])
            return redirect(f"{url}#message-{message.pk}")
    return _thread_page(request, child, found, form, status=400)
