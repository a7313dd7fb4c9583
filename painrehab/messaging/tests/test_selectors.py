import pytest

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.audit.actions import DataCategory, Outcome
from painrehab.audit.models import AuditEvent
from painrehab.common.testing import staff
from painrehab.messaging import selectors, services
from painrehab.messaging.choices import InboxFilter
from painrehab.messaging.models import Thread
from painrehab.messaging.tests.support import opened, reply, start
from painrehab.patients.access import PatientNotFound
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import CareTeamMemberFactory, PatientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ot_on_team(child: Patient) -> User:
    user = staff(Role.OCCUPATIONAL_THERAPIST, username="olive")
    CareTeamMemberFactory(patient=child, member=user)
    return user


@pytest.fixture
def threads(child: Patient, pt_on_team: User, ot_on_team: User) -> list[Thread]:
    """Three threads by the PT, oldest first; the OT has read the middle one."""
    episode = opened(child)
    found = [start(episode, pt_on_team, subject=s) for s in ("Old", "Middle", "New")]
    services.thread_mark_read(thread=found[1], user=ot_on_team)
    return found


def _subjects(user: User, show: InboxFilter = InboxFilter.ALL) -> list[str]:
    return [line.subject for line in selectors.inbox_get(user=user, show=show).lines]


def test_the_inbox_lists_unread_first_then_the_newest(
    threads: list[Thread], ot_on_team: User
) -> None:
    assert _subjects(ot_on_team) == ["New", "Old", "Middle"]


def test_a_new_reply_brings_a_read_thread_to_the_top(
    threads: list[Thread], ot_on_team: User, pt_on_team: User
) -> None:
    services.thread_mark_read(thread=threads[2], user=ot_on_team)
    services.thread_mark_read(thread=threads[0], user=ot_on_team)
    reply(threads[1], pt_on_team, "Update")

    assert _subjects(ot_on_team) == ["Middle", "New", "Old"]


def test_the_unread_filter_hides_read_threads(
    threads: list[Thread], ot_on_team: User
) -> None:
    assert _subjects(ot_on_team, InboxFilter.UNREAD) == ["New", "Old"]


def test_the_mentions_filter_lists_threads_that_name_you(
    threads: list[Thread], ot_on_team: User, pt_on_team: User
) -> None:
    reply(threads[0], pt_on_team, "@olive splint?")

    lines = selectors.inbox_get(user=ot_on_team, show=InboxFilter.MENTIONS).lines

    assert [(line.subject, line.mentioned_unread) for line in lines] == [("Old", True)]


def test_the_inbox_counts_messages_and_unread_messages(
    threads: list[Thread], ot_on_team: User, pt_on_team: User
) -> None:
    reply(threads[1], pt_on_team, "One")
    reply(threads[1], ot_on_team, "Two")
    reply(threads[1], pt_on_team, "Three")

    line = selectors.inbox_get(user=ot_on_team, show=InboxFilter.ALL).lines[0]

    assert (line.subject, line.message_count, line.unread_count) == ("Middle", 4, 1)


def test_the_inbox_shows_nothing_about_children_off_your_team(
    threads: list[Thread], pt_off_team: User
) -> None:
    assert _subjects(pt_off_team) == []


def test_the_coordinator_sees_every_thread(
    threads: list[Thread], coordinator: User
) -> None:
    assert sorted(_subjects(coordinator)) == ["Middle", "New", "Old"]


def test_a_guardian_sees_no_team_threads_about_their_own_child(
    threads: list[Thread], guardian: User
) -> None:
    assert selectors.threads_visible(guardian).count() == 0


def test_the_inbox_is_audited_as_one_list_read(
    threads: list[Thread], ot_on_team: User, child: Patient
) -> None:
    selectors.inbox_get(user=ot_on_team, show=InboxFilter.ALL)

    event = AuditEvent.objects.filter(action="message.viewed").latest("seq")
    assert event.data_category == DataCategory.MESSAGE
    assert sorted(event.changes["threads"]) == sorted(t.pk for t in threads)
    assert event.changes["patients"] == [child.pk]


def test_reading_a_thread_is_audited_with_the_patient(
    threads: list[Thread], ot_on_team: User, child: Patient
) -> None:
    lines = selectors.thread_messages(user=ot_on_team, thread=threads[0])

    event = AuditEvent.objects.filter(action="message.viewed").latest("seq")
    assert event.patient_id == child.pk
    assert event.object_id == str(threads[0].pk)
    assert event.changes == {
        "thread": threads[0].pk,
        "messages": [line.message.pk for line in lines],
    }


def test_messages_since_your_last_visit_are_marked_new(
    threads: list[Thread], ot_on_team: User, pt_on_team: User
) -> None:
    reply(threads[1], pt_on_team, "After your visit")

    lines = selectors.thread_messages(user=ot_on_team, thread=threads[1])

    assert [(line.message.body, line.new) for line in lines] == [
        ("Shall we keep the walking programme on Saturday?", False),
        ("After your visit", True),
    ]


def test_a_thread_off_your_team_is_not_found_and_the_refusal_audited(
    threads: list[Thread], pt_off_team: User
) -> None:
    with pytest.raises(PatientNotFound):
        selectors.thread_get(user=pt_off_team, thread_id=threads[0].pk)

    event = AuditEvent.objects.latest("seq")
    assert (event.action, event.outcome) == ("message.viewed", Outcome.FAILURE)
    assert event.patient_id is None


def test_the_chart_tab_lists_only_this_childs_threads(
    threads: list[Thread], coordinator: User, child: Patient
) -> None:
    other = PatientFactory()
    start(opened(other), coordinator, subject="Someone else")

    found = selectors.patient_threads(user=coordinator, patient_id=child.pk)

    assert [line.subject for line in found.lines] == ["New", "Middle", "Old"]
    event = AuditEvent.objects.filter(action="message.viewed").latest("seq")
    assert event.patient_id == child.pk


def test_the_notify_list_is_the_team_and_the_coordinator(
    child: Patient,
    pt_on_team: User,
    ot_on_team: User,
    pt_off_team: User,
    coordinator: User,
    guardian: User,
) -> None:
    choices = selectors.team_choices(patient=child, exclude=pt_on_team)

    assert sorted(name for name, _label in choices) == ["alice", "olive"]
