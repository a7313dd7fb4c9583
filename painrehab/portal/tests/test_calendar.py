"""A family member's calendar link: made from the portal, shown once, only the
child's own sessions in plain words and first names, switched off for good."""

import re
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from painrehab.accounts.choices import Discipline, Role
from painrehab.accounts.models import User
from painrehab.audit.actions import AuditAction
from painrehab.audit.models import AuditEvent
from painrehab.episodes.models import Episode
from painrehab.portal.services.calendar import MAX_LIVE_FEEDS
from painrehab.portal.tests.support import Family, family
from painrehab.scheduling.choices import FeedKind
from painrehab.scheduling.models import CalendarFeed
from painrehab.scheduling.tests.factories import RoomFactory, session, therapist

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def robin() -> Family:
    return family(age=9)


@pytest.fixture
def maria() -> User:
    return therapist(first_name="Maria", last_name="Quendolyn")


def _episode(fam: Family) -> Episode:
    assert fam.episode is not None
    return fam.episode


def _url(fam: Family) -> str:
    return reverse("portal:calendar", args=[fam.child.pk])


def _make(client: Client, fam: Family, **fields: str) -> Any:
    data = {"label": "My phone", "form_token": str(uuid.uuid4()), **fields}
    return client.post(_url(fam), data)


def _token(page: str) -> str:
    found = re.search(r"/calendar/([A-Za-z0-9_-]+)\.ics", page)
    assert found is not None, "the new address is on the page"
    return found.group(1)


def test_a_guardian_makes_a_link_shown_once_and_kept_as_a_digest(
    robin: Family,
) -> None:
    client = robin.guardian_client()
    response = _make(client, robin)
    assert response.status_code == 200
    token = _token(response.content.decode())
    feed = CalendarFeed.objects.get()
    assert (feed.kind, feed.patient, feed.created_by) == (
        FeedKind.PATIENT,
        robin.child,
        robin.guardian_user,
    )
    assert feed.token_digest != token
    again = client.get(_url(robin)).content.decode()
    assert token not in again and "My phone" in again
    event = AuditEvent.objects.get(action=AuditAction.CALENDAR_FEED_CREATED)
    assert (event.actor, event.patient_id) == (robin.guardian_user, robin.child.pk)


def test_the_familys_feed_holds_only_this_childs_sessions_by_first_name(
    robin: Family, maria: User
) -> None:
    other = family(age=10, name="Zephyrine", surname="Quillfeather", parent="Lee")
    oona = therapist(Role.OCCUPATIONAL_THERAPIST, first_name="Oona", last_name="Hands")
    gym = RoomFactory(name="Sunny gym", capacity=6)
    session(_episode(robin), day=TODAY, staff=maria, room=gym)
    session(
        _episode(robin),
        others=(_episode(other),),
        day=TODAY,
        start="14:00",
        staff=maria,
        room=gym,
        label="Group physical therapy",
    )
    session(
        _episode(other),
        day=TODAY,
        start="09:00",
        staff=oona,
        discipline=Discipline.OT,
        label="Occupational therapy",
    )
    token = _token(_make(robin.guardian_client(), robin).content.decode())
    body = Client().get(reverse("scheduling:feed", args=[token])).content.decode()
    assert "SUMMARY:Physical therapy with Maria" in body
    assert "SUMMARY:Group physical therapy with Maria" in body
    assert "LOCATION:Sunny gym" in body
    assert "Oona" not in body and "Occupational" not in body
    for secret in ("Quendolyn", "Zephyrine", "Quillfeather", "Robin", "Testfamily"):
        assert secret not in body


def test_a_double_click_makes_one_link(robin: Family) -> None:
    client = robin.guardian_client()
    form_token = str(uuid.uuid4())
    _make(client, robin, form_token=form_token)
    second = _make(client, robin, form_token=form_token)
    assert second.status_code == 200
    assert CalendarFeed.objects.count() == 1
    assert "made a moment ago" in second.content.decode()
    assert ".ics" not in second.content.decode()


def test_switching_off_ends_the_link_at_once(robin: Family) -> None:
    client = robin.guardian_client()
    token = _token(_make(client, robin).content.decode())
    feed = CalendarFeed.objects.get()
    response = client.post(_url(robin), {"feed": feed.pk})
    assert response.status_code == 302
    feed.refresh_from_db()
    assert feed.revoked_by == robin.guardian_user
    assert Client().get(reverse("scheduling:feed", args=[token])).status_code == 404
    assert AuditEvent.objects.filter(action=AuditAction.CALENDAR_FEED_REVOKED).exists()
    assert "My phone" not in client.get(_url(robin)).content.decode()


def test_another_persons_link_cannot_be_switched_off(robin: Family) -> None:
    teen_family = family(age=14, name="Alex", surname="Ownkin", teen_account=True)
    _make(teen_family.teen_client(), teen_family)
    theirs = CalendarFeed.objects.get()
    # The teen's guardian, on the same child, did not make it.
    response = teen_family.guardian_client().post(
        _url(teen_family), {"feed": theirs.pk}
    )
    assert response.status_code == 404
    # Nor does another family reach it through their own child.
    response = robin.guardian_client().post(_url(robin), {"feed": theirs.pk})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_a_teen_makes_their_own_link() -> None:
    fam = family(age=14, teen_account=True)
    response = _make(fam.teen_client(), fam)
    assert response.status_code == 200
    assert CalendarFeed.objects.get().created_by == fam.teen_user


def test_no_link_without_a_stay_on_the_program() -> None:
    fam = family(age=9, stage="none")
    response = _make(fam.guardian_client(), fam)
    assert response.status_code == 400
    assert "the calendar would be empty" in response.content.decode()
    assert not CalendarFeed.objects.exists()


def test_a_too_long_name_is_refused_next_to_the_field(robin: Family) -> None:
    response = _make(robin.guardian_client(), robin, label="x" * 200)
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_new_label_error"' in page
    assert not CalendarFeed.objects.exists()


def test_links_are_limited_per_person(robin: Family) -> None:
    client = robin.guardian_client()
    for _ in range(MAX_LIVE_FEEDS):
        _make(client, robin)
    response = _make(client, robin)
    assert response.status_code == 400
    assert "Switch one off before making another." in response.content.decode()
    assert CalendarFeed.objects.count() == MAX_LIVE_FEEDS


def test_no_link_while_the_timetable_is_hidden(settings: Any) -> None:
    settings.PORTAL_GUARDIAN_TEEN_SEES = ["messages"]
    fam = family(age=14)
    assert _make(fam.guardian_client(), fam).status_code == 404
    assert not CalendarFeed.objects.exists()
