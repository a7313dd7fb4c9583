"""The coordinator baseline: valid by construction, template-minded, never clever."""

from painrehab.domain.timetable.check import check
from painrehab.domain.timetable.generator import generate
from painrehab.domain.timetable.greedy import greedy
from painrehab.domain.timetable.problem import Room
from painrehab.domain.timetable.tests.builders import child, person, session_of, t, unit


def test_is_valid_on_a_generated_week() -> None:
    problem = generate(12, 5, seed=7)

    report = check(problem, greedy(problem))

    assert report.ok
    assert 0.5 < report.metrics.delivered_share < 1.0


def test_places_a_group_at_its_template_time_first() -> None:
    problem = unit(
        rooms=(Room("gym", ("GROUP_PT",), 8),),
        patients=(child("p-01"), child("p-02")),
        activities=(
            session_of("p-01/PT", preferred_window=(t("14:00"), t("15:00"))),
            session_of(
                "group-PT",
                ("p-01", "p-02"),
                room_kinds=("GROUP_PT",),
                preferred_window=(t("14:00"), t("15:00")),
            ),
        ),
    )

    sessions = {s.activity: s for s in greedy(problem).sessions}

    assert sessions["group-PT"].start == t("14:00")
    assert sessions["p-01/PT"].start == t(
        "15:00"
    )  # first fit after its preferred start


def test_never_moves_what_it_placed_so_it_can_miss_what_a_solver_finds() -> None:
    # p-01 takes 09:00 with the only PT; p-02 could only come at 09:00. A solver
    # would swap them; the coordinator, in bed order, does not.
    problem = unit(
        staff=(person(hours=(("09:00", "11:00"),)),),
        patients=(child("p-01"), child("p-02", latest=t("10:00"))),
        activities=(session_of("p-01/PT"), session_of("p-02/PT", ("p-02",))),
    )

    solution = greedy(problem)

    assert [s.activity for s in solution.sessions] == ["p-01/PT"]
    assert solution.unscheduled[0].reason.startswith("at each of the 1 possible starts")
