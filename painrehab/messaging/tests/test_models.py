import uuid

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from painrehab.accounts.models import User
from painrehab.messaging.models import POSTED_IS_FINAL, Mention, Message, Thread
from painrehab.messaging.tests.support import opened, start
from painrehab.patients.models import Patient

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(child: Patient, pt_on_team: User, coordinator: User) -> Thread:
    return start(opened(child), pt_on_team, body="Over to you, @alice.")


def test_a_posted_message_cannot_be_saved_again(thread: Thread) -> None:
    message = thread.messages.get()
    message.body = "Rewritten after the fact"

    with pytest.raises(PermissionError, match=POSTED_IS_FINAL):
        message.save()
    assert Message.objects.get(pk=message.pk).body == "Over to you, @alice."


def test_a_posted_message_cannot_be_deleted(thread: Thread) -> None:
    message = thread.messages.get()

    with pytest.raises(PermissionError):
        message.delete()
    assert Message.objects.filter(pk=message.pk).exists()


@pytest.mark.parametrize("model", [Thread, Message, Mention], ids=lambda m: m.__name__)
def test_bulk_update_and_delete_are_refused(thread: Thread, model: type) -> None:
    rows = model.objects.all()
    assert rows.exists()

    with pytest.raises(PermissionError):
        rows.update(pk=999)
    with pytest.raises(PermissionError):
        rows.delete()


def test_a_thread_subject_cannot_be_changed(thread: Thread) -> None:
    thread.subject = "Something else"

    with pytest.raises(PermissionError):
        thread.save()


def test_the_database_refuses_an_empty_message(
    thread: Thread, pt_on_team: User
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Message.objects.create(
            thread=thread,
            author=pt_on_team,
            body="",
            created_at=timezone.now(),
            form_token=uuid.uuid4(),
        )


def test_the_database_refuses_an_overlong_message(
    thread: Thread, pt_on_team: User
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Message.objects.create(
            thread=thread,
            author=pt_on_team,
            body="x" * 2001,
            created_at=timezone.now(),
            form_token=uuid.uuid4(),
        )
