"""Attendance: who may record it, when, with what reason; versions and double
submits; the page's row per child; and the team conference's agenda card."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.audit.actions import AuditAction
from painrehab.audit.models import AuditEvent
from painrehab.careplans.agenda import NO_TIMETABLE
from painrehab.careplans.selectors_conference import conference_card
from painrehab.careplans.tests.conference_support import item_of, started
from painrehab.common.testing import sign_in, staff
from painrehab.episodes.models import Episode
from painrehab.referrals.tests import journey
from painrehab.scheduling.attendance import attendance_for
from painrehab.scheduling.choices import AttendanceStatus
from painrehab.scheduling.models import Session, SessionPatient
from painrehab.scheduling.services.attendance import (
    NOT_STARTED,
    NOT_YOURS,
    REASON_NEEDED,
    STALE,
    attendance_record,
)
from painrehab.scheduling.tests.factories import session, therapist

pytestmark = pytest.mark.django_db

A = AttendanceStatus


def _days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


@pytest.fixture
def episode() -> Episode:
    return journey.admitted(days_ago=5)


@pytest.fixture
def pt() -> User:
    return therapist(first_name="Tess", last_name="Mover")


@pytest.fixture
def yesterday(episode: Episode, pt: User) -> Session:
    return session(episode, day=_days_ago(1), staff=pt)


def _attendee(row: Session) -> SessionPatient:
    return row.attendees.get()


def _events() -> int:
    return AuditEvent.objects.filter(
        action=AuditAction.SCHEDULE_ATTENDANCE_RECORDED
    ).count()


def test_the_therapist_of_the_session_records_attended(
    yesterday: Session, pt: User
) -> None:
    attendee = _attendee(yesterday)
    saved = attendance_record(
        attendee=attendee, by=pt, status=A.ATTENDED, reason="", version=1
    )
    assert (saved.attendance, saved.version, saved.recorded_by) == (A.ATTENDED, 2, pt)
    event = AuditEvent.objects.get(action=AuditAction.SCHEDULE_ATTENDANCE_RECORDED)
    assert event.patient_id == yesterday.attendees.get().episode.patient_id
    assert event.changes["attendance"] == {"old": "", "new": A.ATTENDED}


def test_the_coordinator_may_record_for_any_session(yesterday: Session) -> None:
    saved = attendance_record(
        attendee=_attendee(yesterday),
        by=journey.coordinator(),
        status=A.MISSED,
        reason="Sick in bed",
        version=1,
    )
    assert (saved.attendance, saved.reason) == (A.MISSED, "Sick in bed")


@pytest.mark.parametrize(
    "role", [Role.PHYSICAL_THERAPIST, Role.PHYSICIAN, Role.NURSE], ids=str
)
def test_someone_not_delivering_the_session_is_refused(
    yesterday: Session, role: Role
) -> None:
    with pytest.raises(PermissionDenied, match=str(NOT_YOURS)):
        attendance_record(
            attendee=_attendee(yesterday),
            by=staff(role),
            status=A.ATTENDED,
            reason="",
            version=1,
        )
    assert _attendee(yesterday).attendance == "" and _events() == 0


@pytest.mark.parametrize("status", [A.PARTIAL, A.MISSED, A.REFUSED], ids=str)
def test_partial_missed_and_refused_need_a_reason(
    yesterday: Session, pt: User, status: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        attendance_record(
            attendee=_attendee(yesterday), by=pt, status=status, reason="  ", version=1
        )
    assert refused.value.message_dict == {"reason": [str(REASON_NEEDED)]}
    assert _attendee(yesterday).version == 1 and _events() == 0


def test_a_session_that_has_not_started_cannot_be_marked(
    episode: Episode, pt: User
) -> None:
    later = session(episode, day=timezone.localdate() + dt.timedelta(days=1), staff=pt)
    with pytest.raises(ValidationError, match=str(NOT_STARTED)):
        attendance_record(
            attendee=_attendee(later), by=pt, status=A.ATTENDED, reason="", version=1
        )
    assert _attendee(later).attendance == ""


def test_a_stale_version_is_refused_and_keeps_the_first_answer(
    yesterday: Session, pt: User
) -> None:
    attendee = _attendee(yesterday)
    attendance_record(attendee=attendee, by=pt, status=A.ATTENDED, reason="", version=1)
    with pytest.raises(ValidationError) as refused:
        attendance_record(
            attendee=attendee,
            by=journey.coordinator(),
            status=A.REFUSED,
            reason="Too tired",
            version=1,
        )
    assert refused.value.message_dict == {"version": [str(STALE)]}
    assert (_attendee(yesterday).attendance, _attendee(yesterday).version) == (
        A.ATTENDED,
        2,
    )


def test_saving_the_same_answer_twice_records_once(
    yesterday: Session, pt: User
) -> None:
    attendee = _attendee(yesterday)
    for _click in range(2):
        attendance_record(
            attendee=attendee, by=pt, status=A.MISSED, reason="Clinic visit", version=1
        )
    assert _attendee(yesterday).version == 2 and _events() == 1


# --- The page ---------------------------------------------------------------------


def _post(client: Client, row: Session, **data: str) -> object:
    attendee = _attendee(row)
    form = {"attendee": str(attendee.pk), "version": str(attendee.version), **data}
    return client.post(reverse("scheduling:attendance", args=[row.pk]), form)


def test_the_form_records_and_returns_to_the_session(
    yesterday: Session, pt: User
) -> None:
    response = _post(sign_in(Client(), pt), yesterday, status=A.ATTENDED)
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert _attendee(yesterday).attendance == A.ATTENDED


def test_htmx_gets_the_updated_row(yesterday: Session, pt: User) -> None:
    client = sign_in(Client(), pt)
    attendee = _attendee(yesterday)
    response = client.post(
        reverse("scheduling:attendance", args=[yesterday.pk]),
        {"attendee": attendee.pk, "version": 1, "status": A.PARTIAL, "reason": "Pain"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert text.lstrip().startswith("<tr") and "Partly attended" in text
    assert "Pain" in text


def test_htmx_gets_a_refusal_in_the_row_and_nothing_is_saved(
    yesterday: Session, pt: User
) -> None:
    attendee = _attendee(yesterday)
    prefix = f"a{attendee.pk}"
    response = sign_in(Client(), pt).post(
        reverse("scheduling:attendance", args=[yesterday.pk]),
        {
            "attendee": attendee.pk,
            f"{prefix}-version": 1,
            f"{prefix}-status": A.MISSED,
            f"{prefix}-reason": "",
        },
        headers={"HX-Request": "true"},
    )
    text = response.content.decode()
    assert response.status_code == 200  # HTMX swaps only 2xx answers
    assert text.lstrip().startswith("<tr") and str(REASON_NEEDED) in text
    assert _attendee(yesterday).attendance == ""


def test_a_missing_reason_is_shown_beside_the_field_and_nothing_saved(
    yesterday: Session, pt: User
) -> None:
    response = _post(sign_in(Client(), pt), yesterday, status=A.REFUSED, reason="")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert str(REASON_NEEDED) in response.content.decode()  # type: ignore[attr-defined]
    assert _attendee(yesterday).attendance == ""


def test_a_stale_form_answers_409(yesterday: Session, pt: User) -> None:
    client = sign_in(Client(), pt)
    _post(client, yesterday, status=A.ATTENDED)
    attendee = _attendee(yesterday)
    response = client.post(
        reverse("scheduling:attendance", args=[yesterday.pk]),
        {"attendee": attendee.pk, "version": 1, "status": A.MISSED, "reason": "Sick"},
    )
    assert response.status_code == 409
    assert _attendee(yesterday).attendance == A.ATTENDED


def test_another_therapist_gets_403_from_the_form(yesterday: Session) -> None:
    other = sign_in(Client(), therapist())
    assert _post(other, yesterday, status=A.ATTENDED).status_code == 403  # type: ignore[attr-defined]
    assert _attendee(yesterday).attendance == ""


# --- The conference agenda ---------------------------------------------------------


def _mark(row: Session, status: str, reason: str = "") -> None:
    attendee = _attendee(row)
    attendance_record(
        attendee=attendee,
        by=journey.coordinator(),
        status=status,
        reason=reason,
        version=attendee.version,
    )


def test_the_agenda_card_counts_past_sessions_and_gives_reasons(
    episode: Episode, pt: User
) -> None:
    marks = [
        (A.ATTENDED, ""),
        (A.ATTENDED, ""),
        (A.ATTENDED, ""),
        (A.MISSED, "sick"),
        (A.REFUSED, "too tired"),
    ]
    for days, (status, reason) in enumerate(marks, start=1):
        _mark(session(episode, day=_days_ago(days), staff=pt), status, reason)
    session(episode, day=_days_ago(1), start="14:00", staff=pt)  # not recorded yet
    session(episode, day=_days_ago(9), staff=pt)  # before the admission
    session(episode, day=timezone.localdate() + dt.timedelta(days=1), staff=pt)
    conference = started()
    card = conference_card(
        user=journey.coordinator(),
        conference_id=conference.pk,
        item_id=item_of(conference, episode).pk,
    )
    found = card.agenda.attendance
    assert (found.available, found.attended, found.scheduled) == (True, 3, 6)
    assert found.text == "1 missed (sick), 1 refused (too tired), 1 not yet recorded."


def test_the_card_page_reads_as_a_sentence(episode: Episode, pt: User) -> None:
    _mark(session(episode, day=_days_ago(1), staff=pt), A.ATTENDED)
    _mark(session(episode, day=_days_ago(2), staff=pt), A.MISSED, "clinic visit")
    conference = started()
    item = item_of(conference, episode)
    client = sign_in(Client(), journey.coordinator())
    response = client.get(
        reverse("careplans:conference_child", args=[conference.pk, item.pk])
    )
    text = " ".join(response.content.decode().split())
    assert "1 of 2 sessions attended. 1 missed (clinic visit)." in text


def test_a_child_without_sessions_has_no_timetable_yet(episode: Episode) -> None:
    conference = started()
    card = conference_card(
        user=journey.coordinator(),
        conference_id=conference.pk,
        item_id=item_of(conference, episode).pk,
    )
    assert card.agenda.attendance.text == NO_TIMETABLE
    assert attendance_for(episode, _days_ago(5), timezone.localdate()) is None


def test_a_session_later_today_is_not_counted_yet(episode: Episode, pt: User) -> None:
    today = timezone.localdate()
    noon = timezone.make_aware(dt.datetime.combine(today, dt.time(12, 0)))
    session(episode, day=today, start="10:00", staff=pt)
    session(episode, day=today, start="15:00", staff=pt)
    found = attendance_for(episode, _days_ago(5), today, now=noon)
    assert found is not None
    assert (found.attended, found.scheduled) == (0, 1)
    assert found.text == "1 not yet recorded."


# --- The demo ---------------------------------------------------------------------


def test_the_demo_records_the_attendance_of_sessions_begun(
    episode: Episode, pt: User
) -> None:
    import random

    from painrehab.demo.scheduling_changes_demo import attendance_populate

    past = [session(episode, day=_days_ago(n), staff=pt) for n in range(1, 5)]
    ahead = session(episode, day=timezone.localdate() + dt.timedelta(days=1))
    attendance_populate(rng=random.Random(3), today=timezone.localdate())
    recorded = [_attendee(row) for row in past]
    assert all(a.attendance in A.values for a in recorded)
    assert all(a.reason for a in recorded if a.attendance != A.ATTENDED)
    assert {a.recorded_by for a in recorded} == {pt}
    assert _attendee(ahead).attendance == ""
