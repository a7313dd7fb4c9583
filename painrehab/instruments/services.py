"""Writes: start, autosave, submit and correct a questionnaire administration.

Every write checks ``instruments.rules`` first (the access funnel, then who may
answer which form, then the answers themselves); nothing is written when a check
refuses. Refusals: ``PatientNotFound`` (someone else's child, looks like missing),
``PermissionDenied`` (wrong kind of form for this person), ``ValidationError``
(bad input, stale version, submitted form) with a message constant from
``instruments.rules`` or this module.
"""

import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from painrehab.accounts.choices import CLINICAL_ROLES
from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, DataCategory
from painrehab.audit.services import record
from painrehab.domain.scoring import (
    ScoreResult,
    score,
)
from painrehab.domain.scoring.definitions import InstrumentDefinition
from painrehab.episodes.models import Episode
from painrehab.instruments.catalog_sync import catalog_sync
from painrehab.instruments.choices import (
    AdministrationStatus,
    RespondentKind,
    TimePoint,
)
from painrehab.instruments.models import Administration, InstrumentVersion, Score
from painrehab.instruments.rules import (
    answering_guardian,
    check_guardian_linked,
    check_kind,
    check_may_answer,
    definition_for,
    validated,
)
from painrehab.instruments.selectors import respondent_forms
from painrehab.patients.access import patient_get_for_user
from painrehab.patients.models import Guardian

STAFF_ONLY = "Only the care team may do this."
FORM_REUSED = "This form belongs to another questionnaire; reload the page."
STALE_VERSION = (
    "Someone else saved this questionnaire in the meantime; reload to see it."
)
ALREADY_SUBMITTED = "This questionnaire has been submitted; correct it instead."
NOT_SUBMITTED = "Only a submitted questionnaire can be corrected."
REASON_REQUIRED = "Give a reason for the correction."
ANSWERED_IN_FUTURE = "The date answered cannot be in the future."
ANSWERED_BEFORE_EPISODE = (
    "The date answered cannot be before the episode opened ({opened})."
)
VERSION_RETIRED = (
    "{code} version {version} is no longer in the scoring catalog; start a new form."
)


def _instrument_version(definition: InstrumentDefinition) -> InstrumentVersion:
    found = InstrumentVersion.objects.filter(
        code=definition.code, version=definition.version
    ).first()
    if found is None:
        catalog_sync()
        found = InstrumentVersion.objects.get(
            code=definition.code, version=definition.version
        )
    return found


def _audit(
    action: str,
    administration: Administration,
    by: User,
    action_type: ActionType,
    changes: dict[str, Any] | None = None,
) -> None:
    record(
        action=action,
        action_type=action_type,
        actor=by,
        patient_id=administration.episode.patient_id,
        data_category=DataCategory.EPISODE,
        obj=administration,
        changes={
            "instrument": str(administration.instrument_version),
            "time_point": administration.time_point,
            "time_point_index": administration.time_point_index,
            **(changes or {}),
        },
    )


@transaction.atomic
def administration_start(
    *,
    episode: Episode,
    instrument_code: str,
    time_point: TimePoint,
    time_point_index: int,
    respondent_kind: RespondentKind,
    entered_by: User,
    form_token: uuid.UUID,
    respondent_guardian: Guardian | None = None,
) -> Administration:
    """Open a draft; the same ``form_token`` again returns the same row."""
    patient_get_for_user(user=entered_by, patient_id=episode.patient_id)
    existing = Administration.objects.filter(form_token=form_token).first()
    if existing is not None:
        return _same_form(existing, episode, instrument_code)
    definition = definition_for(instrument_code)
    check_kind(definition, respondent_kind)
    guardian = answering_guardian(
        user=entered_by, kind=respondent_kind, guardian=respondent_guardian
    )
    check_may_answer(
        user=entered_by, episode=episode, kind=respondent_kind, guardian=guardian
    )
    if respondent_kind == RespondentKind.PARENT:
        check_guardian_linked(episode, guardian)
    administration = Administration(
        episode=episode,
        instrument_version=_instrument_version(definition),
        time_point=time_point,
        time_point_index=time_point_index,
        respondent_kind=respondent_kind,
        respondent_patient=(
            episode.patient if respondent_kind == RespondentKind.CHILD else None
        ),
        respondent_guardian=guardian,
        respondent_user=(
            entered_by if respondent_kind == RespondentKind.CLINICIAN else None
        ),
        entered_by=entered_by,
        form_token=form_token,
    )
    administration.full_clean()
    try:
        with transaction.atomic():
            administration.save()
    except IntegrityError:
        # A concurrent double submit won the race for the token.
        raced = Administration.objects.get(form_token=form_token)
        return _same_form(raced, episode, instrument_code)
    _audit("administration.started", administration, entered_by, ActionType.CREATE)
    return administration


def _same_form(
    existing: Administration, episode: Episode, instrument_code: str
) -> Administration:
    if (
        existing.episode_id != episode.pk
        or existing.instrument_version.code != instrument_code
    ):
        raise ValidationError({"form_token": FORM_REUSED})
    return existing


def _locked(administration: Administration) -> Administration:
    return (
        Administration.objects.select_for_update(of=("self",))
        .select_related("instrument_version", "episode", "respondent_guardian")
        .get(pk=administration.pk)
    )


def _check_writer(locked: Administration, by: User) -> None:
    check_may_answer(
        user=by,
        episode=locked.episode,
        kind=locked.respondent_kind,
        guardian=locked.respondent_guardian,
    )


def _check_open(locked: Administration, version: int) -> None:
    if locked.is_submitted:
        raise ValidationError(ALREADY_SUBMITTED)
    if locked.version != version:
        raise ValidationError({"version": STALE_VERSION})


def _catalog_definition(locked: Administration) -> InstrumentDefinition:
    stored = locked.instrument_version
    definition = definition_for(stored.code)
    if definition.version != stored.version:
        raise ValidationError(
            VERSION_RETIRED.format(code=stored.code, version=stored.version)
        )
    return definition


@transaction.atomic
def answers_save(
    *,
    administration: Administration,
    by: User,
    answers: Mapping[str, int | None],
    version: int,
) -> Administration:
    """Merge draft answers (``None`` clears one); any bad answer saves nothing."""
    locked = _locked(administration)
    _check_writer(locked, by)
    _check_open(locked, version)
    definition = _catalog_definition(locked)
    merged = validated(definition, {**locked.answers, **answers})
    locked.answers = {k: v for k, v in merged.items() if v is not None}
    locked.version += 1
    locked.full_clean()
    locked.save(update_fields=["answers", "version", "updated_at"])
    _audit(
        "administration.saved",
        locked,
        by,
        ActionType.UPDATE,
        {"items": sorted(answers, key=_item_order)},
    )
    return locked


def _item_order(key: str) -> tuple[int, str]:
    return (int(key), key) if key.isdigit() else (10**6, key)


def _scales_json(result: ScoreResult) -> dict[str, dict[str, Any]]:
    return {
        key: {
            "value": scale.value,
            "scorable": scale.scorable,
            "prorated": scale.prorated,
            "missing": list(scale.missing),
            "band": scale.band,
            "flagged": scale.flagged,
            "reasons": list(scale.reasons),
        }
        for key, scale in result.scales.items()
    }


@transaction.atomic
def administration_submit(
    *,
    administration: Administration,
    by: User,
    version: int,
    answered_on: date | None = None,
    via_kiosk: bool = False,
) -> Score:
    """Score and make final; a second submit returns the stored score unchanged.

    ``answered_on`` is the day on a paper form typed in later (a late entry);
    it defaults to today and may not be in the future or before the episode.
    ``via_kiosk`` records that the child answered alone on a handed-over tablet.
    """
    locked = _locked(administration)
    _check_writer(locked, by)
    existing = Score.objects.filter(administration=locked).first()
    if locked.is_submitted and existing is not None:
        return existing
    _check_open(locked, version)
    definition = _catalog_definition(locked)
    answered = _answered_on(locked, answered_on)
    locked.answered_on = answered
    locked.via_kiosk = via_kiosk
    result = score(definition, locked.answers)
    now = timezone.now()
    locked.status = AdministrationStatus.SUBMITTED
    locked.submitted_at = now
    locked.version += 1
    locked.full_clean()
    locked.save(
        update_fields=[
            "status",
            "submitted_at",
            "answered_on",
            "via_kiosk",
            "version",
            "updated_at",
        ]
    )
    stored = _score_create(locked, result, now)
    summary = {**_summary(stored), "answered_on": answered.isoformat()}
    _audit("administration.submitted", locked, by, ActionType.UPDATE, summary)
    if stored.flagged:
        _audit("score.flagged", locked, by, ActionType.EXECUTE, _flags(stored))
    administration.refresh_from_db()
    return stored


def _answered_on(locked: Administration, answered_on: date | None) -> date:
    today = timezone.localdate()
    if answered_on is None:
        return today
    if answered_on > today:
        raise ValidationError({"answered_on": ANSWERED_IN_FUTURE})
    opened = locked.episode.opened_on
    if answered_on < opened:
        message = ANSWERED_BEFORE_EPISODE.format(opened=opened.isoformat())
        raise ValidationError({"answered_on": message})
    return answered_on


def _score_create(
    administration: Administration, result: ScoreResult, now: Any
) -> Score:
    stored = Score(
        administration=administration,
        total=result.total,
        scales=_scales_json(result),
        t_score=result.t_score,
        band=result.band or "",
        flagged=any(scale.flagged for scale in result.scales.values()),
        scorable=result.scorable,
        reasons=list(result.reasons),
        engine_version=result.engine_version,
        definition_version=result.version,
        scored_at=now,
    )
    stored.full_clean()
    stored.save()
    return stored


def _summary(stored: Score) -> dict[str, Any]:
    return {
        "total": stored.total,
        "scorable": stored.scorable,
        "flagged": stored.flagged,
        "engine_version": stored.engine_version,
    }


def _flags(stored: Score) -> dict[str, Any]:
    return {"scales": [k for k, s in stored.scales.items() if s["flagged"]]}


@transaction.atomic
def administration_correct(
    *, administration: Administration, by: User, reason: str
) -> Administration:
    """A new draft linked to the submitted one, answers copied; the original stays."""
    locked = _locked(administration)
    _check_writer(locked, by)
    if not locked.is_submitted:
        raise ValidationError(NOT_SUBMITTED)
    if not reason.strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    open_correction = locked.corrections.filter(
        status=AdministrationStatus.IN_PROGRESS
    ).first()
    if open_correction is not None:
        return open_correction
    correction = Administration(
        episode=locked.episode,
        instrument_version=locked.instrument_version,
        time_point=locked.time_point,
        time_point_index=locked.time_point_index,
        respondent_kind=locked.respondent_kind,
        respondent_patient=locked.respondent_patient,
        respondent_guardian=locked.respondent_guardian,
        respondent_user=locked.respondent_user,
        entered_by=by,
        answers=dict(locked.answers),
        corrects=locked,
        correction_reason=reason.strip(),
    )
    correction.full_clean()
    correction.save()
    _audit(
        "administration.corrected",
        correction,
        by,
        ActionType.CREATE,
        {"corrects": locked.pk, "reason": correction.correction_reason},
    )
    return correction


@transaction.atomic
def score_acknowledge(*, score: Score, by: User) -> Score:
    """A clinician has seen a flagged score; it leaves ``flagged_scores_for``."""
    locked = (
        Score.objects.select_for_update(of=("self",))
        .select_related("administration__episode", "administration__instrument_version")
        .get(pk=score.pk)
    )
    if by.role not in CLINICAL_ROLES:
        raise PermissionDenied(STAFF_ONLY)
    patient_get_for_user(user=by, patient_id=locked.administration.episode.patient_id)
    if locked.acknowledged_at is None:
        locked.acknowledged_at = timezone.now()
        locked.acknowledged_by = by
        locked.save(update_fields=["acknowledged_at", "acknowledged_by"])
        _audit("score.acknowledged", locked.administration, by, ActionType.UPDATE)
    return locked


# --- A respondent opens their own due form (the family portal) --------------

NOT_DUE = "This questionnaire is not waiting for this person now."


def _check_same_respondent(
    existing: Administration,
    episode: Episode,
    instrument_code: str,
    respondent_kind: RespondentKind,
    guardian: Guardian | None,
) -> Administration:
    same = _same_form(existing, episode, instrument_code)
    if same.respondent_kind != respondent_kind or (
        respondent_kind == RespondentKind.PARENT
        and same.respondent_guardian_id != (guardian.pk if guardian else None)
    ):
        raise ValidationError({"form_token": FORM_REUSED})
    return same


@transaction.atomic
def administration_open_due(
    *,
    episode: Episode,
    instrument_code: str,
    respondent_kind: RespondentKind,
    entered_by: User,
    form_token: uuid.UUID,
    respondent_guardian: Guardian | None = None,
    today: date | None = None,
) -> Administration:
    """Open a form due for one respondent (a guardian, or the child) by themself.

    The time point comes from the due list, never from the request. The
    respondent's own draft of the same form is reused, and the same
    ``form_token`` again returns the same row, so a double click is one
    administration. A form not due for this kind of respondent is refused
    (``NOT_DUE``); the rules of ``administration_start`` apply to the rest.
    """
    check_may_answer(
        user=entered_by,
        episode=episode,
        kind=respondent_kind,
        guardian=respondent_guardian,
    )
    if respondent_kind == RespondentKind.PARENT:
        check_guardian_linked(episode, respondent_guardian)
    # One opener at a time per episode, so two taps cannot open two drafts.
    Episode.objects.select_for_update().filter(pk=episode.pk).first()
    existing = Administration.objects.filter(form_token=form_token).first()
    if existing is not None:
        return _check_same_respondent(
            existing, episode, instrument_code, respondent_kind, respondent_guardian
        )
    forms = respondent_forms(
        episode=episode,
        today=today or timezone.localdate(),
        respondent_kind=respondent_kind,
        guardian=respondent_guardian,
    )
    due = next(
        (d for d in forms.due if d.item.instrument_code == instrument_code), None
    )
    if due is None:
        raise ValidationError({"instrument_code": NOT_DUE})
    if due.draft is not None:
        return due.draft
    return administration_start(
        episode=episode,
        instrument_code=instrument_code,
        time_point=due.item.time_point,
        time_point_index=due.item.time_point_index,
        respondent_kind=respondent_kind,
        respondent_guardian=respondent_guardian,
        entered_by=entered_by,
        form_token=form_token,
    )
