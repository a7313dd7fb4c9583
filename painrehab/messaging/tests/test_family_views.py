import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.common.testing import sign_in, staff
from painrehab.messaging.models import FamilyMessage, FamilyThread
from painrehab.messaging.services_family import (
    BODY_EMPTY,
    family_reply,
    family_thread_start,
)
from painrehab.patients.tests.factories import CareTeamMemberFactory
from painrehab.portal.tests.support import Family, family

pytestmark = pytest.mark.django_db

PRIVATE_MARK = "Private to the teen: not shown to parents"


@pytest.fixture
def fam() -> Family:
    return family(age=14, teen_account=True)


@pytest.fixture
def nurse(fam: Family) -> User:
    user = staff(Role.NURSE, username="nina", first_name="Nina", last_name="Nurse")
    CareTeamMemberFactory(patient=fam.child, member=user)
    return user


@pytest.fixture
def nurse_client(nurse: User) -> Client:
    return sign_in(Client(), nurse)


def _start(fam: Family, by: User, subject: str) -> FamilyThread:
    return family_thread_start(
        patient=fam.child,
        author=by,
        subject=subject,
        body=f"First message of {subject}.",
        form_token=uuid.uuid4(),
    )


def _thread_url(thread: FamilyThread) -> str:
    return reverse("messaging:family_thread", args=[thread.pk])


def _post(client: Client, thread: FamilyThread, **data: str) -> Any:
    form = {"body": "We will look into it today.", "form_token": str(uuid.uuid4())}
    return client.post(_thread_url(thread), {**form, **data})


def test_the_inbox_puts_conversations_awaiting_a_reply_first(
    fam: Family, nurse: User, nurse_client: Client
) -> None:
    answered = _start(fam, fam.guardian_user, "Answered question")
    _start(fam, fam.guardian_user, "Open question")
    family_reply(thread=answered, author=nurse, body="Done.", form_token=uuid.uuid4())

    page = nurse_client.get(reverse("messaging:family_inbox")).content.decode()

    assert page.index("Open question") < page.index("Answered question")
    assert "Awaiting a reply" in page


def test_the_navigation_badge_counts_conversations_awaiting_a_reply(
    fam: Family, nurse_client: Client
) -> None:
    _start(fam, fam.guardian_user, "Open question")

    response = nurse_client.get(reverse("messaging:family_inbox"))

    assert ("Family messages", "messaging:family_inbox", 1) in response.context[
        "nav_items"
    ]


def test_the_chart_tab_lists_the_familys_conversations_and_marks_the_teens(
    fam: Family, nurse_client: Client
) -> None:
    assert fam.teen_user is not None
    _start(fam, fam.guardian_user, "Weekend pass")
    _start(fam, fam.teen_user, "Talking about school")

    response = nurse_client.get(
        reverse("messaging:family_threads", args=[fam.child.pk])
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Weekend pass" in page and "Talking about school" in page
    assert page.count(PRIVATE_MARK) == 1
    assert 'aria-current="page">Family messages<' in page


def test_a_teens_conversation_is_marked_private_on_its_page(
    fam: Family, nurse_client: Client
) -> None:
    assert fam.teen_user is not None
    private = _start(fam, fam.teen_user, "Talking about school")

    page = nurse_client.get(_thread_url(private)).content.decode()

    assert PRIVATE_MARK in page
    assert "First message of Talking about school." in page


def test_a_parents_conversation_has_no_private_mark(
    fam: Family, nurse_client: Client
) -> None:
    thread = _start(fam, fam.guardian_user, "Weekend pass")

    page = nurse_client.get(_thread_url(thread)).content.decode()

    assert PRIVATE_MARK not in page
    assert "(parent or guardian)" in page


def test_a_reply_is_sent_and_leads_back_to_the_conversation(
    fam: Family, nurse_client: Client, nurse: User
) -> None:
    thread = _start(fam, fam.guardian_user, "Weekend pass")

    response = _post(nurse_client, thread)

    message = FamilyMessage.objects.get(author=nurse)
    assert response.status_code == 302
    assert response["Location"] == f"{_thread_url(thread)}#message-{message.pk}"
    assert message.from_family is False


def test_an_empty_reply_shows_the_message_next_to_the_field(
    fam: Family, nurse_client: Client
) -> None:
    thread = _start(fam, fam.guardian_user, "Weekend pass")

    response = _post(nurse_client, thread, body="   ")

    page = response.content.decode()
    assert response.status_code == 400
    assert f'<p class="error" id="id_body_error">{BODY_EMPTY} </p>' in page
    assert 'aria-describedby="id_body_helptext id_body_error"' in page
    assert thread.messages.count() == 1


def test_a_double_click_on_reply_sends_one_message(
    fam: Family, nurse_client: Client
) -> None:
    thread = _start(fam, fam.guardian_user, "Weekend pass")
    token = str(uuid.uuid4())

    first = _post(nurse_client, thread, form_token=token)
    second = _post(nurse_client, thread, form_token=token)

    assert first.status_code == second.status_code == 302
    assert thread.messages.count() == 2


def test_a_clinician_off_the_care_team_gets_the_404_of_a_missing_conversation(
    fam: Family,
) -> None:
    thread = _start(fam, fam.guardian_user, "Weekend pass")
    client = sign_in(Client(), staff(Role.NURSE, username="olly"))

    refused = client.get(_thread_url(thread))
    missing = client.get(reverse("messaging:family_thread", args=[thread.pk + 999]))
    posted = _post(client, thread)

    assert refused.status_code == missing.status_code == posted.status_code == 404
    assert refused.content == missing.content
    assert thread.messages.count() == 1
