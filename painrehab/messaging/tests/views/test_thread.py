import uuid

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.audit.models import AuditEvent
from painrehab.common.testing import sign_in, staff
from painrehab.messaging.models import Mention, Message, Thread, ThreadRead
from painrehab.messaging.services import BODY_EMPTY
from painrehab.messaging.tests.support import opened, reply, start
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import CareTeamMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ot_on_team(child: Patient) -> User:
    user = staff(Role.OCCUPATIONAL_THERAPIST, username="olive")
    CareTeamMemberFactory(patient=child, member=user)
    return user


@pytest.fixture
def thread(child: Patient, pt_on_team: User) -> Thread:
    return start(opened(child), pt_on_team, subject="Splint at night")


def _url(thread_id: int) -> str:
    return reverse("messaging:thread", args=[thread_id])


def _post(client: Client, thread: Thread, **data: object) -> object:
    form = {"body": "Fitted today.", "form_token": str(uuid.uuid4()), **data}
    return client.post(_url(thread.pk), form)


def test_the_thread_shows_messages_oldest_first_and_marks_them_read(
    thread: Thread, pt_on_team: User, ot_on_team: User
) -> None:
    reply(thread, pt_on_team, "Second message")

    response = sign_in(Client(), ot_on_team).get(_url(thread.pk))

    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("Shall we keep the walking") < page.index("Second message")
    read = ThreadRead.objects.get(thread=thread, user=ot_on_team)
    assert read.last_read_message.body == "Second message"
    event = AuditEvent.objects.filter(action="message.viewed").latest("seq")
    assert event.patient_id == thread.episode.patient_id


def test_a_reply_is_posted_and_leads_back_to_the_thread(
    thread: Thread, ot_on_team: User, pt_on_team: User
) -> None:
    response = _post(sign_in(Client(), ot_on_team), thread, body="Done, @pat.")

    message = Message.objects.get(body="Done, @pat.")
    assert response.status_code == 302
    assert response["Location"] == f"{_url(thread.pk)}#message-{message.pk}"
    assert Mention.objects.get(message=message).user == pt_on_team


def test_a_double_click_posts_one_message(thread: Thread, ot_on_team: User) -> None:
    client = sign_in(Client(), ot_on_team)
    token = str(uuid.uuid4())

    first = _post(client, thread, body="Only once", form_token=token)
    second = _post(client, thread, body="Only once", form_token=token)

    assert first.status_code == second.status_code == 302
    assert Message.objects.filter(body="Only once").count() == 1


def test_the_notify_list_ticks_become_mentions(
    thread: Thread, ot_on_team: User, pt_on_team: User
) -> None:
    _post(sign_in(Client(), ot_on_team), thread, body="Plan updated", notify=["pat"])

    assert Mention.objects.get().user == pt_on_team


@pytest.mark.parametrize(
    ("data", "field", "expected"),
    [
        ({"body": ""}, "body", BODY_EMPTY),
        ({"body": "x" * 2001}, "body", "A message can be at most 2000 characters"),
        (
            {"body": "Thoughts, @bob?"},
            "body",
            "@bob is not on this child&#x27;s care team.",
        ),
        ({"notify": ["bob"]}, "notify", "bob is not on this child&#x27;s care team."),
    ],
    ids=["empty_case", "too_long_case", "off_team_mention_case", "off_team_tick_case"],
)
def test_bad_input_is_400_with_the_message_next_to_the_field(
    thread: Thread,
    ot_on_team: User,
    pt_off_team: User,
    data: dict[str, object],
    field: str,
    expected: str,
) -> None:
    before = Message.objects.count()

    response = _post(sign_in(Client(), ot_on_team), thread, **data)

    page = response.content.decode()
    assert response.status_code == 400
    error = page.split(f'<p class="error" id="id_{field}_error">', 1)[1]
    assert error.split("</p>", 1)[0].startswith(expected)
    assert Message.objects.count() == before
    assert not Mention.objects.exists()


def test_what_was_typed_is_kept_after_a_refusal(
    thread: Thread, ot_on_team: User, pt_off_team: User
) -> None:
    response = _post(sign_in(Client(), ot_on_team), thread, body="Ask @bob please")

    assert "Ask @bob please</textarea>" in response.content.decode()


def test_a_missing_form_token_posts_nothing(thread: Thread, ot_on_team: User) -> None:
    client = sign_in(Client(), ot_on_team)

    response = client.post(_url(thread.pk), {"body": "No token"})

    assert response.status_code == 400
    assert "reload the page" in response.content.decode()
    assert not Message.objects.filter(body="No token").exists()


def test_a_thread_off_your_team_is_the_same_404_as_a_missing_one(
    thread: Thread, pt_off_team: User
) -> None:
    client = sign_in(Client(), pt_off_team)

    refused = client.get(_url(thread.pk))
    missing = client.get(_url(thread.pk + 999))
    posted = _post(client, thread)

    assert refused.status_code == missing.status_code == posted.status_code == 404
    assert refused.content == missing.content
    assert Message.objects.count() == 1


def test_a_guardian_is_refused_the_thread_of_their_own_child(
    thread: Thread, guardian: User
) -> None:
    assert sign_in(Client(), guardian).get(_url(thread.pk)).status_code == 403


def test_the_reply_form_offers_the_team_to_notify(
    thread: Thread, ot_on_team: User, pt_off_team: User
) -> None:
    page = sign_in(Client(), ot_on_team).get(_url(thread.pk)).content.decode()

    assert 'value="pat"' in page
    assert 'value="bob"' not in page
    assert 'value="olive"' not in page  # not yourself
