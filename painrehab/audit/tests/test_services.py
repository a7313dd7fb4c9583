"""The audit trail: one writer, a hash chain, append-only, tamper detected."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from painrehab.accounts.tests.factories import StaffFactory
from painrehab.audit import chain
from painrehab.audit.actions import ActionType, DataCategory, Outcome
from painrehab.audit.models import APPEND_ONLY, AuditChainHead, AuditEvent
from painrehab.audit.selectors import audit_chain_verify
from painrehab.audit.services import record

pytestmark = pytest.mark.django_db


def _write(n: int) -> list[AuditEvent]:
    actor = StaffFactory()
    return [
        record(
            action="patient.viewed",
            action_type=ActionType.READ,
            actor=actor,
            patient_id=100 + i,
            data_category=DataCategory.DEMOGRAPHICS,
        )
        for i in range(n)
    ]


def _as_database_owner(sql: str, params: list[object] | None = None) -> None:
    """Run SQL with the append-only triggers off, as someone with DBA rights could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_auditevent_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_auditevent_no_delete")
        cursor.execute(sql, params or [])


def test_record_stores_who_what_whose_and_links_to_the_previous_event() -> None:
    first, second = _write(2)
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == chain.GENESIS_HASH
    assert second.prev_hash == first.row_hash
    assert second.actor_username and second.actor_role == "physical_therapist"
    assert second.patient_id == 101 and second.data_category == "demographics"
    assert second.recorded_at.utcoffset().total_seconds() == 0
    head = AuditChainHead.objects.get()
    assert (head.last_seq, head.last_hash) == (2, second.row_hash)


def test_an_intact_chain_verifies() -> None:
    _write(5)
    assert audit_chain_verify() is None


def test_an_empty_trail_verifies() -> None:
    assert audit_chain_verify() is None


def test_an_altered_event_is_detected_and_named() -> None:
    events = _write(5)
    _as_database_owner(
        "UPDATE audit_auditevent SET patient_id = 999 WHERE seq = %s", [events[2].seq]
    )
    problem = audit_chain_verify()
    assert problem is not None and problem.seq == 3
    assert "altered" in problem.message


def test_a_deleted_event_is_detected() -> None:
    _write(5)
    _as_database_owner("DELETE FROM audit_auditevent WHERE seq = 2")
    problem = audit_chain_verify()
    assert problem is not None and problem.seq == 3


def test_a_deleted_last_event_is_detected_through_the_head() -> None:
    _write(3)
    _as_database_owner("DELETE FROM audit_auditevent WHERE seq = 3")
    problem = audit_chain_verify()
    assert problem is not None and "head" in problem.message


def test_reordered_events_are_detected() -> None:
    _write(4)
    _as_database_owner("UPDATE audit_auditevent SET seq = 1000 WHERE seq = 2")
    _as_database_owner("UPDATE audit_auditevent SET seq = 2 WHERE seq = 3")
    _as_database_owner("UPDATE audit_auditevent SET seq = 3 WHERE seq = 1000")
    problem = audit_chain_verify()
    assert problem is not None and problem.seq == 2


def test_a_rehashed_forgery_still_breaks_the_next_link() -> None:
    events = _write(3)
    forged = {**AuditEvent.objects.values(*chain.HASHED_FIELDS).get(seq=2)}
    forged["patient_id"] = 555
    new_hash = chain.row_hash(events[0].row_hash, forged)
    _as_database_owner(
        "UPDATE audit_auditevent SET patient_id = 555, row_hash = %s WHERE seq = 2",
        [new_hash],
    )
    problem = audit_chain_verify()
    assert problem is not None and problem.seq == 3


def test_the_model_refuses_to_change_or_delete_an_event() -> None:
    (event,) = _write(1)
    event.action = "something.else"
    with pytest.raises(PermissionError, match=APPEND_ONLY):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


@pytest.mark.parametrize(
    "sql",
    [
        pytest.param("UPDATE audit_auditevent SET action = 'x'", id="update_case"),
        pytest.param("DELETE FROM audit_auditevent", id="delete_case"),
    ],
)
def test_the_database_refuses_raw_changes(sql: str) -> None:
    _write(1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
        c.execute(sql)
    assert AuditEvent.objects.filter(action="patient.viewed").count() == 1


def test_a_rolled_back_change_leaves_no_audit_event() -> None:
    actor = StaffFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        record(action="patient.created", action_type=ActionType.CREATE, actor=actor)
        raise RuntimeError("the change failed")
    assert not AuditEvent.objects.filter(action="patient.created").exists()
    assert audit_chain_verify() is None


def test_failures_are_recorded_with_their_reason() -> None:
    event = record(
        action="auth.login_failed",
        action_type=ActionType.EXECUTE,
        outcome=Outcome.FAILURE,
        outcome_reason="bad credentials",
    )
    assert event.actor_id is None and event.outcome == "failure"


def test_verify_command_reports_an_intact_chain(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _write(2)
    call_command("audit", "verify")
    assert "intact: 2 events" in capsys.readouterr().out


def test_verify_command_fails_and_names_the_first_bad_event() -> None:
    _write(4)
    _as_database_owner("UPDATE audit_auditevent SET action = 'x' WHERE seq = 2")
    with pytest.raises(CommandError, match="#2"):
        call_command("audit", "verify")
