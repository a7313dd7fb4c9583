"""One child's card at the conference: the discipline updates, the decisions
(applied to the plan in one step) and the family summary."""

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from painrehab.accounts.choices import CLINICAL_ROLES
from painrehab.accounts.decorators import roles
from painrehab.accounts.models import User
from painrehab.careplans import selectors_conference as selectors
from painrehab.careplans.choices import (
    GOAL_DISCIPLINES,
    STAY_DECISIONS,
    DecisionKind,
)
from painrehab.careplans.forms_conference import (
    DECISION_FORMS,
    ReleaseForm,
    SummaryForm,
    UpdateForm,
    decision_initial,
    prescription_value,
)
from painrehab.careplans.rules import Part, discipline_of, editable_disciplines
from painrehab.careplans.selectors import last_change
from painrehab.careplans.services import conferences as services
from painrehab.careplans.services import decisions
from painrehab.careplans.services._common import STALE
from painrehab.careplans.views._common import (
    CONFLICT,
    add_service_errors,
    is_stale,
    user_of,
    with_version,
)
from painrehab.common.htmx import HtmxHttpRequest

UPDATE_SAVED = _("Update saved.")
SUMMARY_SAVED = _("Family summary saved.")
RELEASED = _("Released to the family portal.")
APPLIED = _("Applied to the plan: %(summary)s")
RECORDED = _("Decision recorded: %(summary)s")
PRESCRIPTION_KINDS = (DecisionKind.CHANGE_PRESCRIPTION, DecisionKind.STOP_PRESCRIPTION)


def child_url(card: selectors.Card) -> str:
    item = card.item
    return reverse("careplans:conference_child", args=[item.conference_id, item.pk])


def _card(request: HtmxHttpRequest, conference_id: int, item_id: int) -> Any:
    return selectors.conference_card(
        user=user_of(request), conference_id=conference_id, item_id=item_id
    )


def _goal_disciplines(user: User) -> tuple[str, ...]:
    return editable_disciplines(user, Part.GOAL, GOAL_DISCIPLINES)


def _kinds(tools: selectors.CardTools, user: User) -> list[tuple[str, str]]:
    """The decisions this user can record (each links to its own short form)."""
    found = []
    for kind in DecisionKind:
        if kind in PRESCRIPTION_KINDS and not tools.prescriptions:
            continue
        if kind in STAY_DECISIONS and not tools.may_change_stay:
            continue
        if kind == DecisionKind.NEW_GOAL and not _goal_disciplines(user):
            continue
        found.append((kind.value, str(kind.label)))
    return found


def _child_page(
    request: HtmxHttpRequest,
    card: selectors.Card,
    *,
    status: int = 200,
    **forms_and_conflicts: Any,
) -> HttpResponse:
    user = user_of(request)
    tools = selectors.card_tools(user=user, card=card)
    own, summary = tools.own_update, card.summary
    context: dict[str, Any] = {
        "card": card,
        "conference": card.item.conference,
        "tools": tools,
        "kinds": _kinds(tools, user),
        "update_form": UpdateForm(
            initial={
                "text": own.text if own else "",
                "version": own.version if own else 0,
            }
        ),
        "summary_form": SummaryForm(
            initial={
                "text": summary.text if summary else tools.summary_draft,
                "version": summary.version if summary else 0,
            }
        ),
        "release_form": ReleaseForm(
            initial={"version": summary.version if summary else 1}
        ),
        **forms_and_conflicts,
    }
    if not card.item.conference.is_open:
        # The forms are gone once closed; a refused late save still says why.
        bound = [f for f in forms_and_conflicts.values() if isinstance(f, forms.Form)]
        context["refusals"] = [e for f in bound for e in f.non_field_errors()]
    return render(request, "careplans/conference_child.html", context, status=status)


@require_GET
@roles(*CLINICAL_ROLES)
def conference_child(
    request: HtmxHttpRequest, conference_id: int, item_id: int
) -> HttpResponse:
    """One child's card: agenda, updates, decisions, the family summary."""
    return _child_page(request, _card(request, conference_id, item_id))


def _conflict(by: User | None, at: Any, theirs: str, mine: str) -> dict[str, Any]:
    name = (by.get_full_name() or by.username) if by is not None else ""
    return {"by": name, "at": at, "theirs": theirs, "mine": mine}


@require_POST
@roles(*CLINICAL_ROLES)
def conference_update(
    request: HtmxHttpRequest, conference_id: int, item_id: int
) -> HttpResponse:
    """Save the user's discipline's update (version-checked)."""
    user = user_of(request)
    card = _card(request, conference_id, item_id)
    form = UpdateForm(request.POST)
    if form.is_valid():
        try:
            services.discipline_update_save(
                item=card.item,
                by=user,
                version=form.cleaned_data["version"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            if is_stale(error):
                return _update_conflict(request, card, user)
            add_service_errors(form, error)
        else:
            messages.success(request, UPDATE_SAVED)
            return redirect(child_url(card) + "#update")
    return _child_page(request, card, status=400, update_form=form)


def _update_conflict(
    request: HtmxHttpRequest, card: selectors.Card, user: User
) -> HttpResponse:
    theirs = selectors.update_of(item=card.item, discipline=discipline_of(user) or "")
    version = theirs.version if theirs else 0
    form = UpdateForm(with_version(request.POST, version))
    form.is_valid()
    shown = _conflict(
        theirs.written_by if theirs else None,
        theirs.updated_at if theirs else None,
        theirs.text if theirs else "",
        request.POST.get("text", ""),
    )
    return _child_page(
        request, card, status=CONFLICT, update_form=form, update_conflict=shown
    )


@require_POST
@roles(*CLINICAL_ROLES)
def conference_summary(
    request: HtmxHttpRequest, conference_id: int, item_id: int
) -> HttpResponse:
    """Save the family summary (version-checked); releasing is a separate step."""
    user = user_of(request)
    card = _card(request, conference_id, item_id)
    form = SummaryForm(request.POST)
    if form.is_valid():
        try:
            services.family_summary_save(
                item=card.item,
                by=user,
                version=form.cleaned_data["version"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            if is_stale(error):
                return _summary_conflict(request, card)
            add_service_errors(form, error)
        else:
            messages.success(request, SUMMARY_SAVED)
            return redirect(child_url(card) + "#family")
    return _child_page(request, card, status=400, summary_form=form)


def _summary_conflict(request: HtmxHttpRequest, card: selectors.Card) -> HttpResponse:
    theirs = selectors.summary_of(card.item)
    form = SummaryForm(with_version(request.POST, theirs.version if theirs else 0))
    form.is_valid()
    shown = _conflict(
        theirs.written_by if theirs else None,
        theirs.updated_at if theirs else None,
        theirs.text if theirs else "",
        request.POST.get("text", ""),
    )
    return _child_page(
        request, card, status=CONFLICT, summary_form=form, summary_conflict=shown
    )


@require_POST
@roles(*CLINICAL_ROLES)
def conference_summary_release(
    request: HtmxHttpRequest, conference_id: int, item_id: int
) -> HttpResponse:
    """Mark the saved summary for the family portal."""
    card = _card(request, conference_id, item_id)
    form = ReleaseForm(request.POST)
    if form.is_valid():
        try:
            services.family_summary_release(
                item=card.item,
                by=user_of(request),
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, RELEASED)
    return redirect(child_url(card) + "#family")


# --- Decisions ----------------------------------------------------------------------


def _decision_form(
    kind: str, tools: selectors.CardTools, user: User, data: Any = None, **kw: Any
) -> forms.Form:
    form_class = DECISION_FORMS[kind]
    return form_class(
        data,
        prescriptions=tools.prescriptions,
        goal_disciplines=_goal_disciplines(user),
        **kw,
    )


def _decision_page(
    request: HtmxHttpRequest,
    card: selectors.Card,
    kind: str,
    form: forms.Form,
    *,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    user = user_of(request)
    tools = selectors.card_tools(user=user, card=card)
    context = {
        "card": card,
        "conference": card.item.conference,
        "kind": DecisionKind(kind),
        "kinds": _kinds(tools, user),
        "allowed": kind in dict(_kinds(tools, user)),
        "form": form,
        **extra,
    }
    return render(request, "careplans/conference_decision.html", context, status=status)


def _initial(card: selectors.Card, kind: str) -> dict[str, Any]:
    planned = date.fromisoformat(card.agenda.planned_discharge_on)
    return decision_initial(
        kind, planned_discharge_on=planned, today=timezone.localdate()
    )


@require_http_methods(["GET", "POST"])
@roles(*CLINICAL_ROLES)
def conference_decide(
    request: HtmxHttpRequest, conference_id: int, item_id: int, kind: str
) -> HttpResponse:
    """Record one decision and apply it to the plan in one step."""
    if kind not in DECISION_FORMS:
        raise Http404
    user = user_of(request)
    card = _card(request, conference_id, item_id)
    tools = selectors.card_tools(user=user, card=card)
    if request.method == "GET":
        form = _decision_form(kind, tools, user, initial=_initial(card, kind))
        return _decision_page(request, card, kind, form)
    form = _decision_form(kind, tools, user, request.POST)
    if not form.is_valid():
        return _decision_page(request, card, kind, form, status=400)
    try:
        found = decisions.decision_apply(
            item=card.item,
            by=user,
            form_token=form.cleaned_data["form_token"],
            decision=form.decision(),  # type: ignore[attr-defined]
        )
    except PermissionDenied as error:
        form.add_error(None, str(error))
        return _decision_page(request, card, kind, form, status=403)
    except ValidationError as error:
        if STALE in error.message_dict.get("prescription", []):
            return _decision_conflict(request, card, kind, form)
        add_service_errors(form, error)
        return _decision_page(request, card, kind, form, status=400)
    words = APPLIED if found.plan_change_id else RECORDED
    messages.success(request, words % {"summary": found.summary})
    return redirect(child_url(card) + "#decisions")


def _decision_conflict(
    request: HtmxHttpRequest, card: selectors.Card, kind: str, stale: forms.Form
) -> HttpResponse:
    """The prescription changed since the page was read: show it as it is now,
    keep what the user typed, and let them apply again against the new version."""
    user = user_of(request)
    tools = selectors.card_tools(user=user, card=card)
    pk = str(request.POST.get("prescription", "")).partition(":")[0]
    now = next((p for p in tools.prescriptions if str(p.pk) == pk), None)
    data = request.POST.copy()
    if now is not None:
        data["prescription"] = prescription_value(now)
    form = _decision_form(kind, tools, user, data)
    form.is_valid()
    change = last_change(now.care_plan, "prescription", now.pk) if now else None
    return _decision_page(
        request,
        card,
        kind,
        form,
        status=CONFLICT,
        stale_prescription=now,
        stale_change=change,
    )
