import uuid
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.audit.actions import AuditAction, Outcome
from painrehab.audit.models import AuditEvent
from painrehab.common.testing import staff
from painrehab.messaging.models import FamilyThread
from painrehab.messaging.selectors_family import (
    family_awaiting_count,
    family_inbox_get,
    family_patient_threads,
    family_thread_for_viewer,
    family_thread_get,
    family_thread_read,
    family_threads_for_viewer,
)
from painrehab.messaging.services_family import family_reply, family_thread_start
from painrehab.patients.access import PatientNotFound
from painrehab.patients.tests.factories import CareTeamMemberFactory
from painrehab.portal.tests.support import Family, family

pytestmark = pytest.mark.django_db


@pytest.fixture
def fam() -> Family:
    return family(age=14, teen_account=True)


@pytest.fixture
def nurse(fam: Family) -> User:
    user = staff(Role.NURSE, username="nina", first_name="Nina", last_name="Nurse")
    CareTeamMemberFactory(patient=fam.child, member=user)
    return user


def _start(fam: Family, by: User, subject: str) -> FamilyThread:
    return family_thread_start(
        patient=fam.child,
        author=by,
        subject=subject,
        body="A question for the team.",
        form_token=uuid.uuid4(),
    )


def _reply(thread: FamilyThread, by: User) -> None:
    family_reply(thread=thread, author=by, body="An answer.", form_token=uuid.uuid4())


def _subjects(lines: Any) -> list[str]:
    return [line.subject for line in lines]


@pytest.fixture
def both(fam: Family) -> tuple[FamilyThread, FamilyThread]:
    assert fam.teen_user is not None
    parents = _start(fam, fam.guardian_user, "Weekend pass")
    private = _start(fam, fam.teen_user, "Just for me")
    return parents, private


# --- Family side ----------------------------------------------------------------


def test_a_guardian_lists_only_the_parents_conversations(
    fam: Family, both: tuple[FamilyThread, FamilyThread]
) -> None:
    lines = family_threads_for_viewer(user=fam.guardian_user, patient=fam.child)

    assert _subjects(lines) == ["Weekend pass"]


def test_the_teen_lists_their_own_and_their_parents_conversations(
    fam: Family, both: tuple[FamilyThread, FamilyThread]
) -> None:
    assert fam.teen_user is not None

    lines = family_threads_for_viewer(user=fam.teen_user, patient=fam.child)

    assert _subjects(lines) == ["Just for me", "Weekend pass"]
    assert [line.private_to_teen for line in lines] == [True, False]


def test_a_guardian_asking_for_the_teens_conversation_gets_the_missing_answer(
    fam: Family, both: tuple[FamilyThread, FamilyThread]
) -> None:
    _parents, private = both

    with pytest.raises(PatientNotFound):
        family_thread_for_viewer(
            user=fam.guardian_user, patient=fam.child, thread_id=private.pk
        )


def test_a_conversation_is_looked_up_within_the_child(
    fam: Family, both: tuple[FamilyThread, FamilyThread]
) -> None:
    parents, _private = both
    other = family(parent="Olga", surname="Otherfamily", name="Kim")

    with pytest.raises(PatientNotFound):
        family_thread_for_viewer(
            user=other.guardian_user, patient=other.child, thread_id=parents.pk
        )


def test_the_list_is_newest_activity_first(fam: Family, nurse: User) -> None:
    older = _start(fam, fam.guardian_user, "School work")
    _start(fam, fam.guardian_user, "Visiting")
    _reply(older, nurse)

    lines = family_threads_for_viewer(user=fam.guardian_user, patient=fam.child)

    assert _subjects(lines) == ["School work", "Visiting"]
    assert lines[0].last_author == nurse
    assert lines[0].awaiting_reply is False
    assert lines[1].awaiting_reply is True


# --- Staff side -----------------------------------------------------------------


def test_the_inbox_shows_conversations_awaiting_a_reply_first(
    fam: Family, nurse: User
) -> None:
    answered = _start(fam, fam.guardian_user, "Answered")
    _start(fam, fam.guardian_user, "Waiting")
    _reply(answered, nurse)

    inbox = family_inbox_get(user=nurse)

    assert _subjects(inbox.lines) == ["Waiting", "Answered"]
    assert inbox.awaiting == 1


def test_the_badge_counts_conversations_where_the_family_wrote_last(
    fam: Family, nurse: User, both: tuple[FamilyThread, FamilyThread]
) -> None:
    parents, _private = both
    assert family_awaiting_count(user=nurse) == 2

    _reply(parents, nurse)

    assert family_awaiting_count(user=nurse) == 1


def test_clinicians_off_the_team_and_oversight_roles_see_nothing(
    fam: Family, both: tuple[FamilyThread, FamilyThread]
) -> None:
    parents, _private = both
    for user in (staff(Role.NURSE, username="olly"), staff(Role.PRIVACY_OFFICER)):
        assert family_inbox_get(user=user).lines == ()
        assert family_awaiting_count(user=user) == 0
        with pytest.raises(PatientNotFound):
            family_thread_get(user=user, thread_id=parents.pk)


def test_a_refused_staff_read_is_recorded(fam: Family, both: Any) -> None:
    outsider = staff(Role.NURSE, username="olly")

    with pytest.raises(PatientNotFound):
        family_thread_get(user=outsider, thread_id=both[0].pk)

    event = AuditEvent.objects.filter(action=AuditAction.FAMILY_MESSAGES_VIEWED).get()
    assert event.outcome == Outcome.FAILURE


def test_the_chart_tab_lists_every_conversation_with_the_family(
    fam: Family, nurse: User, both: tuple[FamilyThread, FamilyThread]
) -> None:
    found = family_patient_threads(user=nurse, patient_id=fam.child.pk)

    assert sorted(_subjects(found.lines)) == ["Just for me", "Weekend pass"]


def test_a_staff_read_is_audited_with_the_message_ids(
    fam: Family, nurse: User, both: tuple[FamilyThread, FamilyThread]
) -> None:
    parents, _private = both

    lines = family_thread_read(user=nurse, thread=parents)

    event = AuditEvent.objects.filter(action=AuditAction.FAMILY_MESSAGES_VIEWED).get()
    assert event.changes["messages"] == [line.message.pk for line in lines]
    assert event.patient_id == fam.child.pk


def test_the_inbox_costs_the_same_queries_for_one_or_many_conversations(
    fam: Family, nurse: User, django_assert_num_queries: Any
) -> None:
    _reply(_start(fam, fam.guardian_user, "One"), nurse)
    with CaptureQueriesContext(connection) as one:
        family_inbox_get(user=nurse)
    for n in range(5):
        _reply(_start(fam, fam.guardian_user, f"More {n}"), nurse)

    with django_assert_num_queries(len(one.captured_queries)):
        lines = family_inbox_get(user=nurse).lines

    assert len(lines) == 6
