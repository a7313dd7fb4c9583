"""Manual changes: move, swap and lock a session, checked with the solver's rules;
refusals in words with nothing changed; the session page and its forms."""

import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from painrehab.accounts.models import User
from painrehab.audit.actions import AuditAction
from painrehab.audit.models import AuditEvent
from painrehab.common.testing import audit_triggers_lifted, sign_in
from painrehab.episodes.models import Episode
from painrehab.referrals.tests import journey
from painrehab.scheduling.choices import RoomKind, RunStatus, SessionSource
from painrehab.scheduling.models import Room, Session
from painrehab.scheduling.services.changes import (
    ATTENDED,
    NOT_SAME_DAY,
    ONLY_COORDINATOR,
    STALE,
    STARTED,
    session_lock,
    session_move,
    session_swap,
)
from painrehab.scheduling.services.runs import solve_request
from painrehab.scheduling.tests.factories import (
    absence,
    day_template,
    hhmm,
    next_monday,
    prescribed,
    therapist,
    weekday_ahead,
)


@pytest.fixture(scope="module", autouse=True)
def _triggers(django_db_setup: None, django_db_blocker: object) -> Iterator[None]:
    """The worker test commits for real (see ``audit_triggers_lifted``)."""
    with audit_triggers_lifted(django_db_blocker):
        yield


@dataclass
class Unit:
    """Two children, two physical therapists, two PT rooms and an OT therapist."""

    robin: Episode
    sam: Episode
    tess: User
    paul: User
    olga: User
    gym: Room
    studio: Room
    ot_room: Room
    day: dt.date


@pytest.fixture
def unit(db: None) -> Unit:
    return _unit()


def _unit() -> Unit:
    day_template()
    robin = journey.admitted()
    sam = journey.admitted()
    return Unit(
        robin=robin,
        sam=sam,
        tess=therapist(first_name="Tess", last_name="Mover"),
        paul=therapist(first_name="Paul", last_name="Stretch"),
        olga=therapist(
            role="occupational_therapist", first_name="Olga", last_name="Hands"
        ),
        gym=Room.objects.create(name="Gym", kinds=[RoomKind.PT], capacity=1),
        studio=Room.objects.create(name="Studio", kinds=[RoomKind.PT], capacity=1),
        ot_room=Room.objects.create(name="OT room", kinds=[RoomKind.OT], capacity=1),
        day=weekday_ahead(),
    )


def _name(episode: Episode) -> str:
    return episode.patient.display_name


def _pt(unit: Unit, episode: Episode, start: str, who: User, room: Room) -> Session:
    return prescribed(episode, day=unit.day, start=start, staff=who, room=room)


def _unchanged(row: Session, start: str, version: int = 1) -> None:
    fresh = Session.objects.get(pk=row.pk)
    assert (fresh.start, fresh.version, fresh.locked) == (hhmm(start), version, False)


def _changes() -> int:
    return AuditEvent.objects.filter(
        action=AuditAction.SCHEDULE_SESSION_CHANGED
    ).count()


def _refusal(error: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(error.value.messages)


# --- Move ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_move_that_breaks_no_rule_is_kept_locked_and_audited(unit: Unit) -> None:
    row = _pt(unit, unit.robin, "10:00", unit.tess, unit.gym)
    moved = session_move(
        session=row, by=journey.coordinator(), version=1, start=hhmm("15:00")
    )
    assert (moved.start, moved.end) == (hhmm("15:00"), hhmm("16:00"))
    assert (moved.locked, moved.source, moved.version) == (
        True,
        SessionSource.MANUAL,
        2,
    )
    event = AuditEvent.objects.get(action=AuditAction.SCHEDULE_SESSION_CHANGED)
    assert event.patient_id == unit.robin.patient_id
    assert event.changes["kind"] == "moved"
    assert "10:00–11:00, Tess Mover, Gym" in event.changes["old"]
    assert "15:00–16:00, Tess Mover, Gym" in event.changes["new"]


@pytest.mark.django_db
def test_a_therapist_clash_is_refused_naming_the_therapist(unit: Unit) -> None:
    _pt(unit, unit.robin, "10:00", unit.tess, unit.gym)
    sams = _pt(unit, unit.sam, "14:00", unit.tess, unit.studio)
    with pytest.raises(ValidationError) as refused:
        session_move(
            session=sams, by=journey.coordinator(), version=1, start=hhmm("10:30")
        )
    text = _refusal(refused)
    assert text.startswith("Not possible: Tess Mover double-booked")
    assert "u" + str(unit.tess.pk) not in text
    _unchanged(sams, "14:00")
    assert _changes() == 0


@pytest.mark.django_db
def test_a_full_room_is_refused_naming_the_room(unit: Unit) -> None:
    _pt(unit, unit.robin, "10:00", unit.tess, unit.gym)
    sams = _pt(unit, unit.sam, "14:00", unit.paul, unit.studio)
    with pytest.raises(ValidationError) as refused:
        session_move(
            session=sams,
            by=journey.coordinator(),
            version=1,
            start=hhmm("10:00"),
            room_id=unit.gym.pk,
        )
    assert "Gym holds 2 patients" in _refusal(refused)
    assert Session.objects.get(pk=sams.pk).room == unit.studio


@pytest.mark.django_db
def test_a_child_clash_and_lunch_are_refused_naming_the_child(unit: Unit) -> None:
    prescribed(
        unit.robin,
        "ot",
        day=unit.day,
        start="09:00",
        staff=unit.olga,
        room=unit.ot_room,
    )
    pt = _pt(unit, unit.robin, "14:00", unit.tess, unit.gym)
    by = journey.coordinator()
    with pytest.raises(ValidationError) as refused:
        session_move(session=pt, by=by, version=1, start=hhmm("09:30"))
    assert f"{_name(unit.robin)} double-booked" in _refusal(refused)
    with pytest.raises(ValidationError) as refused:
        session_move(session=pt, by=by, version=1, start=hhmm("11:30"))
    assert f"{_name(unit.robin)} has Lunch" in _refusal(refused)
    _unchanged(pt, "14:00")


@pytest.mark.django_db
def test_a_move_to_an_absent_therapist_is_refused(unit: Unit) -> None:
    by = journey.coordinator()
    absence(unit.paul, unit.day, by)
    row = _pt(unit, unit.robin, "10:00", unit.tess, unit.gym)
    with pytest.raises(ValidationError) as refused:
        session_move(
            session=row, by=by, version=1, start=hhmm("10:00"), staff_ids=[unit.paul.pk]
        )
    assert "Paul Stretch is not available" in _refusal(refused)
    assert list(Session.objects.get(pk=row.pk).staff.all()) == [unit.tess]


@pytest.mark.django_db
def test_a_clash_that_was_there_before_does_not_block_another_move(
    unit: Unit,
) -> None:
    # Two sessions already clash at 10:00 (placed by hand long ago).
    _pt(unit, unit.robin, "10:00", unit.tess, unit.gym)
    _pt(unit, unit.sam, "10:00", unit.tess, unit.studio)
    ot = prescribed(
        unit.robin,
        "ot",
        day=unit.day,
        start="09:00",
        staff=unit.olga,
        room=unit.ot_room,
    )
    moved = session_move(
        session=ot, by=journey.coordinator(), version=1, start=hhmm("15:00")
    )
    assert moved.start == hhmm("15:00")


@pytest.mark.django_db
def test_a_move_to_another_day(unit: Unit) -> None:
    row = _pt(unit, unit.robin, "10:00", unit.tess, unit.gym)
    later = unit.day + dt.timedelta(days=1)
    moved = session_move(
        session=row, by=journey.coordinator(), version=1, day=later, start=hhmm("10:00")
    )
    assert (moved.day, moved.locked) == (later, True)


@pytest.mark.django_db
def test_a_second_session_of_a_daily_prescription_is_refused(unit: Unit) -> None:
    _pt(unit, unit.robin, "10:00", unit.tess, unit.gym)
    other = prescribed(
        unit.robin,
        day=unit.day + dt.timedelta(days=1),
        staff=unit.tess,
        room=unit.gym,
    )
    with pytest.raises(ValidationError) as refused:
        session_move(
            session=other,
            by=journey.coordinator(),
            version=1,
            day=unit.day,
            start=hhmm("15:00"),
        )
    assert "2 sessions, at most 1" in _refusal(refused)
    assert Session.objects.get(pk=other.pk).day == unit.day + dt.timedelta(days=1)


@pytest.mark.django_db
def test_a_stale_version_is_refused_and_nothing_changes(unit: Unit) -> None:
    row = _pt(unit, unit.robin, "10:00", unit.tess, unit.gym)
    by = journey.coordinator()
    session_move(session=row, by=by, version=1, start=hhmm("15:00"))
    with pytest.raises(ValidationError) as refused:
        session_move(session=row, by=by, version=1, start=hhmm("09:00"))
    assert refused.value.message_dict == {"version": [str(STALE)]}
    fresh = Session.objects.get(pk=row.pk)
    assert (fresh.start, fresh.version) == (hhmm("15:00"), 2)


@pytest.mark.django_db
def test_a_session_under_way_or_with_attendance_stays(unit: Unit) -> None:
    past = prescribed(
        unit.robin,
        day=timezone.localdate() - dt.timedelta(days=1),
        staff=unit.tess,
        room=unit.gym,
    )
    by = journey.coordinator()
    with pytest.raises(ValidationError, match=str(STARTED)):
        session_move(session=past, by=by, version=1, start=hhmm("15:00"))
    ahead = _pt(unit, unit.sam, "10:00", unit.tess, unit.gym)
    ahead.attendees.update(attendance="attended")  # recorded, e.g. before a move back
    with pytest.raises(ValidationError, match=str(ATTENDED)):
        session_move(session=ahead, by=by, version=1, start=hhmm("15:00"))
    _unchanged(ahead, "10:00")


@pytest.mark.django_db
def test_only_the_coordinator_moves_sessions(unit: Unit) -> None:
    row = _pt(unit, unit.robin, "10:00", unit.tess, unit.gym)
    with pytest.raises(PermissionDenied, match=str(ONLY_COORDINATOR)):
        session_move(session=row, by=unit.tess, version=1, start=hhmm("15:00"))
    _unchanged(row, "10:00")


# --- Swap and lock ---------------------------------------------------------------


@pytest.mark.django_db
def test_two_sessions_swap_times_and_both_are_locked(unit: Unit) -> None:
    first = _pt(unit, unit.robin, "10:00", unit.tess, unit.gym)
    second = _pt(unit, unit.sam, "14:00", unit.paul, unit.studio)
    one, two = session_swap(
        first=first, second=second, by=journey.coordinator(), versions=(1, 1)
    )
    assert (one.start, two.start) == (hhmm("14:00"), hhmm("10:00"))
    assert one.locked and two.locked
    assert _changes() == 2


@pytest.mark.django_db
def test_a_swap_that_double_books_a_child_is_refused(unit: Unit) -> None:
    prescribed(
        unit.robin,
        "ot",
        day=unit.day,
        start="14:00",
        staff=unit.olga,
        room=unit.ot_room,
    )
    first = _pt(unit, unit.robin, "10:00", unit.tess, unit.gym)
    second = _pt(unit, unit.sam, "14:00", unit.paul, unit.studio)
    with pytest.raises(ValidationError) as refused:
        session_swap(
            first=first, second=second, by=journey.coordinator(), versions=(1, 1)
        )
    assert f"{_name(unit.robin)} double-booked" in _refusal(refused)
    _unchanged(first, "10:00")
    _unchanged(second, "14:00")


@pytest.mark.django_db
def test_sessions_of_different_days_do_not_swap(unit: Unit) -> None:
    first = _pt(unit, unit.robin, "10:00", unit.tess, unit.gym)
    second = prescribed(
        unit.sam, day=unit.day + dt.timedelta(days=1), staff=unit.paul, room=unit.gym
    )
    with pytest.raises(ValidationError, match=str(NOT_SAME_DAY)):
        session_swap(
            first=first, second=second, by=journey.coordinator(), versions=(1, 1)
        )


@pytest.mark.django_db
def test_a_swap_with_a_stale_second_session_is_refused(unit: Unit) -> None:
    first = _pt(unit, unit.robin, "10:00", unit.tess, unit.gym)
    second = _pt(unit, unit.sam, "14:00", unit.paul, unit.studio)
    session_lock(session=second, by=journey.coordinator(), version=1, locked=True)
    with pytest.raises(ValidationError):
        session_swap(
            first=first, second=second, by=journey.coordinator(), versions=(1, 1)
        )
    _unchanged(first, "10:00")


@pytest.mark.django_db
def test_lock_and_unlock_are_versioned_and_audited(unit: Unit) -> None:
    row = _pt(unit, unit.robin, "10:00", unit.tess, unit.gym)
    by = journey.coordinator()
    locked = session_lock(session=row, by=by, version=1, locked=True)
    assert (locked.locked, locked.version) == (True, 2)
    again = session_lock(session=row, by=by, version=2, locked=True)  # no change
    assert again.version == 2
    with pytest.raises(ValidationError):
        session_lock(session=row, by=by, version=1, locked=False)
    unlocked = session_lock(session=row, by=by, version=2, locked=False)
    assert (unlocked.locked, unlocked.version) == (False, 3)
    kinds = [
        e.changes["kind"]
        for e in AuditEvent.objects.filter(
            action=AuditAction.SCHEDULE_SESSION_CHANGED
        ).order_by("seq")
    ]
    assert kinds == ["locked", "unlocked"]
    with pytest.raises(PermissionDenied):
        session_lock(session=row, by=unit.tess, version=3, locked=True)


# --- The session page ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_shows_who_when_where_and_the_history(unit: Unit) -> None:
    row = _pt(unit, unit.robin, "10:00", unit.tess, unit.gym)
    by = journey.coordinator()
    session_move(session=row, by=by, version=1, start=hhmm("15:00"))
    response = sign_in(Client(), by).get(
        reverse("scheduling:session_detail", args=[row.pk])
    )
    text = " ".join(response.content.decode().split())
    assert response.status_code == 200
    assert "Tess Mover" in text and "Gym" in text and _name(unit.robin) in text
    assert "Moved: " in text and "→" in text
    assert "Move the session" in text
    assert AuditEvent.objects.filter(action=AuditAction.SCHEDULE_VIEWED).exists()


@pytest.mark.django_db
def test_a_therapist_off_the_team_sees_the_bed_not_the_name(unit: Unit) -> None:
    row = _pt(unit, unit.robin, "10:00", unit.tess, unit.gym)
    response = sign_in(Client(), unit.paul).get(
        reverse("scheduling:session_detail", args=[row.pk])
    )
    text = response.content.decode()
    assert _name(unit.robin) not in text
    assert str(unit.robin.stay.bed.number) in text
    assert "Move the session" not in text


@pytest.mark.django_db
def test_the_move_form_refuses_a_clash_with_409_and_the_reason(unit: Unit) -> None:
    _pt(unit, unit.robin, "10:00", unit.tess, unit.gym)
    sams = _pt(unit, unit.sam, "14:00", unit.tess, unit.studio)
    client = sign_in(Client(), journey.coordinator())
    response = client.post(
        reverse("scheduling:session_move", args=[sams.pk]),
        {
            "version": 1,
            "day": unit.day.isoformat(),
            "start": "10:00",
            "staff": [unit.tess.pk],
            "room": unit.studio.pk,
        },
    )
    assert response.status_code == 409
    assert "Tess Mover double-booked" in response.content.decode()
    _unchanged(sams, "14:00")


@pytest.mark.django_db
def test_the_move_form_moves_and_returns_to_the_page(unit: Unit) -> None:
    row = _pt(unit, unit.robin, "10:00", unit.tess, unit.gym)
    client = sign_in(Client(), journey.coordinator())
    response = client.post(
        reverse("scheduling:session_move", args=[row.pk]),
        {
            "version": 1,
            "day": unit.day.isoformat(),
            "start": "15:00",
            "staff": [unit.paul.pk],
            "room": unit.studio.pk,
        },
    )
    assert response.status_code == 302
    fresh = Session.objects.get(pk=row.pk)
    assert (fresh.start, fresh.room) == (hhmm("15:00"), unit.studio)
    assert list(fresh.staff.all()) == [unit.paul]


@pytest.mark.django_db
def test_unreadable_input_answers_400(unit: Unit) -> None:
    row = _pt(unit, unit.robin, "10:00", unit.tess, unit.gym)
    client = sign_in(Client(), journey.coordinator())
    response = client.post(
        reverse("scheduling:session_move", args=[row.pk]),
        {"version": 1, "day": "someday", "start": "", "staff": []},
    )
    assert response.status_code == 400
    _unchanged(row, "10:00")


@pytest.mark.django_db
def test_the_swap_form_lists_the_days_other_sessions_and_swaps(unit: Unit) -> None:
    first = _pt(unit, unit.robin, "10:00", unit.tess, unit.gym)
    second = _pt(unit, unit.sam, "14:00", unit.paul, unit.studio)
    client = sign_in(Client(), journey.coordinator())
    page = client.get(reverse("scheduling:session_detail", args=[first.pk]))
    assert f'value="{second.pk}:1"' in page.content.decode()
    response = client.post(
        reverse("scheduling:session_swap", args=[first.pk]),
        {"version": 1, "other": f"{second.pk}:1"},
    )
    assert response.status_code == 302
    assert Session.objects.get(pk=first.pk).start == hhmm("14:00")


@pytest.mark.django_db
def test_lock_from_a_board_returns_to_the_board(unit: Unit) -> None:
    row = _pt(unit, unit.robin, "10:00", unit.tess, unit.gym)
    client = sign_in(Client(), journey.coordinator())
    board = reverse("scheduling:unit_day") + f"?day={unit.day.isoformat()}"
    response = client.post(
        reverse("scheduling:session_lock", args=[row.pk]),
        {"version": 1, "locked": "True", "next": board},
    )
    assert response.status_code == 302 and response["Location"] == board
    assert Session.objects.get(pk=row.pk).locked
    elsewhere = client.post(
        reverse("scheduling:session_lock", args=[row.pk]),
        {"version": 2, "locked": "False", "next": "https://example.com/"},
    )
    assert elsewhere["Location"] == reverse("scheduling:session_detail", args=[row.pk])


@pytest.mark.django_db(transaction=True)
def test_a_locked_session_stays_put_through_a_later_solve() -> None:
    unit = _unit()
    row = _pt(unit, unit.robin, "15:00", unit.paul, unit.studio)
    by = journey.coordinator()
    session_lock(session=row, by=by, version=1, locked=True)
    monday = next_monday()
    run = solve_request(
        first_day=monday,
        last_day=monday + dt.timedelta(days=6),
        by=by,
        form_token=uuid.uuid4(),
        time_limit=5,
    )

    call_command(
        "db_worker",
        queue_name="timetable",
        batch=True,
        startup_delay=False,
        reload=False,
        interval=0,
        verbosity=0,
        stdout=StringIO(),
    )

    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.message
    kept = Session.objects.get(pk=row.pk)
    assert (kept.start, kept.locked, list(kept.staff.all())) == (
        hhmm("15:00"),
        True,
        [unit.paul],
    )
    robins_pt = Session.objects.filter(
        day=unit.day, activity=row.activity, attendees__episode=unit.robin
    )
    assert list(robins_pt) == [kept]  # the solve placed no second one that day
    other_days = Session.objects.filter(activity=row.activity).exclude(day=unit.day)
    assert other_days.exists() and all(s.run == run for s in other_days)


@pytest.mark.django_db
def test_the_boards_offer_each_person_their_actions(unit: Unit) -> None:
    row = _pt(unit, unit.robin, "10:00", unit.tess, unit.gym)
    day = f"?day={unit.day.isoformat()}"
    board = reverse("scheduling:unit_day") + day
    worklist = reverse("scheduling:staff_day", args=[unit.tess.pk]) + day
    lock = reverse("scheduling:session_lock", args=[row.pk])
    detail = reverse("scheduling:session_detail", args=[row.pk])
    attendance = f"{detail}#h-attendance"
    coordinator = sign_in(Client(), journey.coordinator())
    page = coordinator.get(worklist).content.decode()
    assert lock in page and attendance in page
    own = sign_in(Client(), unit.tess).get(worklist).content.decode()
    assert lock not in own and attendance in own
    # The unit's board links each session to its page, where the actions are.
    other = sign_in(Client(), unit.paul).get(board).content.decode()
    assert detail in other and attendance not in other and lock not in other


@pytest.mark.django_db
def test_a_stale_move_comes_back_on_the_current_version(unit: Unit) -> None:
    row = _pt(unit, unit.robin, "10:00", unit.tess, unit.gym)
    session_lock(session=row, by=journey.coordinator(), version=1, locked=True)
    client = sign_in(Client(), journey.coordinator())
    form = {
        "version": 1,
        "day": unit.day.isoformat(),
        "start": "15:00",
        "staff": [unit.tess.pk],
        "room": unit.gym.pk,
    }
    url = reverse("scheduling:session_move", args=[row.pk])
    response = client.post(url, form)
    assert response.status_code == 409
    assert str(STALE) in response.content.decode()
    assert 'name="version" value="2"' in response.content.decode()
    assert client.post(url, {**form, "version": 2}).status_code == 302
    assert Session.objects.get(pk=row.pk).start == hhmm("15:00")


@pytest.mark.django_db
def test_a_swap_with_a_session_changed_meanwhile_answers_409(unit: Unit) -> None:
    first = _pt(unit, unit.robin, "10:00", unit.tess, unit.gym)
    second = _pt(unit, unit.sam, "14:00", unit.paul, unit.studio)
    session_lock(session=second, by=journey.coordinator(), version=1, locked=True)
    client = sign_in(Client(), journey.coordinator())
    response = client.post(
        reverse("scheduling:session_swap", args=[first.pk]),
        {"version": 1, "other": f"{second.pk}:1"},
    )
    assert response.status_code == 409
    assert str(STALE) in response.content.decode()
    _unchanged(first, "10:00")
