"""The validator catches each broken rule, and measures a valid timetable."""

from collections.abc import Callable
from dataclasses import replace

import pytest

from painrehab.domain.timetable.check import Rule, check
from painrehab.domain.timetable.problem import (
    Room,
    Session,
    Solution,
    Stats,
    Unscheduled,
)
from painrehab.domain.timetable.tests.builders import (
    DAY,
    DAY_2,
    booked,
    child,
    lunch,
    person,
    session_of,
    t,
    timetable,
    unit,
    with_previous,
)

PROBLEM = unit(
    staff=(
        person("pt-ana", cap=120),
        person("pt-bo", hours=(("08:00", "12:00"),)),
        person("pt-cy"),
        person("ot-cy", "OT"),
        person("ot-dee", "OT"),
    ),
    rooms=(
        Room("gym", ("PT", "GROUP_PT"), 3),
        Room("office", ("OT",), 1),
        Room("office-2", ("OT",), 1),
    ),
    patients=(
        child(
            "p-01",
            blocked=(lunch(),),
            max_therapy_minutes_per_day=180,
            max_consecutive_minutes=120,
            min_break_minutes=0,
        ),
        child("p-02"),
        child("p-03"),
    ),
    activities=(
        session_of(
            "p-01/PT",
            room_kinds=("PT",),
            window=(t("08:30"), t("12:00")),
            preferred_staff=("pt-ana",),
            preferred_window=(t("09:00"), t("10:00")),
            weight=3,
        ),
        session_of("p-01/OT", discipline="OT", per_day=2),
        session_of("p-02/PT", ("p-02",), room_kinds=("PT",)),
        session_of("p-02/OT", ("p-02",), "OT", room_kinds=("OT",)),
        session_of(
            "group-PT",
            ("p-01", "p-02", "p-03"),
            staff_required=2,
            room_kinds=("GROUP_PT",),
            weight=2,
        ),
    ),
)
GROUP = ("p-01", "p-02", "p-03")
SESSIONS = (
    booked("09:00", "p-01/PT", ("pt-ana",), "gym"),
    booked("10:00", "p-01/OT", ("ot-cy",), None),
    booked("09:00", "p-02/PT", ("pt-bo",), "gym", ("p-02",)),
    booked("10:00", "p-02/OT", ("ot-dee",), "office-2", ("p-02",)),
    booked("14:00", "group-PT", ("pt-ana", "pt-cy"), "gym", GROUP),
)
VALID = Solution(
    status=timetable().status,
    sessions=SESSIONS,
    unscheduled=(Unscheduled("p-01/OT", DAY, 1, "p-01 at the daily limit"),),
    stats=Stats(1.0, 720, 2000),
)


def _replace(index: int, **fields: object) -> Callable[[Solution], Solution]:
    def change(solution: Solution) -> Solution:
        sessions = list(solution.sessions)
        sessions[index] = replace(sessions[index], **fields)  # type: ignore[arg-type]
        return replace(solution, sessions=tuple(sessions))

    return change


def _add(session: Session) -> Callable[[Solution], Solution]:
    return lambda solution: replace(solution, sessions=(*solution.sessions, session))


def _moved(index: int, start: str) -> Callable[[Solution], Solution]:
    session = SESSIONS[index]
    length = session.end - session.start
    return _replace(index, start=t(start), end=t(start) + length)


BROKEN = [
    pytest.param(
        Rule.UNKNOWN_ACTIVITY, _replace(0, activity="nope"), id="unknown_activity_case"
    ),
    pytest.param(Rule.DAY, _replace(0, day=DAY_2), id="day_case"),
    pytest.param(
        Rule.GRID, _replace(0, start=t("09:05"), end=t("10:05")), id="grid_case"
    ),
    pytest.param(Rule.DURATION, _replace(0, end=t("09:45")), id="duration_case"),
    pytest.param(Rule.PATIENTS, _replace(0, patients=("p-02",)), id="patients_case"),
    pytest.param(
        Rule.STAFF_COUNT, _replace(4, staff=("pt-ana",)), id="staff_count_case"
    ),
    pytest.param(
        Rule.STAFF_COUNT,
        _replace(4, staff=("pt-ana", "pt-ana")),
        id="same_person_twice_case",
    ),
    pytest.param(
        Rule.STAFF_UNKNOWN, _replace(0, staff=("pt-zed",)), id="staff_unknown_case"
    ),
    pytest.param(
        Rule.STAFF_ELIGIBLE, _replace(0, staff=("ot-cy",)), id="staff_discipline_case"
    ),
    pytest.param(
        Rule.STAFF_AVAILABILITY, _moved(2, "12:00"), id="staff_availability_case"
    ),
    pytest.param(
        Rule.STAFF_OVERLAP, _replace(2, staff=("pt-ana",)), id="staff_overlap_case"
    ),
    pytest.param(
        Rule.STAFF_CAP,
        _add(booked("11:00", "p-02/PT", ("pt-ana",), "gym", ("p-02",))),
        id="staff_cap_case",
    ),
    pytest.param(Rule.ROOM_MISSING, _replace(0, room=None), id="room_missing_case"),
    pytest.param(Rule.ROOM_UNKNOWN, _replace(0, room="attic"), id="room_unknown_case"),
    pytest.param(Rule.ROOM_KIND, _replace(0, room="office"), id="room_kind_case"),
    pytest.param(
        Rule.ROOM_UNNEEDED, _replace(1, room="office"), id="room_unneeded_case"
    ),
    pytest.param(Rule.ROOM_CAPACITY, _moved(4, "09:00"), id="room_capacity_case"),
    pytest.param(
        Rule.PATIENT_UNKNOWN, _replace(2, patients=("p-99",)), id="patient_unknown_case"
    ),
    pytest.param(Rule.PATIENT_HOURS, _moved(2, "08:00"), id="patient_hours_case"),
    pytest.param(Rule.PATIENT_BLOCKED, _moved(1, "12:00"), id="patient_blocked_case"),
    pytest.param(Rule.PATIENT_OVERLAP, _moved(1, "09:30"), id="patient_overlap_case"),
    pytest.param(
        Rule.PATIENT_CAP,
        _add(booked("15:30", "p-01/OT", ("ot-cy",), None)),
        id="patient_cap_case",
    ),
    pytest.param(Rule.CONSECUTIVE, _moved(4, "11:00"), id="consecutive_case"),
    pytest.param(Rule.WINDOW, _moved(0, "15:00"), id="window_case"),
    pytest.param(
        Rule.PER_DAY,
        _add(booked("15:00", "p-02/PT", ("pt-cy",), "gym", ("p-02",))),
        id="per_day_case",
    ),
    pytest.param(
        Rule.UNSCHEDULED,
        lambda solution: replace(solution, unscheduled=()),
        id="unscheduled_case",
    ),
]


def test_a_valid_timetable_breaks_no_rule() -> None:
    report = check(PROBLEM, VALID)

    assert report.violations == ()
    assert report.ok


@pytest.mark.parametrize(("rule", "change"), BROKEN)
def test_catches_each_broken_rule(
    rule: Rule, change: Callable[[Solution], Solution]
) -> None:
    report = check(PROBLEM, change(VALID))

    assert rule in {violation.rule for violation in report.violations}
    assert not report.ok


def test_room_capacity_counts_every_patient_of_a_group() -> None:
    problem = replace(
        PROBLEM, rooms=(Room("gym", ("PT", "GROUP_PT"), 2), *PROBLEM.rooms[1:])
    )

    report = check(problem, VALID)

    assert [v.rule for v in report.violations] == [Rule.ROOM_CAPACITY]


def test_a_run_is_measured_from_first_start_to_last_end() -> None:
    # With a 30-minute break rule, a 15-minute gap does not end the run.
    problem = replace(
        PROBLEM,
        patients=(
            replace(PROBLEM.patients[0], min_break_minutes=30),
            *PROBLEM.patients[1:],
        ),
    )
    solution = _moved(1, "10:15")(VALID)  # 09:00-10:00 and 10:15-11:15: span 135

    report = check(problem, solution)

    assert [v.rule for v in report.violations] == [Rule.CONSECUTIVE]
    assert check(PROBLEM, solution).ok  # no break rule: the gap ends the run


def test_measures_weighted_minutes_per_patient_of_a_group() -> None:
    metrics = check(PROBLEM, VALID).metrics

    # 60*3 + 60 + 60 + 60 individual; the group: 60 minutes to 3 patients, weight 2.
    assert metrics.weighted_minutes == 180 + 60 + 60 + 60 + 360
    assert metrics.delivered_minutes == 60 * 4 + 180
    assert metrics.missing_occurrences == 1


def test_warns_when_stats_disagree_with_the_sessions() -> None:
    solution = replace(VALID, stats=Stats(1.0, 1, 0))

    report = check(PROBLEM, solution)

    assert report.ok
    assert len(report.warnings) == 2


def test_counts_continuity_with_preferred_and_usual_people() -> None:
    sessions = (
        booked("09:00", "p-01/PT", ("pt-bo",), "gym"),  # not the preferred pt-ana
        *SESSIONS[1:],
    )

    metrics = check(PROBLEM, replace(VALID, sessions=sessions)).metrics

    # p-01/PT (preferred, missed), p-01/OT, p-02/PT, p-02/OT (usual person = only one)
    assert (metrics.continuity, metrics.continuity_of) == (3, 4)
    assert (metrics.preferred_window, metrics.preferred_window_of) == (1, 1)


def test_counts_sessions_kept_from_previous() -> None:
    problem = with_previous(PROBLEM, VALID)
    moved = _moved(4, "15:00")(VALID)

    metrics = check(problem, moved).metrics

    assert (metrics.kept, metrics.previous) == (4, 5)
