"""Unit timetables: format, CP-SAT solver, coordinator baseline, validator, repair.

Pure Python, no Django (an import-linter contract). The exchange format is
spec/timetable-format.md, with its JSON Schemas shipped in ``schema/``; the model,
the readings of the format fixed here, and the benchmark are in docs/timetable.md.

Public API:

* ``load_problem(document) -> Problem`` (``ProblemError`` names the path),
  ``load_solution``, ``problem_to_json``, ``solution_to_json``;
* ``solve(problem, SolveOptions(...)) -> SolveResult`` (``.solution``); with
  ``problem.previous`` set it repairs, keeping what still fits;
* ``Problem.fixed`` (API only, not in the JSON): sessions already decided (locked,
  placed by hand, earlier in a day under way). ``solve`` and ``greedy`` return
  each exactly as given and build around it (its people, room and patients, caps
  and runs; one of its activity's ``per_day`` when the activity is in the problem
  and requested that day); ``check`` reports ``fixed-missing`` when one is absent
  or changed, and any rule a fixed session itself breaks;
* ``greedy(problem) -> Solution``: the coordinator baseline;
* ``check(problem, solution) -> Report``: every broken hard rule, and the metrics;
* ``generate(patients, days, seed) -> Problem``: realistic instances.
"""

from painrehab.domain.timetable.check import Report, Rule, Violation, check
from painrehab.domain.timetable.errors import FormatError, ProblemError, SolutionError
from painrehab.domain.timetable.formats import (
    load_problem,
    load_solution,
    problem_to_json,
    solution_to_json,
)
from painrehab.domain.timetable.generator import generate
from painrehab.domain.timetable.greedy import greedy
from painrehab.domain.timetable.metrics import Metrics
from painrehab.domain.timetable.problem import (
    Activity,
    Block,
    Kind,
    Patient,
    Problem,
    Room,
    Session,
    Solution,
    Staff,
    Stats,
    Status,
    Unscheduled,
)
from painrehab.domain.timetable.solver import SolveOptions, SolveResult, solve

__all__ = [
    "Activity",
    "Block",
    "FormatError",
    "Kind",
    "Metrics",
    "Patient",
    "Problem",
    "ProblemError",
    "Report",
    "Room",
    "Rule",
    "Session",
    "Solution",
    "SolutionError",
    "SolveOptions",
    "SolveResult",
    "Staff",
    "Stats",
    "Status",
    "Unscheduled",
    "Violation",
    "check",
    "generate",
    "greedy",
    "load_problem",
    "load_solution",
    "problem_to_json",
    "solution_to_json",
    "solve",
]
