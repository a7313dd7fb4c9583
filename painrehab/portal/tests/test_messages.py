import uuid
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.audit.actions import AuditAction, DataCategory
from painrehab.audit.models import AuditEvent
from painrehab.common.testing import staff
from painrehab.messaging.models import FamilyAudience, FamilyMessage, FamilyThread
from painrehab.messaging.services_family import (
    BODY_EMPTY,
    SUBJECT_EMPTY,
    family_reply,
    family_thread_start,
)
from painrehab.patients.tests.factories import CareTeamMemberFactory
from painrehab.portal.tests.support import Family, family

pytestmark = pytest.mark.django_db

TEEN_SECRET = "Canary-teen-private-words"


@pytest.fixture
def fam() -> Family:
    return family(age=14, teen_account=True)


@pytest.fixture
def nurse(fam: Family) -> User:
    user = staff(Role.NURSE, username="nina", first_name="Nina", last_name="Nursename")
    CareTeamMemberFactory(patient=fam.child, member=user)
    return user


def _list(fam: Family) -> str:
    return reverse("portal:messages", args=[fam.child.pk])


def _new(fam: Family) -> str:
    return reverse("portal:message_new", args=[fam.child.pk])


def _thread(fam: Family, thread_id: int) -> str:
    return reverse("portal:thread", args=[fam.child.pk, thread_id])


def _start(fam: Family, by: User, subject: str, body: str = "Hello.") -> FamilyThread:
    return family_thread_start(
        patient=fam.child,
        author=by,
        subject=subject,
        body=body,
        form_token=uuid.uuid4(),
    )


def _send(client: Client, url: str, **data: str) -> Any:
    return client.post(url, {"form_token": str(uuid.uuid4()), **data})


@pytest.fixture
def private(fam: Family) -> FamilyThread:
    assert fam.teen_user is not None
    return _start(fam, fam.teen_user, "Just between us", TEEN_SECRET)


# --- A guardian writes and reads the answer -------------------------------------


def test_a_guardian_starts_a_conversation_from_the_portal(fam: Family) -> None:
    client = fam.guardian_client()

    response = _send(
        client,
        _new(fam),
        subject="Visiting on Sunday",
        body="Can grandma come on Sunday afternoon?",
    )

    thread = FamilyThread.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _thread(fam, thread.pk)
    assert thread.audience == FamilyAudience.GUARDIANS
    assert thread.started_by == fam.guardian_user


def test_a_guardian_replies_in_their_conversation(fam: Family, nurse: User) -> None:
    thread = _start(fam, fam.guardian_user, "Weekend pass")

    response = _send(fam.guardian_client(), _thread(fam, thread.pk), body="Thanks!")

    message = FamilyMessage.objects.get(body="Thanks!")
    assert response.status_code == 302
    assert response["Location"].endswith(f"#message-{message.pk}")
    assert message.from_family is True


def test_a_team_reply_appears_in_the_portal_by_first_name_and_role(
    fam: Family, nurse: User
) -> None:
    thread = _start(fam, fam.guardian_user, "Weekend pass")
    family_reply(
        thread=thread,
        author=nurse,
        body="Yes, Saturday from 10:00 works.",
        form_token=uuid.uuid4(),
    )
    client = fam.guardian_client()

    listed = client.get(_list(fam)).content.decode()
    page = client.get(_thread(fam, thread.pk)).content.decode()

    assert "The team has replied." in listed
    assert "Yes, Saturday from 10:00 works." in page
    assert "Nina, nurse" in page
    assert "Nursename" not in page and "Nursename" not in listed


def test_every_messages_page_says_to_call_the_unit_for_anything_urgent(
    fam: Family,
) -> None:
    thread = _start(fam, fam.guardian_user, "Weekend pass")
    client = fam.guardian_client()
    notice = "For anything urgent, call the unit at"

    with override_settings(PORTAL_UNIT_PHONE="(555) 010-4242"):
        pages = [
            client.get(url).content.decode()
            for url in (_list(fam), _new(fam), _thread(fam, thread.pk))
        ]

    for page in pages:
        assert notice in page
        assert '<a href="tel:5550104242">(555) 010-4242</a>' in page
        assert "messages are answered within one working day" in page


def test_the_default_unit_phone_is_shown_when_none_is_configured(
    fam: Family,
) -> None:
    page = fam.guardian_client().get(_list(fam)).content.decode()

    assert "(555) 010-0000" in page


def test_parents_of_a_teen_are_told_the_teen_can_read_their_conversations(
    fam: Family,
) -> None:
    page = fam.guardian_client().get(_new(fam)).content.decode()

    assert "Robin can also read conversations about their care" in page


# --- The teen's own conversations -----------------------------------------------


def test_the_teen_is_told_their_conversation_is_private_from_parents(
    fam: Family,
) -> None:
    page = fam.teen_client().get(_new(fam)).content.decode()

    assert "Your parents will not see it." in page


def test_the_teens_conversation_never_appears_to_the_guardian(
    fam: Family, private: FamilyThread
) -> None:
    client = fam.guardian_client()

    listed = client.get(_list(fam))
    by_id = client.get(_thread(fam, private.pk))
    missing = client.get(_thread(fam, private.pk + 999))

    assert listed.status_code == 200
    assert TEEN_SECRET not in listed.content.decode()
    assert "Just between us" not in listed.content.decode()
    assert by_id.status_code == missing.status_code == 404
    assert by_id.content == missing.content


def test_a_guardian_cannot_reply_in_the_teens_conversation(
    fam: Family, private: FamilyThread
) -> None:
    response = _send(fam.guardian_client(), _thread(fam, private.pk), body="Hi")

    assert response.status_code == 404
    assert private.messages.count() == 1


def test_the_teen_sees_their_own_and_their_parents_conversations(
    fam: Family, private: FamilyThread
) -> None:
    _start(fam, fam.guardian_user, "Weekend pass")

    page = fam.teen_client().get(_list(fam)).content.decode()

    assert "Just between us" in page and "Weekend pass" in page
    assert "Private: only you and the team" in page
    assert "Your parents' conversation" in page


def test_the_teen_starts_a_private_conversation_from_the_portal(fam: Family) -> None:
    response = _send(
        fam.teen_client(), _new(fam), subject="School", body="I am nervous."
    )

    assert response.status_code == 302
    assert FamilyThread.objects.get().audience == FamilyAudience.TEEN


# --- Another family, bad input, double clicks -----------------------------------


def test_another_familys_conversation_id_is_the_404_of_a_missing_one(
    fam: Family,
) -> None:
    thread = _start(fam, fam.guardian_user, "Weekend pass")
    other = family(parent="Olga", surname="Otherfamily", name="Kim")
    client = other.guardian_client()

    in_own_child = client.get(
        reverse("portal:thread", args=[other.child.pk, thread.pk])
    )
    in_their_child = client.get(_thread(fam, thread.pk))
    missing = client.get(
        reverse("portal:thread", args=[other.child.pk, thread.pk + 999])
    )

    assert in_own_child.status_code == missing.status_code == 404
    assert in_their_child.status_code == 404
    assert in_own_child.content == missing.content


def test_an_empty_message_is_refused_next_to_its_field(fam: Family) -> None:
    response = _send(fam.guardian_client(), _new(fam), subject="", body="   ")

    page = response.content.decode()
    assert response.status_code == 400
    assert f'id="id_body_error">{BODY_EMPTY} </p>' in page
    assert f'id="id_subject_error">{SUBJECT_EMPTY} </p>' in page
    assert 'aria-describedby="id_body_helptext id_body_error"' in page
    assert not FamilyThread.objects.exists()


def test_an_empty_reply_is_refused_next_to_its_field(fam: Family) -> None:
    thread = _start(fam, fam.guardian_user, "Weekend pass")

    response = _send(fam.guardian_client(), _thread(fam, thread.pk), body="")

    assert response.status_code == 400
    assert f'id="id_body_error">{BODY_EMPTY} </p>' in response.content.decode()
    assert thread.messages.count() == 1


def test_a_double_click_on_send_makes_one_conversation_and_one_message(
    fam: Family,
) -> None:
    client = fam.guardian_client()
    data = {"subject": "Visiting", "body": "Once only", "form_token": str(uuid.uuid4())}

    first = client.post(_new(fam), data)
    second = client.post(_new(fam), data)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert FamilyThread.objects.count() == 1
    assert FamilyMessage.objects.filter(body="Once only").count() == 1


def test_a_double_click_on_reply_makes_one_message(fam: Family) -> None:
    thread = _start(fam, fam.guardian_user, "Weekend pass")
    client = fam.guardian_client()
    data = {"body": "Reply once", "form_token": str(uuid.uuid4())}

    client.post(_thread(fam, thread.pk), data)
    client.post(_thread(fam, thread.pk), data)

    assert FamilyMessage.objects.filter(body="Reply once").count() == 1


# --- What is withheld, and the audit trail --------------------------------------


@override_settings(PORTAL_GUARDIAN_TEEN_SEES=["schedule", "goals"])
def test_messages_hidden_from_parents_of_a_teen_show_why_and_open_nothing(
    fam: Family,
) -> None:
    thread = _start(fam, fam.teen_user, "Mine")  # type: ignore[arg-type]
    client = fam.guardian_client()

    listed = client.get(_list(fam))

    assert listed.status_code == 200
    assert "some of your child&#x27;s record is shared with your child" in (
        listed.content.decode()
    )
    assert client.get(_new(fam)).status_code == 404
    assert client.get(_thread(fam, thread.pk)).status_code == 404


def test_each_page_view_is_recorded_with_the_conversations_shown(
    fam: Family,
) -> None:
    thread = _start(fam, fam.guardian_user, "Weekend pass")
    client = fam.guardian_client()

    client.get(_list(fam))
    client.get(_thread(fam, thread.pk))

    events = AuditEvent.objects.filter(action=AuditAction.PORTAL_VIEWED).order_by("seq")
    listed, opened = events
    assert listed.changes["threads"] == [thread.pk]
    assert opened.changes["page"] == "portal:thread"
    assert opened.changes["messages"] == [thread.messages.get().pk]
    assert {e.data_category for e in events} == {DataCategory.FAMILY_MESSAGE}
