"""Reading and writing the exchange format; refusals name the path."""

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from painrehab.domain.timetable.errors import ProblemError, SolutionError
from painrehab.domain.timetable.formats import (
    load_problem,
    load_solution,
    problem_to_json,
    schema,
    solution_to_json,
)
from painrehab.domain.timetable.generator import generate
from painrehab.domain.timetable.greedy import greedy
from painrehab.domain.timetable.problem import Kind, Status

EXAMPLE = Path(__file__).parent / "fixtures" / "unit-4-patients-1-day.json"


def example() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return document


def test_reads_the_spec_example() -> None:
    problem = load_problem(example())

    assert problem.slot_minutes == 15
    assert len(problem.patients) == 4
    group = problem.activity_by_id["group-PT-1"]
    assert group.kind is Kind.GROUP
    assert group.preferred_window == (14 * 60, 15 * 60)
    assert problem.activity_by_id["p-01/PT"].days is None  # "*"


def test_a_problem_survives_a_round_trip() -> None:
    problem = load_problem(example())

    assert load_problem(problem_to_json(problem)) == problem


def test_generated_problems_match_the_schema() -> None:
    document = problem_to_json(generate(6, 2, seed=4))

    assert load_problem(document).days == ("2026-12-07", "2026-12-08")


def test_a_solution_survives_a_round_trip() -> None:
    problem = load_problem(example())
    solution = greedy(problem)

    document = solution_to_json(solution)

    assert document["format"] == "painrehab-timetable-solution/1"
    loaded = load_solution(json.loads(json.dumps(document)))
    assert loaded.sessions == solution.sessions
    assert loaded.unscheduled == solution.unscheduled
    assert loaded.stats.objective == solution.stats.objective
    assert loaded.stats.solve_seconds == round(solution.stats.solve_seconds, 3)


def test_ships_both_schemas() -> None:
    assert schema("problem")["properties"]["format"]["const"] == "painrehab-timetable/1"
    assert schema("solution")["additionalProperties"] is False


def _broken(path: list[Any], value: Any) -> dict[str, Any]:
    document = copy.deepcopy(example())
    target = document
    for part in path[:-1]:
        target = target[part]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return document


SCHEMA_BREAKS = [
    pytest.param(
        ["activities", 2, "colour"],
        "red",
        "activities[2].colour",
        id="unknown_key_case",
    ),
    pytest.param(
        ["activities", 0, "minutes"],
        "60",
        "activities[0].minutes",
        id="wrong_type_case",
    ),
    pytest.param(
        ["staff", 1, "discipline"], KeyError, "staff[1]", id="missing_key_case"
    ),
    pytest.param(
        ["patients", 0, "earliest"], "8:30", "patients[0].earliest", id="bad_time_case"
    ),
    pytest.param(["days", 0], "07/12/2026", "days[0]", id="bad_date_case"),
    pytest.param(
        ["activities", 0, "kind"], "pair", "activities[0].kind", id="bad_enum_case"
    ),
    pytest.param(
        ["format"], "painrehab-timetable/2", "format", id="wrong_version_case"
    ),
    pytest.param(
        ["rooms", 0, "capacity"], 0, "rooms[0].capacity", id="no_capacity_case"
    ),
]


@pytest.mark.parametrize(("path", "value", "named"), SCHEMA_BREAKS)
def test_refuses_what_breaks_the_schema_naming_the_path(
    path: list[Any], value: Any, named: str
) -> None:
    with pytest.raises(ProblemError) as refused:
        load_problem(_broken(path, value))

    assert refused.value.path == named


CONTRADICTIONS = [
    pytest.param(["staff", 1, "id"], "pt-1", "staff[1].id", id="duplicate_id_case"),
    pytest.param(
        ["activities", 0, "patients"],
        ["p-09"],
        "activities[0].patients[0]",
        id="unknown_patient_case",
    ),
    pytest.param(
        ["activities", 0, "patients"],
        ["p-01", "p-02"],
        "activities[0].patients",
        id="individual_for_two_case",
    ),
    pytest.param(
        ["activities", 0, "window"],
        ["09:00", "09:30"],
        "activities[0].window",
        id="window_too_short_case",
    ),
    pytest.param(
        ["activities", 0, "window"],
        ["10:00", "09:00"],
        "activities[0].window",
        id="reversed_window_case",
    ),
    pytest.param(
        ["activities", 0, "days"],
        ["2026-12-09"],
        "activities[0].days[0]",
        id="day_outside_case",
    ),
    pytest.param(
        ["activities", 0, "preferred_staff"],
        ["ot-9"],
        "activities[0].preferred_staff[0]",
        id="unknown_staff_case",
    ),
    pytest.param(
        ["activities", 1, "staff_required"],
        2,
        "activities[1].staff_required",
        id="too_few_staff_case",
    ),
    pytest.param(
        ["staff", 0, "availability", "2026-12-07"],
        [["08:00", "12:00"], ["11:00", "16:00"]],
        "staff[0].availability.2026-12-07[1]",
        id="overlapping_availability_case",
    ),
    pytest.param(
        ["patients", 0, "latest"],
        "08:00",
        "patients[0].latest",
        id="day_ends_before_it_starts_case",
    ),
    pytest.param(
        ["patients", 1, "blocked", 2, "day"],
        "2026-12-31",
        "patients[1].blocked[2].day",
        id="block_outside_case",
    ),
    pytest.param(["days", 0], "2026-02-30", "days[0]", id="impossible_date_case"),
]


@pytest.mark.parametrize(("path", "value", "named"), CONTRADICTIONS)
def test_refuses_a_contradictory_problem_naming_the_path(
    path: list[Any], value: Any, named: str
) -> None:
    with pytest.raises(ProblemError) as refused:
        load_problem(_broken(path, value))

    assert refused.value.path == named
    assert str(refused.value).startswith(named)


def test_refuses_a_solution_that_breaks_its_schema() -> None:
    document = solution_to_json(greedy(load_problem(example())))
    document["sessions"][0]["therapist"] = "x"

    with pytest.raises(SolutionError) as refused:
        load_solution(document)

    assert refused.value.path == "sessions[0].therapist"


def test_writes_every_status() -> None:
    assert {s.value for s in Status} == set(
        schema("solution")["properties"]["status"]["enum"]
    )
