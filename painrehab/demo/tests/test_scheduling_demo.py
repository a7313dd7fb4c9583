"""The demo's timetable set-up and week, on two admitted children (not the whole
demo build): the stored week passes the solver's own validator and every child in
a bed has sessions."""

import random
from dataclasses import replace

import pytest

from painrehab.accounts.choices import Role
from painrehab.common.testing import staff
from painrehab.demo.scheduling_demo import ROTA, scheduling_populate, week_of
from painrehab.domain import timetable as tt
from painrehab.episodes.models import Episode
from painrehab.referrals.tests import journey
from painrehab.scheduling.builder import Keys, sessions_to_domain
from painrehab.scheduling.choices import RunStatus
from painrehab.scheduling.models import (
    DayTemplate,
    Room,
    Session,
    SolveRun,
    StaffShift,
    TherapyGroup,
)

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo_build")]
ROLES = {
    "pt": Role.PHYSICAL_THERAPIST,
    "ot": Role.OCCUPATIONAL_THERAPIST,
    "psychologist": Role.PSYCHOLOGIST,
    "acupuncturist": Role.ACUPUNCTURIST,
    "rectherapist": Role.RECREATIONAL_THERAPIST,
    "childlife": Role.CHILD_LIFE,
    "socialworker": Role.SOCIAL_WORKER,
}


@pytest.fixture
def children() -> list[Episode]:
    staff(Role.COORDINATOR, username="coordinator")
    for username, role in ROLES.items():
        staff(role, username=username)
    episodes = [journey.admitted(days_ago=9), journey.admitted(days_ago=1)]
    scheduling_populate(rng=random.Random(7), today=journey.today())
    return episodes


def test_the_unit_is_set_up_like_the_sample_day(children: list[Episode]) -> None:
    assert Room.objects.count() == 7
    template = DayTemplate.objects.get(active=True)
    fixed = template.blocks.filter(fixed=True).values_list("label", flat=True)
    assert {"Lunch", "School", "Parents return, relaxation"} <= set(fixed)
    assert template.blocks.filter(fixed=False, label="Physical therapy").exists()
    assert TherapyGroup.objects.count() == 4
    acupuncture = StaffShift.objects.filter(staff__username="acupuncturist")
    assert set(acupuncture.values_list("weekday", flat=True)) == {0, 2, 3}
    assert {u for u, _s, _d in ROTA} >= set(ROLES)


def test_the_week_is_solved_and_valid(children: list[Episode]) -> None:
    run = SolveRun.objects.get()
    assert run.status == RunStatus.DONE, run.message
    monday = week_of(journey.today())
    assert run.first_day == monday
    keys = Keys.from_json(run.keys)
    problem = replace(tt.load_problem(run.problem), fixed=keys.fixed)
    rows = Session.objects.filter(day__range=(run.first_day, run.last_day))
    sessions = sessions_to_domain(rows.prefetch_related("staff", "attendees"))
    solution = tt.load_solution(run.solution)
    report = tt.check(problem, replace(solution, sessions=sessions))
    assert report.ok, report.violations[:5]
    for episode in children:
        assert rows.filter(attendees__episode=episode).exists()


def test_make_demo_starts_the_worker_with_options_db_worker_accepts() -> None:
    from django_tasks_db.management.commands.db_worker import Command

    from painrehab.demo.management.commands.demo import worker_command

    argv = worker_command()
    assert argv[1:4] == ["-m", "painrehab", "db_worker"]
    options = Command().create_parser("painrehab", "db_worker").parse_args(argv[4:])
    assert (options.queue_name, options.reload) == ("timetable", False)
