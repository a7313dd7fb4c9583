"""Fixed sessions (``Problem.fixed``): already decided, never moved, and counted
like any other session. Tiny instances, each worked out by hand."""

from dataclasses import replace

import pytest

from painrehab.domain.timetable.check import Rule, check
from painrehab.domain.timetable.formats import load_problem, problem_to_json
from painrehab.domain.timetable.greedy import greedy
from painrehab.domain.timetable.problem import (
    Problem,
    Room,
    Session,
    Solution,
    Staff,
    Unscheduled,
)
from painrehab.domain.timetable.solver import SolveOptions
from painrehab.domain.timetable.tests.builders import (
    DAY,
    DAY_2,
    FAST,
    booked,
    child,
    person,
    session_of,
    solved,
    t,
    timetable,
    unit,
)

GYM = Room("gym", ("PT",), 1)


def solve_valid(problem: Problem, options: SolveOptions = FAST) -> Solution:
    """The solver's timetable: every fixed session in it, nothing broken, and the
    model's own answer (not the baseline it falls back on when the re-check fails)."""
    messages: list[str] = []
    solution = solved(problem, replace(options, log=messages.append)).solution
    assert not [m for m in messages if "re-check" in m]
    report = check(problem, solution)
    assert report.violations == ()
    assert report.warnings == ()
    assert set(problem.fixed) <= set(solution.sessions)
    return solution


def of(solution: Solution, activity: str) -> list[Session]:
    return [s for s in solution.sessions if s.activity == activity]


def left(solution: Solution, activity: str) -> int:
    return sum(u.count for u in solution.unscheduled if u.activity == activity)


def _two_children(staff: tuple[Staff, ...] = ()) -> Problem:
    """p-01 and p-02 each need an hour of PT with pt-ana; p-02 only 10:00-11:00."""
    return unit(
        patients=(child("p-01"), child("p-02")),
        activities=(
            session_of("p-01/PT"),
            session_of("p-02/PT", ("p-02",), window=(t("10:00"), t("11:00"))),
        ),
        staff=staff,
    )


FIXED_AT_TEN = booked("10:00")  # p-01/PT with pt-ana, 10:00-11:00


def test_a_fixed_session_stays_though_moving_it_would_gain_minutes() -> None:
    free = solve_valid(_two_children())
    assert free.stats.objective == 120  # without it both children get their hour

    problem = replace(_two_children(), fixed=(FIXED_AT_TEN,))
    solution = solve_valid(problem)

    assert of(solution, "p-01/PT") == [FIXED_AT_TEN]
    assert of(solution, "p-02/PT") == []
    assert left(solution, "p-02/PT") == 1
    assert solution.stats.objective == 60 <= (solution.stats.bound or 0)


def test_a_fixed_session_keeps_its_person_from_others() -> None:
    problem = replace(_two_children(), fixed=(FIXED_AT_TEN,))

    [reason] = [u.reason for u in solve_valid(problem).unscheduled]

    assert "no PT staff free" in reason


def test_a_fixed_session_keeps_its_room_from_others() -> None:
    visit = booked("09:00", "p-02/visit", ("ot-1",), "gym", ("p-02",))
    problem = unit(
        staff=(person(), person("ot-1", "OT")),
        patients=(child("p-01"), child("p-02")),
        rooms=(GYM,),
        activities=(
            session_of(
                "p-01/PT",
                room_kinds=("PT",),
                window=(t("09:00"), t("11:00")),
                preferred_window=(t("09:00"), t("10:00")),
            ),
        ),
        fixed=(visit,),
    )

    solution = solve_valid(problem)

    [session] = of(solution, "p-01/PT")
    assert (session.start, session.room) == (t("10:00"), "gym")
    assert solution.stats.objective == 60  # the one-off counts for nothing


def test_a_fixed_session_keeps_its_patient_from_others() -> None:
    visit = Session(DAY, t("10:00"), t("11:00"), "p-01/clinic", (), None, ("p-01",))
    problem = unit(
        activities=(
            session_of(
                window=(t("10:00"), t("12:00")),
                preferred_window=(t("10:00"), t("11:00")),
            ),
        ),
        fixed=(visit,),
    )

    solution = solve_valid(problem)

    assert [s.start for s in of(solution, "p-01/PT")] == [t("11:00")]


def test_a_fixed_session_is_one_of_its_activitys_sessions_that_day() -> None:
    twice = session_of(per_day=2)
    problem = unit(activities=(twice,), fixed=(FIXED_AT_TEN,))

    solution = solve_valid(problem)

    assert len(of(solution, "p-01/PT")) == 2
    assert FIXED_AT_TEN in solution.sessions
    assert solution.unscheduled == ()
    once = solve_valid(replace(problem, activities=(session_of(),)))
    assert once.sessions == (FIXED_AT_TEN,)
    assert once.unscheduled == ()
    assert once.stats.objective == once.stats.bound == 60


def test_the_patients_daily_limit_counts_a_fixed_session() -> None:
    problem = unit(
        patients=(child(max_therapy_minutes_per_day=90),),
        staff=(person(), person("ot-1", "OT")),
        activities=(session_of(), session_of("p-01/OT", discipline="OT")),
        fixed=(FIXED_AT_TEN,),
    )

    solution = solve_valid(problem)

    assert of(solution, "p-01/OT") == []
    [reason] = [u.reason for u in solution.unscheduled]
    assert reason == "p-01 already has 60 of 90 therapy minutes that day"


def test_a_run_counts_a_fixed_session() -> None:
    problem = unit(
        patients=(child(max_consecutive_minutes=90),),
        staff=(person(), person("ot-1", "OT")),
        activities=(
            session_of(),
            session_of("p-01/OT", discipline="OT", window=(t("09:00"), t("11:30"))),
        ),
        fixed=(FIXED_AT_TEN,),
    )

    solution = solve_valid(problem)

    # The only start clear of 10:00-11:00 is 09:00, which makes a 120-minute run.
    assert of(solution, "p-01/OT") == []
    [reason] = [u.reason for u in solution.unscheduled]
    assert "too many minutes in a row" in reason


def test_a_staff_members_daily_limit_counts_a_fixed_session() -> None:
    problem = replace(
        _two_children(staff=(person(cap=90),)),
        activities=(session_of("p-01/PT"), session_of("p-02/PT", ("p-02",))),
        fixed=(FIXED_AT_TEN,),
    )

    solution = solve_valid(problem)

    assert of(solution, "p-02/PT") == []


def test_the_baseline_keeps_fixed_sessions() -> None:
    problem = replace(_two_children(), fixed=(FIXED_AT_TEN,))

    solution = greedy(problem)

    assert check(problem, solution).violations == ()
    assert of(solution, "p-01/PT") == [FIXED_AT_TEN]
    assert solution.stats.objective == 60


def test_a_fixed_session_that_breaks_a_rule_is_kept_and_reported() -> None:
    absent = booked("10:00", staff=("pt-bo",))  # pt-bo works 13:00-17:00
    problem = unit(
        staff=(person(), person("pt-bo", hours=(("13:00", "17:00"),))),
        patients=(child("p-01"), child("p-02")),
        activities=(session_of(), session_of("p-02/PT", ("p-02",))),
        fixed=(absent,),
    )

    for solution in (solved(problem).solution, greedy(problem)):
        report = check(problem, solution)
        assert absent in solution.sessions
        assert [v.rule for v in report.violations] == [Rule.STAFF_AVAILABILITY]
        assert len(of(solution, "p-02/PT")) == 1
        assert report.warnings == ()


def test_fixed_sessions_that_overlap_are_kept_and_the_rest_still_placed() -> None:
    clinic = Session(DAY, t("10:30"), t("11:30"), "clinic", (), None, ("p-01",))
    problem = unit(
        patients=(child("p-01", max_therapy_minutes_per_day=60), child("p-02")),
        activities=(session_of(), session_of("p-02/PT", ("p-02",))),
        fixed=(FIXED_AT_TEN, clinic),
    )

    solution = solved(problem).solution

    rules = {v.rule for v in check(problem, solution).violations}
    assert rules == {Rule.PATIENT_OVERLAP, Rule.PATIENT_CAP}
    assert {FIXED_AT_TEN, clinic} <= set(solution.sessions)
    assert len(of(solution, "p-02/PT")) == 1
    assert solution.stats.objective <= (solution.stats.bound or 0)


def _repair_unit() -> Problem:
    """Two PTs, two children; the earlier plan had pt-1 with both, and pt-1 is
    now away from 10:00. p-02's 11:00 session is fixed (the coordinator locked it
    although pt-1 is gone: trusted)."""
    patients = ("p-01", "p-02")
    return unit(
        staff=(person("pt-1", hours=(("08:00", "10:00"),)), person("pt-2")),
        patients=tuple(child(p) for p in patients),
        activities=tuple(session_of(f"{p}/PT", (p,)) for p in patients),
        previous=(
            booked("10:00", "p-01/PT", ("pt-1",)),
            booked("11:00", "p-02/PT", ("pt-2",), patients=("p-02",)),
        ),
    )


def test_repair_keeps_fixed_sessions() -> None:
    locked = booked("10:00", "p-02/PT", ("pt-2",), patients=("p-02",))
    problem = replace(_repair_unit(), fixed=(locked,))

    solution = solve_valid(problem)

    assert of(solution, "p-02/PT") == [locked]
    assert len(of(solution, "p-01/PT")) == 1
    assert solution.unscheduled == ()


def test_an_earlier_session_that_is_fixed_is_simply_kept() -> None:
    problem = _repair_unit()
    locked = problem.previous[1] if problem.previous else FIXED_AT_TEN
    problem = replace(problem, fixed=(locked,))

    solution = solve_valid(problem)

    assert solution.sessions.count(locked) == 1
    assert check(problem, solution).metrics.kept == 1


def test_large_days_solved_by_parts_keep_fixed_sessions() -> None:
    patients = ("p-01", "p-02", "p-03", "p-04")
    fixed = (
        booked("10:00", "p-01/PT", ("pt-1",)),
        booked("08:30", "p-03/PT", ("pt-2",), patients=("p-03",)),
        Session(DAY, t("09:00"), t("10:00"), "visit", (), None, ("p-04",)),
    )
    problem = unit(
        staff=(person("pt-1"), person("pt-2")),
        patients=tuple(child(p, max_consecutive_minutes=60) for p in patients),
        activities=tuple(session_of(f"{p}/PT", (p,), per_day=2) for p in patients),
        fixed=fixed,
    )
    options = replace(FAST, time_limit=3.0, whole_day_patients=2, part_patients=2)

    result = solved(problem, options)
    solution = result.solution

    assert check(problem, solution).violations == ()
    assert set(fixed) <= set(solution.sessions)
    assert result.days[0].status == "PARTS"
    assert len(solution.sessions) == 9  # two each and the visit; none at 09:00 p-04
    assert all(
        not (s.start < t("10:00") and t("09:00") < s.end)
        for s in of(solution, "p-04/PT")
    )


def test_fixed_sessions_on_a_day_outside_the_problem_stay() -> None:
    elsewhere = booked("10:00", day=DAY_2)
    problem = unit(fixed=(elsewhere,))

    solution = solved(problem).solution

    assert elsewhere in solution.sessions
    assert elsewhere in greedy(problem).sessions
    assert solution.stats.objective == 120 <= (solution.stats.bound or 0)
    rules = {v.rule for v in check(problem, solution).violations}
    assert rules == {Rule.DAY, Rule.STAFF_AVAILABILITY}  # pt-ana works on DAY only


@pytest.mark.parametrize(
    "given",
    [
        booked("11:00", room="gym"),
        booked("10:00", staff=("pt-bo",), room="gym"),
        booked("10:00", room="gym-2"),
        None,
    ],
    ids=["moved", "other person", "other room", "missing"],
)
def test_check_reports_a_fixed_session_missing_or_changed(
    given: Session | None,
) -> None:
    problem = unit(
        staff=(person(), person("pt-bo")),
        rooms=(GYM, replace(GYM, id="gym-2")),
        activities=(session_of(room_kinds=("PT",)),),
        fixed=(booked("10:00", room="gym"),),
    )
    solution = timetable(*([given] if given else []))
    if given is None:
        missing = Unscheduled("p-01/PT", DAY, 1, "not placed")
        solution = replace(solution, unscheduled=(missing,))

    report = check(problem, solution)

    assert [v.rule for v in report.violations] == [Rule.FIXED_MISSING]
    assert check(problem, timetable(*problem.fixed)).violations == ()


def test_fixed_sessions_are_not_part_of_the_exchange_format() -> None:
    problem = unit(fixed=(FIXED_AT_TEN,))

    document = problem_to_json(problem)

    assert "fixed" not in document
    assert load_problem(document) == replace(problem, fixed=())
