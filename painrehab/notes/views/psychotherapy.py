"""Psychotherapy notes: the author's own page, apart from the chart.

``pn_detail`` is open to every signed-in person on purpose: anyone but the author
(and the supervisor linked on the note) gets the same 404 as a missing page, so
nobody can learn that a psychotherapy note exists by trying its address.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from painrehab.accounts.decorators import roles, signed_in
from painrehab.common.htmx import HtmxHttpRequest
from painrehab.notes import psychotherapy as pn_store
from painrehab.notes.choices import PSYCHOTHERAPY_NOTE_ROLES
from painrehab.notes.forms import PsychotherapyNoteForm, PsychotherapyNoteNewForm
from painrehab.notes.models import PsychotherapyNote
from painrehab.notes.views._common import add_service_errors, user_of

SAVED = _("Psychotherapy note saved.")
SIGNED = _("Psychotherapy note signed.")


@require_GET
@roles(*PSYCHOTHERAPY_NOTE_ROLES)
def pn_list(request: HtmxHttpRequest) -> HttpResponse:
    """The user's own psychotherapy notes and their supervisees'."""
    lines = pn_store.psychotherapy_notes_for(user=user_of(request))
    return render(request, "notes/pn_list.html", {"lines": lines})


@require_http_methods(["GET", "POST"])
@roles(*PSYCHOTHERAPY_NOTE_ROLES)
def pn_new(request: HtmxHttpRequest) -> HttpResponse:
    user = user_of(request)
    patients = pn_store.psychotherapy_note_patients(user=user)
    form = PsychotherapyNoteNewForm(
        request.POST if request.method == "POST" else None, patients=patients
    )
    if form.is_bound and form.is_valid():
        try:
            pn = pn_store.psychotherapy_note_create(author=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("notes:pn_detail", pn.pk)
    status = 400 if form.is_bound else 200
    return render(request, "notes/pn_new.html", {"form": form}, status=status)


@dataclass(frozen=True)
class PnConflict:
    theirs: str
    yours: str


def _page(
    request: HtmxHttpRequest,
    pn: PsychotherapyNote,
    form: PsychotherapyNoteForm | None = None,
    conflict: PnConflict | None = None,
    status: int = 200,
) -> HttpResponse:
    editing = not pn.is_signed and pn.author_id == user_of(request).pk
    if editing and form is None:
        form = PsychotherapyNoteForm(initial={"text": pn.text, "version": pn.version})
    context = {
        "pn": pn,
        "form": form if editing else None,
        "verified": pn.verify() if pn.is_signed else None,
        "conflict": conflict,
    }
    return render(request, "notes/pn_detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
@signed_in
def pn_detail(request: HtmxHttpRequest, pn_id: int) -> HttpResponse:
    user = user_of(request)
    pn = pn_store.psychotherapy_note_get(user=user, pn_id=pn_id)
    if request.method == "GET":
        return _page(request, pn)
    if pn.is_signed or pn.author_id != user.pk:
        messages.error(request, pn_store.ALREADY_SIGNED)
        return redirect("notes:pn_detail", pn.pk)
    form = PsychotherapyNoteForm(request.POST)
    if not form.is_valid():
        return _page(request, pn, form, status=400)
    sign = request.POST.get("action") == "sign"
    write = (
        pn_store.psychotherapy_note_save_and_sign
        if sign
        else pn_store.psychotherapy_note_save
    )
    try:
        write(pn=pn, by=user, **form.cleaned_data)
    except ValidationError as error:
        if hasattr(error, "error_dict") and "version" in error.error_dict:
            return _conflict(request, pn, form)
        add_service_errors(form, error)
        return _page(request, pn, form, status=400)
    messages.success(request, SIGNED if sign else SAVED)
    return redirect("notes:pn_detail", pn.pk)


def _conflict(
    request: HtmxHttpRequest, pn: PsychotherapyNote, form: PsychotherapyNoteForm
) -> HttpResponse:
    current = pn_store.psychotherapy_note_get(user=user_of(request), pn_id=pn.pk)
    data = request.POST.copy()
    data["version"] = str(current.version)
    merged = PsychotherapyNoteForm(data)
    merged.is_valid()
    merged.add_error(None, pn_store.STALE)
    conflict = PnConflict(current.text, form.cleaned_data["text"])
    return _page(request, current, merged, conflict, status=409)
