"""``painrehab timetable solve|check|generate``: the command line, pure argparse.

``main(argv) -> int`` is the whole command; the Django management command only
forwards its arguments here. Exit codes: 0 done (``check``: no broken rule);
1 ``check`` found a broken rule (or a solution that breaks the format); 2 the
command could not run: bad arguments, an unreadable file, or a problem that breaks
the schema or contradicts itself (then ``solve`` still writes a solution with
status ``INFEASIBLE_INPUT`` that says why).
"""

import argparse
import json
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from painrehab.domain.timetable.check import check
from painrehab.domain.timetable.errors import FormatError, ProblemError, SolutionError
from painrehab.domain.timetable.formats import (
    load_problem,
    load_solution,
    problem_to_json,
    solution_to_json,
)
from painrehab.domain.timetable.generator import FIRST_MONDAY, generate
from painrehab.domain.timetable.problem import Solution, Stats, Status, Unscheduled
from painrehab.domain.timetable.solver import SolveOptions, solve

OK, BROKEN, UNUSABLE = 0, 1, 2


class _Unusable(Exception):
    def __init__(self, payload: dict[str, Any]) -> None:
        super().__init__(payload.get("message", ""))
        self.payload = payload


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="painrehab timetable",
        description="Solve, check and generate unit timetables "
        "(spec/timetable-format.md).",
    )
    commands = root.add_subparsers(dest="command", required=True)
    solve_cmd = commands.add_parser("solve", help="solve a problem")
    solve_cmd.add_argument("problem", type=Path)
    solve_cmd.add_argument("--out", type=Path, required=True)
    solve_cmd.add_argument("--time-limit", type=_positive, default=60.0)
    solve_cmd.add_argument("--workers", type=int, default=2)
    solve_cmd.add_argument("--seed", type=int, default=0)
    check_cmd = commands.add_parser("check", help="check a solution against a problem")
    check_cmd.add_argument("problem", type=Path)
    check_cmd.add_argument("solution", type=Path)
    gen_cmd = commands.add_parser("generate", help="write a realistic problem")
    gen_cmd.add_argument("--patients", type=int, required=True)
    gen_cmd.add_argument("--days", type=int, required=True)
    gen_cmd.add_argument("--seed", type=int, required=True)
    gen_cmd.add_argument("--first-day", type=date.fromisoformat, default=FIRST_MONDAY)
    gen_cmd.add_argument("--out", type=Path)
    return root


def _positive(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be positive")
    return value


def main(argv: list[str] | None = None) -> int:
    try:
        arguments = parser().parse_args(argv)
    except SystemExit as stop:  # argparse has written its message
        return int(stop.code or 0)
    try:
        if arguments.command == "solve":
            return _solve(arguments)
        if arguments.command == "check":
            return _check(arguments)
        return _generate(arguments)
    except _Unusable as refused:
        _write(sys.stderr, refused.payload)
        return UNUSABLE


def _write(stream: Any, payload: object) -> None:
    stream.write(json.dumps(payload, indent=2) + "\n")


def _read(path: Path, field: str) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise _Unusable(
            {"error": "unreadable_file", "field": field, "message": str(error)}
        ) from error
    except json.JSONDecodeError as error:
        raise _Unusable(
            {"error": "invalid_json", "field": field, "message": f"Not JSON: {error}"}
        ) from error


def _refusal(error: FormatError, field: str) -> dict[str, Any]:
    return {"error": f"invalid_{field}", "path": error.path, "message": str(error)}


def _solve(arguments: argparse.Namespace) -> int:
    document = _read(arguments.problem, "problem")
    try:
        problem = load_problem(document)
    except ProblemError as error:
        _save(arguments.out, rejected(document, error))
        raise _Unusable(_refusal(error, "problem")) from error
    options = SolveOptions(
        time_limit=arguments.time_limit,
        num_workers=arguments.workers,
        seed=arguments.seed,
    )
    solution = solve(problem, options).solution
    _save(arguments.out, solution)
    _write(
        sys.stdout,
        {
            "status": solution.status.value,
            "objective": solution.stats.objective,
            "bound": solution.stats.bound,
            "sessions": len(solution.sessions),
            "unscheduled": sum(u.count for u in solution.unscheduled),
            "solve_seconds": round(solution.stats.solve_seconds, 3),
        },
    )
    return OK


def _save(path: Path, solution: Solution) -> None:
    try:
        path.write_text(
            json.dumps(solution_to_json(solution), indent=1) + "\n", encoding="utf-8"
        )
    except OSError as error:
        raise _Unusable(
            {"error": "unwritable_file", "field": "out", "message": str(error)}
        ) from error


def rejected(document: object, error: ProblemError) -> Solution:
    """The ``INFEASIBLE_INPUT`` solution of a problem that was refused: every
    occurrence that can be read from the document is listed with the reason."""
    reason = f"problem rejected: {error}"
    unscheduled = []
    if isinstance(document, dict):
        days = [d for d in document.get("days", ()) if isinstance(d, str)]
        for activity in document.get("activities", ()) or ():
            if not isinstance(activity, dict) or not isinstance(
                activity.get("id"), str
            ):
                continue
            listed = activity.get("days", "*")
            per_day = activity.get("per_day", 1)
            count = per_day if isinstance(per_day, int) and per_day > 0 else 1
            for day in days:
                if listed == "*" or (isinstance(listed, list) and day in listed):
                    unscheduled.append(Unscheduled(activity["id"], day, count, reason))
    return Solution(
        Status.INFEASIBLE_INPUT, (), tuple(unscheduled), Stats(0.0, 0, None)
    )


def _check(arguments: argparse.Namespace) -> int:
    problem_doc = _read(arguments.problem, "problem")
    solution_doc = _read(arguments.solution, "solution")
    try:
        problem = load_problem(problem_doc)
    except ProblemError as error:
        raise _Unusable(_refusal(error, "problem")) from error
    try:
        solution = load_solution(solution_doc)
    except SolutionError as error:
        _write(
            sys.stdout,
            {
                "valid": False,
                "violations": [
                    {"rule": "format", "message": str(error), "session": None}
                ],
            },
        )
        return BROKEN
    report = check(problem, solution)
    _write(
        sys.stdout,
        {
            "valid": report.ok,
            "violations": [
                {"rule": v.rule.value, "message": v.message, "session": v.session}
                for v in report.violations
            ],
            "warnings": list(report.warnings),
            "metrics": asdict(report.metrics),
        },
    )
    return OK if report.ok else BROKEN


def _generate(arguments: argparse.Namespace) -> int:
    if arguments.patients < 1 or arguments.days < 1:
        raise _Unusable(
            {
                "error": "invalid_arguments",
                "message": "--patients and --days must be at least 1",
            }
        )
    problem = generate(
        arguments.patients, arguments.days, arguments.seed, arguments.first_day
    )
    text = json.dumps(problem_to_json(problem), indent=1) + "\n"
    if arguments.out is None:
        sys.stdout.write(text)
        return OK
    try:
        arguments.out.write_text(text, encoding="utf-8")
    except OSError as error:
        raise _Unusable(
            {"error": "unwritable_file", "field": "out", "message": str(error)}
        ) from error
    return OK
