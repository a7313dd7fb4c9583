"""The child's day and week in the portal: plain words, first names, the family's
own sessions marked, family time and visiting hours, and nothing of another child."""

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from painrehab.accounts.choices import Discipline, Role
from painrehab.accounts.models import User
from painrehab.audit.actions import AuditAction
from painrehab.audit.models import AuditEvent
from painrehab.episodes.models import Episode
from painrehab.portal.selectors.day import day_parse, monday_of
from painrehab.portal.tests.support import Family, family
from painrehab.scheduling.models import PatientBlock, Room, Session
from painrehab.scheduling.tests.factories import (
    RoomFactory,
    day_template,
    session,
    therapist,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def maria() -> User:
    return therapist(first_name="Maria", last_name="Quendolyn")


@pytest.fixture
def gym() -> Room:
    return RoomFactory(name="Sunny gym", capacity=6)


@pytest.fixture
def robin() -> Family:
    day_template()
    return family(age=9)


def _page(client: Client, name: str, fam: Family, **params: str) -> str:
    response = client.get(reverse(name, args=[fam.child.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


def _episode(fam: Family) -> Episode:
    assert fam.episode is not None
    return fam.episode


def test_a_guardian_sees_the_childs_day_in_plain_words_with_first_names(
    robin: Family, maria: User, gym: Room
) -> None:
    session(
        _episode(robin),
        day=TODAY,
        start="10:00",
        staff=maria,
        room=gym,
        label="Desensitisation, left foot CRPS",
    )
    page = _page(robin.guardian_client(), "portal:today", robin)
    assert "<h1>Robin's day</h1>" in page
    assert "Physical therapy" in page and "Sunny gym" in page
    assert "Maria, physical therapist" in page
    assert "10 a.m. to 11 a.m." in page
    assert "Quendolyn" not in page
    assert "CRPS" not in page and "Desensitisation" not in page
    assert "Lunch" in page and "School" in page


def test_a_teen_sees_their_own_day_under_my_day(maria: User, gym: Room) -> None:
    day_template()
    fam = family(age=14, teen_account=True)
    session(_episode(fam), day=TODAY, start="09:00", staff=maria, room=gym)
    page = _page(fam.teen_client(), "portal:today", fam)
    assert "<h1>My day</h1>" in page
    assert "Maria, physical therapist" in page and "Sunny gym" in page


def test_another_childs_name_in_a_shared_group_never_appears(
    robin: Family, maria: User, gym: Room
) -> None:
    other = family(age=10, name="Zephyrine", surname="Quillfeather", parent="Lee")
    session(
        _episode(robin),
        others=(_episode(other),),
        day=TODAY,
        start="14:00",
        staff=maria,
        room=gym,
        label="Group physical therapy",
    )
    for name in ("portal:today", "portal:week"):
        page = _page(robin.guardian_client(), name, robin, week=TODAY.isoformat())
        assert "Group physical therapy" in page
        assert "Zephyrine" not in page and "Quillfeather" not in page


def test_another_childs_own_sessions_are_not_in_the_childs_day(
    robin: Family, maria: User
) -> None:
    other = family(age=10, name="Zephyrine", surname="Quillfeather", parent="Lee")
    oona = therapist(Role.OCCUPATIONAL_THERAPIST, first_name="Oona", last_name="Hands")
    session(
        _episode(other),
        day=TODAY,
        staff=oona,
        discipline=Discipline.OT,
        label="Occupational therapy",
    )
    page = _page(robin.guardian_client(), "portal:today", robin)
    assert "Oona" not in page and "Occupational therapy" not in page


def test_family_sessions_and_parent_training_are_marked_for_the_guardian(
    robin: Family,
) -> None:
    nadia = therapist(Role.SOCIAL_WORKER, first_name="Nadia", last_name="Fernwhistle")
    paz = therapist(Role.PSYCHOLOGIST, first_name="Paz", last_name="Brightwater")
    session(
        _episode(robin),
        day=TODAY,
        start="15:00",
        staff=nadia,
        discipline=Discipline.SW,
        label="Meeting with parents",
    )
    session(
        _episode(robin),
        day=TODAY,
        start="16:00",
        staff=paz,
        discipline=Discipline.PSY,
        label="Parent training: responding to pain",
    )
    page = _page(robin.guardian_client(), "portal:today", robin)
    assert page.count(">For you<") == 2
    assert "Family session" in page and "Parent training" in page
    assert "Nadia, social worker" in page and "Paz, psychologist" in page
    assert "responding to pain" not in page


def test_the_teen_sees_family_sessions_as_with_your_family() -> None:
    day_template()
    fam = family(age=14, teen_account=True)
    nadia = therapist(Role.SOCIAL_WORKER, first_name="Nadia", last_name="Fernwhistle")
    session(_episode(fam), day=TODAY, staff=nadia, discipline=Discipline.SW)
    page = _page(fam.teen_client(), "portal:today", fam)
    assert ">With your family<" in page and ">For you<" not in page


def test_visiting_hours_and_evening_family_time_are_shown(robin: Family) -> None:
    page = _page(robin.guardian_client(), "portal:today", robin)
    assert "Visiting hours are from 5 p.m. to 8 p.m. every day." in page
    assert "Parents return, relaxation, dinner, family time" in page


def test_visiting_hours_come_from_the_settings(robin: Family, settings: Any) -> None:
    settings.PORTAL_VISITING_HOURS = ("18:00", "19:30")
    page = _page(robin.guardian_client(), "portal:week", robin)
    assert "Visiting hours are from 6 p.m. to 7:30 p.m. every day." in page


def test_a_one_off_appointment_shows_without_its_label(
    robin: Family, maria: User
) -> None:
    PatientBlock.objects.create(
        episode=_episode(robin),
        day=TODAY,
        start=dt.time(11, 0),
        end=dt.time(11, 30),
        label="MRI of the left foot",
        recorded_by=maria,
    )
    page = _page(robin.guardian_client(), "portal:today", robin)
    assert "Appointment" in page and "MRI" not in page


def test_a_hidden_timetable_shows_why_and_nothing_of_it(
    settings: Any, maria: User
) -> None:
    settings.PORTAL_GUARDIAN_TEEN_SEES = ["messages"]
    day_template()
    fam = family(age=14)
    session(_episode(fam), day=TODAY, staff=maria)
    for name in ("portal:today", "portal:week", "portal:calendar"):
        page = _page(fam.guardian_client(), name, fam)
        assert "some of your child&#x27;s record is shared with your child" in page
        assert "Maria" not in page and "Visiting hours" not in page
    event = AuditEvent.objects.filter(
        action=AuditAction.PORTAL_VIEWED, actor=fam.guardian_user
    ).latest("seq")
    assert event.changes["withheld"] == {"schedule": "privacy_171_202_b"}


def test_the_week_shows_the_week_asked_for(robin: Family, maria: User) -> None:
    next_tuesday = monday_of(TODAY) + dt.timedelta(days=8)
    session(_episode(robin), day=next_tuesday, staff=maria)
    client = robin.guardian_client()
    this_week = _page(client, "portal:week", robin)
    assert "Maria" not in this_week
    asked = _page(client, "portal:week", robin, week=next_tuesday.isoformat())
    assert "Maria, physical therapist" in asked
    assert f"?week={(monday_of(TODAY) + dt.timedelta(days=14)).isoformat()}" in asked


@pytest.mark.parametrize(
    "value",
    ["garbage", "2026-13-45", "9999-12-31", "0001-01-01", ""],
    ids=[
        "words_case",
        "no_such_date_case",
        "far_future_case",
        "far_past_case",
        "empty_case",
    ],
)
def test_a_bad_week_or_day_means_this_week_or_today(robin: Family, value: str) -> None:
    client = robin.guardian_client()
    week = _page(client, "portal:week", robin, week=value)
    assert f"?week={(monday_of(TODAY) - dt.timedelta(days=7)).isoformat()}" in week
    day = _page(client, "portal:today", robin, day=value)
    assert f"?day={(TODAY + dt.timedelta(days=1)).isoformat()}" in day


def test_day_parse_keeps_a_good_date_and_refuses_a_far_one() -> None:
    good = TODAY + dt.timedelta(days=30)
    assert day_parse(good.isoformat(), today=TODAY) == good
    assert day_parse("2999-01-01", today=TODAY) == TODAY


def test_a_child_not_on_the_unit_has_a_plain_note() -> None:
    day_template()
    fam = family(age=9, stage="referred")
    page = _page(fam.guardian_client(), "portal:today", fam)
    assert "The plan shows here while Robin stays on the unit." in page
    assert "Lunch" not in page


def test_each_view_is_audited_as_a_portal_view(robin: Family) -> None:
    _page(robin.guardian_client(), "portal:week", robin)
    event = AuditEvent.objects.filter(
        action=AuditAction.PORTAL_VIEWED, actor=robin.guardian_user
    ).latest("seq")
    assert event.patient_id == robin.child.pk
    assert event.changes["page"] == "week"
    assert event.changes["week"] == monday_of(TODAY).isoformat()


def test_another_familys_child_is_a_404(robin: Family) -> None:
    other = family(age=10, name="Zephyrine", surname="Quillfeather", parent="Lee")
    client = robin.guardian_client()
    for name in ("portal:today", "portal:week", "portal:calendar"):
        assert client.get(reverse(name, args=[other.child.pk])).status_code == 404
        assert client.get(reverse(name, args=[other.child.pk + 999])).status_code == 404


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _sessions(episode: Episode, staff: User, room: Room, count: int) -> list[Session]:
    monday = monday_of(TODAY)
    return [
        session(
            episode,
            day=monday + dt.timedelta(days=n % 5),
            start=f"{9 + n // 5:02d}:00",
            staff=staff,
            room=room,
        )
        for n in range(count)
    ]


def test_the_week_costs_the_same_queries_for_more_sessions(
    robin: Family, maria: User, gym: Room, django_assert_max_num_queries: Any
) -> None:
    client = robin.guardian_client()
    url = reverse("portal:week", args=[robin.child.pk])
    _sessions(_episode(robin), maria, gym, 1)
    few = _count(client, url)
    _sessions(_episode(robin), therapist(first_name="Tess"), gym, 15)
    assert _count(client, url) == few
    with django_assert_max_num_queries(few):
        client.get(url)
