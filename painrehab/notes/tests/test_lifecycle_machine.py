"""A Hypothesis state machine over edit / sign / addend / co-sign sequences (INT-1).

After every step, every signed note's stored row (every column outside the
confidentiality and co-signature allow-list, read back with raw SQL) and its
digest are exactly what they were at signing, and ``verify()`` passes. Every
attempt to edit a signed note, through the service, the model, the queryset or raw
SQL, is refused. Each example runs in a savepoint that is rolled back.
"""

import datetime as dt
import uuid
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.notes import rules, services
from painrehab.notes.models import Addendum, Note
from painrehab.notes.tests.support import NOTE_TRIGGERS, child, clinician, draft, today
from painrehab.patients.models import Patient

pytestmark = pytest.mark.django_db
FROZEN = ", ".join(NOTE_TRIGGERS.NOTE_FROZEN)
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.just("\n"),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip())


def _row(table: str, columns: str, pk: int) -> tuple[Any, ...]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        row = cursor.fetchone()
    assert row is not None
    return tuple(row)


class NoteLifecycle(RuleBasedStateMachine):
    people: dict[str, User] = {}
    patient: Patient

    notes = Bundle("notes")

    def __init__(self) -> None:
        super().__init__()
        self._savepoint = transaction.atomic()
        self._savepoint.__enter__()
        self.signed_rows: dict[int, tuple[Any, ...]] = {}
        self.addenda_rows: dict[int, tuple[Any, ...]] = {}

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._savepoint.__exit__(None, None, None)

    def _note(self, pk: int) -> Note:
        return Note.objects.select_related("author", "patient").get(pk=pk)

    @rule(
        target=notes,
        writer=st.sampled_from(["author", "trainee"]),
        days_ago=st.sampled_from([0, 1, 3]),
    )
    def create(self, writer: str, days_ago: int) -> int:
        note = draft(
            self.patient,
            self.people[writer],
            service_date=today() - dt.timedelta(days=days_ago),
        )
        return note.pk

    @rule(pk=notes, text=TEXT)
    def edit(self, pk: int, text: str) -> None:
        note = self._note(pk)
        body = {**note.body, "subjective": text}
        try:
            services.note_save(
                note=note, by=note.author, version=note.version, body=body
            )
        except ValidationError as refused:
            assert note.is_signed, refused
            assert services.ALREADY_SIGNED in refused.message_dict["status"]
        else:
            assert not note.is_signed

    @rule(pk=notes, text=TEXT)
    def edit_with_a_stale_version(self, pk: int, text: str) -> None:
        note = self._note(pk)
        with pytest.raises(ValidationError):
            services.note_save(
                note=note,
                by=note.author,
                version=note.version - 1,
                body={"subjective": text},
            )

    @rule(pk=notes)
    def sign(self, pk: int) -> None:
        note = self._note(pk)
        late = rules.is_late(note.service_date, timezone.now())
        try:
            signed = services.note_sign(
                note=note,
                by=note.author,
                version=note.version,
                late_entry_reason="Typed in later." if late else "",
            )
        except ValidationError:
            assert note.is_signed
            return
        assert not note.is_signed and signed.is_late_entry == late
        self.signed_rows[pk] = _row("notes_note", FROZEN, pk)

    @rule(pk=notes, text=TEXT)
    def addend(self, pk: int, text: str) -> None:
        note = self._note(pk)
        try:
            addendum = services.addendum_add(
                note=note,
                by=note.author,
                text=text,
                reason="Correction",
                form_token=uuid.uuid4(),
            )
        except ValidationError:
            assert not note.is_signed
            return
        assert note.is_signed
        self.addenda_rows[addendum.pk] = _row(
            "notes_addendum",
            "note_id, text, reason, signed_at, content_sha256",
            addendum.pk,
        )

    @rule(pk=notes, who=st.sampled_from(["supervisor", "author", "trainee"]))
    def cosign(self, pk: int, who: str) -> None:
        note = self._note(pk)
        allowed = note.awaiting_cosignature and who == "supervisor"
        try:
            services.note_cosign(note=note, by=self.people[who])
        except (ValidationError, PermissionDenied):
            assert not allowed
        else:
            assert allowed

    @rule(pk=notes, text=TEXT)
    def tamper_around_the_service(self, pk: int, text: str) -> None:
        note = self._note(pk)
        if not note.is_signed:
            return
        note.body = {"plan": text}
        with pytest.raises(PermissionError):
            note.save()
        with pytest.raises(PermissionError):
            Note.objects.filter(pk=pk).update(body={"plan": text})
        with (
            pytest.raises(DatabaseError),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(
                "UPDATE notes_note SET late_entry_reason = %s WHERE id = %s",
                [text, pk],
            )

    @invariant()
    def signed_notes_are_exactly_as_signed(self) -> None:
        for pk, row in self.signed_rows.items():
            assert _row("notes_note", FROZEN, pk) == row
            note = self._note(pk)
            assert note.is_signed and note.verify()
        for pk, row in self.addenda_rows.items():
            assert (
                _row(
                    "notes_addendum",
                    "note_id, text, reason, signed_at, content_sha256",
                    pk,
                )
                == row
            )
            assert Addendum.objects.select_related("note").get(pk=pk).verify()


def test_signed_notes_never_change_whatever_the_sequence() -> None:
    patient = child()
    supervisor = clinician(Role.PHYSICAL_THERAPIST, patient)
    NoteLifecycle.patient = patient
    NoteLifecycle.people = {
        "author": clinician(Role.PHYSICAL_THERAPIST, patient),
        "supervisor": supervisor,
        "trainee": clinician(
            Role.PHYSICAL_THERAPIST, patient, trainee=True, supervisor=supervisor
        ),
    }
    run_state_machine_as_test(
        NoteLifecycle,
        settings=settings(
            max_examples=25,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
