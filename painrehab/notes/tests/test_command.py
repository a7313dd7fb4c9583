"""`painrehab notes verify`: exit 0 when every digest matches, 1 on any mismatch."""

import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from painrehab.accounts.choices import Role
from painrehab.notes import services
from painrehab.notes.tests.support import (
    child,
    clinician,
    psychotherapy_note,
    signed,
    tamper,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def notes() -> dict[str, int]:
    patient = child()
    pt = clinician(Role.PHYSICAL_THERAPIST, patient)
    note = signed(patient, pt)
    addendum = services.addendum_add(
        note=note, by=pt, text="Later.", reason="Info", form_token=uuid.uuid4()
    )
    pn = psychotherapy_note(patient, clinician(Role.PSYCHOLOGIST, patient), "PN")
    return {"note": note.pk, "addendum": addendum.pk, "pn": pn.pk}


def test_verify_passes_on_untouched_notes(
    notes: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("notes", "verify")
    assert "every signed note digest verified" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("table", "column", "key", "named"),
    [
        ("notes_note", "body", "note", "note"),
        ("notes_addendum", "text", "addendum", "addendum"),
        ("notes_psychotherapynote", "text", "pn", "psychotherapy note"),
    ],
)
def test_verify_exits_1_naming_the_altered_row(
    notes: dict[str, int], table: str, column: str, key: str, named: str
) -> None:
    value = '{"plan": "altered"}' if column == "body" else "altered"
    tamper(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, notes[key]])  # noqa: S608
    with pytest.raises(CommandError) as failed:
        call_command("notes", "verify")
    assert f"{named} {notes[key]}" in str(failed.value)
    assert failed.value.returncode == 1
