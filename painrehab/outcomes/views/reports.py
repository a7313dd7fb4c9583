"""The chart's "Reports" tab: stored reports, making one, downloading one.

Every clinician on the child's care team lists and downloads the stored reports
(the access funnel: a child off the team is the same 404 as a missing one). Each
kind is made only by the roles in ``reports.MAY_GENERATE`` (others get 403), and
only once the episode allows it (``reports.not_ready``). The create page shows the
report as it will be printed, inside the staff layout; bad input shows the form
again with the message next to the field and stores nothing.
"""

import uuid
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from painrehab.accounts.choices import CLINICAL_ROLES
from painrehab.accounts.decorators import roles
from painrehab.accounts.models import User
from painrehab.episodes.models import Episode
from painrehab.episodes.selectors import episode_current
from painrehab.outcomes import reports, services
from painrehab.outcomes.choices import ReportKind
from painrehab.outcomes.forms import FORMS, ReportForm, SchoolLetterForm
from painrehab.patients import chart
from painrehab.patients.access import patient_get_for_user
from painrehab.patients.models import Patient

GENERATED = _("The report was made and stored. Download it below.")
NOT_SAVED = _("Nothing was stored: see the message next to the field.")
NOT_READY_STATUS = 409
PREVIEW, GENERATE = "preview", "generate"


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _chart(patient: Patient) -> dict[str, Any]:
    return {"patient": patient, **chart.header_context(patient)}


@require_GET
@roles(*CLINICAL_ROLES)
def report_list(request: HttpRequest, patient_id: int) -> HttpResponse:
    """The reports made for the child (with their SHA-256), and the kinds this
    person may make."""
    user = _user(request)
    patient, stored = reports.stored_list(user=user, patient_id=patient_id)
    episode = episode_current(patient=patient)
    makeable = [
        {
            "kind": kind,
            "label": kind.label,
            "not_ready": reports.not_ready(episode, kind),
        }
        for kind in reports.kinds_for(user)
    ]
    context = {"stored": stored, "makeable": makeable, **_chart(patient)}
    return render(request, "outcomes/report_list.html", context)


def _kind(kind: str) -> ReportKind:
    if kind not in ReportKind.values:
        raise Http404
    return ReportKind(kind)


def _form(
    kind: ReportKind, patient: Patient, user: User, data: Any = None, **kwargs: Any
) -> ReportForm:
    if kind != ReportKind.SCHOOL_LETTER:
        return FORMS[kind](data, **kwargs)
    contacts = reports.team_contacts(patient=patient)
    if user.pk not in {c.user_id for c in contacts}:
        # The person writing the letter may name themself (the coordinator sees
        # every child without being on each team).
        contacts.append(
            reports.TeamContact(
                user.pk, user.get_full_name() or user.username, user.get_role_display()
            )
        )
    return SchoolLetterForm(data, contacts=contacts, **kwargs)


def _initial(kind: ReportKind, episode: Episode, user: User) -> dict[str, Any]:
    initial = reports.report_defaults(kind=kind, episode=episode)
    initial["form_token"] = uuid.uuid4()
    if kind == ReportKind.SCHOOL_LETTER:
        initial["contact"] = user.pk
    return initial


def _preview(
    kind: ReportKind, episode: Episode, user: User, form: ReportForm, values: Any
) -> str:
    """The report as it will be printed, from ``values``; audited."""
    asked = form.report_input(values)
    data = reports.report_data(
        kind=kind, episode=episode, report=asked, today=timezone.localdate(), by=user
    )
    reports.audit_preview(
        user=user, episode=episode, kind=kind, language=asked.language
    )
    # Our own template's output, escaped as it was rendered.
    return mark_safe(reports.render_html(data, report_id=None, standalone=False))  # noqa: S308


def _page(
    request: HttpRequest,
    patient: Patient,
    kind: ReportKind,
    *,
    form: ReportForm | None = None,
    preview: str = "",
    not_ready: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "kind": kind,
        "kind_label": kind.label,
        "form": form,
        "preview": preview,
        "not_ready": not_ready,
        **_chart(patient),
    }
    return render(request, "outcomes/report_form.html", context, status=status)


def _refuse(form: ReportForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, found in error.message_dict.items():
        # A hidden field's error would not be shown: it goes above the form.
        shown = name in form.fields and not form.fields[name].widget.is_hidden
        form.add_error(name if shown else None, found)


@require_http_methods(["GET", "POST"])
@roles(*CLINICAL_ROLES)
def report_create(request: HttpRequest, patient_id: int, kind: str) -> HttpResponse:
    """GET: the form with its defaults and the preview. POST ``action=preview``:
    the preview of what was typed; ``action=generate``: make and store the PDF."""
    report_kind = _kind(kind)
    user = _user(request)
    if not reports.may_generate(user, report_kind):
        raise PermissionDenied(services.NOT_YOUR_KIND)
    patient = patient_get_for_user(user=user, patient_id=patient_id)
    episode = episode_current(patient=patient)
    reason = reports.not_ready(episode, report_kind)
    if episode is None or reason:
        status = 200 if request.method == "GET" else NOT_READY_STATUS
        return _page(request, patient, report_kind, not_ready=reason, status=status)
    if request.method == "GET":
        initial = _initial(report_kind, episode, user)
        form = _form(report_kind, patient, user, initial=initial)
        preview = _preview(report_kind, episode, user, form, initial)
        return _page(request, patient, report_kind, form=form, preview=preview)
    form = _form(report_kind, patient, user, request.POST)
    if not form.is_valid():
        messages.error(request, NOT_SAVED)
        return _page(request, patient, report_kind, form=form, status=400)
    if request.POST.get("action") == PREVIEW:
        preview = _preview(report_kind, episode, user, form, form.cleaned_data)
        return _page(request, patient, report_kind, form=form, preview=preview)
    try:
        services.report_generate(
            episode=episode,
            kind=report_kind,
            by=user,
            report=form.report_input(form.cleaned_data),
            form_token=form.cleaned_data["form_token"],
        )
    except ValidationError as error:
        _refuse(form, error)
        messages.error(request, NOT_SAVED)
        return _page(request, patient, report_kind, form=form, status=400)
    messages.success(request, GENERATED)
    return redirect(reverse("outcomes:report_list", args=[patient.pk]))


@require_GET
@roles(*CLINICAL_ROLES)
def report_download(
    request: HttpRequest, patient_id: int, report_id: int
) -> HttpResponse:
    """The stored bytes exactly as sent, with their SHA-256 in a header."""
    row = reports.stored_get(
        user=_user(request), patient_id=patient_id, report_id=report_id
    )
    response = HttpResponse(bytes(row.pdf), content_type="application/pdf")
    name = reports.download_name(row.kind, row.pk)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-SHA256"] = row.sha256
    return response
