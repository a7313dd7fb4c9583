"""Generated problems: the program's day, staffing and varied prescriptions."""

from collections import Counter

import pytest

from painrehab.domain.timetable.formats import load_problem, problem_to_json
from painrehab.domain.timetable.generator import DAY_TEMPLATE, generate, weekdays
from painrehab.domain.timetable.problem import Kind, minutes_of


def test_is_the_same_for_the_same_seed_and_differs_between_seeds() -> None:
    assert generate(12, 5, seed=3) == generate(12, 5, seed=3)
    assert generate(12, 5, seed=3) != generate(12, 5, seed=4)


def test_a_week_is_monday_to_friday() -> None:
    assert weekdays(6) == (
        "2026-12-07",
        "2026-12-08",
        "2026-12-09",
        "2026-12-10",
        "2026-12-11",
        "2026-12-14",
    )


@pytest.mark.parametrize(
    "size", [pytest.param(n, id=f"{n}_patients_case") for n in (1, 12, 48)]
)
def test_passes_the_schema_and_the_contradiction_checks(size: int) -> None:
    problem = generate(size, 5, seed=1)

    assert load_problem(problem_to_json(problem)) == problem
    assert len(problem.patients) == size


def test_follows_the_sample_day() -> None:
    problem = generate(12, 5, seed=2)
    patient = problem.patients[0]

    labels = {block.label for block in patient.blocked}
    assert {"Lunch", "School", "Family time"} <= labels
    assert (patient.earliest, patient.latest) == (
        minutes_of("08:30"),
        minutes_of("17:00"),
    )
    groups = {
        a.id.rsplit("-", 2)[0] for a in problem.activities if a.kind is Kind.GROUP
    }
    assert groups == {s.key for s in DAY_TEMPLATE if s.kind is Kind.GROUP}


def test_prescriptions_vary_like_real_children() -> None:
    problem = generate(24, 5, seed=5)
    individual = [a for a in problem.activities if a.kind is Kind.INDIVIDUAL]

    shapes = Counter((a.discipline, a.minutes, a.per_day) for a in individual)
    disciplines = {a.discipline for a in individual}
    assert disciplines == {"PT", "OT", "PSY", "ACU", "REC", "SW"}
    assert len(shapes) >= 8
    assert all(a.preferred_staff for a in individual)
    assert all(a.id.count("/") == 2 for a in individual)
    assert {p.max_therapy_minutes_per_day for p in problem.patients} > {420}


def test_staffs_the_unit_in_proportion() -> None:
    small = Counter(s.discipline for s in generate(12, 5, seed=1).staff)
    large = Counter(s.discipline for s in generate(48, 5, seed=1).staff)

    assert small["PT"] == 3 and large["PT"] == 12
    assert set(small) == {"PT", "OT", "PSY", "ACU", "REC", "CL", "SW"}
