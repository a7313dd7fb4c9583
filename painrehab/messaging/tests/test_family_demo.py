"""The demo's family conversations (painrehab/demo/family_messages_demo.py)."""

import random

import pytest
from django.utils import timezone

from painrehab.accounts.choices import Role
from painrehab.audit.actions import AuditAction
from painrehab.audit.models import AuditEvent
from painrehab.common.testing import staff
from painrehab.demo.family_messages_demo import family_messages_populate
from painrehab.messaging.models import FamilyAudience, FamilyMessage, FamilyThread
from painrehab.patients.tests.factories import CareTeamMemberFactory
from painrehab.portal.tests.support import Family, family

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit() -> dict[str, Family]:
    """Two inpatient families with portal accounts (one teen has their own), a
    family still on the waitlist, and a small team."""
    staff(Role.COORDINATOR, username="coordinator")
    people = [
        staff(Role.SOCIAL_WORKER, username="sally", first_name="Sally"),
        staff(Role.PSYCHOLOGIST, username="petra", first_name="Petra"),
    ]
    families = {
        "teen": family(age=15, teen_account=True),
        "young": family(age=8, name="Kim", surname="Youngfamily", parent="Lee"),
        "waiting": family(
            age=10, name="Ada", surname="Waitfamily", parent="Max", stage="referred"
        ),
    }
    for fam in families.values():
        for person in people:
            CareTeamMemberFactory(patient=fam.child, member=person)
    return families


def _populate(seed: int = 3) -> None:
    family_messages_populate(rng=random.Random(seed), today=timezone.localdate())


def _threads(fam: Family, audience: FamilyAudience) -> list[FamilyThread]:
    return list(
        FamilyThread.objects.filter(episode__patient=fam.child, audience=audience)
    )


def test_inpatient_families_get_one_or_two_conversations_and_the_teen_one(
    unit: dict[str, Family],
) -> None:
    _populate()

    for key in ("teen", "young"):
        assert len(_threads(unit[key], FamilyAudience.GUARDIANS)) in (1, 2)
    assert len(_threads(unit["teen"], FamilyAudience.TEEN)) == 1
    assert not FamilyThread.objects.filter(episode__patient=unit["waiting"].child)


def test_the_teens_conversation_is_theirs_and_answered_by_the_team(
    unit: dict[str, Family],
) -> None:
    _populate()

    (private,) = _threads(unit["teen"], FamilyAudience.TEEN)
    first, answer = private.messages.order_by("created_at", "pk")
    assert first.author == unit["teen"].teen_user
    assert answer.from_family is False
    assert answer.author.role == Role.PSYCHOLOGIST


def test_every_message_is_before_now_in_order_and_audited(
    unit: dict[str, Family],
) -> None:
    _populate()

    now = timezone.now()
    messages = list(FamilyMessage.objects.order_by("thread", "created_at", "pk"))
    assert messages and all(m.created_at <= now for m in messages)
    sent = AuditEvent.objects.filter(action=AuditAction.FAMILY_MESSAGE_SENT)
    assert sent.count() == len(messages)


def test_the_guardians_write_and_the_team_answers(unit: dict[str, Family]) -> None:
    _populate()

    guardians = {unit[k].guardian_user.pk for k in ("teen", "young")}
    for thread in FamilyThread.objects.filter(audience=FamilyAudience.GUARDIANS):
        first, *answers = thread.messages.order_by("created_at", "pk")
        assert first.author_id in guardians
        assert all(not a.from_family for a in answers)


def test_running_again_with_the_same_seed_adds_nothing(
    unit: dict[str, Family],
) -> None:
    _populate(seed=11)
    first = sorted(FamilyMessage.objects.values_list("pk", "body"))

    _populate(seed=11)

    assert first
    assert sorted(FamilyMessage.objects.values_list("pk", "body")) == first
