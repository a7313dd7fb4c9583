"""Repair: after a change, keep every earlier session that still fits."""

from dataclasses import replace

from painrehab.domain.timetable.check import check
from painrehab.domain.timetable.greedy import greedy
from painrehab.domain.timetable.problem import Problem, Session
from painrehab.domain.timetable.tests.builders import (
    DAY,
    DAY_2,
    booked,
    child,
    person,
    session_of,
    solved,
    unit,
)

PATIENTS = ("p-01", "p-02", "p-03", "p-04")
BOTH_DAYS = (DAY, DAY_2)


def _unit(pt_1_hours: tuple[tuple[str, str], ...] = (("08:00", "17:00"),)) -> Problem:
    """Four children with PT and OT; pt-1 works ``pt_1_hours`` on the first day."""
    pt_1 = person("pt-1", days=BOTH_DAYS)
    shift = tuple((a, b) for a, b in pt_1.availability[1][1])
    first = tuple(person("pt-1", hours=pt_1_hours).availability)
    return unit(
        staff=(
            replace(pt_1, availability=(*first, (DAY_2, shift))),
            person("pt-2", days=BOTH_DAYS),
            person("ot-1", "OT", days=BOTH_DAYS),
        ),
        patients=tuple(child(p) for p in PATIENTS),
        activities=tuple(
            session_of(f"{p}/{d}", (p,), d) for p in PATIENTS for d in ("PT", "OT")
        ),
        days=BOTH_DAYS,
    )


def _plan(day: str) -> tuple[Session, ...]:
    """pt-1 sees p-01 and p-02 at 10:00 and 11:00; everything else elsewhere."""
    return (
        booked("10:00", "p-01/PT", ("pt-1",), day=day),
        booked("11:00", "p-02/PT", ("pt-1",), patients=("p-02",), day=day),
        booked("10:00", "p-03/PT", ("pt-2",), patients=("p-03",), day=day),
        booked("11:00", "p-04/PT", ("pt-2",), patients=("p-04",), day=day),
        *(
            booked(start, f"{p}/OT", ("ot-1",), patients=(p,), day=day)
            for p, start in zip(
                PATIENTS, ("13:00", "14:00", "15:00", "16:00"), strict=True
            )
        ),
    )


PREVIOUS = _plan(DAY) + _plan(DAY_2)
ABSENT_FROM_TEN = replace(_unit((("08:00", "10:00"),)), previous=PREVIOUS)


def test_the_plan_before_the_change_is_valid() -> None:
    plan = replace(_unit(), previous=None)

    assert check(plan, replace(greedy(plan), sessions=PREVIOUS, unscheduled=())).ok


def test_keeps_every_session_that_did_not_involve_the_absent_therapist() -> None:
    solution = solved(ABSENT_FROM_TEN).solution
    report = check(ABSENT_FROM_TEN, solution)

    assert report.ok
    untouched = [s for s in PREVIOUS if s.day == DAY_2 or "pt-1" not in s.staff]
    assert set(untouched) <= set(solution.sessions)
    assert report.metrics.kept == len(untouched) == 14


def test_moves_the_absent_therapists_sessions_instead_of_dropping_them() -> None:
    solution = solved(ABSENT_FROM_TEN).solution

    moved = [
        s
        for s in solution.sessions
        if s.day == DAY and s.activity in ("p-01/PT", "p-02/PT")
    ]
    assert len(moved) == 2
    assert all(
        (s.start < 10 * 60 and s.end <= 10 * 60) or "pt-1" not in s.staff for s in moved
    )
    assert solution.unscheduled == ()


def test_a_day_the_change_does_not_touch_stays_as_it_was() -> None:
    solution = solved(ABSENT_FROM_TEN).solution

    assert {s for s in solution.sessions if s.day == DAY_2} == set(_plan(DAY_2))


def test_forgets_earlier_sessions_of_people_no_longer_on_the_unit() -> None:
    problem = replace(
        ABSENT_FROM_TEN, previous=(*PREVIOUS, booked("15:00", staff=("pt-9",)))
    )

    solution = solved(problem).solution

    assert check(problem, solution).ok


def test_the_coordinator_baseline_also_keeps_what_still_fits() -> None:
    solution = greedy(ABSENT_FROM_TEN)
    report = check(ABSENT_FROM_TEN, solution)

    assert report.ok
    assert report.metrics.kept == 14
