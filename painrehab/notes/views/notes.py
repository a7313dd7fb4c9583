"""The chart's Notes tab, a note's page (edit, sign, addenda, co-sign), the worklist."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from painrehab.accounts.choices import CLINICAL_ROLES
from painrehab.accounts.decorators import roles
from painrehab.common.htmx import HtmxHttpRequest
from painrehab.notes import rules, selectors, services
from painrehab.notes.choices import NOTE_WRITER_ROLES
from painrehab.notes.forms import (
    AddendumForm,
    ConfidentialityForm,
    NewNoteForm,
    NoteEditForm,
)
from painrehab.notes.models import Note
from painrehab.notes.templates_catalog import NoteTemplate, template_get
from painrehab.notes.views._common import add_service_errors, user_of
from painrehab.patients import chart
from painrehab.patients import selectors as patient_selectors

SAVED = _("Draft saved.")
SIGNED = _("Note signed.")
COSIGNED = _("Note co-signed.")
ADDENDUM_ADDED = _("Addendum signed and added.")
DISCARDED = _("Draft discarded.")
CONFIDENTIAL_SET = _("Marked adolescent-confidential: never shown to parents.")
CONFIDENTIAL_CLEARED = _("The adolescent-confidential mark was removed.")


@require_GET
@roles(*CLINICAL_ROLES)
def note_list(request: HtmxHttpRequest, patient_id: int) -> HttpResponse:
    """Every note of the patient the user may read, newest date of service first."""
    user = user_of(request)
    patient, notes = selectors.notes_for_chart(user=user, patient_id=patient_id)
    context = {
        "patient": patient,
        "notes": notes,
        "may_write": bool(rules.templates_for_user(user)),
        "may_lead_groups": bool(rules.templates_for_user(user, group=True)),
        **chart.header_context(patient),
    }
    return render(request, "notes/note_list.html", context)


@require_http_methods(["GET", "POST"])
@roles(*NOTE_WRITER_ROLES)
def note_new(request: HtmxHttpRequest, patient_id: int) -> HttpResponse:
    """Start a note from one of the templates of the user's discipline."""
    user = user_of(request)
    patient = patient_selectors.patient_get(user=user, patient_id=patient_id)
    templates = rules.templates_for_user(user)
    form = NewNoteForm(
        request.POST if request.method == "POST" else None, templates=templates
    )
    if form.is_bound and form.is_valid():
        try:
            note = services.note_create(
                patient=patient,
                template_key=form.cleaned_data["template"],
                author=user,
                service_date=form.cleaned_data["service_date"],
                form_token=form.cleaned_data["form_token"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("notes:note_detail", note.pk)
    context = {"patient": patient, "form": form, **chart.header_context(patient)}
    status = 400 if form.is_bound else 200
    return render(request, "notes/note_new.html", context, status=status)


@dataclass(frozen=True)
class SectionText:
    label: str
    text: str


@dataclass(frozen=True)
class Conflict:
    """One section both people changed: what is stored now and what was typed."""

    label: str
    theirs: str
    yours: str


def _template(note: Note) -> NoteTemplate | None:
    try:
        return template_get(note.template)
    except KeyError:
        return None


def _sections(note: Note) -> list[SectionText]:
    """The note's texts in template order; keys a retired template had come last."""
    template = _template(note)
    known = {s.key: str(s.label) for s in template.sections} if template else {}
    ordered = [k for k in known if k in note.body]
    ordered += sorted(k for k in note.body if k not in known)
    return [SectionText(known.get(k, k), note.body[k]) for k in ordered]


def _edit_form(note: Note, data: Any = None) -> NoteEditForm | None:
    template = _template(note)
    if template is None:
        return None
    initial = {
        "service_date": note.service_date,
        "version": note.version,
        **NoteEditForm.initial_for(note.body),
    }
    return NoteEditForm(data, initial=initial, template=template)


def _page(
    request: HtmxHttpRequest,
    note: Note,
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    user = user_of(request)
    editing = not note.is_signed and note.author_id == user.pk
    may_amend = rules.may_amend(note, user)
    context = {
        "note": note,
        "patient": note.patient,
        "sections": _sections(note),
        "verified": note.verify() if note.is_signed else None,
        "addenda": [(a, a.verify()) for a in selectors.addenda_of(note)],
        "edit_form": forms.get("edit_form") or (_edit_form(note) if editing else None),
        "would_be_late": rules.is_late(note.service_date, timezone.now()),
        "addendum_form": (
            forms.get("addendum_form") or AddendumForm()
            if note.is_signed and may_amend
            else None
        ),
        "confidentiality_form": (
            forms.get("confidentiality_form")
            or ConfidentialityForm(
                initial={
                    "confidential": note.confidential,
                    "reason": note.confidential_reason,
                }
            )
            if may_amend
            else None
        ),
        "may_cosign": rules.may_cosign(note, user),
        "conflicts": forms.get("conflicts", []),
        **chart.header_context(note.patient),
    }
    return render(request, "notes/note_detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
@roles(*CLINICAL_ROLES)
def note_detail(request: HtmxHttpRequest, note_id: int) -> HttpResponse:
    """Read a note; its author edits and signs the draft here."""
    user = user_of(request)
    note = selectors.note_get(user=user, note_id=note_id)
    if request.method == "GET":
        return _page(request, note)
    if note.is_signed or note.author_id != user.pk:
        messages.error(request, services.ALREADY_SIGNED)
        return redirect("notes:note_detail", note.pk)
    return _save(request, note)


def _save(request: HtmxHttpRequest, note: Note) -> HttpResponse:
    """Save the draft, or save and sign it; a refusal keeps every word typed."""
    form = _edit_form(note, request.POST)
    if form is None or not form.is_valid():
        return _page(request, note, 400, edit_form=form)
    sign = request.POST.get("action") == "sign"
    data = form.cleaned_data
    try:
        if sign:
            services.note_save_and_sign(
                note=note,
                by=user_of(request),
                version=data["version"],
                body=form.body(),
                service_date=data["service_date"],
                late_entry_reason=data["late_entry_reason"],
            )
        else:
            services.note_save(
                note=note,
                by=user_of(request),
                version=data["version"],
                body=form.body(),
                service_date=data["service_date"],
            )
    except ValidationError as error:
        return _refused(request, note, form, error)
    messages.success(request, SIGNED if sign else SAVED)
    return redirect("notes:note_detail", note.pk)


def _refused(
    request: HtmxHttpRequest, note: Note, form: NoteEditForm, error: ValidationError
) -> HttpResponse:
    if hasattr(error, "error_dict") and "version" in error.error_dict:
        return _conflict(request, note, form)
    add_service_errors(form, error)
    return _page(request, note, 400, edit_form=form)


def _conflict(
    request: HtmxHttpRequest, posted: Note, form: NoteEditForm
) -> HttpResponse:
    """Someone saved first: show theirs beside yours; saving again keeps yours."""
    current = selectors.note_get(user=user_of(request), note_id=posted.pk)
    if current.is_signed:
        messages.error(request, services.ALREADY_SIGNED)
        return redirect("notes:note_detail", current.pk)
    yours = form.body()
    conflicts = [
        Conflict(str(s.label), current.body.get(s.key, ""), yours.get(s.key, ""))
        for s in form.template.sections
        if current.body.get(s.key, "") != yours.get(s.key, "")
    ]
    data = request.POST.copy()
    data["version"] = str(current.version)
    merged = NoteEditForm(data, template=form.template)
    merged.is_valid()
    merged.add_error(None, services.STALE)
    return _page(request, current, 409, edit_form=merged, conflicts=conflicts)


@require_POST
@roles(*NOTE_WRITER_ROLES)
def note_addendum(request: HtmxHttpRequest, note_id: int) -> HttpResponse:
    user = user_of(request)
    note = selectors.note_get(user=user, note_id=note_id)
    form = AddendumForm(request.POST)
    if form.is_valid():
        try:
            services.addendum_add(note=note, by=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, ADDENDUM_ADDED)
            return redirect("notes:note_detail", note.pk)
    return _page(request, note, 400, addendum_form=form)


@require_POST
@roles(*NOTE_WRITER_ROLES)
def note_cosign(request: HtmxHttpRequest, note_id: int) -> HttpResponse:
    user = user_of(request)
    note = selectors.note_get(user=user, note_id=note_id)
    try:
        services.note_cosign(note=note, by=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, COSIGNED)
    return redirect("notes:note_detail", note.pk)


@require_POST
@roles(*NOTE_WRITER_ROLES)
def note_confidentiality(request: HtmxHttpRequest, note_id: int) -> HttpResponse:
    user = user_of(request)
    note = selectors.note_get(user=user, note_id=note_id)
    form = ConfidentialityForm(request.POST)
    if form.is_valid():
        confidential = form.cleaned_data["confidential"]
        try:
            services.note_confidentiality_set(
                note=note,
                by=user,
                confidential=confidential,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            done = CONFIDENTIAL_SET if confidential else CONFIDENTIAL_CLEARED
            messages.success(request, done)
            return redirect("notes:note_detail", note.pk)
    return _page(request, note, 400, confidentiality_form=form)


@require_POST
@roles(*NOTE_WRITER_ROLES)
def note_discard(request: HtmxHttpRequest, note_id: int) -> HttpResponse:
    user = user_of(request)
    note = selectors.note_get(user=user, note_id=note_id)
    patient_id = note.patient_id
    try:
        services.note_discard(note=note, by=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("notes:note_detail", note.pk)
    messages.success(request, DISCARDED)
    return redirect("notes:note_list", patient_id)


@require_GET
@roles(*NOTE_WRITER_ROLES)
def my_notes(request: HtmxHttpRequest) -> HttpResponse:
    """Drafts to finish, notes to co-sign, and one's own awaiting co-signature."""
    worklist = selectors.my_notes(user=user_of(request))
    return render(request, "notes/my_notes.html", {"worklist": worklist})
