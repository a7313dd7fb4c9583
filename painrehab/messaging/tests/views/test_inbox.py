from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.common.testing import sign_in, staff
from painrehab.messaging import services
from painrehab.messaging.selectors import unread_count
from painrehab.messaging.tests.support import opened, reply, start
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import CareTeamMemberFactory, PatientFactory

pytestmark = pytest.mark.django_db
INBOX = reverse("messaging:inbox")


def _children(count: int, reader: User, writer: User) -> None:
    """``count`` more children on both people's team, each with two threads: one
    unread with a mention of ``reader``, one read, plus a child off the team."""
    for _ in range(count):
        child = PatientFactory()
        for member in (reader, writer):
            CareTeamMemberFactory(patient=child, member=member)
        episode = opened(child)
        start(episode, writer, body=f"@{reader.username} please look")
        read = start(episode, writer, subject="Read")
        reply(read, writer, "More")
        services.thread_mark_read(thread=read, user=reader)
    start(opened(PatientFactory()), staff(Role.COORDINATOR), subject="Elsewhere")


@pytest.fixture
def reader(db: None) -> User:
    return staff(Role.OCCUPATIONAL_THERAPIST, username="olive")


@pytest.fixture
def writer(db: None) -> User:
    return staff(Role.PHYSICAL_THERAPIST, username="pat")


def test_the_inbox_lists_unread_threads_first(
    client: Client, pt_on_team: User, child: Patient, coordinator: User
) -> None:
    episode = opened(child)
    start(episode, coordinator, subject="Not read yet")
    read = start(episode, coordinator, subject="Already read")  # newer, but read
    services.thread_mark_read(thread=read, user=pt_on_team)

    page = sign_in(client, pt_on_team).get(INBOX).content.decode()

    assert page.index("Not read yet") < page.index("Already read")


def test_the_mentions_filter_shows_only_threads_naming_you(
    client: Client, pt_on_team: User, child: Patient, coordinator: User
) -> None:
    episode = opened(child)
    start(episode, coordinator, subject="For Pat", body="@pat can you check?")
    start(episode, coordinator, subject="For everyone")

    page = sign_in(client, pt_on_team).get(INBOX, {"show": "mentions"})

    assert "For Pat" in page.content.decode()
    assert "For everyone" not in page.content.decode()


def test_an_unknown_filter_shows_everything(
    client: Client, pt_on_team: User, child: Patient, coordinator: User
) -> None:
    start(opened(child), coordinator, subject="Visible")

    page = sign_in(client, pt_on_team).get(INBOX, {"show": "nonsense"})

    assert page.status_code == 200
    assert "Visible" in page.content.decode()


def test_the_navigation_shows_messages_with_the_unread_count(
    client: Client, pt_on_team: User, child: Patient, coordinator: User
) -> None:
    start(opened(child), coordinator, body="@pat hello")

    page = sign_in(client, pt_on_team).get(INBOX).content.decode()

    nav = page.split('class="mainnav"', 1)[1].split("</nav>", 1)[0]
    assert f'href="{INBOX}"' in nav
    assert '<span class="badge">2<span class="visually-hidden">' in nav


def test_people_outside_the_clinical_roles_have_no_messages_entry(
    client: Client, guardian: User
) -> None:
    privacy = staff(Role.PRIVACY_OFFICER)

    page = sign_in(client, privacy).get(reverse("accounts:home"), follow=True)

    assert f'href="{INBOX}"' not in page.content.decode()
    assert sign_in(Client(), guardian).get(INBOX).status_code == 403


@pytest.mark.parametrize("size", [1, 4], ids=["few_case", "many_case"])
def test_the_badge_takes_two_queries_however_many_children(
    size: int,
    reader: User,
    writer: User,
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    _children(size, reader, writer)

    with django_assert_max_num_queries(2):  # type: ignore[attr-defined]
        count = unread_count(user=reader)

    assert count == 2 * size  # each child: one unread thread and one mention


def _inbox_queries(client: Client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(INBOX).status_code == 200
    return len(queries)


def test_the_inbox_takes_the_same_queries_however_many_children(
    client: Client,
    reader: User,
    writer: User,
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    sign_in(client, reader)
    _children(1, reader, writer)
    few = _inbox_queries(client)
    _children(5, reader, writer)

    with django_assert_max_num_queries(few):  # type: ignore[attr-defined]
        page = client.get(INBOX)

    assert page.content.decode().count("please look") == 0  # bodies stay out
    assert page.content.decode().count("mentions you") == 6
