"""The demo's team messages, on inpatients built by the journey helpers."""

import random

import pytest
from django.db import transaction
from django.utils import timezone

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.audit.models import AuditEvent
from painrehab.common.testing import staff
from painrehab.demo.messaging_demo import SCRIPTS, messaging_populate
from painrehab.episodes.models import Episode
from painrehab.messaging.models import Mention, Message, Thread, ThreadRead
from painrehab.messaging.selectors import unread_count
from painrehab.patients.access import can_see_patient
from painrehab.patients.choices import TeamRole
from painrehab.patients.tests.factories import CareTeamMemberFactory
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db
TEAM = (
    ("physician", Role.PHYSICIAN, TeamRole.ATTENDING),
    ("psychologist", Role.PSYCHOLOGIST, TeamRole.PRIMARY_PSYCHOLOGIST),
    ("pt", Role.PHYSICAL_THERAPIST, TeamRole.PRIMARY_PT),
    ("ot", Role.OCCUPATIONAL_THERAPIST, TeamRole.PRIMARY_OT),
    ("nurse", Role.NURSE, TeamRole.NURSE),
)


@pytest.fixture
def unit() -> dict[str, Episode]:
    """Two inpatients with the demo team, and a child still on the waitlist."""
    staff(Role.COORDINATOR, username="coordinator")
    people = {name: staff(role, username=name) for name, role, _t in TEAM}
    episodes = {
        "day4": journey.admitted(days_ago=3),
        "today": journey.admitted(days_ago=0),
        "waiting": journey.waitlisted(),
    }
    for episode in episodes.values():
        for name, _role, team_role in TEAM:
            CareTeamMemberFactory(
                patient=episode.patient, member=people[name], team_role=team_role
            )
    return episodes


def _populate(seed: int = 7) -> None:
    messaging_populate(rng=random.Random(seed), today=timezone.localdate())


def _threads(episode: Episode) -> list[Thread]:
    return list(episode.message_threads.order_by("created_at", "pk"))


def test_every_inpatient_gets_two_or_three_threads(unit: dict[str, Episode]) -> None:
    _populate()

    assert len(_threads(unit["day4"])) in (2, 3)
    assert len(_threads(unit["today"])) in (2, 3)
    assert _threads(unit["waiting"]) == []
    assert {t.subject for t in Thread.objects.all()} <= {s for s, _l in SCRIPTS}


def test_messages_fall_within_the_stay_and_before_now(
    unit: dict[str, Episode],
) -> None:
    _populate()

    for key in ("day4", "today"):
        admitted = unit[key].stay.admitted_on
        for message in Message.objects.filter(thread__episode=unit[key]):
            assert message.created_at <= timezone.now()
            assert timezone.localtime(message.created_at).date() >= admitted


def test_mentions_name_only_the_childs_team_and_never_the_author(
    unit: dict[str, Episode],
) -> None:
    _populate()

    mentions = Mention.objects.select_related("message__thread__episode__patient")
    assert mentions.exists()
    for mention in mentions:
        patient = mention.message.thread.episode.patient
        assert can_see_patient(user=mention.user, patient=patient)
        assert mention.user_id != mention.message.author_id


def test_the_oldest_thread_is_read_and_the_newest_unread_for_the_team(
    unit: dict[str, Episode],
) -> None:
    _populate()
    pt = User.objects.get(username="pt")

    for key in ("day4", "today"):
        threads = _threads(unit[key])
        oldest, newest = threads[0], threads[-1]
        read = ThreadRead.objects.get(thread=oldest, user=pt)
        assert read.last_read_message == oldest.messages.order_by("pk").last()
        authors = set(newest.messages.values_list("author_id", flat=True))
        if pt.pk not in authors:
            assert not ThreadRead.objects.filter(thread=newest, user=pt).exists()


def test_each_demo_clinician_has_something_unread(unit: dict[str, Episode]) -> None:
    _populate()

    for name in ("coordinator", *(n for n, _r, _t in TEAM)):
        assert unread_count(user=User.objects.get(username=name)) > 0, name


def test_every_message_is_audited_as_posted(unit: dict[str, Episode]) -> None:
    _populate()

    posted = AuditEvent.objects.filter(action="message.posted")
    assert posted.count() == Message.objects.count() > 0
    assert set(posted.values_list("patient_id", flat=True)) == {
        unit["day4"].patient_id,
        unit["today"].patient_id,
    }


def _subjects_for(seed: int) -> list[tuple[int, str]]:
    with transaction.atomic():
        _populate(seed)
        found = list(
            Thread.objects.order_by("episode_id", "created_at").values_list(
                "episode_id", "subject"
            )
        )
        transaction.set_rollback(True)
    return found


def test_the_same_seed_writes_the_same_threads(unit: dict[str, Episode]) -> None:
    assert _subjects_for(7) == _subjects_for(7)
