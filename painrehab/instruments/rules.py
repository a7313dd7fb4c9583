"""The rules of answering: who may answer which form, and what a valid answer is.

Who may answer what (checked on every write by ``instruments.services``):

- a clinician may answer or enter any instrument for a patient the access funnel
  lets them see (care team; the coordinator sees all);
- a guardian only parent-respondent instruments, as themselves, for their own child;
- a patient only child-respondent instruments, for their own record.

A patient the person may not see raises ``PatientNotFound`` (a 404, so "missing" and
"someone else's child" look the same); a visible patient but the wrong kind of form
raises ``PermissionDenied``; bad input raises ``ValidationError`` with one of the
message constants below, keyed by the field or the item at fault.
"""

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError

from painrehab.accounts.choices import CLINICAL_ROLES, Role
from painrehab.accounts.models import User
from painrehab.domain.scoring import (
    ScoringInputError,
    UnknownItem,
    ValueOutOfRange,
    get,
    score,
)
from painrehab.domain.scoring.definitions import InstrumentDefinition
from painrehab.episodes.models import Episode
from painrehab.instruments.choices import RespondentKind
from painrehab.patients.access import patient_get_for_user
from painrehab.patients.models import Guardian, PatientGuardian

UNKNOWN_INSTRUMENT = "There is no instrument {code}."
WRONG_RESPONDENT = "{code} is answered by the {expected}, not the {given}."
GUARDIAN_REQUIRED = "Say which parent or guardian is answering."
GUARDIAN_NOT_LINKED = "This guardian is not linked to the patient."
FAMILY_WRONG_FORM = "This questionnaire is not one for you to answer."
FAMILY_NOT_SELF = "A guardian answers only as themselves."
UNKNOWN_ITEM = "Item {item} is not on this form."
NOT_AN_OPTION = "Item {item}: {value} is not one of the options ({allowed})."
NOT_A_NUMBER = "Item {item}: the answer must be one of the options."


def definition_for(code: str) -> InstrumentDefinition:
    try:
        return get(code)
    except KeyError:
        raise ValidationError(
            {"instrument_code": UNKNOWN_INSTRUMENT.format(code=code)}
        ) from None


def check_kind(definition: InstrumentDefinition, kind: RespondentKind) -> None:
    if str(definition.respondent) != kind:
        raise ValidationError(
            {
                "respondent_kind": WRONG_RESPONDENT.format(
                    code=definition.code, expected=definition.respondent, given=kind
                )
            }
        )


def check_may_answer(
    *, user: User, episode: Episode, kind: str, guardian: Guardian | None
) -> None:
    """The access funnel first (404 for others' children), then the role rules."""
    patient_get_for_user(user=user, patient_id=episode.patient_id)
    if user.role in CLINICAL_ROLES:
        return
    if user.role == Role.GUARDIAN and kind == RespondentKind.PARENT:
        if guardian is None or guardian.user_id != user.pk:
            raise PermissionDenied(FAMILY_NOT_SELF)
        return
    if user.role == Role.PATIENT and kind == RespondentKind.CHILD:
        return
    raise PermissionDenied(FAMILY_WRONG_FORM)


def answering_guardian(
    *, user: User, kind: str, guardian: Guardian | None
) -> Guardian | None:
    """The answering guardian; a signed-in guardian answers as themselves."""
    if kind != RespondentKind.PARENT:
        return None
    if guardian is None and user.role == Role.GUARDIAN:
        return Guardian.objects.filter(user=user).first()
    return guardian


def check_guardian_linked(episode: Episode, guardian: Guardian | None) -> None:
    if guardian is None:
        raise ValidationError({"respondent_guardian": GUARDIAN_REQUIRED})
    linked = PatientGuardian.objects.filter(
        patient_id=episode.patient_id, guardian=guardian
    ).exists()
    if not linked:
        raise ValidationError({"respondent_guardian": GUARDIAN_NOT_LINKED})


def validated(
    definition: InstrumentDefinition, answers: Mapping[str, object]
) -> dict[str, int | None]:
    """Check every answer against the definition; the error names the item."""
    cleaned: dict[str, int | None] = {}
    for key, value in answers.items():
        cleaned[str(key)] = value  # type: ignore[assignment]
    try:
        score(definition, cleaned)
    except ScoringInputError as error:
        raise ValidationError({error.item: _answer_message(error)}) from None
    return cleaned


def _answer_message(error: ScoringInputError) -> str:
    if isinstance(error, UnknownItem):
        return UNKNOWN_ITEM.format(item=error.item)
    if isinstance(error, ValueOutOfRange):
        allowed = ", ".join(str(v) for v in error.allowed)
        return NOT_AN_OPTION.format(item=error.item, value=error.value, allowed=allowed)
    return NOT_A_NUMBER.format(item=error.item)
