"""Builders for the messaging tests: episodes, threads and replies via the services."""

import uuid
from collections.abc import Iterable

from django.utils import timezone

from painrehab.accounts.models import User
from painrehab.episodes.models import Episode
from painrehab.episodes.services import episode_open
from painrehab.messaging import services
from painrehab.messaging.models import Message, Thread
from painrehab.patients.models import Patient
from painrehab.referrals.tests import journey


def opened(patient: Patient) -> Episode:
    """A referred episode: the lightest episode a thread can be about."""
    return episode_open(
        patient=patient, opened_on=timezone.localdate(), by=journey.coordinator()
    )


def start(
    episode: Episode,
    by: User,
    *,
    subject: str = "Plan for the weekend",
    body: str = "Shall we keep the walking programme on Saturday?",
    notify: Iterable[str] = (),
    token: uuid.UUID | None = None,
) -> Thread:
    return services.thread_start(
        episode=episode,
        author=by,
        subject=subject,
        body=body,
        notify=notify,
        form_token=token or uuid.uuid4(),
    )


def reply(
    thread: Thread,
    by: User,
    body: str = "Yes, two short walks.",
    *,
    notify: Iterable[str] = (),
    token: uuid.UUID | None = None,
) -> Message:
    return services.message_post(
        thread=thread,
        author=by,
        body=body,
        notify=notify,
        form_token=token or uuid.uuid4(),
    )
