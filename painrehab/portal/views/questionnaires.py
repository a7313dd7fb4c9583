"""Questionnaires for this person to fill in, and the teen's daily check-in.

A guardian sees and fills only the parent forms due for them, answering as
themself; the teen only their own self-report forms. Nobody reaches another
respondent's forms or answers: administrations are looked up within the child's
episode and this respondent (anything else is the 404 of a missing page). The
time point comes from the protocol's due list, never from the request. Pages
reuse the staff and kiosk page code (``instruments.views.pages``), the shipped
item wording and the same scoring core; a family never sees a score.
"""

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from painrehab.accounts.decorators import family
from painrehab.accounts.models import User
from painrehab.audit.actions import DataCategory
from painrehab.common.htmx import HtmxHttpRequest
from painrehab.domain.proxy import Category
from painrehab.domain.scoring import get
from painrehab.instruments import services
from painrehab.instruments.choices import RespondentKind, TimePoint
from painrehab.instruments.models import (
    Administration,
)
from painrehab.instruments.selectors import (
    RespondentForms,
    has_wording,
    respondent_administration_get,
    respondent_forms,
)
from painrehab.instruments.views import pages
from painrehab.patients.models import Guardian
from painrehab.portal.access import PortalChild, audit_viewed, child_get, require
from painrehab.portal.views.base import render_child

if TYPE_CHECKING:
    pass

# Plain names a family can read; the catalog's own name is the fallback.
TITLES: dict[str, Promise] = {
    "FDI-P": gettext_lazy("How your child manages everyday activities"),
    "PCS-P": gettext_lazy("Your thoughts about your child's pain"),
    "ARCS": gettext_lazy("How you respond when your child is in pain"),
    "PROMIS-PP-PAININT-8A": gettext_lazy(
        "How pain gets in the way of your child's day"
    ),
    "PROMIS-PP-MOB-8A": gettext_lazy("How your child gets around"),
    "FDI-C": gettext_lazy("How you manage everyday activities"),
    "PCS-C": gettext_lazy("Your thoughts about pain"),
    "FOPQ-C-SF": gettext_lazy("Worries about pain"),
    "CES-DC": gettext_lazy("How you have been feeling"),
    "PROMIS-PED-PAININT-8A": gettext_lazy("How pain gets in the way of your day"),
    "PROMIS-PED-MOB-8A": gettext_lazy("How you get around"),
}
POINTS: dict[str, Promise] = {
    TimePoint.ADMISSION: gettext_lazy("For the start of the stay"),
    TimePoint.DISCHARGE: gettext_lazy("For going home"),
    TimePoint.END_OF_STEP_DOWN: gettext_lazy("For the end of the step-down weeks"),
}
NAVIGATION = ("previous", "next", "submit")


# --- Who answers -------------------------------------------------------------


@dataclass(frozen=True)
class Respondent:
    """This viewer as a respondent: the teen (child forms) or a guardian (parent)."""

    kind: RespondentKind
    guardian: Guardian | None


def _respondent(child: PortalChild) -> Respondent:
    if child.is_teen:
        return Respondent(RespondentKind.CHILD, None)
    return Respondent(RespondentKind.PARENT, child.guardian)


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def title_of(code: str) -> str:
    return str(TITLES.get(code) or get(code).name)


def when_of(time_point: str, index: int) -> str:
    """Which moment of the programme a form is for, in plain words."""
    if time_point == TimePoint.WEEKLY:
        return _("For week %(week)s of the stay") % {"week": index}
    if time_point == TimePoint.FOLLOW_UP:
        return ngettext(
            "For the follow-up visit %(months)s month after the stay",
            "For the follow-up visit %(months)s months after the stay",
            index,
        ) % {"months": index}
    return str(POINTS[time_point])


# --- The list ----------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One form on the list: what, for when, and the viewer's draft if started."""

    code: str
    title: str
    when: str
    administration: Administration | None
    token: uuid.UUID


def _row(a: Administration) -> Row:
    code = a.instrument_version.code
    when = when_of(a.time_point, a.time_point_index)
    return Row(code, title_of(code), when, a, a.form_token)


def _rows(found: RespondentForms) -> dict[str, list[Row]]:
    due = [
        Row(
            d.item.instrument_code,
            title_of(d.item.instrument_code),
            when_of(d.item.time_point, d.item.time_point_index),
            d.draft,
            uuid.uuid4(),
        )
        for d in found.due
        if has_wording(d.item.instrument_code)
    ]
    return {
        "due": due,
        "drafts": [_row(a) for a in found.drafts if _offered(a)],
        "done": [_row(a) for a in found.done if _offered(a)],
    }


def _offered(a: Administration) -> bool:
    return has_wording(a.instrument_version.code)


def _forms(child: PortalChild) -> RespondentForms:
    if child.episode is None:
        return RespondentForms(due=[], drafts=[], done=[])
    who = _respondent(child)
    return respondent_forms(
        episode=child.episode,
        today=timezone.localdate(),
        respondent_kind=who.kind,
        guardian=who.guardian,
    )


class StartForm(forms.Form):
    """A Start button on the list; ``form_token`` makes a double click one form."""

    instrument_code = forms.CharField(max_length=40)
    form_token = forms.UUIDField()


@require_http_methods(["GET", "POST"])
@family
def due(request: HttpRequest, patient_id: int) -> HttpResponse:
    """The forms waiting for this person, those they started, those they sent."""
    child = child_get(request, patient_id)
    if request.method == "POST":
        return _start(request, child)
    audit_viewed(
        child,
        page="portal:questionnaires",
        data_category=DataCategory.EPISODE,
        shown=[Category.QUESTIONNAIRES],
    )
    shown = child.sees(Category.QUESTIONNAIRES)
    context: dict[str, Any] = {
        "shown": shown,
        "withheld": child.withheld_text(Category.QUESTIONNAIRES),
    }
    if shown:
        context.update(_rows(_forms(child)))
    return render_child(
        request,
        "portal/questionnaires.html",
        child,
        current="questionnaires",
        context=context,
    )


def _start(request: HttpRequest, child: PortalChild) -> HttpResponse:
    """Open a due form (or this person's draft of it) and go to its first page."""
    require(child, Category.QUESTIONNAIRES)
    back = redirect("portal:questionnaires", child.patient.pk)
    form = StartForm(request.POST)
    if (
        child.episode is None
        or not form.is_valid()
        or not has_wording(form.cleaned_data["instrument_code"])
    ):
        messages.error(request, _("That questionnaire could not be opened."))
        return back
    who = _respondent(child)
    try:
        a = services.administration_open_due(
            episode=child.episode,
            instrument_code=form.cleaned_data["instrument_code"],
            respondent_kind=who.kind,
            respondent_guardian=who.guardian,
            entered_by=_user(request),
            form_token=form.cleaned_data["form_token"],
        )
    except ValidationError:
        messages.error(
            request,
            _("This questionnaire is not waiting for you any more. Thank you!"),
        )
        return back
    return redirect("portal:questionnaire", child.patient.pk, a.pk)


# --- One questionnaire ---------------------------------------------------------


def _administration(child: PortalChild, administration_id: int) -> Administration:
    """This viewer's own form in the child's episode; any other id is a 404."""
    require(child, Category.QUESTIONNAIRES)
    if child.episode is None:
        raise Http404
    who = _respondent(child)
    a = respondent_administration_get(
        episode=child.episode,
        administration_id=administration_id,
        respondent_kind=who.kind,
        guardian=who.guardian,
    )
    if not _offered(a):
        raise Http404
    return a


def _url(child: PortalChild, a: Administration, page: int | None = None) -> str:
    url = reverse("portal:questionnaire", args=[child.patient.pk, a.pk])
    return url if page is None else f"{url}?page={page}"


@require_http_methods(["GET", "POST"])
@family
def fill(
    request: HtmxHttpRequest, patient_id: int, administration_id: int
) -> HttpResponse:
    """One page of items; each tap is saved, "Next" saves, "Send" on the last
    page scores it with the same core as the staff pages. Sent: a thank-you."""
    child = child_get(request, patient_id)
    a = _administration(child, administration_id)
    user = _user(request)
    if a.is_submitted:
        if request.method == "POST":
            return _sent_already(request, _url(child, a))
        return _thanks(request, child, a)
    page = pages.page_of(request, pages.page_count(get(a.instrument_version.code)))
    if request.method == "GET":
        pages.audit_viewed(user, a)
        _audit_page(child, a)
        return _page(request, child, a, pages.fill_context(a, page))
    if request.htmx and not any(name in request.POST for name in NAVIGATION):
        return _autosave(request, a, user, page)
    saved, errors, _problem_text = pages.save_posted(a, user, request.POST)
    if saved is None:
        return _refused(request, child, a, page, errors)
    if "submit" in request.POST:
        return _submit(request, child, saved, page)
    step = -1 if "previous" in request.POST else 1
    return redirect(_url(child, a, max(1, page + step)))


def _sent_already(request: HtmxHttpRequest, url: str) -> HttpResponse:
    """A post to a form sent meanwhile (another window): go to its thank-you."""
    response = redirect(url)
    if request.htmx:
        response["HX-Redirect"] = url
    return response


def _audit_page(child: PortalChild, a: Administration) -> None:
    audit_viewed(
        child,
        page="portal:questionnaire",
        data_category=DataCategory.EPISODE,
        shown=[Category.QUESTIONNAIRES],
        obj=a,
    )


def _page(
    request: HttpRequest,
    child: PortalChild,
    a: Administration,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    context.update(
        title=title_of(a.instrument_version.code),
        when=when_of(a.time_point, a.time_point_index),
        form_url=_url(child, a),
    )
    return render_child(
        request,
        "portal/questionnaire.html",
        child,
        current="questionnaires",
        context=context,
        status=status,
    )


def _autosave(
    request: HttpRequest, a: Administration, user: User, page: int
) -> HttpResponse:
    """One tap saved (HTMX): the new version and progress, or what went wrong."""
    saved, errors, _problem_text = pages.save_posted(a, user, request.POST)
    message = _problem(errors) if saved is None else ""
    context = pages.status_context(a, saved, request.POST, message, page)
    return render(request, "instruments/fill_status.html", context)


def _problem(errors: dict[str, str]) -> str:
    """Plain words for a refused save: a bad answer, or a newer version elsewhere."""
    if errors:
        return _("Nothing was saved. Choose one of the answers shown.")
    return _(
        "These answers were changed somewhere else, for example in another "
        "window. Reload the page to see them."
    )


def _refused(
    request: HttpRequest,
    child: PortalChild,
    a: Administration,
    page: int,
    errors: dict[str, str],
) -> HttpResponse:
    """The page again with what was posted, the problem next to each item."""
    messages.error(request, _problem(errors))
    plain = {key: _("Choose one of the answers shown.") for key in errors}
    context = pages.refused_context(a, page, request.POST, plain)
    return _page(request, child, a, context, status=400)


def _submit(
    request: HttpRequest, child: PortalChild, a: Administration, page: int
) -> HttpResponse:
    try:
        services.administration_submit(
            administration=a, by=_user(request), version=a.version
        )
    except ValidationError:
        messages.error(
            request,
            _("This questionnaire could not be sent. Reload the page and try again."),
        )
        return redirect(_url(child, a, page))
    return redirect(_url(child, a))


def _thanks(
    request: HttpRequest, child: PortalChild, a: Administration
) -> HttpResponse:
    """A sent form: when it was sent and a thank-you; no answers, no score."""
    _audit_page(child, a)
    context = {
        "administration": a,
        "title": title_of(a.instrument_version.code),
        "when": when_of(a.time_point, a.time_point_index),
    }
    return render_child(
        request,
        "portal/questionnaire_done.html",
        child,
        current="questionnaires",
        context=context,
    )


# --- The teen's daily check-in ---------------------------------------------------
