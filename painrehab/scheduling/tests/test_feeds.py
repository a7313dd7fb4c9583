"""Calendar feeds: what they hold, who makes and revokes them, how they refuse.

Feeds are read as a calendar app reads them: through the public page, without a
login, and parsed back with ``icalendar``.
"""

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.accounts.tests.factories import StaffFactory
from painrehab.audit.actions import AuditAction
from painrehab.audit.models import AuditEvent
from painrehab.careplans.models import CarePlan
from painrehab.common.testing import sign_in
from painrehab.episodes.models import Episode
from painrehab.patients.access import PatientNotFound
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import CareTeamMemberFactory, PatientFactory
from painrehab.referrals.models import ReferralDiagnosis
from painrehab.referrals.tests import journey
from painrehab.scheduling import feeds
from painrehab.scheduling.choices import FeedKind
from painrehab.scheduling.models import CalendarFeed, Session
from painrehab.scheduling.services import feeds as services
from painrehab.scheduling.tests.factories import RoomFactory, session, therapist

pytestmark = pytest.mark.django_db

FAMILY_NAME = "Zebulonsky"
PRESCRIPTION_TEXT = "Mirror therapy for the left foot CRPS flare"
PLAN_TEXT = "Quillfeather plan: graded exposure after the ankle fracture"


def today() -> dt.date:
    return timezone.localdate()


def unit_time(day: dt.date, hhmm: str) -> dt.datetime:
    return dt.datetime.combine(
        day, dt.time.fromisoformat(hhmm), tzinfo=ZoneInfo(settings.TIME_ZONE)
    )


@pytest.fixture
def pt() -> User:
    return therapist(first_name="Pat", last_name="Physio", username="pat-physio")


@pytest.fixture
def episode() -> Episode:
    """An inpatient with a distinctive name, prescription and plan text."""
    patient = PatientFactory(given_name="Quintessa", family_name=FAMILY_NAME)
    episode = journey.admitted(patient, days_ago=2)
    plan = CarePlan.objects.get(episode=episode)
    CarePlan.objects.filter(pk=plan.pk).update(summary=PLAN_TEXT)
    plan.prescriptions.filter(template_key="pt").update(label=PRESCRIPTION_TEXT)
    return episode  # type: ignore[no-any-return]


def _staff_feed(user: User) -> str:
    return services.staff_feed_create(by=user, label="", form_token=uuid.uuid4()).token  # type: ignore[return-value]


def _family_feed(patient: Patient) -> str:
    made = services.patient_feed_create(
        by=journey.coordinator(), patient=patient, label="", form_token=uuid.uuid4()
    )
    return made.token  # type: ignore[return-value]


def _fetch(token: str, client: Client | None = None):  # type: ignore[no-untyped-def]
    return (client or Client()).get(reverse("scheduling:feed", args=[token]))


def _events(response) -> dict[str, object]:  # type: ignore[no-untyped-def]
    calendar = Calendar.from_ical(response.content)
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


# --- What a feed holds ------------------------------------------------------------


def test_staff_feed_holds_the_therapists_sessions_in_the_unit_time_zone(
    pt: User, episode: Episode
) -> None:
    gym = RoomFactory(name="Gym 2")
    inside = session(episode, day=today() + dt.timedelta(days=1), staff=pt, room=gym)
    first = session(episode, day=today() - dt.timedelta(days=7), staff=pt)
    last = session(episode, day=today() + dt.timedelta(days=28), staff=pt)
    session(episode, day=today() - dt.timedelta(days=8), staff=pt)  # too old
    session(episode, day=today() + dt.timedelta(days=29), staff=pt)  # too far
    session(episode, day=today(), staff=therapist())  # someone else's

    response = _fetch(_staff_feed(pt))

    assert response.status_code == 200
    events = _events(response)
    assert set(events) == {f"session-{s.pk}@painrehab" for s in (inside, first, last)}
    event = events[f"session-{inside.pk}@painrehab"]
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert start == unit_time(inside.day, "10:00")
    assert end == unit_time(inside.day, "11:00")
    assert event["dtstart"].params["TZID"] == settings.TIME_ZONE
    assert str(event["location"]) == "Gym 2"
    bed = episode.stay.bed.number
    assert str(event["summary"]) == f"Physical therapy · Bed {bed}"
    calendar = Calendar.from_ical(response.content)
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == [
        settings.TIME_ZONE
    ]


def test_a_sessions_uid_stays_the_same_from_one_fetch_to_the_next(
    pt: User, episode: Episode
) -> None:
    row = session(episode, day=today(), staff=pt)
    token = _staff_feed(pt)
    Session.objects.filter(pk=row.pk).update(start=dt.time(14, 0), end=dt.time(15, 0))

    event = _events(_fetch(token))[f"session-{row.pk}@painrehab"]

    assert event.decoded("dtstart") == unit_time(row.day, "14:00")


def test_a_group_session_shows_staff_the_beds_and_never_the_names(
    pt: User, episode: Episode
) -> None:
    other = journey.admitted(PatientFactory(family_name="Otherkid"), days_ago=1)
    group = session(
        episode,
        day=today(),
        staff=pt,
        discipline="PT",
        label="Group PT",
        others=(other,),
    )

    event = _events(_fetch(_staff_feed(pt)))[f"session-{group.pk}@painrehab"]

    beds = sorted([episode.stay.bed.number, other.stay.bed.number])
    assert str(event["summary"]) == (
        f"Group physical therapy · Beds {beds[0]}, {beds[1]}"
    )


def test_family_feed_holds_only_the_childs_sessions_with_first_names_and_room(
    pt: User, episode: Episode
) -> None:
    other = journey.admitted(days_ago=1)
    own = session(episode, day=today(), staff=pt, room=RoomFactory(name="PT room"))
    session(other, day=today(), start="11:00", staff=pt)

    events = _events(_fetch(_family_feed(episode.patient)))

    assert list(events) == [f"session-{own.pk}@painrehab"]
    event = events[f"session-{own.pk}@painrehab"]
    assert str(event["summary"]) == "Physical therapy with Pat"
    assert str(event["location"]) == "PT room"
    assert event.decoded("dtstart") == unit_time(own.day, "10:00")


def test_neither_feed_carries_the_childs_name_record_number_diagnosis_or_plan(
    pt: User, episode: Episode
) -> None:
    patient = episode.patient
    prescription = CarePlan.objects.get(episode=episode).prescriptions.get(
        template_key="pt"
    )
    row = session(episode, day=today(), staff=pt, label=PRESCRIPTION_TEXT)
    Session.objects.filter(pk=row.pk).update(prescription=prescription)
    diagnoses = ReferralDiagnosis.objects.filter(referral__episode=episode)
    secrets = [
        FAMILY_NAME,
        patient.given_name,
        patient.mrn,
        PRESCRIPTION_TEXT,
        PLAN_TEXT,
        *[d.code for d in diagnoses],
        *[d.title for d in diagnoses],
    ]
    assert diagnoses.exists()

    for token in (_staff_feed(pt), _family_feed(patient)):
        text = _fetch(token).content.decode("utf-8")
        assert f"session-{row.pk}@painrehab" in text
        # Folded lines are unfolded first: a name may straddle a fold.
        unfolded = text.replace("\r\n ", "")
        for secret in secrets:
            assert secret not in unfolded, secret


def test_the_feed_page_sends_a_private_calendar(pt: User) -> None:
    response = _fetch(_staff_feed(pt))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]
    assert response["Referrer-Policy"] == "no-referrer"


def test_the_feed_page_answers_get_only(pt: User) -> None:
    url = reverse("scheduling:feed", args=[_staff_feed(pt)])

    assert Client().post(url).status_code == 405


def test_a_feeds_queries_do_not_grow_with_its_sessions(
    pt: User, episode: Episode, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    token = _staff_feed(pt)
    for days in range(6):
        others = (journey.admitted(days_ago=1),) if days % 2 else ()
        session(episode, day=today() + dt.timedelta(days=days), staff=pt, others=others)

    with django_assert_max_num_queries(16):
        assert _fetch(token).status_code == 200


# --- Refusals -----------------------------------------------------------------------


def _revoked(user: User) -> str:
    token = _staff_feed(user)
    feed = CalendarFeed.objects.get(token_digest=feeds.token_digest(token))
    services.feed_revoke(by=user, feed=feed)
    return token


def _owner_gone(user: User) -> str:
    token = _staff_feed(user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    return token


def _child_gone(user: User) -> str:
    episode = journey.admitted(days_ago=1)
    token = _family_feed(episode.patient)
    Episode.objects.filter(pk=episode.pk).update(phase="closed")
    return token


@pytest.mark.parametrize(
    "refused",
    [_revoked, _owner_gone, _child_gone],
    ids=["revoked", "staff_inactive", "journey_closed"],
)
def test_refused_feeds_get_the_same_404_as_an_unknown_token(pt: User, refused) -> None:  # type: ignore[no-untyped-def]
    unknown = _fetch(feeds.token_new())
    response = _fetch(refused(pt))

    assert response.status_code == unknown.status_code == 404
    assert response.content == unknown.content
    assert b"BEGIN:VCALENDAR" not in response.content
    for header in ("Content-Type", "Cache-Control", "X-Robots-Tag", "Referrer-Policy"):
        assert response[header] == unknown[header]


def test_revoking_switches_the_address_off_at_once(pt: User) -> None:
    client = sign_in(Client(), pt)
    token = _staff_feed(pt)
    feed = CalendarFeed.objects.get(token_digest=feeds.token_digest(token))
    assert _fetch(token).status_code == 200

    response = client.post(reverse("scheduling:feed_list"), {"feed": feed.pk})

    assert response.status_code == 302
    assert _fetch(token).status_code == 404
    feed.refresh_from_db()
    assert feed.revoked_by == pt
    assert feed.revoked_at is not None


def test_a_staff_member_cannot_revoke_someone_elses_feed(pt: User) -> None:
    token = _staff_feed(pt)
    feed = CalendarFeed.objects.get(token_digest=feeds.token_digest(token))
    other = sign_in(Client(), therapist(username="other-pt"))

    response = other.post(reverse("scheduling:feed_list"), {"feed": feed.pk})

    assert response.status_code == 404
    assert _fetch(token).status_code == 200
    with pytest.raises(PermissionDenied):
        services.feed_revoke(by=User.objects.get(username="other-pt"), feed=feed)


# --- Audit and last use -------------------------------------------------------------


def test_a_family_feed_read_is_audited_with_the_child_and_no_actor(
    episode: Episode,
) -> None:
    token = _family_feed(episode.patient)
    feed = CalendarFeed.objects.get(token_digest=feeds.token_digest(token))

    _fetch(token)

    event = AuditEvent.objects.filter(action=AuditAction.CALENDAR_FEED_READ).get()
    assert event.patient_id == episode.patient_id
    assert event.actor_id is None
    assert event.object_type == "scheduling.CalendarFeed"
    assert event.object_id == str(feed.pk)


def test_a_staff_feed_read_records_whose_sessions_it_sent(
    pt: User, episode: Episode
) -> None:
    session(episode, day=today(), staff=pt)

    _fetch(_staff_feed(pt))

    event = AuditEvent.objects.filter(action=AuditAction.CALENDAR_FEED_READ).get()
    assert event.patient_id is None
    assert event.changes["patients"] == [episode.patient_id]
    assert event.changes["sessions"] == 1


def test_a_refused_fetch_reads_nothing_and_writes_no_audit_row(pt: User) -> None:
    _fetch(_revoked(pt))

    assert not AuditEvent.objects.filter(action=AuditAction.CALENDAR_FEED_READ).exists()


def test_last_use_is_written_at_most_once_a_minute(pt: User) -> None:
    token = _staff_feed(pt)
    feed = CalendarFeed.objects.get(token_digest=feeds.token_digest(token))
    first = timezone.now()

    services.feed_read(token=token, now=first)
    services.feed_read(token=token, now=first + dt.timedelta(seconds=30))
    feed.refresh_from_db()
    assert feed.last_used_at == first

    later = first + dt.timedelta(seconds=61)
    services.feed_read(token=token, now=later)
    feed.refresh_from_db()
    assert feed.last_used_at == later


# --- Making feeds -------------------------------------------------------------------


def _rows_holding(text: str) -> list[str]:
    """Every table whose rows hold ``text`` anywhere."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608
            if any(text in str(row) for row in cursor.fetchall()):
                found.append(table)
    return found


def test_the_token_is_never_stored_only_its_digest(pt: User) -> None:
    client = sign_in(Client(), pt)
    response = client.post(
        reverse("scheduling:feed_list"),
        {"label": "Phone", "form_token": str(uuid.uuid4())},
    )
    url = response.context["address"]["url"]
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert len(token) >= 43

    assert _rows_holding(token) == []
    feed = CalendarFeed.objects.get()
    assert feed.token_digest == feeds.token_digest(token)
    assert _fetch(token).status_code == 200


def test_the_address_is_shown_once_right_after_creation(pt: User) -> None:
    client = sign_in(Client(), pt)
    form_token = str(uuid.uuid4())

    made = client.post(reverse("scheduling:feed_list"), {"form_token": form_token})
    token = made.context["address"]["url"].rsplit("/", 1)[1].removesuffix(".ics")
    later = client.get(reverse("scheduling:feed_list"))

    assert token in made.content.decode()
    assert "Copy it now" in made.content.decode()
    assert token not in later.content.decode()
    assert len(later.context["feeds"]) == 1


def test_a_double_click_makes_one_feed_and_shows_no_second_address(pt: User) -> None:
    client = sign_in(Client(), pt)
    data = {"label": "Phone", "form_token": str(uuid.uuid4())}

    client.post(reverse("scheduling:feed_list"), data)
    again = client.post(reverse("scheduling:feed_list"), data)

    assert CalendarFeed.objects.count() == 1
    assert "address" not in again.context
    assert "shown then only" in again.content.decode()
    made = AuditEvent.objects.filter(action=AuditAction.CALENDAR_FEED_CREATED)
    assert made.count() == 1


def test_a_form_token_of_another_owner_is_refused(pt: User) -> None:
    form_token = uuid.uuid4()
    services.staff_feed_create(by=pt, label="", form_token=form_token)
    other = therapist(username="other-pt")

    with pytest.raises(Exception, match="already used"):
        services.staff_feed_create(by=other, label="", form_token=form_token)


def test_a_long_name_is_refused_next_to_the_field(pt: User) -> None:
    client = sign_in(Client(), pt)
    data = {"label": "x" * 81, "form_token": str(uuid.uuid4())}

    response = client.post(reverse("scheduling:feed_list"), data)

    assert response.status_code == 400
    assert response.context["form"].errors["label"]
    assert not CalendarFeed.objects.exists()


def test_the_coordinator_makes_and_revokes_a_familys_feed_audited(
    coordinator: User, episode: Episode
) -> None:
    client = sign_in(Client(), coordinator)
    url = reverse("scheduling:patient_feeds", args=[episode.patient_id])

    made = client.post(url, {"label": "Mum", "form_token": str(uuid.uuid4())})
    token = made.context["address"]["url"].rsplit("/", 1)[1].removesuffix(".ics")
    feed = CalendarFeed.objects.get()
    assert feed.kind == FeedKind.PATIENT
    assert feed.patient_id == episode.patient_id
    assert _fetch(token).status_code == 200

    client.post(url, {"feed": feed.pk})

    assert _fetch(token).status_code == 404
    audited = AuditEvent.objects.filter(patient_id=episode.patient_id)
    actions = set(audited.values_list("action", flat=True))
    assert {
        AuditAction.CALENDAR_FEED_CREATED,
        AuditAction.CALENDAR_FEED_REVOKED,
    } <= actions
    revoked = audited.get(action=AuditAction.CALENDAR_FEED_REVOKED)
    assert revoked.actor_id == coordinator.pk


def test_only_the_coordinator_makes_a_familys_feed(episode: Episode) -> None:
    physician = StaffFactory(role=Role.PHYSICIAN)
    CareTeamMemberFactory(patient=episode.patient, member=physician)

    with pytest.raises(PermissionDenied):
        services.patient_feed_create(
            by=physician, patient=episode.patient, label="", form_token=uuid.uuid4()
        )
    assert not CalendarFeed.objects.exists()


def test_a_child_out_of_sight_is_refused_like_a_missing_one(episode: Episode) -> None:
    stranger = StaffFactory(role=Role.PHYSICIAN)

    with pytest.raises(PatientNotFound):
        services.patient_feed_create(
            by=stranger, patient=episode.patient, label="", form_token=uuid.uuid4()
        )


def test_a_missing_child_is_a_404_on_the_family_calendar_page(
    coordinator: User,
) -> None:
    client = sign_in(Client(), coordinator)

    response = client.get(reverse("scheduling:patient_feeds", args=[999999]))

    assert response.status_code == 404


def test_a_family_feed_needs_a_child_on_the_program(coordinator: User) -> None:
    patient = PatientFactory()
    client = sign_in(Client(), coordinator)
    url = reverse("scheduling:patient_feeds", args=[patient.pk])

    response = client.post(url, {"form_token": str(uuid.uuid4())})

    assert response.status_code == 400
    assert services.NO_JOURNEY in response.content.decode()
    assert not CalendarFeed.objects.exists()


def test_the_family_calendar_page_is_audited_as_a_read(
    coordinator: User, episode: Episode
) -> None:
    client = sign_in(Client(), coordinator)

    client.get(reverse("scheduling:patient_feeds", args=[episode.patient_id]))

    event = AuditEvent.objects.get(action=AuditAction.SCHEDULE_VIEWED)
    assert event.patient_id == episode.patient_id
    assert event.actor_id == coordinator.pk
