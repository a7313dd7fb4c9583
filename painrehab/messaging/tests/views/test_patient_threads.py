import uuid

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.accounts.models import User
from painrehab.audit.models import AuditEvent
from painrehab.common.testing import sign_in
from painrehab.messaging.models import Message, Thread
from painrehab.messaging.services import SUBJECT_EMPTY
from painrehab.messaging.tests.support import opened, start
from painrehab.messaging.views import NO_EPISODE
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def _tab(patient: Patient) -> str:
    return reverse("messaging:patient_threads", args=[patient.pk])


def _new(patient: Patient) -> str:
    return reverse("messaging:thread_new", args=[patient.pk])


def _form(**data: object) -> dict[str, object]:
    return {
        "subject": "Family meeting",
        "body": "Thursday 3 pm suits the parents.",
        "form_token": str(uuid.uuid4()),
        **data,
    }


def test_the_tab_lists_this_childs_threads_with_a_new_thread_link(
    client: Client, pt_on_team: User, child: Patient, coordinator: User
) -> None:
    start(opened(child), coordinator, subject="Discharge date")
    start(opened(PatientFactory()), coordinator, subject="Another child")

    page = sign_in(client, pt_on_team).get(_tab(child)).content.decode()

    assert "Discharge date" in page and "Another child" not in page
    assert f'href="{_new(child)}"' in page
    assert 'aria-current="page">Team messages</a>' in page
    event = AuditEvent.objects.filter(action="message.viewed").latest("seq")
    assert event.patient_id == child.pk


def test_the_tab_of_a_child_off_your_team_is_404(
    client: Client, pt_off_team: User, child: Patient
) -> None:
    client = sign_in(client, pt_off_team)

    assert client.get(_tab(child)).status_code == 404
    assert client.get(_new(child)).status_code == 404
    assert client.post(_new(child), _form()).status_code == 404


def test_a_new_thread_is_started_on_the_current_episode(
    client: Client, pt_on_team: User, child: Patient
) -> None:
    episode = opened(child)

    response = sign_in(client, pt_on_team).post(_new(child), _form())

    thread = Thread.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("messaging:thread", args=[thread.pk])
    assert thread.episode == episode
    assert thread.messages.get().body == "Thursday 3 pm suits the parents."


def test_a_double_click_starts_one_thread(
    client: Client, pt_on_team: User, child: Patient
) -> None:
    opened(child)
    form = _form()
    client = sign_in(client, pt_on_team)

    client.post(_new(child), form)
    client.post(_new(child), form)

    assert Thread.objects.count() == 1
    assert Message.objects.count() == 1


def test_a_thread_without_a_subject_is_refused_next_to_the_field(
    client: Client, pt_on_team: User, child: Patient
) -> None:
    opened(child)

    response = sign_in(client, pt_on_team).post(_new(child), _form(subject=""))

    page = response.content.decode()
    assert response.status_code == 400
    assert f'<p class="error" id="id_subject_error">{SUBJECT_EMPTY}' in page
    assert "Thursday 3 pm suits the parents.</textarea>" in page
    assert not Thread.objects.exists()


def test_a_child_without_an_episode_gets_a_clear_refusal(
    client: Client, pt_on_team: User, child: Patient
) -> None:
    client = sign_in(client, pt_on_team)

    shown = client.get(_new(child))
    posted = client.post(_new(child), _form())

    assert NO_EPISODE.replace("'", "&#x27;") in shown.content.decode()
    assert posted.status_code == 400
    assert not Thread.objects.exists()


def test_a_guardian_is_refused_the_tab(
    client: Client, guardian: User, child: Patient
) -> None:
    assert sign_in(client, guardian).get(_tab(child)).status_code == 403
