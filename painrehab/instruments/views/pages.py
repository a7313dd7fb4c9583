"""Questionnaire pages shared by staff filling and kiosk mode: wording, pages, saving.

Nothing here decides who may see what: the views fetch the administration through
``selectors.administration_get`` (the access funnel) before calling these helpers.
"""

import functools
import math
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _

from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, DataCategory
from painrehab.audit.services import record
from painrehab.domain.scoring import get
from painrehab.domain.scoring.content import (
    ContentPack,
    demo_pack_path,
    load_content_pack,
)
from painrehab.domain.scoring.definitions import InstrumentDefinition
from painrehab.instruments import services
from painrehab.instruments.choices import RespondentKind
from painrehab.instruments.forms import ITEM_PREFIX, PageForm, answers_from
from painrehab.instruments.models import Administration, Score

PER_PAGE = 5
STALE = "This questionnaire was changed elsewhere; reload the page to see it."


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


def questions(
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
    by = a.entered_by.get_full_name() or a.entered_by.username
    if a.via_kiosk:
        line += " · " + _("on a tablet handed over by %(by)s") % {"by": by}
    elif a.respondent_kind != RespondentKind.CLINICIAN:
        line += " · " + _("entered by %(by)s on behalf of the %(kind)s") % {
            "by": by,
            "kind": kind,
        }
    return line


def audit_viewed(user: User, a: Administration) -> None:
    record(
        action="administration.viewed",
        action_type=ActionType.READ,
        actor=user,
        patient_id=a.episode.patient_id,
        data_category=DataCategory.EPISODE,
        obj=a,
    )


def page_of(request: HttpRequest, pages: int) -> int:
    raw = request.POST.get("page") or request.GET.get("page") or "1"
    try:
        return min(max(int(raw), 1), pages)
    except ValueError:
        return 1


def page_count(definition: InstrumentDefinition) -> int:
    return max(1, math.ceil(len(definition.items) / PER_PAGE))


def progress(definition: InstrumentDefinition, answers: dict[str, Any]) -> str:
    answered = sum(1 for key in definition.item_keys if answers.get(key) is not None)
    return _("%(answered)s of %(total)s answered") % {
        "answered": answered,
        "total": len(definition.items),
    }


def fill_context(
    a: Administration,
    page: int,
    *,
    answers: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    version: int | None = None,
    status_error: str = "",
    kiosk: bool = False,
) -> dict[str, Any]:
    """One page of items, with what was posted shown over what is stored.

    ``kiosk`` points the form at the kiosk's own URLs (the only ones a kiosk
    tablet may open).
    """
    definition = get(a.instrument_version.code)
    keys = list(definition.item_keys)
    pages = page_count(definition)
    shown = {**a.answers, **(answers or {})}
    on_page = keys[(page - 1) * PER_PAGE : page * PER_PAGE]
    return {
        "administration": a,
        "patient": a.episode.patient,
        "definition": definition,
        "notice": content_for(definition.code).notice,
        "questions": questions(definition, on_page, shown, errors or {}),
        "page": page,
        "pages": pages,
        "is_last": page == pages,
        "version": version or a.version,
        "progress": progress(definition, a.answers),
        "status_error": status_error,
        "respondent": respondent_line(a),
        "fill_view": "instruments:kiosk_fill" if kiosk else "instruments:fill",
        "save_view": "instruments:kiosk_save" if kiosk else "instruments:save",
        "kiosk": kiosk,
    }


def refused_context(
    a: Administration,
    page: int,
    data: Any,
    errors: dict[str, str],
    *,
    kiosk: bool = False,
) -> dict[str, Any]:
    """The page again with what was posted, so nothing typed is lost."""
    return fill_context(
        a,
        page,
        answers=_posted_answers(data),
        errors=errors,
        version=posted_version(data),
        kiosk=kiosk,
    )


def status_context(
    a: Administration, saved: Administration | None, data: Any, problem: str, page: int
) -> dict[str, Any]:
    """The autosave status line: the new version and progress, or the problem."""
    shown = saved or a
    definition = get(a.instrument_version.code)
    return {
        "administration": shown,
        "version": shown.version if saved else posted_version(data),
        "progress": progress(definition, shown.answers),
        "status_error": problem,
        "page": page,
        "pages": page_count(definition),
    }


def save_posted(
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


def posted_version(data: Any) -> int | None:
    form = PageForm(data)
    return form.cleaned_data["version"] if form.is_valid() else None


@dataclass(frozen=True)
class ScaleLine:
    label: str
    value: float | None
    band: str
    flagged: bool
    scorable: bool
    reasons: tuple[str, ...]


def scale_lines(definition: InstrumentDefinition, score: Score) -> list[ScaleLine]:
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
