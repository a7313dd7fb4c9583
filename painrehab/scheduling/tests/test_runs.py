"""Background solves (docs/scheduling.md, "Background solves"): the request, the
worker, storing the week all or nothing, and the runs' pages.

One test runs the real database worker (``db_worker --batch``) on committed data;
the others call the worker's function, ``run_execute``, directly. Solves get 2 s.
"""

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.audit.models import AuditEvent
from painrehab.common.testing import audit_triggers_lifted, sign_in, staff
from painrehab.domain import timetable as tt
from painrehab.episodes.models import Episode
from painrehab.referrals.tests import journey
from painrehab.scheduling.builder import Keys, sessions_to_domain
from painrehab.scheduling.choices import RunKind, RunStatus, SessionSource
from painrehab.scheduling.models import (
    DayTemplate,
    Session,
    SolveRun,
    UnscheduledItem,
)
from painrehab.scheduling.services import runs
from painrehab.scheduling.tests.factories import (
    at,
    day_template,
    next_monday,
    sample_groups,
    sample_rooms,
    session,
    therapist,
)

MONDAY = next_monday()
FRIDAY = MONDAY + dt.timedelta(days=4)
SUNDAY = MONDAY + dt.timedelta(days=6)
BEFORE = at(MONDAY, "00:00")  # the week is planned before it starts
ROTA = (
    Role.PHYSICAL_THERAPIST,
    Role.PHYSICAL_THERAPIST,
    Role.OCCUPATIONAL_THERAPIST,
    Role.PSYCHOLOGIST,
    Role.ACUPUNCTURIST,
    Role.RECREATIONAL_THERAPIST,
    Role.CHILD_LIFE,
)


@pytest.fixture(scope="module", autouse=True)
def _triggers(django_db_setup: None, django_db_blocker: object) -> Iterator[None]:
    """The worker test commits for real (see ``audit_triggers_lifted``)."""
    with audit_triggers_lifted(django_db_blocker):
        yield


@pytest.fixture
def coordinator(db: None) -> User:
    return journey.coordinator()


@pytest.fixture
def unit(db: None) -> list[Episode]:
    """Two children on a unit with the sample day, its rooms, groups and a rota."""
    day_template()
    sample_rooms()
    sample_groups()
    for role in ROTA:
        therapist(role)
    return [journey.admitted(days_ago=2), journey.admitted(days_ago=1)]


def request(by: User, **kwargs: object) -> SolveRun:
    values: dict[str, object] = {
        "first_day": MONDAY,
        "last_day": SUNDAY,
        "form_token": uuid.uuid4(),
        "time_limit": 5,
        **kwargs,
    }
    return runs.solve_request(by=by, **values)  # type: ignore[arg-type]


def queued(by: User, *, time_limit: int = 2, kind: RunKind = RunKind.SOLVE) -> SolveRun:
    """A run as the request leaves it, without the worker's task."""
    return SolveRun.objects.create(
        kind=kind,
        first_day=MONDAY,
        last_day=SUNDAY,
        time_limit=time_limit,
        requested_by=by,
    )


def stored_week() -> list[Session]:
    return list(
        Session.objects.filter(day__range=(MONDAY, SUNDAY))
        .prefetch_related("staff", "attendees")
        .order_by("day", "start", "pk")
    )


def assert_stored_week_valid(run: SolveRun) -> None:
    """The stored week, with the run's unscheduled list, passes ``check``."""
    keys = Keys.from_json(run.keys)
    problem = replace(tt.load_problem(run.problem), fixed=keys.fixed)
    solution = tt.load_solution(run.solution)
    stored = tt.Solution(
        status=solution.status,
        sessions=sessions_to_domain(stored_week()),
        unscheduled=solution.unscheduled,
    )
    report = tt.check(problem, stored)
    assert report.ok, report.violations[:5]


# --- The request ---------------------------------------------------------------------


@pytest.mark.django_db
def test_only_the_coordinator_asks_for_a_solve() -> None:
    with pytest.raises(PermissionDenied):
        request(staff(Role.PHYSICAL_THERAPIST))
    assert not SolveRun.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        (
            {"last_day": MONDAY - dt.timedelta(days=1)},
            "last_day",
            runs.LAST_BEFORE_FIRST,
        ),
        ({"last_day": MONDAY + dt.timedelta(days=14)}, "last_day", runs.TOO_LONG),
        ({"time_limit": 4}, "time_limit", runs.BAD_TIME_LIMIT),
        ({"time_limit": 601}, "time_limit", runs.BAD_TIME_LIMIT),
    ],
    ids=["reversed_case", "fifteen_days_case", "too_short_case", "too_long_case"],
)
def test_a_bad_request_is_refused_beside_its_field(
    coordinator: User, values: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        request(coordinator, **values)

    assert refused.value.message_dict == {field: [str(message)]}
    assert not SolveRun.objects.exists()


@pytest.mark.django_db
def test_days_already_being_solved_are_refused(coordinator: User) -> None:
    queued(coordinator)

    with pytest.raises(ValidationError) as refused:
        request(coordinator, first_day=FRIDAY, last_day=FRIDAY + dt.timedelta(days=3))

    assert refused.value.message_dict == {"first_day": [str(runs.BUSY)]}
    assert SolveRun.objects.count() == 1


@pytest.mark.django_db
def test_an_abandoned_run_no_longer_holds_its_days(coordinator: User) -> None:
    stuck = queued(coordinator)
    SolveRun.objects.filter(pk=stuck.pk).update(
        status=RunStatus.RUNNING,
        requested_at=timezone.now() - dt.timedelta(hours=1),
    )

    run = request(coordinator)

    stuck.refresh_from_db()
    assert (stuck.status, stuck.message) == (RunStatus.FAILED, str(runs.ABANDONED))
    assert run.status == RunStatus.QUEUED


@pytest.mark.django_db
def test_a_double_click_queues_one_run_and_one_task(
    coordinator: User, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    token = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        first = request(coordinator, form_token=token)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        second = request(coordinator, form_token=token)

    assert first == second
    assert SolveRun.objects.count() == 1
    (task,) = DBTaskResult.objects.all()
    assert (task.queue_name, task.args_kwargs["args"]) == ("timetable", [first.pk])
    first.refresh_from_db()
    assert first.task_id == str(task.id)
    assert AuditEvent.objects.filter(action="schedule.solve_requested").count() == 1


# --- The worker ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_worker_solves_the_week_and_stores_valid_sessions(
    unit: list[Episode], coordinator: User
) -> None:
    run = request(coordinator, time_limit=5)

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
    assert run.started_at is not None and run.finished_at is not None
    assert run.objective is not None and run.objective >= run.baseline_objective
    assert run.bound is not None and run.bound >= run.objective
    assert_stored_week_valid(run)
    for episode in unit:
        assert Session.objects.filter(run=run, attendees__episode=episode).exists()
    assert all(s.source == SessionSource.SOLVER for s in run.sessions.all())
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert AuditEvent.objects.filter(action="schedule.solved", object_id=str(run.pk))


@pytest.mark.django_db
def test_a_new_solve_keeps_locked_and_past_sessions_and_replaces_the_rest(
    unit: list[Episode], coordinator: User
) -> None:
    first = queued(coordinator)
    runs.run_execute(first.pk, now=BEFORE)
    solved = stored_week()
    locked = next(s for s in solved if s.day > MONDAY)
    locked.locked = True
    locked.save()
    past = next(s for s in solved if s.day == MONDAY)
    later = queued(coordinator)

    runs.run_execute(later.pk, now=at(MONDAY, "23:59"))  # Monday is over

    later.refresh_from_db()
    assert later.status == RunStatus.DONE, later.message
    remaining = {s.pk for s in stored_week()}
    assert {locked.pk, past.pk} <= remaining
    replaced = Session.objects.filter(run=first, day__gt=MONDAY).exclude(pk=locked.pk)
    assert not replaced.exists()
    assert Session.objects.filter(run=later).exists()
    assert not Session.objects.filter(run=later, day=MONDAY).exists()
    assert_stored_week_valid(later)


@pytest.mark.django_db
def test_what_could_not_be_placed_is_listed_in_words_with_the_children(
    unit: list[Episode], coordinator: User
) -> None:
    acupuncturist = User.objects.get(role=Role.ACUPUNCTURIST)
    acupuncturist.shifts.exclude(weekday=0).delete()  # Mondays only
    run = queued(coordinator)

    runs.run_execute(run.pk, now=BEFORE)

    items = UnscheduledItem.objects.filter(run=run, discipline="ACU")
    assert {i.day for i in items} == {
        MONDAY + dt.timedelta(days=n) for n in (1, 2, 3, 4)
    }
    for item in items:
        assert item.label == "Acupuncture"
        assert item.reason.startswith("no ACU staff available"), item.reason
        assert len(item.episodes.all()) == 1
        assert item.episodes.get() in unit
    run.refresh_from_db()
    assert_stored_week_valid(run)


def test_reasons_name_people_rooms_and_beds() -> None:
    keys = Keys(
        labels={"u7": "Jordan Pike", "e3": "Bed 4", "r2": "Gym"},
        activities={},
    )

    text = runs.in_words("e3 in another session; u7 busy; r2 full; u70 unknown", keys)

    assert text == "Bed 4 in another session; Jordan Pike busy; Gym full; u70 unknown"


@pytest.mark.django_db
def test_a_timetable_changed_while_solving_is_not_stored(
    unit: list[Episode], coordinator: User
) -> None:
    pt = User.objects.filter(role=Role.PHYSICAL_THERAPIST).first()
    assert pt is not None
    placed = session(unit[0], day=FRIDAY, start="16:00", staff=pt)
    run = queued(coordinator)
    solved = runs.run_solve(run, now=BEFORE)
    placed.version += 1  # someone moves it meanwhile
    placed.save()

    runs.run_complete(run, solved)

    run.refresh_from_db()
    assert (run.status, run.message) == (RunStatus.FAILED, str(runs.STALE))
    assert [s.pk for s in stored_week()] == [placed.pk]
    assert not UnscheduledItem.objects.exists()


@pytest.mark.django_db
def test_a_problem_the_format_refuses_fails_the_run_readably(
    unit: list[Episode], coordinator: User
) -> None:
    DayTemplate.objects.update(earliest=dt.time(17), latest=dt.time(8, 30))
    run = queued(coordinator)

    runs.run_execute(run.pk, now=BEFORE)

    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert run.message.startswith("The timetable could not be built from the setup:")
    assert "latest: is not after earliest" in run.message
    assert run.finished_at is not None
    assert not Session.objects.exists()


@pytest.mark.django_db
def test_a_run_taken_already_is_left_alone(coordinator: User) -> None:
    run = queued(coordinator)
    SolveRun.objects.filter(pk=run.pk).update(status=RunStatus.DONE)

    runs.run_execute(run.pk)

    run.refresh_from_db()
    assert (run.status, run.problem) == (RunStatus.DONE, None)


@pytest.mark.django_db
def test_a_repair_is_proposed_and_nothing_stored(
    unit: list[Episode], coordinator: User
) -> None:
    runs.run_execute(queued(coordinator).pk, now=BEFORE)
    before = [s.pk for s in stored_week()]
    repair = queued(coordinator, kind=RunKind.REPAIR)

    runs.run_execute(repair.pk, now=BEFORE)

    repair.refresh_from_db()
    assert repair.status == RunStatus.PROPOSED, repair.message
    assert repair.solution is not None and repair.solution["sessions"]
    assert repair.problem is not None and repair.problem["previous"]
    assert [s.pk for s in stored_week()] == before


# --- Pages ---------------------------------------------------------------------------


@pytest.fixture
def client_coordinator(coordinator: User) -> Client:
    return sign_in(Client(), coordinator)


@pytest.mark.django_db
def test_the_runs_page_offers_next_week(client_coordinator: Client) -> None:
    response = client_coordinator.get(reverse("scheduling:run_list"))

    assert response.status_code == 200
    assert f'value="{MONDAY.isoformat()}"' in response.content.decode()


@pytest.mark.django_db
def test_asking_for_a_week_queues_it_and_opens_the_run(
    client_coordinator: Client,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    form = {"week": MONDAY.isoformat(), "time_limit": "30", "form_token": uuid.uuid4()}
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        response = client_coordinator.post(reverse("scheduling:solve"), form)

    run = SolveRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("scheduling:run_detail", args=[run.pk])
    assert (run.first_day, run.last_day, run.time_limit) == (MONDAY, SUNDAY, 30)
    assert DBTaskResult.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"week": (MONDAY + dt.timedelta(days=1)).isoformat()}, "Choose a Monday."),
        ({}, "Choose a week, or the first and the last day."),
        (
            {"first_day": FRIDAY.isoformat(), "last_day": MONDAY.isoformat()},
            "The last day is before the first.",
        ),
    ],
    ids=["not_monday_case", "no_days_case", "reversed_case"],
)
def test_a_refused_form_says_why_and_queues_nothing(
    client_coordinator: Client, form: dict[str, str], message: str
) -> None:
    data = {"time_limit": "30", "form_token": uuid.uuid4(), **form}

    response = client_coordinator.post(reverse("scheduling:solve"), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SolveRun.objects.exists()


@pytest.mark.django_db
def test_an_open_run_polls_its_status(
    client_coordinator: Client, coordinator: User
) -> None:
    run = queued(coordinator)
    url = reverse("scheduling:run_detail", args=[run.pk])

    page = client_coordinator.get(url)
    poll = client_coordinator.get(
        url, headers={"HX-Request": "true", "HX-Target": "run-status"}
    )

    assert 'hx-trigger="every 2s"' in page.content.decode()
    assert poll.status_code == 200
    assert poll.content.decode().lstrip().startswith('<section id="run-status"')
    assert AuditEvent.objects.filter(action="schedule.viewed").count() == 1


@pytest.mark.django_db
def test_a_done_run_shows_its_results_against_the_baseline_and_bound(
    client_coordinator: Client, coordinator: User, unit: list[Episode]
) -> None:
    run = queued(coordinator)
    runs.run_execute(run.pk, now=BEFORE)
    run.refresh_from_db()

    text = client_coordinator.get(
        reverse("scheduling:run_detail", args=[run.pk])
    ).content.decode()

    assert "every 2s" not in text
    share = round(100 * (run.objective or 0) / run.keys["requested"])
    assert f"{share}%" in text
    assert str(run.baseline_objective) in text
    link = f"{reverse('scheduling:unscheduled')}?week={MONDAY.isoformat()}"
    left = UnscheduledItem.objects.filter(run=run).exists()
    assert (link in text) == left
    assert f"{run.sessions.count()}</dd>" in text


@pytest.mark.django_db
def test_a_runs_page_costs_the_same_queries_however_much_it_holds(
    client_coordinator: Client,
    coordinator: User,
    unit: list[Episode],
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    small = queued(coordinator)
    small.status = RunStatus.DONE
    small.save()
    big = queued(coordinator)
    runs.run_execute(big.pk, now=BEFORE)
    small_url = reverse("scheduling:run_detail", args=[small.pk])
    big_url = reverse("scheduling:run_detail", args=[big.pk])
    client_coordinator.get(small_url)  # warm up (sessions, the audit chain head)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client_coordinator.get(small_url)
    with CaptureQueriesContext(connection) as many:
        client_coordinator.get(big_url)

    assert big.sessions.count() > 10
    assert len(many) == len(few)
    with django_assert_max_num_queries(len(few)):  # type: ignore[operator]
        client_coordinator.get(big_url)


@pytest.mark.django_db
def test_an_unknown_run_is_not_found(client_coordinator: Client) -> None:
    response = client_coordinator.get(reverse("scheduling:run_detail", args=[999]))

    assert response.status_code == 404
