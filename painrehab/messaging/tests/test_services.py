import datetime as dt
import json
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.audit.actions import DataCategory
from painrehab.audit.models import AuditEvent
from painrehab.common.testing import staff
from painrehab.episodes.models import Episode
from painrehab.messaging import services
from painrehab.messaging.models import Mention, Message, Thread, ThreadRead
from painrehab.messaging.selectors import unread_count
from painrehab.messaging.services import (
    BEFORE_LAST,
    BODY_EMPTY,
    BODY_TOO_LONG,
    FORM_REUSED,
    IN_THE_FUTURE,
    SUBJECT_EMPTY,
)
from painrehab.messaging.tests.support import opened, reply, start
from painrehab.patients.access import PatientNotFound
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import CareTeamMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def episode(child: Patient) -> Episode:
    return opened(child)


@pytest.fixture
def ot_on_team(child: Patient) -> User:
    user = staff(Role.OCCUPATIONAL_THERAPIST, username="olive")
    CareTeamMemberFactory(patient=child, member=user)
    return user


@pytest.fixture
def thread(episode: Episode, pt_on_team: User) -> Thread:
    return start(episode, pt_on_team)


def _errors(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


# --- Starting a thread and posting ---------------------------------------------


def test_starting_a_thread_posts_its_first_message(
    episode: Episode, pt_on_team: User
) -> None:
    thread = start(episode, pt_on_team, subject="  Gait  ", body=" Walks well. ")

    assert thread.subject == "Gait"
    assert [m.body for m in thread.messages.all()] == ["Walks well."]
    assert thread.messages.get().author == pt_on_team


def test_a_reply_is_added_after_the_first_message(
    thread: Thread, ot_on_team: User
) -> None:
    reply(thread, ot_on_team, "Splint fitted.")

    assert [m.body for m in thread.messages.order_by("created_at", "pk")] == [
        "Shall we keep the walking programme on Saturday?",
        "Splint fitted.",
    ]


def test_posting_is_audited_with_ids_and_lengths_not_the_text(
    thread: Thread, ot_on_team: User, child: Patient
) -> None:
    message = reply(thread, ot_on_team, "Confidential detail @pat", notify=[])

    event = AuditEvent.objects.filter(action="message.posted").latest("seq")
    assert event.patient_id == child.pk
    assert event.data_category == DataCategory.MESSAGE
    assert event.object_id == str(message.pk)
    assert event.changes["length"] == len("Confidential detail @pat")
    assert event.changes["thread"] == thread.pk
    assert event.changes["mentions"] == [User.objects.get(username="pat").pk]
    assert "Confidential" not in json.dumps(event.changes)


def test_the_same_form_token_twice_posts_once(thread: Thread, ot_on_team: User) -> None:
    token = uuid.uuid4()

    first = reply(thread, ot_on_team, "Once", token=token)
    second = reply(thread, ot_on_team, "Once", token=token)

    assert first.pk == second.pk
    assert thread.messages.filter(body="Once").count() == 1
    assert AuditEvent.objects.filter(object_id=str(first.pk)).count() == 1


def test_a_form_token_used_on_another_thread_is_refused(
    episode: Episode, thread: Thread, pt_on_team: User
) -> None:
    token = uuid.uuid4()
    reply(thread, pt_on_team, token=token)
    other = start(episode, pt_on_team, subject="Other")

    with pytest.raises(ValidationError) as error:
        reply(other, pt_on_team, token=token)
    assert _errors(error) == {"form_token": [FORM_REUSED]}


def test_the_same_new_thread_form_twice_starts_one_thread(
    episode: Episode, pt_on_team: User
) -> None:
    token = uuid.uuid4()

    first = start(episode, pt_on_team, token=token)
    second = start(episode, pt_on_team, token=token)

    assert first.pk == second.pk
    assert Thread.objects.count() == 1
    assert Message.objects.count() == 1


# --- Bad input -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("", BODY_EMPTY),
        ("   \n ", BODY_EMPTY),
        ("x" * 2001, BODY_TOO_LONG.format(limit=2000, length=2001)),
    ],
    ids=["empty_case", "blank_case", "too_long_case"],
)
def test_bad_body_is_refused_and_nothing_is_saved(
    thread: Thread, ot_on_team: User, body: str, expected: str
) -> None:
    before = Message.objects.count()

    with pytest.raises(ValidationError) as error:
        reply(thread, ot_on_team, body)

    assert _errors(error) == {"body": [expected]}
    assert Message.objects.count() == before


def test_a_message_of_exactly_2000_characters_is_posted(
    thread: Thread, ot_on_team: User
) -> None:
    assert len(reply(thread, ot_on_team, "x" * 2000).body) == 2000


def test_a_new_thread_needs_a_subject_and_a_body(
    episode: Episode, pt_on_team: User
) -> None:
    with pytest.raises(ValidationError) as error:
        start(episode, pt_on_team, subject=" ", body="")

    assert _errors(error) == {"subject": [SUBJECT_EMPTY], "body": [BODY_EMPTY]}
    assert not Thread.objects.exists()


# --- Mentions ----------------------------------------------------------------------


def test_an_at_username_of_a_team_member_is_a_mention(
    thread: Thread, ot_on_team: User, pt_on_team: User
) -> None:
    message = reply(thread, ot_on_team, "@PAT please check the splint.")

    mention = Mention.objects.get(message=message)
    assert mention.user == pt_on_team
    assert mention.notified_at == message.created_at


def test_ticking_a_team_member_is_a_mention(
    thread: Thread, ot_on_team: User, pt_on_team: User
) -> None:
    message = reply(thread, ot_on_team, "See the plan.", notify=["pat"])

    assert [m.user for m in message.mentions.all()] == [pt_on_team]


def test_typed_and_ticked_mentions_of_one_person_make_one_row(
    thread: Thread, ot_on_team: User
) -> None:
    message = reply(thread, ot_on_team, "@pat see this", notify=["pat"])

    assert message.mentions.count() == 1


def test_the_coordinator_can_always_be_mentioned(
    thread: Thread, ot_on_team: User, coordinator: User
) -> None:
    message = reply(thread, ot_on_team, "@alice can we extend the stay?")

    assert [m.user for m in message.mentions.all()] == [coordinator]


def test_mentioning_yourself_notifies_nobody(thread: Thread, pt_on_team: User) -> None:
    message = reply(thread, pt_on_team, "Note to @pat: recheck Friday.")

    assert not message.mentions.exists()


@pytest.mark.parametrize(
    "name",
    ["bob", "nobody-by-this-name", "charlie"],
    ids=["off_team_pt_case", "unknown_case", "guardian_case"],
)
def test_mentioning_someone_off_the_team_is_refused_in_the_same_words(
    thread: Thread,
    ot_on_team: User,
    pt_off_team: User,
    guardian: User,
    name: str,
) -> None:
    before = Message.objects.count()

    with pytest.raises(ValidationError) as error:
        reply(thread, ot_on_team, f"Thoughts, @{name}?")

    assert _errors(error) == {"body": [f"@{name} is not on this child's care team."]}
    assert Message.objects.count() == before
    assert not Mention.objects.exists()


def test_ticking_someone_off_the_team_is_refused_next_to_the_list(
    thread: Thread, ot_on_team: User, pt_off_team: User
) -> None:
    with pytest.raises(ValidationError) as error:
        reply(thread, ot_on_team, "Fine", notify=["pat", "bob"])

    assert _errors(error) == {"notify": ["bob is not on this child's care team."]}
    assert not Mention.objects.exists()


def test_someone_whose_team_membership_ended_cannot_be_mentioned(
    thread: Thread, ot_on_team: User, child: Patient
) -> None:
    former = staff(Role.NURSE, username="former")
    CareTeamMemberFactory(
        patient=child,
        member=former,
        end_date=timezone.localdate() - dt.timedelta(days=1),
    )

    with pytest.raises(ValidationError):
        reply(thread, ot_on_team, "@former fyi")


# --- Who may write -----------------------------------------------------------------


def test_a_clinician_off_the_team_cannot_post(
    thread: Thread, pt_off_team: User
) -> None:
    with pytest.raises(PatientNotFound):
        reply(thread, pt_off_team)


def test_a_guardian_cannot_post_even_about_their_own_child(
    thread: Thread, guardian: User
) -> None:
    with pytest.raises(PermissionDenied):
        reply(thread, guardian)


# --- Unread counts and marking read ------------------------------------------------


def test_a_new_thread_is_unread_for_the_team_but_not_its_author(
    thread: Thread, pt_on_team: User, ot_on_team: User, pt_off_team: User
) -> None:
    assert unread_count(user=pt_on_team) == 0
    assert unread_count(user=ot_on_team) == 1
    assert unread_count(user=pt_off_team) == 0


def test_a_mention_counts_on_top_of_the_unread_thread(
    thread: Thread, pt_on_team: User, ot_on_team: User
) -> None:
    reply(thread, pt_on_team, "@olive can you look?")

    assert unread_count(user=ot_on_team) == 2


def test_marking_read_clears_the_thread_and_its_mentions(
    thread: Thread, pt_on_team: User, ot_on_team: User
) -> None:
    reply(thread, pt_on_team, "@olive can you look?")

    services.thread_mark_read(thread=thread, user=ot_on_team)

    assert unread_count(user=ot_on_team) == 0
    read = ThreadRead.objects.get(thread=thread, user=ot_on_team)
    assert read.last_read_message == thread.messages.order_by("pk").last()


def test_a_reply_after_reading_makes_the_thread_unread_again(
    thread: Thread, pt_on_team: User, ot_on_team: User
) -> None:
    services.thread_mark_read(thread=thread, user=ot_on_team)

    reply(thread, pt_on_team, "One more thing.")

    assert unread_count(user=ot_on_team) == 1


def test_replying_marks_the_thread_read_for_the_replier(
    thread: Thread, ot_on_team: User
) -> None:
    reply(thread, ot_on_team, "Agreed.")

    assert unread_count(user=ot_on_team) == 0


def test_marking_read_never_moves_the_mark_back(
    thread: Thread, pt_on_team: User, ot_on_team: User
) -> None:
    services.thread_mark_read(thread=thread, user=ot_on_team)
    first = ThreadRead.objects.get(thread=thread, user=ot_on_team)
    later = reply(thread, pt_on_team, "Later")
    services.thread_mark_read(thread=thread, user=ot_on_team)
    services.thread_mark_read(thread=thread, user=ot_on_team)

    read = ThreadRead.objects.get(thread=thread, user=ot_on_team)
    assert read.pk == first.pk
    assert read.last_read_message_id == later.pk


def test_a_child_leaving_your_team_leaves_your_count(
    thread: Thread, child: Patient
) -> None:
    nurse = staff(Role.NURSE)
    membership = CareTeamMemberFactory(patient=child, member=nurse)
    assert unread_count(user=nurse) == 1

    membership.end_date = timezone.localdate() - dt.timedelta(days=1)
    membership.save()

    assert unread_count(user=nurse) == 0


def test_a_guardian_has_no_unread_team_messages(thread: Thread, guardian: User) -> None:
    assert unread_count(user=guardian) == 0


# --- Back-dating (demo generator) --------------------------------------------------


def test_a_message_cannot_be_dated_in_the_future(
    thread: Thread, ot_on_team: User
) -> None:
    with pytest.raises(ValidationError) as error:
        services.message_post(
            thread=thread,
            author=ot_on_team,
            body="From tomorrow",
            form_token=uuid.uuid4(),
            at=timezone.now() + dt.timedelta(hours=1),
        )
    assert _errors(error) == {"at": [IN_THE_FUTURE]}


def test_a_message_cannot_be_dated_before_the_last_one(
    thread: Thread, ot_on_team: User
) -> None:
    with pytest.raises(ValidationError) as error:
        services.message_post(
            thread=thread,
            author=ot_on_team,
            body="Yesterday",
            form_token=uuid.uuid4(),
            at=timezone.now() - dt.timedelta(days=1),
        )
    assert _errors(error) == {"at": [BEFORE_LAST]}
