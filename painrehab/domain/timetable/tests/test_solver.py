"""The solver on tiny instances whose best timetable can be worked out by hand.

Every solution is also run through the independent validator.
"""

from dataclasses import replace

from painrehab.domain.timetable.check import check
from painrehab.domain.timetable.problem import (
    Block,
    Problem,
    Room,
    Session,
    Solution,
    Status,
)
from painrehab.domain.timetable.solver import SolveOptions, solve
from painrehab.domain.timetable.tests.builders import (
    DAY,
    DAY_2,
    child,
    lunch,
    person,
    session_of,
    solved,
    t,
    unit,
)


def valid(problem: Problem) -> Solution:
    solution = solved(problem).solution
    report = check(problem, solution)
    assert report.violations == ()
    assert report.warnings == ()
    return solution


def only(solution: Solution, activity: str) -> Session:
    [session] = [s for s in solution.sessions if s.activity == activity]
    return session


def test_schedules_one_session_and_proves_it_optimal() -> None:
    solution = valid(unit())

    assert solution.status is Status.OPTIMAL
    assert solution.stats.objective == solution.stats.bound == 60
    assert only(solution, "p-01/PT").staff == ("pt-ana",)


def test_uses_staff_only_when_available() -> None:
    problem = unit(staff=(person(hours=(("10:00", "11:00"),)),))

    session = only(valid(problem), "p-01/PT")

    assert (session.start, session.end) == (t("10:00"), t("11:00"))


def test_uses_staff_of_the_right_discipline_and_explains_when_there_is_none() -> None:
    problem = unit(staff=(person("ot-1", "OT"),))

    solution = valid(problem)

    assert solution.sessions == ()
    [left] = solution.unscheduled
    assert (left.activity, left.day, left.count) == ("p-01/PT", DAY, 1)
    assert left.reason == "no PT staff"


def test_explains_a_day_the_discipline_is_away() -> None:
    problem = unit(staff=(person(days=(DAY_2,)),), days=(DAY, DAY_2))

    solution = valid(problem)

    assert [s.day for s in solution.sessions] == [DAY_2]
    assert solution.unscheduled[0].reason == f"no PT staff available on {DAY}"


def test_keeps_the_patient_out_of_blocks_and_inside_the_day() -> None:
    problem = unit(
        staff=(person(hours=(("07:00", "09:30"), ("11:30", "14:00"))),),
        patients=(child(earliest=t("08:30"), blocked=(lunch(),)),),
    )

    session = only(valid(problem), "p-01/PT")

    # 08:30-09:30 or 13:00-14:00: never before 08:30, never over lunch.
    assert (session.start, session.end) in {
        (t("08:30"), t("09:30")),
        (t("13:00"), t("14:00")),
    }


def test_explains_when_the_patient_has_no_free_time() -> None:
    blocked = (Block("*", t("08:30"), t("16:30"), "Clinic"),)
    problem = unit(patients=(child(blocked=blocked),))

    solution = valid(problem)

    assert solution.unscheduled[0].reason == "p-01 has no 60 free minutes"


def test_keeps_a_hard_window() -> None:
    problem = unit(activities=(session_of(window=(t("15:00"), t("16:30"))),))

    session = only(valid(problem), "p-01/PT")

    assert t("15:00") <= session.start and session.end <= t("16:30")


def test_respects_the_patients_daily_limit_keeping_the_heavier_session() -> None:
    problem = unit(
        staff=(person(), person("psy-1", "PSY")),
        patients=(child(max_therapy_minutes_per_day=60),),
        activities=(
            session_of("p-01/PT", weight=3),
            session_of("p-01/PSY", discipline="PSY", weight=4),
        ),
    )

    solution = valid(problem)

    assert [s.activity for s in solution.sessions] == ["p-01/PSY"]
    assert solution.unscheduled[0].reason == (
        "p-01 already has 60 of 60 therapy minutes that day"
    )


def test_respects_a_staff_members_daily_limit() -> None:
    problem = unit(
        staff=(person(cap=60),),
        patients=(child("p-01"), child("p-02")),
        activities=(session_of("p-01/PT"), session_of("p-02/PT", ("p-02",), weight=2)),
    )

    solution = valid(problem)

    assert [s.activity for s in solution.sessions] == ["p-02/PT"]


def test_never_double_books_a_therapist() -> None:
    problem = unit(
        staff=(person(hours=(("09:00", "11:00"),)),),
        patients=(child("p-01"), child("p-02")),
        activities=(session_of("p-01/PT"), session_of("p-02/PT", ("p-02",))),
    )

    solution = valid(problem)

    assert sorted(s.start for s in solution.sessions) == [t("09:00"), t("10:00")]


def test_breaks_a_run_longer_than_the_limit() -> None:
    # 195 free minutes, three 60-minute sessions, at most 120 minutes in a row.
    problem = unit(
        staff=(person(), person("ot-1", "OT"), person("psy-1", "PSY")),
        patients=(
            child(
                earliest=t("09:00"),
                latest=t("12:15"),
                max_consecutive_minutes=120,
                min_break_minutes=0,
            ),
        ),
        activities=(
            session_of("p-01/PT"),
            session_of("p-01/OT", discipline="OT"),
            session_of("p-01/PSY", discipline="PSY"),
        ),
    )

    solution = valid(problem)

    assert len(solution.sessions) == 3
    starts = sorted(s.start for s in solution.sessions)
    assert starts in (
        [t("09:00"), t("10:00"), t("11:15")],
        [t("09:00"), t("10:15"), t("11:15")],
    )


def test_a_break_shorter_than_the_minimum_does_not_end_a_run() -> None:
    # At most 120 minutes in a row, and a break must last 30 minutes: the third
    # session cannot follow 15 minutes after the second.
    problem = unit(
        staff=(person(), person("ot-1", "OT"), person("psy-1", "PSY")),
        patients=(
            child(
                earliest=t("09:00"),
                latest=t("12:15"),
                max_consecutive_minutes=120,
                min_break_minutes=30,
            ),
        ),
        activities=(
            session_of("p-01/PT"),
            session_of("p-01/OT", discipline="OT"),
            session_of("p-01/PSY", discipline="PSY", weight=2),
        ),
    )

    solution = valid(problem)

    assert len(solution.sessions) == 2
    assert "p-01/PSY" in {s.activity for s in solution.sessions}


def test_holds_a_group_when_all_its_patients_are_free() -> None:
    problem = unit(
        staff=(person(),),
        rooms=(Room("gym", ("GROUP_PT",), 3),),
        patients=(
            child("p-01", blocked=(Block("*", t("08:30"), t("14:00"), "School"),)),
            child("p-02"),
            child("p-03", blocked=(Block(DAY, t("15:00"), t("17:00"), "Clinic"),)),
        ),
        activities=(
            session_of("group-PT", ("p-01", "p-02", "p-03"), room_kinds=("GROUP_PT",)),
        ),
    )

    solution = valid(problem)

    session = only(solution, "group-PT")
    assert (session.start, session.end) == (t("14:00"), t("15:00"))
    assert session.patients == ("p-01", "p-02", "p-03")
    assert session.room == "gym"
    assert solution.stats.objective == 3 * 60


def test_a_group_needs_a_room_with_space_for_everyone() -> None:
    problem = unit(
        rooms=(Room("office", ("GROUP_PT",), 2),),
        patients=(child("p-01"), child("p-02"), child("p-03")),
        activities=(
            session_of("group-PT", ("p-01", "p-02", "p-03"), room_kinds=("GROUP_PT",)),
        ),
    )

    solution = valid(problem)

    assert solution.sessions == ()
    assert solution.unscheduled[0].reason == "no GROUP_PT room holds 3 patients"


def test_a_group_gets_as_many_staff_as_it_requires() -> None:
    problem = unit(
        staff=(
            person("pt-1"),
            person("pt-2"),
            person("pt-3", hours=(("08:00", "09:00"),)),
        ),
        patients=(child("p-01"), child("p-02")),
        activities=(session_of("group-PT", ("p-01", "p-02"), staff_required=2),),
    )

    session = only(valid(problem), "group-PT")

    assert len(set(session.staff)) == 2


def test_shares_a_room_up_to_its_capacity() -> None:
    patients = tuple(child(f"p-0{n}") for n in (1, 2, 3))
    activities = tuple(
        session_of(f"{p.id}/PT", (p.id,), room_kinds=("PT",)) for p in patients
    )
    staff = tuple(person(f"pt-{n}", hours=(("09:00", "10:00"),)) for n in (1, 2, 3))
    small = unit(staff, patients, activities, rooms=(Room("gym", ("PT",), 2),))
    large = replace(small, rooms=(Room("gym", ("PT",), 3),))

    assert len(valid(small).sessions) == 2
    assert len(valid(large).sessions) == 3


def test_places_every_session_of_a_day_without_overlap() -> None:
    problem = unit(activities=(session_of(minutes=30, per_day=3),))

    solution = valid(problem)

    assert len(solution.sessions) == 3


def test_prefers_the_preferred_person_and_time() -> None:
    problem = unit(
        staff=(person("pt-1"), person("pt-2")),
        activities=(
            session_of(
                preferred_staff=("pt-2",),
                preferred_window=(t("11:00"), t("12:00")),
            ),
        ),
    )

    session = only(valid(problem), "p-01/PT")

    assert session.staff == ("pt-2",)
    assert (session.start, session.end) == (t("11:00"), t("12:00"))


def test_keeps_the_same_person_across_days() -> None:
    problem = unit(
        staff=(person("pt-1", days=(DAY, DAY_2)), person("pt-2", days=(DAY, DAY_2))),
        days=(DAY, DAY_2),
    )

    solution = valid(problem)

    assert len({s.staff for s in solution.sessions}) == 1
    assert check(problem, solution).metrics.continuity_share == 1.0


def test_delivers_the_heavier_session_when_not_everything_fits() -> None:
    problem = unit(
        staff=(person(hours=(("09:00", "10:00"),)),),
        patients=(child("p-01"), child("p-02")),
        activities=(
            session_of("p-01/PT", weight=1),
            session_of("p-02/PT", ("p-02",), weight=3),
        ),
    )

    solution = valid(problem)

    assert [s.activity for s in solution.sessions] == ["p-02/PT"]
    assert solution.stats.bound == 180


def test_bound_is_never_below_what_is_delivered() -> None:
    problem = unit(
        staff=(person(hours=(("09:00", "11:00"),)),),
        patients=(child("p-01"), child("p-02"), child("p-03")),
        activities=tuple(
            session_of(f"{p}/PT", (p,), weight=w)
            for p, w in (("p-01", 1), ("p-02", 2), ("p-03", 3))
        ),
    )

    result = solve(problem, SolveOptions(time_limit=2.0))

    assert result.solution.stats.bound is not None
    assert (
        result.solution.stats.objective
        <= result.solution.stats.bound
        <= result.lp_bound
    )
    assert result.solution.stats.objective == 2 * 60 + 3 * 60


PHASED = SolveOptions(time_limit=6.0, num_workers=2, seed=1, phased_from=0.0)


def test_a_day_searched_in_phases_keeps_the_whole_order() -> None:
    """Minutes first, then person and time: the preferred ones still win, and
    both phases proven optimal make the day optimal."""
    problem = unit(
        staff=(person("pt-1"), person("pt-2", hours=(("08:00", "12:00"),))),
        patients=(child("p-01"), child("p-02")),
        activities=(
            session_of(
                preferred_staff=("pt-2",),
                preferred_window=(t("11:00"), t("12:00")),
            ),
            session_of("p-02/PT", ("p-02",), weight=2, window=(t("11:00"), t("12:00"))),
        ),
    )
    messages: list[str] = []

    result = solve(problem, replace(PHASED, log=messages.append))

    solution = result.solution
    assert check(problem, solution).violations == ()
    assert len(messages) == 3  # minutes, people at those times, the whole order
    assert solution.status is Status.OPTIMAL
    assert solution.stats.objective == solution.stats.bound == 180
    mine = only(solution, "p-01/PT")
    assert mine.staff == ("pt-2",)  # p-02 then has pt-1 at 11:00
    assert (mine.start, mine.end) == (t("11:00"), t("12:00"))


def test_a_day_searched_in_phases_reaches_the_heavier_timetable() -> None:
    problem = unit(
        staff=(person(hours=(("09:00", "11:00"),)),),
        patients=(child("p-01"), child("p-02"), child("p-03")),
        activities=tuple(
            session_of(f"{p}/PT", (p,), weight=w)
            for p, w in (("p-01", 1), ("p-02", 2), ("p-03", 3))
        ),
    )

    result = solve(problem, PHASED)

    assert check(problem, result.solution).violations == ()
    assert result.solution.stats.objective == 2 * 60 + 3 * 60
    assert result.days[0].status == "OPTIMAL"
