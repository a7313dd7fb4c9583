"""Absences and their repair: recording (refusals, double clicks), the repair run
solved by the real worker, the proposal in words, accept, discard, out of date.

One test runs the real database worker (``db_worker --batch``) on committed data;
the others call the worker's function, ``run_execute``, directly.
"""

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from painrehab.accounts.models import User
from painrehab.audit.actions import AuditAction
from painrehab.audit.models import AuditEvent
from painrehab.common.testing import audit_triggers_lifted, sign_in
from painrehab.episodes.models import Episode
from painrehab.referrals.tests import journey
from painrehab.scheduling.choices import RoomKind, RunKind, RunStatus, SessionSource
from painrehab.scheduling.models import Absence, Room, Session, SolveRun
from painrehab.scheduling.selectors_changes import repair_view
from painrehab.scheduling.services import runs
from painrehab.scheduling.services.absences import (
    BOTH_TIMES,
    END_BEFORE_START,
    FORM_REUSED,
    IN_THE_PAST,
    ONLY_COORDINATOR,
    STALE_PROPOSAL,
    absence_cancel,
    absence_record,
    repair_accept,
    repair_discard,
    repair_request,
)
from painrehab.scheduling.services.changes import session_lock
from painrehab.scheduling.tests.factories import (
    day_template,
    hhmm,
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
class Day:
    """A planned day: two children's PT and OT with Tess, Paul and Olga."""

    robin: Episode
    sam: Episode
    tess: User
    paul: User
    olga: User
    day: dt.date
    sessions: list[Session]


def _plan_day() -> Day:
    day_template()
    robin, sam = journey.admitted(), journey.admitted()
    tess = therapist(first_name="Tess", last_name="Mover")
    paul = therapist(first_name="Paul", last_name="Stretch")
    olga = therapist(
        role="occupational_therapist", first_name="Olga", last_name="Hands"
    )
    gym = Room.objects.create(name="Gym", kinds=[RoomKind.PT], capacity=1)
    studio = Room.objects.create(name="Studio", kinds=[RoomKind.PT], capacity=1)
    ot_room = Room.objects.create(name="OT room", kinds=[RoomKind.OT], capacity=1)
    day = weekday_ahead()
    sessions = [
        prescribed(robin, "ot", day=day, start="09:00", staff=olga, room=ot_room),
        prescribed(robin, day=day, start="10:00", staff=tess, room=gym),
        prescribed(sam, day=day, start="10:00", staff=paul, room=studio),
        prescribed(sam, "ot", day=day, start="11:00", staff=olga, room=ot_room),
    ]
    return Day(robin, sam, tess, paul, olga, day, sessions)


@pytest.fixture
def planned(db: None) -> Day:
    return _plan_day()


def _record(who: User, day: dt.date, **kwargs: object) -> Absence:
    values: dict[str, object] = {
        "reason": "sick",
        "note": "",
        "by": journey.coordinator(),
        "form_token": uuid.uuid4(),
        **kwargs,
    }
    return absence_record(staff=who, day=day, **values)  # type: ignore[arg-type]


def _shape(row: Session) -> tuple[object, ...]:
    staff = tuple(sorted(p.pk for p in row.staff.all()))
    return (row.pk, row.day, row.start, row.end, staff, row.room_id)


def _day_shapes(day: dt.date) -> list[tuple[object, ...]]:
    return [_shape(r) for r in Session.objects.filter(day=day).order_by("pk")]


# --- Recording ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_whole_day_absence_is_recorded_and_audited(planned: Day) -> None:
    found = _record(planned.tess, planned.day, note="Flu")
    assert (found.whole_day, found.reason, found.note) == (True, "sick", "Flu")
    event = AuditEvent.objects.get(action=AuditAction.SCHEDULE_ABSENCE_RECORDED)
    assert event.changes["staff"] == planned.tess.pk


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("times", "field", "message"),
    [
        ({"start": hhmm("12:00"), "end": hhmm("10:00")}, "end", END_BEFORE_START),
        ({"start": hhmm("10:00"), "end": hhmm("10:00")}, "end", END_BEFORE_START),
        ({"start": hhmm("10:00")}, "end", BOTH_TIMES),
        ({"end": hhmm("10:00")}, "start", BOTH_TIMES),
    ],
    ids=["reversed_case", "empty_case", "no_end_case", "no_start_case"],
)
def test_bad_times_are_refused_beside_the_field(
    planned: Day, times: dict[str, dt.time], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        _record(planned.tess, planned.day, **times)
    assert refused.value.message_dict == {field: [str(message)]}
    assert not Absence.objects.exists()


@pytest.mark.django_db
def test_a_day_in_the_past_is_refused(planned: Day) -> None:
    with pytest.raises(ValidationError, match=str(IN_THE_PAST)):
        _record(planned.tess, timezone.localdate() - dt.timedelta(days=1))
    assert not Absence.objects.exists()


@pytest.mark.django_db
def test_overlapping_absences_are_refused_and_adjacent_ones_kept(
    planned: Day,
) -> None:
    _record(planned.tess, planned.day, start=hhmm("08:00"), end=hhmm("12:00"))
    _record(planned.tess, planned.day, start=hhmm("12:00"), end=hhmm("13:00"))
    with pytest.raises(ValidationError, match="Tess Mover is already recorded"):
        _record(planned.tess, planned.day, start=hhmm("11:00"), end=hhmm("14:00"))
    with pytest.raises(ValidationError, match="already recorded as absent"):
        _record(planned.tess, planned.day)  # the whole day overlaps both
    assert Absence.objects.count() == 2


@pytest.mark.django_db
def test_a_double_click_records_one_absence(planned: Day) -> None:
    token = uuid.uuid4()
    first = _record(planned.tess, planned.day, form_token=token)
    again = _record(planned.tess, planned.day, form_token=token)
    assert first.pk == again.pk and Absence.objects.count() == 1
    with pytest.raises(ValidationError, match=str(FORM_REUSED)):
        _record(planned.paul, planned.day, form_token=token)


@pytest.mark.django_db
def test_only_the_coordinator_records_absences(planned: Day) -> None:
    with pytest.raises(PermissionDenied, match=str(ONLY_COORDINATOR)):
        _record(planned.tess, planned.day, by=planned.paul)
    assert not Absence.objects.exists()


# --- The repair ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_repair_is_queued_once_for_the_day(
    planned: Day, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    absence = _record(planned.tess, planned.day)
    by = journey.coordinator()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        run = repair_request(absence=absence, by=by)
    assert run is not None
    assert (run.kind, run.first_day, run.last_day, run.time_limit) == (
        RunKind.REPAIR,
        planned.day,
        planned.day,
        5,
    )
    assert run.absence == absence and DBTaskResult.objects.count() == 1
    assert repair_request(absence=absence, by=by) == run  # asked again: the same


@pytest.mark.django_db
def test_an_absence_that_touches_no_session_needs_no_repair(planned: Day) -> None:
    absence = _record(planned.tess, planned.day, start=hhmm("14:00"), end=hhmm("16:00"))
    assert repair_request(absence=absence, by=journey.coordinator()) is None
    assert not SolveRun.objects.exists()


def _proposed(planned: Day) -> SolveRun:
    absence = _record(planned.tess, planned.day)
    run = repair_request(absence=absence, by=journey.coordinator())
    assert run is not None
    runs.run_execute(run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.PROPOSED, run.message
    return run


def _involves(row: Session, person: User) -> bool:
    return row.staff.filter(pk=person.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_the_worker_proposes_a_repair_that_keeps_everyone_else() -> None:
    planned = _plan_day()
    kept = [_shape(r) for r in planned.sessions if not _involves(r, planned.tess)]
    absence = _record(planned.tess, planned.day)
    run = repair_request(absence=absence, by=journey.coordinator())
    assert run is not None

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
    assert run.status == RunStatus.PROPOSED, run.message
    view = repair_view(user=journey.coordinator(), run=run)
    (line,) = view.moved
    assert line.children == planned.robin.patient.display_name
    assert line.before == "10:00–11:00 · T. Mover · Gym"
    assert "P. Stretch" in line.after and "T. Mover" not in line.after
    assert (view.unchanged, view.lost) == (3, ())
    assert [s for s in _day_shapes(planned.day) if s in kept] == kept  # untouched

    repair_accept(run=run, by=journey.coordinator())

    run.refresh_from_db()
    assert run.status == RunStatus.APPLIED
    assert not Session.objects.filter(day=planned.day, staff=planned.tess).exists()
    assert set(kept) <= set(_day_shapes(planned.day))
    robins = Session.objects.get(pk=planned.sessions[1].pk)
    assert list(robins.staff.all()) == [planned.paul]
    assert (robins.source, robins.run) == (SessionSource.REPAIR, run)
    decided = AuditEvent.objects.get(action=AuditAction.SCHEDULE_REPAIR_DECIDED)
    assert decided.changes["decision"] == RunStatus.APPLIED


@pytest.mark.django_db
def test_a_proposal_out_of_date_is_marked_so_and_changes_nothing(
    planned: Day,
) -> None:
    run = _proposed(planned)
    other = planned.sessions[2]
    session_lock(session=other, by=journey.coordinator(), version=1, locked=True)
    before = _day_shapes(planned.day)
    with pytest.raises(ValidationError, match=str(STALE_PROPOSAL)):
        repair_accept(run=run, by=journey.coordinator())
    run.refresh_from_db()
    assert run.status == RunStatus.STALE
    assert _day_shapes(planned.day) == before
    with pytest.raises(ValidationError):
        repair_accept(run=run, by=journey.coordinator())
    assert repair_discard(run=run, by=journey.coordinator()).status == (
        RunStatus.DISCARDED
    )


@pytest.mark.django_db
def test_a_discarded_proposal_changes_nothing(planned: Day) -> None:
    run = _proposed(planned)
    before = _day_shapes(planned.day)
    repair_discard(run=run, by=journey.coordinator())
    run.refresh_from_db()
    assert (run.status, run.decided_by) == (RunStatus.DISCARDED, journey.coordinator())
    assert _day_shapes(planned.day) == before
    with pytest.raises(ValidationError):
        repair_accept(run=run, by=journey.coordinator())


@pytest.mark.django_db
def test_only_the_coordinator_decides(planned: Day) -> None:
    run = _proposed(planned)
    with pytest.raises(PermissionDenied):
        repair_accept(run=run, by=planned.paul)
    with pytest.raises(PermissionDenied):
        repair_discard(run=run, by=planned.paul)
    run.refresh_from_db()
    assert run.status == RunStatus.PROPOSED


@pytest.mark.django_db
def test_cancelling_the_absence_discards_its_proposal(planned: Day) -> None:
    run = _proposed(planned)
    assert run.absence is not None
    absence_cancel(absence=run.absence, by=journey.coordinator())
    run.refresh_from_db()
    assert run.status == RunStatus.DISCARDED
    assert Absence.objects.get().cancelled_at is not None


# --- Pages ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_form_records_and_opens_the_repair(
    planned: Day, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    client = sign_in(Client(), journey.coordinator())
    form = {
        "staff": planned.tess.pk,
        "day": planned.day.isoformat(),
        "reason": "sick",
        "form_token": str(uuid.uuid4()),
    }
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        response = client.post(reverse("scheduling:absence_new"), form)
        again = client.post(reverse("scheduling:absence_new"), form)
    run = SolveRun.objects.get()
    assert response.status_code == again.status_code == 302
    assert response["Location"] == reverse("scheduling:repair", args=[run.pk])
    assert Absence.objects.count() == 1
    waiting = client.get(response["Location"])
    assert 'hx-trigger="every 2s"' in waiting.content.decode()


@pytest.mark.django_db
def test_a_bad_form_says_why_and_records_nothing(planned: Day) -> None:
    client = sign_in(Client(), journey.coordinator())
    response = client.post(
        reverse("scheduling:absence_new"),
        {
            "staff": planned.tess.pk,
            "day": planned.day.isoformat(),
            "start": "12:00",
            "end": "10:00",
            "reason": "sick",
            "form_token": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 400
    assert str(END_BEFORE_START) in response.content.decode()
    assert not Absence.objects.exists()


@pytest.mark.django_db
def test_the_repair_page_lists_the_moves_and_accepts(planned: Day) -> None:
    run = _proposed(planned)
    client = sign_in(Client(), journey.coordinator())
    page = client.get(reverse("scheduling:repair", args=[run.pk]))
    text = " ".join(page.content.decode().split())
    assert "1 session moves; 0 cannot be placed any more; 3 stay as they are." in text
    assert "10:00–11:00 · T. Mover · Gym" in text
    assert "every 2s" not in text
    response = client.post(reverse("scheduling:repair_accept", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == RunStatus.APPLIED


@pytest.mark.django_db
def test_polling_gets_only_the_status_part(planned: Day) -> None:
    absence = _record(planned.tess, planned.day)
    run = repair_request(absence=absence, by=journey.coordinator())
    assert run is not None
    client = sign_in(Client(), journey.coordinator())
    response = client.get(
        reverse("scheduling:repair", args=[run.pk]),
        headers={"HX-Request": "true", "HX-Target": "repair-status"},
    )
    text = response.content.decode().strip()
    assert text.startswith('<div id="repair-status"') and "<html" not in text


@pytest.mark.django_db
def test_the_list_shows_upcoming_absences_and_cancels_one(planned: Day) -> None:
    absence = _record(planned.tess, planned.day)
    client = sign_in(Client(), journey.coordinator())
    page = client.get(reverse("scheduling:absence_list"))
    text = page.content.decode()
    assert "Tess Mover" in text and "No repair asked for" in text
    client.post(reverse("scheduling:absence_cancel", args=[absence.pk]))
    absence.refresh_from_db()
    assert absence.cancelled_at is not None
    assert (
        "Tess Mover"
        not in client.get(reverse("scheduling:absence_list")).content.decode()
    )


# --- The demo ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_leaves_one_repair_to_decide_and_one_accepted(planned: Day) -> None:
    import random

    from painrehab.demo.scheduling_changes_demo import absence_populate

    later = planned.day + dt.timedelta(days=1)
    prescribed(planned.sam, day=later, start="14:00", staff=planned.paul)
    absence_populate(rng=random.Random(5), today=timezone.localdate())
    first, second = Absence.objects.order_by("day")
    assert (first.day, first.whole_day) == (planned.day, True)
    assert (second.day, second.whole_day, second.reason) == (later, False, "training")
    statuses = {run.absence_id: run.status for run in SolveRun.objects.all()}
    assert statuses == {first.pk: RunStatus.PROPOSED, second.pk: RunStatus.APPLIED}


@pytest.mark.django_db
def test_with_no_session_ahead_the_demo_plans_a_leave(planned: Day) -> None:
    import random

    from painrehab.demo.scheduling_changes_demo import absence_populate

    Session.objects.all().delete()
    absence_populate(rng=random.Random(5), today=timezone.localdate())
    (leave,) = Absence.objects.all()
    assert leave.reason == "leave" and leave.day > timezone.localdate()
    assert leave.day.weekday() < 5 and not SolveRun.objects.exists()


@pytest.mark.django_db
def test_a_group_named_anew_in_the_days_problem_is_the_same_session(
    planned: Day,
) -> None:
    from dataclasses import replace

    from painrehab.domain import timetable as tt
    from painrehab.scheduling.builder import (
        ActivityRef,
        Keys,
        range_fingerprint,
        sessions_to_domain,
    )
    from painrehab.scheduling.selectors_changes import proposal_of
    from painrehab.scheduling.tests.factories import TherapyGroupFactory, session

    group = TherapyGroupFactory()
    row = session(
        planned.robin,
        day=planned.day,
        start="14:00",
        staff=planned.paul,
        others=(planned.sam,),
    )
    # The week's problem named it for its first day; the day's problem does not.
    Session.objects.filter(pk=row.pk).update(
        group=group, activity=f"g{group.pk}/PT@{planned.day.isoformat()}"
    )
    day_id = f"g{group.pk}/PT"
    rows = Session.objects.filter(day=planned.day).prefetch_related(
        "staff", "attendees"
    )
    proposed = [
        replace(s, activity=day_id) if s.activity.startswith(day_id) else s
        for s in sessions_to_domain(rows)
    ]
    ref = ActivityRef("PT", group.name, "group", None, group.pk, ())
    run = SolveRun.objects.create(
        kind=RunKind.REPAIR,
        status=RunStatus.PROPOSED,
        first_day=planned.day,
        last_day=planned.day,
        requested_by=journey.coordinator(),
        solution=tt.solution_to_json(
            tt.Solution(status=tt.Status.FEASIBLE, sessions=tuple(proposed))
        ),
        keys=Keys(
            activities={day_id: ref},
            fingerprint=range_fingerprint(planned.day, planned.day),
        ).to_json(),
    )
    proposal = proposal_of(run)
    assert len(proposal.unchanged) == 5
    assert (proposal.moved, proposal.removed, proposal.added) == ((), (), ())


@pytest.mark.django_db
def test_a_discarded_repair_can_be_planned_again(planned: Day) -> None:
    run = _proposed(planned)
    repair_discard(run=run, by=journey.coordinator())
    client = sign_in(Client(), journey.coordinator())
    page = client.get(reverse("scheduling:repair", args=[run.pk]))
    assert "Plan the repair again" in page.content.decode()
    assert run.absence is not None
    response = client.post(reverse("scheduling:absence_repair", args=[run.absence.pk]))
    again = SolveRun.objects.exclude(pk=run.pk).get()
    assert response["Location"] == reverse("scheduling:repair", args=[again.pk])
    assert again.status == RunStatus.QUEUED


@pytest.mark.django_db
def test_the_absence_list_costs_the_same_however_long(
    planned: Day, django_assert_max_num_queries: Callable[..., object]
) -> None:
    client = sign_in(Client(), journey.coordinator())
    client.get(reverse("scheduling:absence_list"))  # warm the session
    for n, person in enumerate((planned.tess, planned.paul, planned.olga)):
        absence = _record(person, planned.day + dt.timedelta(days=n))
        repair_request(absence=absence, by=journey.coordinator())
    # +1: the "Family messages" badge
    with django_assert_max_num_queries(13):  # type: ignore[operator]
        response = client.get(reverse("scheduling:absence_list"))
    assert response.content.decode().count("Cancel ") == 3
