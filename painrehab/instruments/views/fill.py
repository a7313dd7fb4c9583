"""Filling in a questionnaire on a tablet: start, page through, autosave, submit.

Guardians and patients fill their forms in the family portal; here only the care
team enters answers (the child's, a parent's, or their own), through the funnel on
the administration's patient.
"""

import functools
import math
from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from painrehab.accounts.choices import CLINICAL_ROLES
from painrehab.accounts.decorators import roles
from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, DataCategory
from painrehab.audit.services import record
from painrehab.common.htmx import HtmxHttpRequest
from painrehab.domain.scoring import get
from painrehab.domain.scoring.content import (
    ContentPack,
    demo_pack_path,
    load_content_pack,
)
from painrehab.domain.scoring.definitions import InstrumentDefinition
from painrehab.episodes.selectors import episode_current
from painrehab.instruments import services
from painrehab.instruments.choices import RespondentKind, TimePoint
from painrehab.instruments.forms import ITEM_PREFIX, PageForm, StartForm, answers_from
from painrehab.instruments.models import Administration, Score
from painrehab.patients.access import PatientNotFound, patient_get_for_user
from painrehab.patients.models import Guardian

PER_PAGE = 5
STALE = "This questionnaire was changed elsewhere; reload the page to see it."
NO_EPISODE = "This child has no episode to give a questionnaire in."
BAD_START = "That questionnaire could not be started; reload the page."


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


@functools.cache
def _pack(code: str, language: str) -> ContentPack:
    definition = get(code)
    path = demo_pack_path(code, language)
    if not path.exists():
        path = demo_pack_path(code, "en")
    return load_content_pack(path, definition)


def content_for(code: str) -> ContentPack:
    """The demo wording in the page's language, or English."""
    language = (translation.get_language() or "en").split("-")[0]
    return _pack(code, language)


@dataclass(frozen=True)
class Choice:
    value: int
    label: str
    checked: bool


@dataclass(frozen=True)
class Question:
    key: str
    name: str
    text: str
    choices: tuple[Choice, ...]
    error: str


def _questions(
    definition: InstrumentDefinition,
    keys: list[str],
    answers: dict[str, Any],
    errors: dict[str, str],
) -> list[Question]:
    pack = content_for(definition.code)
    return [
        Question(
            key=key,
            name=f"{ITEM_PREFIX}{key}",
            text=pack.items[key],
            choices=tuple(
                Choice(o.value, pack.options[o.label_key], answers.get(key) == o.value)
                for o in definition.item(key).options
            ),
            error=errors.get(key, ""),
        )
        for key in keys
    ]


def _administration(user: User, administration_id: int) -> Administration:
    """The administration if its patient passes the funnel; 404 otherwise."""
    found = (
        Administration.objects.select_related(
            "episode__patient",
            "instrument_version",
            "respondent_patient",
            "respondent_guardian",
            "respondent_user",
            "entered_by",
        )
        .filter(pk=administration_id)
        .first()
    )
    if found is None:
        raise PatientNotFound
    patient_get_for_user(user=user, patient_id=found.episode.patient_id)
    return found


def respondent_line(a: Administration) -> str:
    """Who answers, and who typed the answers in when that is someone else."""
    kind = str(RespondentKind(a.respondent_kind).label).lower()
    if a.respondent_kind == RespondentKind.CHILD and a.respondent_patient:
        who = a.respondent_patient.display_name
    elif a.respondent_kind == RespondentKind.PARENT and a.respondent_guardian:
        who = f"{a.respondent_guardian.given_name} {a.respondent_guardian.family_name}"
    else:
        who = a.entered_by.get_full_name() or a.entered_by.username
    line = _("Answered by: %(who)s (%(kind)s)") % {"who": who, "kind": kind}
    if a.respondent_kind != RespondentKind.CLINICIAN:
        by = a.entered_by.get_full_name() or a.entered_by.username
        line += " · " + _("entered by %(by)s on behalf of the %(kind)s") % {
            "by": by,
            "kind": kind,
        }
    return line


def _audit_viewed(user: User, a: Administration) -> None:
    record(
        action="administration.viewed",
        action_type=ActionType.READ,
        actor=user,
        patient_id=a.episode.patient_id,
        data_category=DataCategory.EPISODE,
        obj=a,
    )


def _page_of(request: HttpRequest, pages: int) -> int:
    raw = request.POST.get("page") or request.GET.get("page") or "1"
    try:
        return min(max(int(raw), 1), pages)
    except ValueError:
        return 1


def _pages(definition: InstrumentDefinition) -> int:
    return max(1, math.ceil(len(definition.items) / PER_PAGE))


def _progress(definition: InstrumentDefinition, answers: dict[str, Any]) -> str:
    answered = sum(1 for key in definition.item_keys if answers.get(key) is not None)
    return _("%(answered)s of %(total)s answered") % {
        "answered": answered,
        "total": len(definition.items),
    }


def _fill_context(
    a: Administration,
    page: int,
    *,
    answers: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    version: int | None = None,
    status_error: str = "",
) -> dict[str, Any]:
    definition = get(a.instrument_version.code)
    keys = list(definition.item_keys)
    pages = _pages(definition)
    shown = {**a.answers, **(answers or {})}
    on_page = keys[(page - 1) * PER_PAGE : page * PER_PAGE]
    return {
        "administration": a,
        "patient": a.episode.patient,
        "definition": definition,
        "notice": content_for(definition.code).notice,
        "questions": _questions(definition, on_page, shown, errors or {}),
        "page": page,
        "pages": pages,
        "is_last": page == pages,
        "version": version or a.version,
        "progress": _progress(definition, a.answers),
        "status_error": status_error,
        "respondent": respondent_line(a),
    }


def _save(
    a: Administration, user: User, data: Any
) -> tuple[Administration | None, dict[str, str], str]:
    """Save posted answers; on refusal return the item errors or the stale message."""
    form = PageForm(data)
    if not form.is_valid():
        return None, {}, STALE
    try:
        answers = answers_from(data)
        saved = services.answers_save(
            administration=a,
            by=user,
            answers=answers,
            version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        return None, *_errors(error)
    return saved, {}, ""


def _errors(error: ValidationError) -> tuple[dict[str, str], str]:
    if not hasattr(error, "error_dict"):
        return {}, " ".join(error.messages)
    if "version" in error.error_dict:
        return {}, STALE
    items = {key: " ".join(texts) for key, texts in error.message_dict.items()}
    return items, _("Nothing was saved: %(why)s") % {"why": " ".join(items.values())}


def _posted_answers(data: Any) -> dict[str, Any]:
    try:
        return dict(answers_from(data))
    except ValidationError:
        return {}


@require_http_methods(["GET", "POST"])
@roles(*CLINICAL_ROLES)
def fill(request: HtmxHttpRequest, administration_id: int) -> HttpResponse:
    """One page of items; "Next" saves, "Submit" on the last page scores."""
    user = _user(request)
    a = _administration(user, administration_id)
    if a.is_submitted:
        return _result(request, user, a)
    page = _page_of(request, _pages(get(a.instrument_version.code)))
    if request.method == "GET":
        _audit_viewed(user, a)
        return render(request, "instruments/fill.html", _fill_context(a, page))
    saved, errors, problem = _save(a, user, request.POST)
    if saved is None:
        return _refused(request, a, page, errors, problem)
    if "submit" in request.POST:
        return _submit(request, user, saved, page)
    step = -1 if "previous" in request.POST else 1
    url = reverse("instruments:fill", args=[a.pk])
    return redirect(f"{url}?page={max(1, page + step)}")


def _refused(
    request: HttpRequest,
    a: Administration,
    page: int,
    errors: dict[str, str],
    problem: str,
) -> HttpResponse:
    """Show the page again with what was posted, so nothing typed is lost."""
    messages.error(request, problem)
    context = _fill_context(
        a,
        page,
        answers=_posted_answers(request.POST),
        errors=errors,
        version=_posted_version(request.POST),
    )
    return render(request, "instruments/fill.html", context, status=400)


def _posted_version(data: Any) -> int | None:
    form = PageForm(data)
    return form.cleaned_data["version"] if form.is_valid() else None


def _submit(
    request: HttpRequest, user: User, a: Administration, page: int
) -> HttpResponse:
    try:
        services.administration_submit(administration=a, by=user, version=a.version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        url = reverse("instruments:fill", args=[a.pk])
        return redirect(f"{url}?page={page}")
    messages.success(request, _("Questionnaire submitted and scored."))
    return redirect("instruments:fill", a.pk)


@dataclass(frozen=True)
class ScaleLine:
    label: str
    value: float | None
    band: str
    flagged: bool
    scorable: bool
    reasons: tuple[str, ...]


def _scale_lines(definition: InstrumentDefinition, score: Score) -> list[ScaleLine]:
    labels = {scale.key: scale.label for scale in definition.scales}
    return [
        ScaleLine(
            label=labels.get(key, key),
            value=data.get("value"),
            band=data.get("band") or "",
            flagged=bool(data.get("flagged")),
            scorable=bool(data.get("scorable")),
            reasons=tuple(data.get("reasons") or ()),
        )
        for key, data in score.scales.items()
    ]


def _result(request: HttpRequest, user: User, a: Administration) -> HttpResponse:
    """A submitted administration, read-only, with its score."""
    _audit_viewed(user, a)
    score = Score.objects.filter(administration=a).first()
    definition = get(a.instrument_version.code)
    context = {
        "administration": a,
        "patient": a.episode.patient,
        "definition": definition,
        "score": score,
        "scales": _scale_lines(definition, score) if score else [],
        "respondent": respondent_line(a),
        "questions": _questions(definition, list(definition.item_keys), a.answers, {}),
    }
    return render(request, "instruments/fill_result.html", context)


@require_POST
@roles(*CLINICAL_ROLES)
def save(request: HtmxHttpRequest, administration_id: int) -> HttpResponse:
    """Autosave of one radio change: the new version and progress (HTMX partial)."""
    user = _user(request)
    a = _administration(user, administration_id)
    page = _page_of(request, 10**6)
    saved, _ignored, problem = _save(a, user, request.POST)
    if not request.htmx:
        if problem:
            messages.error(request, problem)
        url = reverse("instruments:fill", args=[a.pk])
        return redirect(f"{url}?page={page}")
    shown = saved or a
    definition = get(a.instrument_version.code)
    context = {
        "administration": shown,
        "version": shown.version if saved else _posted_version(request.POST),
        "progress": _progress(definition, shown.answers),
        "status_error": problem,
        "page": page,
        "pages": _pages(definition),
    }
    return render(request, "instruments/fill_status.html", context)


@require_POST
@roles(*CLINICAL_ROLES)
def start(request: HtmxHttpRequest, patient_id: int) -> HttpResponse:
    """Open (or reopen, same token) a due questionnaire and go to its first page."""
    user = _user(request)
    patient = patient_get_for_user(user=user, patient_id=patient_id)
    form = StartForm(request.POST)
    episode = episode_current(patient=patient)
    if episode is None or not form.is_valid():
        messages.error(request, NO_EPISODE if episode is None else BAD_START)
        return redirect("instruments:measures", patient.pk)
    data = form.cleaned_data
    guardian = (
        Guardian.objects.filter(
            pk=data["guardian"], patient_links__patient=patient
        ).first()
        if data["guardian"]
        else None
    )
    try:
        a = services.administration_start(
            episode=episode,
            instrument_code=data["instrument_code"],
            time_point=TimePoint(data["time_point"]),
            time_point_index=data["time_point_index"],
            respondent_kind=RespondentKind(str(get(data["instrument_code"]).respondent))
            if _known(data["instrument_code"])
            else RespondentKind.CLINICIAN,
            respondent_guardian=guardian,
            entered_by=user,
            form_token=data["form_token"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("instruments:measures", patient.pk)
    return redirect("instruments:fill", a.pk)


def _known(code: str) -> bool:
    try:
        get(code)
    except KeyError:
        return False
    return True
