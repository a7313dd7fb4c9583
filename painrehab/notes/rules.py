"""The notes' rules, shared by services, selectors and views.

Who writes which template, when a note is a late entry, who may amend or co-sign,
and who may mark a note adolescent-confidential. Each refusal is a module-level
message that tests import.
"""

import re
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.utils import timezone

from painrehab.accounts.choices import DISCIPLINE_OF_ROLE
from painrehab.accounts.models import StaffProfile, User
from painrehab.domain.ages import is_adolescent
from painrehab.notes.choices import LATE_ENTRY_HOURS, NOTE_WRITER_ROLES
from painrehab.notes.models import Note
from painrehab.notes.templates_catalog import NoteTemplate, template_get, templates_for
from painrehab.patients.models import Patient

NOT_A_WRITER = "Your role does not write clinical notes."
TEMPLATE_UNKNOWN = "There is no such note template; reload the page."
TEMPLATE_NOT_YOURS = "This template is for other disciplines."
FUTURE_DATE = "The date of service cannot be in the future."
BEFORE_EPISODE = "The date of service cannot be before the episode opened ({opened})."
UNDER_12 = (
    "Only a note about a patient aged 12 or over on its date of service can be "
    "marked adolescent-confidential."
)
NOT_AUTHOR = "Only the author can change or sign this note."
NOT_AMENDER = "Only the author or the author's supervisor can do this."


def profile_of(user: User) -> StaffProfile | None:
    try:
        return user.staff_profile
    except ObjectDoesNotExist:
        return None


def discipline_of(user: User) -> str:
    """The staff member's discipline: their profile's, else their role's."""
    profile = profile_of(user)
    if profile is not None and profile.discipline:
        return profile.discipline
    return str(DISCIPLINE_OF_ROLE.get(user.role, ""))  # type: ignore[call-overload]


def templates_for_user(user: User, *, group: bool = False) -> tuple[NoteTemplate, ...]:
    if user.role not in NOTE_WRITER_ROLES:
        return ()
    return templates_for(discipline_of(user), group=group)


def check_may_write(user: User, template_key: str) -> NoteTemplate:
    """The template if ``user`` may start it, else refused (role or discipline)."""
    if user.role not in NOTE_WRITER_ROLES:
        raise PermissionDenied(NOT_A_WRITER)
    try:
        template = template_get(template_key)
    except KeyError:
        raise ValidationError({"template": TEMPLATE_UNKNOWN}) from None
    if discipline_of(user) not in template.disciplines:
        raise ValidationError({"template": TEMPLATE_NOT_YOURS})
    return template


def check_service_date(service_date: date, opened_on: date) -> None:
    if service_date > timezone.localdate():
        raise ValidationError({"service_date": FUTURE_DATE})
    if service_date < opened_on:
        message = BEFORE_EPISODE.format(opened=opened_on.isoformat())
        raise ValidationError({"service_date": message})


def late_entry_deadline(service_date: date) -> datetime:
    """The end of the date of service (local time) plus 24 hours."""
    end_of_day = datetime.combine(
        service_date + timedelta(days=1),
        time.min,
        tzinfo=timezone.get_current_timezone(),
    )
    return end_of_day + timedelta(hours=LATE_ENTRY_HOURS)


def is_late(service_date: date, signed_at: datetime) -> bool:
    return signed_at > late_entry_deadline(service_date)


def supervisor_of(user: User) -> User | None:
    """The supervisor of a trainee; ``None`` for anyone not in training."""
    profile = profile_of(user)
    if profile is None or not profile.is_trainee:
        return None
    return profile.supervisor


def may_amend(note: Note, user: User) -> bool:
    """The author, or the supervisor who co-signs or supervises the author."""
    if note.author_id == user.pk:
        return True
    if note.cosign_supervisor_id is not None:
        return note.cosign_supervisor_id == user.pk
    supervisor = supervisor_of(note.author)
    return supervisor is not None and supervisor.pk == user.pk


def may_cosign(note: Note, user: User) -> bool:
    return note.awaiting_cosignature and note.cosign_supervisor_id == user.pk


def may_be_confidential(patient: Patient, service_date: date) -> bool:
    """Adolescent confidentiality starts at 12 on the date of service (§3)."""
    return is_adolescent(patient.date_of_birth, service_date)


NAMES_ANOTHER_CHILD = (
    "This text names another child from the group. A child's note holds nothing "
    "of another child: describe the group without naming other participants."
)


def _identifiers(patient: Patient) -> set[str]:
    words = {patient.given_name, patient.family_name, patient.preferred_name}
    words.add(patient.mrn)
    return {w.strip().casefold() for w in words if w and len(w.strip()) >= 2}


def _mentions(text: str, words: set[str]) -> bool:
    found = set(re.findall(r"\w+", text.casefold()))
    return bool(found & {w for w in words if " " not in w}) or any(
        w in text.casefold() for w in words if " " in w
    )


def check_names_only(
    sections: dict[str, str], patient: Patient | None, others: list[Patient]
) -> None:
    """Refuse any section naming one of ``others`` (their names or MRN).

    Words the patient shares with another child (two children called Sam) are
    allowed: they cannot tell the children apart.
    """
    own = _identifiers(patient) if patient is not None else set()
    words = set().union(*(_identifiers(o) for o in others)) - own if others else set()
    errors = {
        k: NAMES_ANOTHER_CHILD for k, v in sections.items() if _mentions(v, words)
    }
    if errors:
        raise ValidationError(errors)


def check_group_note(note: Note) -> None:
    """A group-session note must not name any other child who attended."""
    if note.group_session_id is None:
        return
    others = list(
        Patient.objects.filter(notes__group_session=note.group_session_id)
        .exclude(pk=note.patient_id)
        .distinct()
    )
    check_names_only(dict(note.body), note.patient, others)
