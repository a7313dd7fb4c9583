"""``painrehab timetable``: exit codes 0, 1 and 2, and JSON on every path."""

import json
from pathlib import Path
from typing import Any

import pytest

from painrehab.domain.timetable import cli
from painrehab.domain.timetable.formats import problem_to_json

from .builders import unit

EXAMPLE = Path(__file__).parent / "fixtures" / "unit-4-patients-1-day.json"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, json.loads(out) if out.strip() else None, err


def test_generate_solve_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    problem, solution = tmp_path / "p.json", tmp_path / "s.json"

    assert (
        run(
            capsys,
            "generate",
            "--patients",
            "3",
            "--days",
            "1",
            "--seed",
            "2",
            "--out",
            str(problem),
        )[0]
        == 0
    )
    code, summary, _ = run(
        capsys, "solve", str(problem), "--out", str(solution), "--time-limit", "3"
    )
    assert code == 0
    assert summary["status"] in ("OPTIMAL", "FEASIBLE")
    code, report, _ = run(capsys, "check", str(problem), str(solution))

    assert code == 0
    assert report["valid"] is True
    assert report["metrics"]["weighted_minutes"] == summary["objective"]


def test_generate_writes_the_problem_to_stdout(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, document, _ = run(
        capsys, "generate", "--patients", "2", "--days", "2", "--seed", "1"
    )

    assert code == 0
    assert document["format"] == "painrehab-timetable/1"
    assert len(document["days"]) == 2


def test_check_exits_1_naming_each_broken_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    solution = tmp_path / "s.json"
    run(capsys, "solve", str(EXAMPLE), "--out", str(solution), "--time-limit", "2")
    document = json.loads(solution.read_text())
    document["sessions"][0]["start"] = "12:05"
    solution.write_text(json.dumps(document))

    code, report, _ = run(capsys, "check", str(EXAMPLE), str(solution))

    assert code == 1
    assert report["valid"] is False
    assert {"grid", "duration"} <= {v["rule"] for v in report["violations"]}


def test_check_exits_1_on_a_solution_that_breaks_the_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    solution = tmp_path / "s.json"
    solution.write_text(json.dumps({"format": "painrehab-timetable-solution/1"}))

    code, report, _ = run(capsys, "check", str(EXAMPLE), str(solution))

    assert code == 1
    assert report["violations"][0]["rule"] == "format"


def test_solve_refuses_a_contradictory_problem_and_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = problem_to_json(unit())
    document["activities"][0]["window"] = ["09:00", "09:30"]
    problem, solution = tmp_path / "p.json", tmp_path / "s.json"
    problem.write_text(json.dumps(document))

    code, _, err = run(capsys, "solve", str(problem), "--out", str(solution))

    assert code == 2
    assert json.loads(err)["path"] == "activities[0].window"
    written = json.loads(solution.read_text())
    assert written["status"] == "INFEASIBLE_INPUT"
    assert written["unscheduled"][0]["reason"].startswith(
        "problem rejected: activities[0].window"
    )


@pytest.mark.parametrize(
    ("argv", "error"),
    [
        pytest.param(
            ("solve", "missing.json", "--out", "x.json"),
            "unreadable_file",
            id="missing_file_case",
        ),
        pytest.param(
            ("check", "missing.json", "x.json"),
            "unreadable_file",
            id="check_missing_case",
        ),
        pytest.param(
            ("generate", "--patients", "0", "--days", "1", "--seed", "1"),
            "invalid_arguments",
            id="no_patients_case",
        ),
    ],
)
def test_exits_2_when_it_cannot_run(
    argv: tuple[str, ...],
    error: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)

    code, _, err = run(capsys, *argv)

    assert code == 2
    assert json.loads(err)["error"] == error


def test_exits_2_on_text_that_is_not_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    problem = tmp_path / "p.json"
    problem.write_text("{not json")

    code, _, err = run(capsys, "check", str(problem), str(problem))

    assert code == 2
    assert json.loads(err)["error"] == "invalid_json"


def test_exits_2_on_bad_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["solve", "p.json", "--time-limit", "-1", "--out", "s.json"]) == 2
    assert cli.main(["plan"]) == 2
    assert "usage" in capsys.readouterr().err
