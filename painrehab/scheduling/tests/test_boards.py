"""The timetable boards: the unit's day, a therapist's day, a child's week and its
printout, and what could not be scheduled.

A small unit: Robin (on the PT's care team) and Sam (not), a PT and an OT, a gym
and a quiet room, on this week's Monday. Children the viewer may not see appear
by bed only; every page is audited and costs the same queries at any size.
"""

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from painrehab.accounts.choices import Discipline, Role
from painrehab.accounts.models import User
from painrehab.audit.actions import AuditAction, Outcome
from painrehab.audit.models import AuditEvent
from painrehab.common.testing import sign_in, staff
from painrehab.episodes.models import Episode
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import CareTeamMemberFactory, PatientFactory
from painrehab.referrals.tests import journey
from painrehab.scheduling.choices import AttendanceStatus, RunKind, RunStatus
from painrehab.scheduling.models import (
    PatientBlock,
    Room,
    Session,
    SessionPatient,
    SolveRun,
)
from painrehab.scheduling.selectors_boards import monday_of, unit_day
from painrehab.scheduling.selectors_boards.grid import Grid
from painrehab.scheduling.selectors_boards.unscheduled import readable
from painrehab.scheduling.tests.factories import (
    RoomFactory,
    absence,
    day_template,
    finished_run,
    session,
    therapist,
    unscheduled,
)

pytestmark = pytest.mark.django_db

MONDAY = monday_of(timezone.localdate())
TUESDAY = MONDAY + dt.timedelta(days=1)
VIEWED = AuditAction.SCHEDULE_VIEWED


class Unit:
    """The small unit every test starts from."""

    def __init__(self) -> None:
        self.template = day_template()
        self.gym = RoomFactory(name="Gym", capacity=4)
        self.quiet = RoomFactory(name="Quiet room")
        self.pt: User = therapist(first_name="Tess", last_name="Mover")
        self.ot: User = therapist(
            Role.OCCUPATIONAL_THERAPIST, first_name="Oona", last_name="Hands"
        )
        self.robin = journey.admitted(
            PatientFactory(
                given_name="Robin",
                preferred_name="Rob",
                family_name="Testchild",
                preferred_language="es",
            ),
            days_ago=2,
        )
        self.sam = journey.admitted(
            PatientFactory(given_name="Sam", family_name="Hidden"), days_ago=2
        )
        CareTeamMemberFactory(patient=self.robin.patient, member=self.pt)
        self.pt_session = session(
            self.robin, day=MONDAY, start="10:00", staff=self.pt, room=self.gym
        )
        self.ot_session = session(
            self.sam,
            day=MONDAY,
            start="09:00",
            staff=self.ot,
            room=self.quiet,
            discipline=Discipline.OT,
            label="Occupational therapy",
        )
        self.group = session(
            self.robin,
            others=(self.sam,),
            day=MONDAY,
            start="15:00",
            staff=self.pt,
            room=self.gym,
            label="Group physical therapy",
        )
        SessionPatient.objects.filter(
            session=self.pt_session, episode=self.robin
        ).update(attendance=AttendanceStatus.ATTENDED)
        SessionPatient.objects.filter(session=self.group, episode=self.sam).update(
            attendance=AttendanceStatus.REFUSED, reason="Too tired after school"
        )

    def bed(self, episode: Episode) -> str:
        return f"Bed {episode.stay.bed.number}"


@pytest.fixture
def unit() -> Unit:
    return Unit()


@pytest.fixture
def coordinator() -> User:
    return staff(Role.COORDINATOR, username="alice")


def _get(user: User, name: str, *args: object, **query: str) -> str:
    url = reverse(name, args=args)
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    response = sign_in(Client(), user).get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _events(user: User) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(actor_id=user.pk, action=VIEWED).order_by("seq")
    )


# --- The grid's layout --------------------------------------------------------------


def test_grid_puts_overlapping_items_in_separate_lanes_and_fills_free_time() -> None:
    grid = Grid(8 * 60, 10 * 60)  # 08:00 to 10:00, eight slots
    lanes = grid.lanes(
        [
            (dt.time(8, 30), dt.time(9, 30), "a"),
            (dt.time(9, 0), dt.time(9, 15), "b"),
            (dt.time(9, 30), dt.time(10, 0), "c"),
        ]
    )
    # Free time is one empty cell per hour or part of one.
    assert [[(c.start, c.span, c.item) for c in lane] for lane in lanes] == [
        [(0, 2, None), (2, 4, "a"), (6, 2, "c")],
        [(0, 4, None), (4, 1, "b"), (5, 3, None)],
    ]
    assert [c.on_hour for c in lanes[1]] == [True, True, False]
    assert [c.label for c in grid.columns()] == ["08:00", "09:00"]


# --- The unit's day -----------------------------------------------------------------


def test_unit_day_names_only_the_children_the_viewer_may_see(unit: Unit) -> None:
    page = _get(unit.pt, "scheduling:unit_day", day=MONDAY.isoformat())
    assert "Rob Testchild" in page
    assert not re.search(r"\bSam\b|Hidden", page)
    assert unit.bed(unit.sam) in page


def test_coordinator_sees_every_child_by_name(unit: Unit, coordinator: User) -> None:
    page = _get(coordinator, "scheduling:unit_day", day=MONDAY.isoformat())
    assert "Rob Testchild" in page and "Sam Hidden" in page


def test_the_unit_board_leads_each_role_to_its_timetable_work(
    unit: Unit, coordinator: User
) -> None:
    lead = _get(coordinator, "scheduling:unit_day", day=MONDAY.isoformat())
    therapist = _get(unit.pt, "scheduling:unit_day", day=MONDAY.isoformat())
    coordinator_only = ("scheduling:run_list", "scheduling:absence_list")
    for name in (*coordinator_only, "scheduling:setup", "scheduling:feed_list"):
        assert f'href="{reverse(name)}"' in lead
    for name in (*coordinator_only, "scheduling:setup"):
        assert f'href="{reverse(name)}"' not in therapist
    assert f'href="{reverse("scheduling:feed_list")}"' in therapist


def test_sessions_sit_in_their_therapist_and_room_rows_spanning_their_minutes(
    unit: Unit,
) -> None:
    board = unit_day(user=unit.pt, day=MONDAY)
    rows = {row.name: row for row in board.therapists}
    # 08:00 is slot 0: the PT session at 10:00 for an hour is slots 8 to 11.
    placed = [
        (c.start, c.span, c.item.label)
        for lane in rows["T. Mover"].lanes
        for c in lane
        if c.item is not None
    ]
    assert placed == [(8, 4, "Physical therapy"), (28, 4, "Group physical therapy")]
    rooms = {row.name: row for row in board.rooms}
    in_quiet = [c for lane in rooms["Quiet room"].lanes for c in lane if c.item]
    assert [(c.start, c.span) for c in in_quiet] == [(4, 4)]
    assert board.columns[0].label == "08:00"


def test_group_session_shows_both_children(unit: Unit, coordinator: User) -> None:
    board = unit_day(user=coordinator, day=MONDAY)
    rooms = {row.name: row for row in board.rooms}
    group = next(
        c.item
        for lane in rooms["Gym"].lanes
        for c in lane
        if c.item is not None and c.item.label == "Group physical therapy"
    )
    names = [a.child.shown for a in group.attendees]
    assert names == ["Rob Testchild", "Sam Hidden"]


def test_fixed_blocks_head_the_grid(unit: Unit) -> None:
    board = unit_day(user=unit.pt, day=MONDAY)
    blocks = [(c.start, c.span, c.item.label) for c in board.blocks[0] if c.item]
    # The grid ends with the template's day (17:00): family time is after it.
    assert blocks == [(16, 4, "Lunch"), (20, 4, "School")]


def test_grid_cells_carry_text_and_spans_not_inline_styles(unit: Unit) -> None:
    page = _get(unit.pt, "scheduling:unit_day", day=MONDAY.isoformat())
    assert 'colspan="4" class="item item-session discipline-PT' in page
    assert 'class="board hours-9"' in page  # 08:00 to 17:00: the width class
    assert "style=" not in page and "<script>" not in page
    assert '<th scope="row" rowspan="1">' in page


def test_absent_therapist_is_shown_on_the_board(unit: Unit, coordinator: User) -> None:
    absence(unit.ot, MONDAY, coordinator, start=dt.time(13), end=dt.time(15))
    page = _get(coordinator, "scheduling:unit_day", day=MONDAY.isoformat())
    assert "Absent 13:00–15:00 (Sick)" in page


def test_bad_day_falls_back_to_today(unit: Unit) -> None:
    page = _get(unit.pt, "scheduling:unit_day", day="not-a-day")
    assert timezone.localdate().isoformat() in page


def test_unit_day_records_one_event_naming_only_visible_children(unit: Unit) -> None:
    _get(unit.pt, "scheduling:unit_day", day=MONDAY.isoformat())
    [event] = _events(unit.pt)
    assert event.changes["patients"] == [unit.robin.patient_id]
    assert event.changes["day"] == MONDAY.isoformat()


# --- A therapist's day --------------------------------------------------------------


def test_worklist_lists_sessions_in_order_with_group_members_and_attendance(
    unit: Unit,
) -> None:
    page = _get(unit.pt, "scheduling:staff_day", unit.pt.pk, day=MONDAY.isoformat())
    assert page.index("10:00–11:00") < page.index("15:00–16:00")
    assert "Attended" in page and "Refused" in page
    assert unit.bed(unit.sam) in page and "Hidden" not in page
    assert "Too tired" not in page  # a hidden child's reason stays hidden
    assert "Gym" in page
    assert "My day" in page


def test_coordinator_and_director_open_any_therapists_day(
    unit: Unit, coordinator: User
) -> None:
    director = staff(Role.DIRECTOR)
    for user in (coordinator, director):
        page = _get(user, "scheduling:staff_day", unit.pt.pk, day=MONDAY.isoformat())
        assert "Day of Tess Mover" in page


def test_another_therapists_day_is_refused(unit: Unit) -> None:
    client = sign_in(Client(), unit.ot)
    response = client.get(reverse("scheduling:staff_day", args=[unit.pt.pk]))
    assert response.status_code == 403


def test_my_day_sends_a_therapist_to_their_own(unit: Unit) -> None:
    client = sign_in(Client(), unit.pt)
    response = client.get(reverse("scheduling:my_day") + "?day=" + MONDAY.isoformat())
    assert response.status_code == 302
    own = reverse("scheduling:staff_day", args=[unit.pt.pk])
    assert response["Location"] == f"{own}?day={MONDAY.isoformat()}"


def test_day_of_someone_not_on_staff_is_not_found(coordinator: User) -> None:
    client = sign_in(Client(), coordinator)
    response = client.get(reverse("scheduling:staff_day", args=[coordinator.pk + 99]))
    assert response.status_code == 404


# --- A child's week -----------------------------------------------------------------


def test_week_shows_sessions_blocks_and_attendance(unit: Unit) -> None:
    PatientBlock.objects.create(
        episode=unit.robin,
        day=TUESDAY,
        start=dt.time(9),
        end=dt.time(10),
        label="Dentist",
        recorded_by=unit.pt,
    )
    patient_id = unit.robin.patient_id
    page = _get(unit.pt, "scheduling:patient_week", patient_id, week=MONDAY.isoformat())
    assert "Physical therapy" in page and "Group physical therapy" in page
    assert "Attended" in page and "Attendance not recorded" in page
    assert "Lunch" in page and "Dentist" in page
    assert "T. Mover" in page and "Gym" in page
    assert 'aria-current="page">Timetable' in page  # the chart tab
    assert 'rowspan="4" class="item item-session"' in page


def test_week_of_any_day_starts_on_its_monday(unit: Unit) -> None:
    patient_id = unit.robin.patient_id
    page = _get(
        unit.pt, "scheduling:patient_week", patient_id, week=TUESDAY.isoformat()
    )
    assert f"week of {MONDAY.isoformat()}" in page


def test_week_of_a_child_off_the_team_is_the_same_404_as_a_missing_one(
    unit: Unit,
) -> None:
    client = sign_in(Client(), unit.pt)
    refused = client.get(reverse("scheduling:patient_week", args=[unit.sam.patient_id]))
    missing = client.get(reverse("scheduling:patient_week", args=[999999]))
    assert refused.status_code == missing.status_code == 404
    assert refused.content == missing.content
    refusals = [e for e in _events(unit.pt) if e.outcome == Outcome.FAILURE]
    assert [e.changes["patient_id_requested"] for e in refusals] == [
        unit.sam.patient_id,
        999999,
    ]


def test_week_read_is_audited_against_the_child(unit: Unit) -> None:
    _get(unit.pt, "scheduling:patient_week", unit.robin.patient_id)
    [event] = _events(unit.pt)
    assert event.patient_id == unit.robin.patient_id
    assert event.outcome == Outcome.SUCCESS
    assert event.changes["board"] == "patient_week"


# --- The child's printout -----------------------------------------------------------


def test_printed_day_is_in_spanish_with_first_name_only_and_no_navigation(
    unit: Unit,
) -> None:
    page = _get(
        unit.pt,
        "scheduling:patient_print",
        unit.robin.patient_id,
        day=MONDAY.isoformat(),
    )
    assert '<html lang="es">' in page
    assert "El día de Rob" in page
    assert "Fisioterapia" in page and "Almuerzo" in page and "Escuela" in page
    assert "Fisioterapia en grupo" in page
    assert "Testchild" not in page and unit.robin.patient.mrn not in page
    assert "<nav" not in page and "mainnav" not in page
    assert "Asistió" not in page and "Attended" not in page  # no attendance
    assert "print.css" in page and "print-week.css" not in page


def test_printed_week_is_landscape_and_english_for_an_english_speaker(
    unit: Unit, coordinator: User
) -> None:
    page = _get(
        coordinator,
        "scheduling:patient_print",
        unit.sam.patient_id,
        week=MONDAY.isoformat(),
    )
    assert '<html lang="en">' in page
    assert "Sam's week" in page
    assert "Occupational therapy" in page and "with Oona" in page
    assert "print-week.css" in page
    assert "Hidden" not in page


def test_printout_shows_the_discipline_not_a_free_text_label(
    unit: Unit, coordinator: User
) -> None:
    session(
        unit.robin,
        day=TUESDAY,
        staff=unit.pt,
        label="Desensitisation, left foot CRPS",
    )
    page = _get(
        coordinator,
        "scheduling:patient_print",
        unit.robin.patient_id,
        day=TUESDAY.isoformat(),
    )
    assert "CRPS" not in page and "Fisioterapia" in page


def test_printout_follows_the_week_page_access(unit: Unit) -> None:
    client = sign_in(Client(), unit.pt)
    url = reverse("scheduling:patient_print", args=[unit.sam.patient_id])
    assert client.get(url).status_code == 404


# --- What could not be scheduled ----------------------------------------------------


def test_unscheduled_lists_the_latest_runs_items_with_readable_reasons(
    unit: Unit, coordinator: User
) -> None:
    old = finished_run(
        MONDAY,
        MONDAY + dt.timedelta(days=6),
        by=coordinator,
        finished_at=timezone.now() - dt.timedelta(hours=2),
    )
    unscheduled(old, unit.robin, day=MONDAY, reason="an old reason")
    run = finished_run(MONDAY, MONDAY + dt.timedelta(days=6), by=coordinator)
    unscheduled(
        run,
        unit.sam,
        day=TUESDAY,
        discipline=Discipline.OT,
        label="Occupational therapy",
        count=2,
        reason=f"no eligible staff (u{unit.ot.pk}) available while e{unit.sam.pk} free",
    )
    director = staff(Role.DIRECTOR)
    page = _get(director, "scheduling:unscheduled", week=TUESDAY.isoformat())
    assert "an old reason" not in page
    bed = unit.bed(unit.sam)
    assert f"no eligible staff (O. Hands) available while {bed} free" in page
    assert "Hidden" not in page
    coordinator_page = _get(
        coordinator, "scheduling:unscheduled", week=MONDAY.isoformat()
    )
    week_url = reverse("scheduling:patient_week", args=[unit.sam.patient_id])
    assert (
        f'href="{week_url}?week={MONDAY.isoformat()}">Sam Hidden</a>'
        in coordinator_page
    )


def test_a_repair_accepted_later_replaces_the_solve_for_its_days(
    unit: Unit, coordinator: User
) -> None:
    solve = finished_run(
        MONDAY,
        MONDAY + dt.timedelta(days=6),
        by=coordinator,
        finished_at=timezone.now() - dt.timedelta(hours=1),
    )
    unscheduled(solve, unit.robin, day=MONDAY, reason="solve monday")
    unscheduled(solve, unit.robin, day=TUESDAY, reason="solve tuesday")
    repair = finished_run(
        TUESDAY, TUESDAY, by=coordinator, kind=RunKind.REPAIR, status=RunStatus.APPLIED
    )
    unscheduled(repair, unit.robin, day=TUESDAY, reason="repair tuesday")
    proposed = finished_run(
        TUESDAY, TUESDAY, by=coordinator, kind=RunKind.REPAIR, status=RunStatus.PROPOSED
    )
    unscheduled(proposed, unit.robin, day=TUESDAY, reason="only proposed")
    page = _get(coordinator, "scheduling:unscheduled", week=MONDAY.isoformat())
    assert "solve monday" in page and "repair tuesday" in page
    assert "solve tuesday" not in page and "only proposed" not in page


def test_week_without_a_finished_run_says_so(coordinator: User) -> None:
    page = _get(coordinator, "scheduling:unscheduled", week=MONDAY.isoformat())
    assert "No finished timetable covers this week yet." in page


def test_therapists_may_not_open_the_unscheduled_list(unit: Unit) -> None:
    client = sign_in(Client(), unit.pt)
    assert client.get(reverse("scheduling:unscheduled")).status_code == 403


def test_reasons_name_rooms_groups_and_activities() -> None:
    names = {"r3": "Gym", "e7": "Bed 4", "g2": "Teen PT", "u5": "T. Mover"}
    assert readable("no room r3 for e7/PT/12 or g2/PT; u5, u6", names) == (
        "no room Gym for Bed 4 (Physical therapy) or Teen PT; T. Mover, u6"
    )
    assert readable("no PT staff available on 2026-12-09", names) == (
        "no PT staff available on 2026-12-09"
    )


# --- Query counts do not grow with children or sessions -----------------------------


def _more(unit: Unit, children: int) -> None:
    room = Room.objects.get(name="Gym")
    run = SolveRun.objects.first() or finished_run(
        MONDAY, MONDAY + dt.timedelta(days=6), by=unit.pt
    )
    for n in range(children):
        episode = journey.admitted(days_ago=1)
        helper = therapist(first_name=f"Helper{n}", last_name="Extra")
        CareTeamMemberFactory(patient=episode.patient, member=unit.pt)
        for start in ("09:00", "10:00", "11:00"):
            session(episode, day=MONDAY, start=start, staff=helper, room=room)
        session(episode, day=MONDAY, start="13:00", staff=unit.pt, room=room)
        session(unit.robin, others=(episode,), day=MONDAY, start="16:00", staff=unit.pt)
        unscheduled(
            run, episode, unit.sam, day=MONDAY, reason=f"e{episode.pk} u{helper.pk}"
        )


PAGES: list[tuple[str, Callable[[Unit], list[object]], str, str]] = [
    ("scheduling:unit_day", lambda u: [], "day", "pt"),
    ("scheduling:unit_day", lambda u: [], "day", "coordinator"),
    ("scheduling:staff_day", lambda u: [u.pt.pk], "day", "pt"),
    ("scheduling:patient_week", lambda u: [u.robin.patient_id], "week", "pt"),
    ("scheduling:patient_print", lambda u: [u.robin.patient_id], "week", "pt"),
    ("scheduling:unscheduled", lambda u: [], "week", "coordinator"),
]


@pytest.mark.parametrize(("page", "args", "param", "who"), PAGES)
def test_query_count_does_not_grow_with_children_or_sessions(
    unit: Unit,
    coordinator: User,
    page: str,
    args: Callable[[Unit], list[object]],
    param: str,
    who: str,
    django_assert_max_num_queries: Callable[[int], object],
) -> None:
    user = unit.pt if who == "pt" else coordinator
    client = sign_in(Client(), user)
    url = f"{reverse(page, args=args(unit))}?{param}={MONDAY.isoformat()}"
    _more(unit, 1)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _more(unit, 4)
    assert Session.objects.count() > 20
    with django_assert_max_num_queries(len(small)):  # type: ignore[attr-defined]
        assert client.get(url).status_code == 200


def test_hidden_children_never_appear_by_name_anywhere_on_the_boards(
    unit: Unit,
) -> None:
    pages = [
        _get(unit.pt, "scheduling:unit_day", day=MONDAY.isoformat()),
        _get(unit.pt, "scheduling:staff_day", unit.pt.pk, day=MONDAY.isoformat()),
    ]
    for page in pages:
        assert not re.search(r"Sam\b|Hidden", page)
    assert Patient.objects.filter(given_name="Sam").exists()
