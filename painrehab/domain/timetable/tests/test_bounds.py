"""The LP bound: above every timetable, and tight where the answer is obvious."""

import pytest

from painrehab.domain.timetable.bounds import day_bound
from painrehab.domain.timetable.check import check
from painrehab.domain.timetable.generator import generate
from painrehab.domain.timetable.greedy import greedy
from painrehab.domain.timetable.occurrences import expand
from painrehab.domain.timetable.tests.builders import child, person, session_of, unit


def test_is_exact_when_everything_fits() -> None:
    problem = unit()

    assert day_bound(problem, expand(problem, problem.days[0])) == 60


def test_counts_one_therapist_for_one_hour() -> None:
    problem = unit(
        staff=(person(hours=(("09:00", "10:00"),)),),
        patients=(child("p-01"), child("p-02")),
        activities=(
            session_of("p-01/PT", weight=1),
            session_of("p-02/PT", ("p-02",), weight=3),
        ),
    )

    assert day_bound(problem, expand(problem, problem.days[0])) == 180


@pytest.mark.parametrize("seed", [pytest.param(s, id=f"seed_{s}_case") for s in (1, 2)])
def test_is_above_the_baseline_on_generated_days(seed: int) -> None:
    problem = generate(8, 2, seed=seed)

    bound = sum(day_bound(problem, expand(problem, day)) for day in problem.days)

    assert check(problem, greedy(problem)).metrics.weighted_minutes <= bound
