"""Signed notes are final at every layer: model, queryset, and database triggers.

The raw-SQL tests run on whichever database the suite runs on (SQLite by default,
PostgreSQL in CI), so the triggers of migration 0002 are tested on both.
"""

import datetime as dt
import uuid
from typing import Any

import pytest
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from painrehab.accounts.choices import Role
from painrehab.notes import services
from painrehab.notes.models import (
    ADDENDUM_IS_FINAL,
    COSIGNED_ONCE,
    MUTABLE_AFTER_SIGNING,
    SIGNED_IS_FINAL,
    Addendum,
    Note,
    PsychotherapyNote,
)
from painrehab.notes.tests.support import (
    child,
    clinician,
    draft,
    psychotherapy_note,
    signed,
)

pytestmark = pytest.mark.django_db


def _raw(sql: str, params: list[Any]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def _refused(sql: str, params: list[Any], message: str = "final") -> None:
    with pytest.raises(DatabaseError) as refused:
        _raw(sql, params)
    assert message in str(refused.value)


@pytest.fixture
def a_signed_note() -> Note:
    patient = child()
    return signed(patient, clinician(Role.PHYSICAL_THERAPIST, patient))


def test_raw_update_of_a_signed_note_is_refused_by_the_database(
    a_signed_note: Note,
) -> None:
    _refused(
        "UPDATE notes_note SET body = %s WHERE id = %s",
        ['{"plan": "rewritten"}', a_signed_note.pk],
    )
    a_signed_note.refresh_from_db()
    assert a_signed_note.verify()


def test_raw_delete_of_a_signed_note_is_refused_by_the_database(
    a_signed_note: Note,
) -> None:
    _refused("DELETE FROM notes_note WHERE id = %s", [a_signed_note.pk])
    assert Note.objects.filter(pk=a_signed_note.pk).exists()


def test_raw_writes_to_a_draft_are_allowed() -> None:
    patient = child()
    note = draft(patient, clinician(Role.PHYSICAL_THERAPIST, patient))
    _raw("UPDATE notes_note SET body = %s WHERE id = %s", ['{"plan": "x"}', note.pk])
    _raw("DELETE FROM notes_note WHERE id = %s", [note.pk])
    assert not Note.objects.filter(pk=note.pk).exists()


def _changed(field: "models.Field[Any, Any]", value: Any) -> Any:
    """A different value of the same type (the trigger fires before any FK check)."""
    if isinstance(field, models.BooleanField):
        return not value
    if isinstance(field, models.DateTimeField):
        return (value or timezone.now()) + dt.timedelta(days=1)
    if isinstance(field, models.DateField):
        return value - dt.timedelta(days=1)
    if isinstance(field, models.UUIDField):
        return uuid.uuid4()
    if isinstance(field, models.JSONField):
        return {"changed": True}
    if isinstance(field, models.ForeignKey | models.AutoField | models.IntegerField):
        return (value or 0) + 100_000
    text = str(value)
    return text[:-1] + ("y" if text.endswith("x") else "x")  # keeps max_length


def _frozen_fields() -> list["models.Field[Any, Any]"]:
    return [
        f for f in Note._meta.concrete_fields if f.name not in MUTABLE_AFTER_SIGNING
    ]


@pytest.mark.parametrize("name", [f.name for f in _frozen_fields()])
def test_every_column_of_a_signed_note_outside_the_allow_list_is_frozen(
    name: str, a_signed_note: Note
) -> None:
    """A column added later without a trigger migration fails here (on SQLite)."""
    field = Note._meta.get_field(name)
    assert isinstance(field, models.Field)
    new = _changed(field, getattr(a_signed_note, field.attname))
    param = field.get_db_prep_save(new, connection)
    _refused(
        f"UPDATE notes_note SET {field.column} = %s WHERE id = %s",  # noqa: S608
        [param, a_signed_note.pk],
    )


def test_the_confidentiality_columns_of_a_signed_note_may_change(
    a_signed_note: Note,
) -> None:
    _raw(
        "UPDATE notes_note SET confidential = %s, confidential_reason = %s "
        "WHERE id = %s",
        [True, "teen_request_171_202_e", a_signed_note.pk],
    )
    a_signed_note.refresh_from_db()
    assert a_signed_note.confidential and a_signed_note.verify()


def test_a_cosignature_once_given_cannot_be_changed_even_raw() -> None:
    patient = child()
    supervisor = clinician(Role.PHYSICAL_THERAPIST, patient)
    trainee = clinician(
        Role.PHYSICAL_THERAPIST, patient, trainee=True, supervisor=supervisor
    )
    note = services.note_cosign(note=signed(patient, trainee), by=supervisor)
    _refused(
        "UPDATE notes_note SET cosigned_at = %s WHERE id = %s",
        [timezone.now() + dt.timedelta(days=1), note.pk],
        "co-signature",
    )
    _refused(
        "UPDATE notes_note SET cosigned_by_id = %s WHERE id = %s",
        [trainee.pk, note.pk],
        "co-signature",
    )


def test_raw_update_and_delete_of_an_addendum_are_refused(a_signed_note: Note) -> None:
    addendum = services.addendum_add(
        note=a_signed_note,
        by=a_signed_note.author,
        text="Later.",
        reason="Info",
        form_token=uuid.uuid4(),
    )
    _refused(
        "UPDATE notes_addendum SET text = %s WHERE id = %s", ["Edited", addendum.pk]
    )
    _refused("DELETE FROM notes_addendum WHERE id = %s", [addendum.pk])
    assert Addendum.objects.get(pk=addendum.pk).verify()


def test_raw_update_and_delete_of_a_signed_psychotherapy_note_are_refused() -> None:
    patient = child()
    psychologist = clinician(Role.PSYCHOLOGIST, patient)
    pn = psychotherapy_note(patient, psychologist, "Session content.")
    _refused("UPDATE notes_psychotherapynote SET text = %s WHERE id = %s", ["x", pn.pk])
    _refused("DELETE FROM notes_psychotherapynote WHERE id = %s", [pn.pk])
    assert PsychotherapyNote.objects.get(pk=pn.pk).verify()


# --- the model and queryset layers ---


def test_saving_a_signed_note_is_refused_by_the_model(a_signed_note: Note) -> None:
    a_signed_note.body = {"plan": "rewritten"}
    with pytest.raises(PermissionError, match=SIGNED_IS_FINAL):
        a_signed_note.save()
    with pytest.raises(PermissionError, match=SIGNED_IS_FINAL):
        a_signed_note.save(update_fields=["body"])
    with pytest.raises(PermissionError, match=SIGNED_IS_FINAL):
        a_signed_note.delete()


def test_a_stale_instance_of_a_since_signed_draft_cannot_save() -> None:
    patient = child()
    pt = clinician(Role.PHYSICAL_THERAPIST, patient)
    stale = draft(patient, pt)
    services.note_sign(note=Note.objects.get(pk=stale.pk), by=pt, version=1)
    stale.body = {"plan": "sneaked in"}
    with pytest.raises(PermissionError):
        stale.save()


def test_queryset_update_and_delete_refuse_signed_notes(a_signed_note: Note) -> None:
    signed_rows = Note.objects.filter(pk=a_signed_note.pk)
    with pytest.raises(PermissionError, match=SIGNED_IS_FINAL):
        signed_rows.update(body={})
    with pytest.raises(PermissionError, match=SIGNED_IS_FINAL):
        signed_rows.delete()
    with pytest.raises(PermissionError, match=SIGNED_IS_FINAL):
        Note.objects.all().update(template="x")


def test_queryset_writes_to_drafts_still_work() -> None:
    patient = child()
    note = draft(patient, clinician(Role.PHYSICAL_THERAPIST, patient))
    assert Note.objects.filter(pk=note.pk).update(version=5) == 1
    assert Note.objects.filter(pk=note.pk).delete()[0] == 1


def test_a_cosignature_cannot_be_rewritten_through_the_model() -> None:
    patient = child()
    supervisor = clinician(Role.PHYSICAL_THERAPIST, patient)
    trainee = clinician(
        Role.PHYSICAL_THERAPIST, patient, trainee=True, supervisor=supervisor
    )
    note = services.note_cosign(note=signed(patient, trainee), by=supervisor)
    note.cosigned_at = timezone.now()
    with pytest.raises(PermissionError, match=COSIGNED_ONCE):
        note.save(update_fields=["cosigned_at"])


def test_addenda_refuse_every_change_at_the_model_and_queryset(
    a_signed_note: Note,
) -> None:
    addendum = services.addendum_add(
        note=a_signed_note,
        by=a_signed_note.author,
        text="Later.",
        reason="Info",
        form_token=uuid.uuid4(),
    )
    with pytest.raises(PermissionError, match=ADDENDUM_IS_FINAL):
        addendum.save()
    with pytest.raises(PermissionError, match=ADDENDUM_IS_FINAL):
        addendum.delete()
    with pytest.raises(PermissionError, match=ADDENDUM_IS_FINAL):
        Addendum.objects.filter(pk=addendum.pk).update(text="x")
    with pytest.raises(PermissionError, match=ADDENDUM_IS_FINAL):
        Addendum.objects.filter(pk=addendum.pk).delete()


def test_signed_psychotherapy_notes_refuse_model_and_queryset_writes() -> None:
    patient = child()
    psychologist = clinician(Role.PSYCHOLOGIST, patient)
    pn = psychotherapy_note(patient, psychologist, "Session content.")
    pn.text = "rewritten"
    with pytest.raises(PermissionError):
        pn.save()
    with pytest.raises(PermissionError):
        pn.delete()
    with pytest.raises(PermissionError):
        PsychotherapyNote.objects.filter(pk=pn.pk).update(text="x")
