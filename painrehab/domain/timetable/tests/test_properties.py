"""Properties on random small problems (hypothesis): every timetable the solver or
the baseline returns passes the independent validator, the reported bound is
never below what is delivered, and fixed sessions always come back unchanged."""

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from painrehab.domain.timetable.check import check
from painrehab.domain.timetable.formats import load_problem, problem_to_json
from painrehab.domain.timetable.greedy import greedy
from painrehab.domain.timetable.problem import (
    Activity,
    Block,
    Kind,
    Patient,
    Problem,
    Room,
    Staff,
)
from painrehab.domain.timetable.solver import SolveOptions, solve

DAYS = ("2026-12-07", "2026-12-08")
DISCIPLINES = ("PT", "OT")
KINDS = ("PT", "OT", "GROUP")


def _clock(draw: st.DrawFn, low: int, high: int) -> int:
    return draw(st.integers(low // 15, high // 15)) * 15


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    days = DAYS[: draw(st.integers(1, 2))]
    staff = []
    for number in range(draw(st.integers(1, 4))):
        availability = []
        for day in days:
            if draw(st.booleans()) or number == 0:
                start = _clock(draw, 8 * 60, 12 * 60)
                end = _clock(draw, start + 60, 17 * 60)
                availability.append((day, ((start, end),)))
        cap = draw(st.one_of(st.none(), st.integers(30, 300)))
        staff.append(
            Staff(
                f"s-{number}",
                draw(st.sampled_from(DISCIPLINES)),
                tuple(availability),
                cap,
            )
        )
    rooms = tuple(
        Room(
            f"r-{n}",
            tuple(draw(st.sets(st.sampled_from(KINDS), min_size=1))),
            draw(st.integers(1, 3)),
        )
        for n in range(draw(st.integers(0, 2)))
    )
    patients = tuple(
        draw(_patient(f"p-{n}", days)) for n in range(draw(st.integers(1, 4)))
    )
    activities = []
    for number in range(draw(st.integers(1, 6))):
        activity = draw(_activity(number, patients, staff, days))
        if activity is not None:
            activities.append(activity)
    problem = Problem(15, days, tuple(staff), rooms, patients, tuple(activities))
    return load_problem(
        problem_to_json(problem)
    )  # the strategy stays inside the format


@st.composite
def _patient(draw: st.DrawFn, patient_id: str, days: tuple[str, ...]) -> Patient:
    blocks = []
    for _ in range(draw(st.integers(0, 2))):
        start = _clock(draw, 9 * 60, 15 * 60)
        blocks.append(
            Block(
                draw(st.sampled_from(("*", *days))),
                start,
                start + draw(st.sampled_from((15, 30, 60))),
            )
        )
    return Patient(
        id=patient_id,
        blocked=tuple(blocks),
        earliest=_clock(draw, 8 * 60, 9 * 60),
        latest=_clock(draw, 15 * 60, 17 * 60),
        max_therapy_minutes_per_day=draw(st.one_of(st.none(), st.integers(30, 240))),
        max_consecutive_minutes=draw(st.one_of(st.none(), st.integers(30, 150))),
        min_break_minutes=draw(
            st.one_of(st.none(), st.sampled_from((0, 10, 15, 30, 45)))
        ),
    )


@st.composite
def _activity(
    draw: st.DrawFn,
    number: int,
    patients: tuple[Patient, ...],
    staff: list[Staff],
    days: tuple[str, ...],
) -> Activity | None:
    discipline = draw(st.sampled_from(DISCIPLINES))
    able = [s.id for s in staff if s.discipline == discipline]
    if not able:
        return None
    group = len(patients) > 1 and draw(st.booleans())
    members = (
        tuple(
            draw(
                st.lists(
                    st.sampled_from([p.id for p in patients]), min_size=2, unique=True
                )
            )
        )
        if group
        else (draw(st.sampled_from([p.id for p in patients])),)
    )
    minutes = draw(st.sampled_from((15, 30, 45, 50, 60, 90)))
    window = None
    if draw(st.booleans()):
        start = _clock(draw, 8 * 60, 14 * 60)
        window = (start, start + minutes + _clock(draw, 0, 180))
    return Activity(
        id=f"a-{number}",
        kind=Kind.GROUP if group else Kind.INDIVIDUAL,
        patients=members,
        discipline=discipline,
        minutes=minutes,
        per_day=draw(st.integers(1, 2)),
        days=None
        if draw(st.booleans())
        else tuple(draw(st.lists(st.sampled_from(days), min_size=1, unique=True))),
        staff_required=draw(st.integers(1, len(able))) if group else 1,
        room_kinds=tuple(draw(st.sets(st.sampled_from(KINDS), max_size=2))),
        window=window,
        preferred_staff=tuple(draw(st.sets(st.sampled_from(able), max_size=1))),
        preferred_window=window,
        weight=draw(st.integers(0, 4)),
    )


FAST = SolveOptions(time_limit=1.0, num_workers=2, seed=0)
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


@SETTINGS
@given(problem=problems(), phased=st.booleans())
def test_every_solver_timetable_passes_the_validator(
    problem: Problem, phased: bool
) -> None:
    options = replace(FAST, phased_from=0.0) if phased else FAST
    solution = solve(problem, options).solution

    report = check(problem, solution)

    assert report.violations == ()
    assert solution.stats.bound is not None
    assert (
        report.metrics.weighted_minutes
        == solution.stats.objective
        <= solution.stats.bound
    )


@SETTINGS
@given(problem=problems(), data=st.data())
def test_every_repair_passes_the_validator(
    problem: Problem, data: st.DataObject
) -> None:
    before = solve(problem, FAST).solution
    away = data.draw(st.sampled_from(problem.staff))
    day = data.draw(st.sampled_from(problem.days))
    staff = tuple(
        replace(s, availability=tuple((d, i) for d, i in s.availability if d != day))
        if s is away
        else s
        for s in problem.staff
    )
    changed = replace(problem, staff=staff, previous=before.sessions)

    solution = solve(changed, FAST).solution

    report = check(changed, solution)
    assert report.violations == ()
    untouched = [s for s in before.sessions if s.day != day]
    assert set(untouched) <= set(solution.sessions)


@SETTINGS
@given(problem=problems())
def test_the_solver_never_delivers_less_than_the_baseline(problem: Problem) -> None:
    baseline = greedy(problem)

    assert check(problem, baseline).violations == ()
    assert solve(problem, FAST).solution.stats.objective >= baseline.stats.objective


@SETTINGS
@given(problem=problems(), data=st.data())
def test_fixed_sessions_always_come_back_unchanged(
    problem: Problem, data: st.DataObject
) -> None:
    earlier = solve(problem, FAST).solution.sessions
    fixed = (
        tuple(sorted(data.draw(st.sets(st.sampled_from(earlier))))) if earlier else ()
    )
    repair = data.draw(st.booleans())
    by_parts = data.draw(st.booleans())
    changed = replace(problem, fixed=fixed, previous=earlier if repair else None)
    options = replace(FAST, whole_day_patients=2, part_patients=2) if by_parts else FAST
    if data.draw(st.booleans()):
        options = replace(options, phased_from=0.0)  # the phased search

    for solution in (solve(changed, options).solution, greedy(changed)):
        report = check(changed, solution)
        assert report.violations == ()
        assert report.warnings == ()
        assert set(fixed) <= set(solution.sessions)
