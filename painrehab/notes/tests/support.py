"""Builders for the notes tests, on top of ``referrals.tests.journey``.

Notes are written through the services, as in real use. A referred episode (opened
ten days ago) is enough for most tests and much quicker than an admission.
"""

import datetime as dt
import importlib
import uuid
from typing import Any

from django.db import connection
from django.utils import timezone

from painrehab.accounts.choices import Role
from painrehab.accounts.models import StaffProfile, User
from painrehab.accounts.tests.factories import StaffFactory
from painrehab.notes import psychotherapy, services
from painrehab.notes.choices import ConfidentialityReason, NoteKind
from painrehab.notes.models import Note, PsychotherapyNote
from painrehab.notes.rules import templates_for_user
from painrehab.notes.templates_catalog import template_get
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import CareTeamMemberFactory, PatientFactory
from painrehab.referrals.tests import journey

NOTE_TRIGGERS = importlib.import_module(
    "painrehab.notes.migrations.0002_signed_rows_triggers"
)


def today() -> dt.date:
    return timezone.localdate()


def born_years_ago(years: int, *, days: int = 30) -> dt.date:
    """A birth date ``years`` (plus ``days``) before today."""
    t = today()
    try:
        birthday = t.replace(year=t.year - years)
    except ValueError:  # 29 February
        birthday = t.replace(year=t.year - years, day=28)
    return birthday - dt.timedelta(days=days)


def child(*, age: int = 13, **kwargs: Any) -> Patient:
    """A patient of ``age`` with an open (referred) episode."""
    patient: Patient = PatientFactory(date_of_birth=born_years_ago(age), **kwargs)
    journey.referred(patient)
    return patient


def admitted_child(*, age: int = 14, days_ago: int = 2, **kwargs: Any) -> Patient:
    """A patient of ``age`` admitted ``days_ago`` days ago (the whole journey)."""
    patient: Patient = PatientFactory(date_of_birth=born_years_ago(age), **kwargs)
    journey.admitted(patient, days_ago=days_ago)
    return patient


def clinician(
    role: Role = Role.PHYSICAL_THERAPIST,
    *patients: Patient,
    trainee: bool = False,
    supervisor: User | None = None,
    **kwargs: Any,
) -> User:
    """A staff member on the care team of each of ``patients``."""
    user: User = StaffFactory(role=role, **kwargs)
    if trainee or supervisor is not None:
        StaffProfile.objects.filter(user=user).update(
            is_trainee=trainee, supervisor=supervisor
        )
        user.refresh_from_db()
    for patient in patients:
        CareTeamMemberFactory(patient=patient, member=user)
    return user


def template_key(user: User) -> str:
    """The user's daily progress template, else their first one."""
    templates = templates_for_user(user)
    progress = [t for t in templates if t.kind == NoteKind.DAILY_PROGRESS]
    return (progress or list(templates))[0].key


def body_for(
    key: str, text: str = "Walked 200 m with a steady gait."
) -> dict[str, str]:
    """Every section filled in, so the note can be signed."""
    return {s.key: f"{s.label}: {text}" for s in template_get(key).sections}


def draft(
    patient: Patient,
    author: User,
    *,
    key: str | None = None,
    body: dict[str, str] | None = None,
    service_date: dt.date | None = None,
    token: uuid.UUID | None = None,
) -> Note:
    key = key or template_key(author)
    return services.note_create(
        patient=patient,
        template_key=key,
        author=author,
        service_date=service_date or today(),
        form_token=token or uuid.uuid4(),
        body=body if body is not None else body_for(key),
    )


def signed(
    patient: Patient, author: User, *, late_entry_reason: str = "", **kwargs: Any
) -> Note:
    note = draft(patient, author, **kwargs)
    return services.note_sign(
        note=note, by=author, version=note.version, late_entry_reason=late_entry_reason
    )


def confidential_note(
    patient: Patient, author: User, text: str, *, key: str | None = None
) -> Note:
    """A signed note holding ``text`` in every section, marked
    adolescent-confidential at the teen's request (a canary for leak tests)."""
    key = key or template_key(author)
    note = signed(patient, author, key=key, body=body_for(key, text))
    return services.note_confidentiality_set(
        note=note,
        by=author,
        confidential=True,
        reason=ConfidentialityReason.TEEN_REQUEST,
    )


def psychotherapy_note(
    patient: Patient, author: User, text: str, *, sign: bool = True
) -> PsychotherapyNote:
    pn = psychotherapy.psychotherapy_note_create(
        patient=patient,
        author=author,
        service_date=today(),
        form_token=uuid.uuid4(),
        text=text,
    )
    if sign:
        pn = psychotherapy.psychotherapy_note_sign(pn=pn, by=author, version=pn.version)
    return pn


def tamper(sql: str, params: list[Any]) -> None:
    """Run SQL with the notes' triggers off, as someone with DBA rights could.

    Inside the test's transaction, so the triggers come back at its rollback.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Deferred foreign-key checks pending on a table block ALTER TABLE.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in ("notes_note", "notes_addendum", "notes_psychotherapynote"):
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        else:
            for statement in NOTE_TRIGGERS.SQLITE_REVERSE:
                cursor.execute(statement)
        cursor.execute(sql, params)
