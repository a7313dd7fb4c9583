"""The demo's timetable set-up and week, on two admitted children (not the whole
demo build): the stored week passes the solver's own validator and every child in
a bed has sessions."""

import random
from dataclasses import replace
from datetime import date

import pytest

from painrehab.accounts.choices import Role
from painrehab.common.testing import staff
from painrehab.demo.scheduling_demo import ROTA, scheduling_populate, weeks_planned
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


def test_each_planned_week_is_solved_and_valid(children: list[Episode]) -> None:
    runs = list(SolveRun.objects.order_by("first_day"))
    assert [r.first_day for r in runs] == weeks_planned(journey.today())
    for run in runs:
        assert run.status == RunStatus.DONE, run.message
        keys = Keys.from_json(run.keys)
        problem = replace(tt.load_problem(run.problem), fixed=keys.fixed)
        rows = Session.objects.filter(day__range=(run.first_day, run.last_day))
        sessions = sessions_to_domain(rows.prefetch_related("staff", "attendees"))
        solution = tt.load_solution(run.solution)
        report = tt.check(problem, replace(solution, sessions=sessions))
        assert report.ok, report.violations[:5]
    this_week = Session.objects.filter(day__range=(runs[0].first_day, runs[0].last_day))
    for episode in children:
        assert this_week.filter(attendees__episode=episode).exists()


@pytest.mark.parametrize(
    ("today", "mondays"),
    [
        (date(2026, 11, 23), [date(2026, 11, 23)]),  # Monday
        (date(2026, 11, 25), [date(2026, 11, 23)]),  # Wednesday
        (date(2026, 11, 26), [date(2026, 11, 23), date(2026, 11, 30)]),  # Thursday
        (date(2026, 11, 27), [date(2026, 11, 23), date(2026, 11, 30)]),  # Friday
        (date(2026, 11, 28), [date(2026, 11, 30)]),  # Saturday: the coming week
    ],
)
def test_from_thursday_the_demo_has_the_next_week_planned_too(
    today: date, mondays: list[date]
) -> None:
    assert weeks_planned(today) == mondays


def test_make_demo_starts_the_worker_with_options_db_worker_accepts() -> None:
    from django_tasks_db.management.commands.db_worker import Command

    from painrehab.demo.management.commands.demo import worker_command

    argv = worker_command()
    assert argv[1:4] == ["-m", "painrehab", "db_worker"]
    options = Command().create_parser("painrehab", "db_worker").parse_args(argv[4:])
    assert (options.queue_name, options.reload) == ("timetable", False)
