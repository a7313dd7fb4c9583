"""The timetable in a real browser: the coordinator builds next week for a small
unit, sees it on the unit's board, marks a therapist absent for a day, and
accepts the repair; the board then shows the new placement and the absent
therapist has no session that day. The second test does the same on the whole
demo program: its week solved again from the page, every child in a bed on the
board, a PT off sick, the repair accepted, nothing of another discipline moved.

The worker runs one-shot from the test process (``db_worker --batch``), as the
demo's worker would pick the runs up.
"""

import datetime as dt
import re
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.accounts.tests.factories import TEST_PASSWORD, totp_device
from painrehab.demo.generator import demo_build
from painrehab.episodes.models import Episode
from painrehab.episodes.services import beds_configure
from painrehab.patients.models import Patient
from painrehab.referrals.tests import journey
from painrehab.scheduling.choices import RoomKind, RunKind, RunStatus
from painrehab.scheduling.models import Room, Session, SolveRun
from painrehab.scheduling.tests.factories import day_template, therapist
from tests.e2e.test_journey import label, sign_in

pytestmark = pytest.mark.e2e

SOLVE_SECONDS = "5"


def _next_monday() -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=7 - today.weekday())


def _work() -> None:
    """What the demo's worker does: every queued run, then stop."""
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


@pytest.fixture
def unit(child: Patient, coordinator: User, settings: object) -> list[Episode]:
    """Two children with the template's prescriptions, two physical therapists and
    an occupational therapist on weekday shifts, their rooms, the sample day."""
    settings.DEBUG = True  # type: ignore[attr-defined]
    settings.DEMO_MODE = True  # type: ignore[attr-defined]
    beds_configure(count=4, by=None)
    totp_device(coordinator)
    day_template()
    Room.objects.create(name="Gym", kinds=[RoomKind.PT], capacity=1)
    Room.objects.create(name="Studio", kinds=[RoomKind.PT], capacity=1)
    Room.objects.create(name="OT room", kinds=[RoomKind.OT], capacity=1)
    therapist(first_name="Tess", last_name="Mover")
    therapist(first_name="Paul", last_name="Stretch")
    therapist(Role.OCCUPATIONAL_THERAPIST, first_name="Olga", last_name="Hands")
    return [journey.admitted(child), journey.admitted()]


def _busy_therapist(day: dt.date) -> User:
    """A physical therapist with sessions that day (the one to mark absent)."""
    sessions = Session.objects.filter(day=day, discipline="PT", mode="individual")
    person = User.objects.filter(scheduled_sessions__in=sessions).first()
    assert person is not None, "the solve placed no PT session that day"
    return person


def test_build_the_week_then_repair_an_absence(
    page: Page,
    url: Callable[[str], str],
    password_step: Callable[[User], None],
    screenshot: Callable[[str], Path],
    coordinator: User,
    unit: list[Episode],
) -> None:
    tuesday = _next_monday() + dt.timedelta(days=1)
    sign_in(page, password_step, coordinator)

    # Build next week's timetable; the worker solves it.
    page.goto(url("/schedule/runs/"))
    label(page, "Time limit (seconds)").fill(SOLVE_SECONDS)
    page.get_by_role("button", name="Build the timetable").click()
    expect(page).to_have_url(re.compile(r"/schedule/runs/\d+/$"))
    _work()
    assert SolveRun.objects.get(kind=RunKind.SOLVE).status == RunStatus.DONE

    # The unit's board shows the day's sessions.
    page.goto(url(f"/schedule/?day={tuesday.isoformat()}"))
    therapists = page.locator("#grid-therapists")
    expect(therapists.get_by_text("Physical therapy").first).to_be_visible()
    expect(therapists.get_by_text("Robin Testchild").first).to_be_visible()
    absent = _busy_therapist(tuesday)
    name = absent.get_full_name()
    screenshot("scheduling-board")

    # Mark the therapist absent for the day; the worker works out the repair.
    page.goto(url("/schedule/absences/"))
    page.get_by_role("link", name="Mark someone absent").click()
    label(page, "Staff member").select_option(label=name)
    label(page, "Day").fill(tuesday.isoformat())
    label(page, "Reason").select_option(label="Sick")
    page.get_by_role("button", name="Record the absence and plan the repair").click()
    expect(page.get_by_text("Working out the repair")).to_be_visible()
    _work()

    # The page (polling every 2 s) lists the moves; accept them.
    moves = page.get_by_role("table", name="Sessions that move")
    expect(moves).to_be_visible(timeout=15_000)
    short = f"{absent.first_name[0]}. {absent.last_name}"
    expect(moves.get_by_role("row").nth(1)).to_contain_text(short)
    screenshot("scheduling-repair")
    page.get_by_role("button", name="Accept the repair").click()
    expect(
        page.get_by_text("Repair accepted: the timetable is updated.")
    ).to_be_visible()
    assert SolveRun.objects.get(kind=RunKind.REPAIR).status == RunStatus.APPLIED

    # The board: the absent therapist has nothing that day; the moved session
    # is with someone else, placed by the repair.
    page.goto(url(f"/schedule/?day={tuesday.isoformat()}"))
    row = page.locator("#grid-therapists tbody tr").filter(has_text=short).first
    expect(row).to_contain_text("Absent all day")
    expect(row.locator(".item-session")).to_have_count(0)
    assert not Session.objects.filter(day=tuesday, staff=absent).exists()
    repaired = Session.objects.filter(day=tuesday, source="repair")
    assert repaired.exists()
    for moved in repaired:
        expect(
            page.locator("#grid-therapists .item-session")
            .filter(has_text=f"{moved.start:%H:%M}–{moved.end:%H:%M}")
            .first
        ).to_be_visible()
    screenshot("scheduling-repaired")


@pytest.fixture
def demo(settings: object) -> User:
    """The whole synthetic program (its week already planned); its coordinator
    signs in with the suite's password and the demo code."""
    settings.DEBUG = True  # type: ignore[attr-defined]
    settings.DEMO_MODE = True  # type: ignore[attr-defined]
    demo_build()
    coordinator = User.objects.get(username="coordinator")
    coordinator.set_password(TEST_PASSWORD)
    coordinator.save(update_fields=["password"])
    return coordinator


def test_the_demo_week_is_solved_again_from_the_page_and_repaired(
    page: Page,
    url: Callable[[str], str],
    password_step: Callable[[User], None],
    demo: User,
) -> None:
    monday = _next_monday()
    wednesday = monday + dt.timedelta(days=2)
    sign_in(page, password_step, demo)

    page.goto(url("/schedule/runs/"))
    label(page, "Week starting on Monday").fill(monday.isoformat())
    label(page, "Time limit (seconds)").fill(SOLVE_SECONDS)
    page.get_by_role("button", name="Build the timetable").click()
    expect(page).to_have_url(re.compile(r"/schedule/runs/\d+/$"))
    _work()
    run = SolveRun.objects.filter(kind=RunKind.SOLVE, first_day=monday).latest("pk")
    assert run.status == RunStatus.DONE, run.message
    # The run's page (polling) reports the solve against the first fit.
    expect(page.get_by_text("first fit", exact=False).first).to_be_visible(
        timeout=15_000
    )

    # Every child in a bed has sessions on the Wednesday's board.
    page.goto(url(f"/schedule/?day={wednesday.isoformat()}"))
    grid = page.locator("#grid-therapists")
    for episode in Episode.objects.filter(phase="inpatient", stay__isnull=False):
        if episode.stay.admitted_on <= wednesday < episode.stay.planned_discharge_on:
            name = episode.patient.display_name
            expect(grid.get_by_text(name).first).to_be_visible()

    # A PT off sick that day: the repair moves only PT sessions; accept it.
    absent = _busy_therapist(wednesday)
    others = set(
        Session.objects.filter(day=wednesday)
        .exclude(discipline="PT")
        .values_list("pk", "start", "end")
    )
    page.goto(url("/schedule/absences/new/"))
    label(page, "Staff member").select_option(label=absent.get_full_name())
    label(page, "Day").fill(wednesday.isoformat())
    label(page, "Reason").select_option(label="Sick")
    page.get_by_role("button", name="Record the absence and plan the repair").click()
    _work()
    expect(page.get_by_role("table", name="Sessions that move")).to_be_visible(
        timeout=15_000
    )
    page.get_by_role("button", name="Accept the repair").click()
    expect(
        page.get_by_text("Repair accepted: the timetable is updated.")
    ).to_be_visible()
    assert not Session.objects.filter(day=wednesday, staff=absent).exists()
    after = set(Session.objects.filter(day=wednesday).values_list("pk", "start", "end"))
    assert others <= after  # nothing outside the absent discipline moved
