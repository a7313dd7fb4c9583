"""One child's trajectory: the series, the journey's markers, the change in words,
and the Trajectory tab that shows them (painrehab/outcomes/trajectory.py and
views/trajectory.py)."""

import datetime as dt
import math
from dataclasses import replace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from painrehab.accounts.choices import Role
from painrehab.audit.actions import ActionType, AuditAction, DataCategory
from painrehab.audit.models import AuditEvent
from painrehab.common.testing import sign_in
from painrehab.domain import outcomes as metrics
from painrehab.episodes.choices import FollowUpStatus
from painrehab.episodes.services import follow_up_record
from painrehab.instruments.choices import TimePoint
from painrehab.instruments.models import MeasureKind
from painrehab.notes.tests.support import (
    confidential_note,
    psychotherapy_note,
)
from painrehab.outcomes import change as change_module
from painrehab.outcomes import trajectory
from painrehab.outcomes.change import Point
from painrehab.outcomes.instruments import spec
from painrehab.outcomes.tests import trajectory_support as build
from painrehab.outcomes.trajectory import trajectory_build
from painrehab.patients.tests.factories import PatientFactory
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db
CANARY = "CANARY-trajectory-5b1d-confidential"


def _series(found: trajectory.Trajectory, code: str) -> trajectory.InstrumentSeries:
    return next(
        s for panel in found.panels for s in panel.instruments if s.code == code
    )


def _panel(found: trajectory.Trajectory, key: str) -> trajectory.Panel:
    return next(p for p in found.panels if p.key == key)


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def _url(patient_id: int) -> str:
    return reverse("outcomes:trajectory", args=[patient_id])


# --- The series ----------------------------------------------------------------


def test_every_outcome_instrument_has_a_panel() -> None:
    from painrehab.outcomes.instruments import outcome_codes

    assert sorted(trajectory.PANEL_CODES) == sorted(outcome_codes())


def test_fdi_values_and_the_reliable_change_from_the_program_sd() -> None:
    """RCI (Jacobson & Truax): SD of the program's admission FDI-C (30, 15, 45) is 15;
    S_diff = sqrt(2) * 15 * sqrt(1 - r); 30 -> 0 gives RCI = -30 / S_diff."""
    episode = build.admitted()
    for other in (1, 3):  # two other children's admission FDI-C: 15 and 45
        peer = build.admitted()
        build.answer(peer, "FDI-C", other, on=build.admission_day(peer))
    build.answer(episode, "FDI-C", 2, on=build.admission_day(episode))
    build.answer(
        episode,
        "FDI-C",
        1,
        on=build.days_ago(10),
        time_point=TimePoint.WEEKLY,
        index=2,
    )
    episode = build.discharge(episode)
    build.answer(episode, "FDI-C", 0, on=build.today(), time_point=TimePoint.DISCHARGE)
    reliability = spec("FDI-C").reliability
    assert reliability is not None, "FDI-C needs a published reliability here"

    series = _series(trajectory_build(patient=episode.patient), "FDI-C")

    assert [p.value for p in series.points] == [30.0, 15.0, 0.0]
    assert [p.label for p in series.points] == ["Admission", "Weekly 2", "Discharge"]
    assert (series.low, series.high) == (0.0, 60.0)
    assert series.bands[0].label == "No/minimal disability"
    change = series.change
    assert change is not None
    s_diff = math.sqrt(2) * 15.0 * math.sqrt(1 - reliability.r)
    assert change.sd_pre == pytest.approx(15.0)
    assert change.sd_n == 3
    assert change.rci == pytest.approx(-30 / s_diff)
    assert change.reliable is True
    assert (change.change, change.percent, change.improvement) == (-30, -100, 30)
    rci = change_module.signed(change.rci)
    assert series.words.startswith(
        "Functional Disability Inventory, child report went from 30 at admission"
    )
    assert "to 0 at discharge" in series.words
    assert "-30 points, -100%, an improvement (lower is better)" in series.words
    assert f"A reliable change: RCI {rci}, beyond ±1.96" in series.words
    assert f"reliability {change_module.num(reliability.r, 2)} from" in series.words
    assert "SD 15 of 3 admission values in the program" in series.words
    assert "No published threshold of meaningful change." in series.words


def test_nrs_6_to_4_is_a_meaningful_improvement() -> None:
    """Hirschfeld/Zernikow (J Pain 2014): 1 point or 12.5%; 6 -> 4 is -2, -33.3%."""
    episode = build.admitted()
    build.answer(episode, "NRS", 6, on=build.admission_day(episode))
    episode = build.discharge(episode)
    build.answer(episode, "NRS", 4, on=build.today(), time_point=TimePoint.DISCHARGE)

    series = _series(trajectory_build(patient=episode.patient), "NRS")

    change = series.change
    assert change is not None
    assert change.change == -2
    assert change.percent == pytest.approx(-100 / 3)
    assert change.meaningful is True
    assert change.meaningful_worsening is False
    assert "-2 points, -33.3%, an improvement" in series.words
    assert "A meaningful improvement (threshold 1 point or 12.5%;" in series.words
    assert "Reliable change not assessed: no published reliability" in series.words


def test_nrs_4_to_6_is_a_meaningful_worsening() -> None:
    episode = build.admitted()
    build.answer(episode, "NRS", 4, on=build.admission_day(episode))
    build.answer(
        episode, "NRS", 6, on=build.today(), time_point=TimePoint.WEEKLY, index=3
    )

    series = _series(trajectory_build(patient=episode.patient), "NRS")

    assert series.change is not None
    assert series.change.meaningful is False
    assert series.change.meaningful_worsening is True
    assert "+2 points, +50%, a worsening" in series.words
    assert "A meaningful worsening" in series.words


def test_without_discharge_the_latest_value_is_compared_with_admission() -> None:
    episode = build.admitted()
    build.answer(episode, "FDI-C", 2, on=build.admission_day(episode))
    build.answer(
        episode, "FDI-C", 1, on=build.today(), time_point=TimePoint.WEEKLY, index=3
    )

    series = _series(trajectory_build(patient=episode.patient), "FDI-C")

    assert series.change is not None
    assert series.change.post_is_discharge is False
    assert "to 15 at the latest administration (Weekly 3," in series.words
    assert "do not give an SD yet (fewer than two, or all the same)" in series.words


def test_a_single_value_or_no_admission_value_says_so() -> None:
    episode = build.admitted()
    build.answer(episode, "PCS-P", 1, on=build.admission_day(episode))
    build.answer(episode, "FOPQ-C-SF", 2, on=build.today(), time_point=TimePoint.WEEKLY)

    found = trajectory_build(patient=episode.patient)

    assert _series(found, "PCS-P").change is None
    assert "only the admission value so far (13 on" in _series(found, "PCS-P").words
    assert "no admission value, so no change is reported" in (
        _series(found, "FOPQ-C-SF").words
    )


def test_t_scores_without_program_values_use_sd_10_by_definition() -> None:
    """Jacobson & Truax with SD 10 (T metric) and r 0.9: S_diff = sqrt(2) * 10 *
    sqrt(0.1) = 4.472; 60 -> 52 gives RCI -1.789 (not reliable), and -8 T-points
    passes the 3-point threshold (Thissen 2016)."""
    outcome = replace(
        spec("PROMIS-PED-PAININT-8A"),
        reliability=metrics.Reliability(r=0.9, source="a test source", verified=False),
    )
    pre = Point(build.days_ago(20), 60.0, "Admission")
    post = Point(build.today(), 52.0, "Discharge")

    change = change_module.change_of(
        outcome, on_t=True, pre=pre, post=post, post_is_discharge=True, program=None
    )
    words = change_module.change_words(outcome, change, on_t=True)

    assert change.sd_by_definition is True
    assert change.rci == pytest.approx(-8 / (math.sqrt(2) * 10 * math.sqrt(0.1)))
    assert change.reliable is False
    assert change.meaningful is True
    assert "-8 T-score points" in words
    assert "Not a reliable change: RCI -1.8, within ±1.96" in words
    assert "a test source, source not confirmed" in words
    assert "SD 10, the T-score's SD by definition" in words
    assert "A meaningful improvement (threshold 3 T-score points;" in words


def test_raw_promis_sums_get_no_t_point_threshold() -> None:
    episode = build.admitted()
    build.answer(episode, "PROMIS-PED-PAININT-8A", 3, on=build.admission_day(episode))
    build.answer(
        episode, "PROMIS-PED-PAININT-8A", 1, on=build.today(), time_point="weekly"
    )

    series = _series(trajectory_build(patient=episode.patient), "PROMIS-PED-PAININT-8A")

    assert series.on_t is False
    assert (series.low, series.high) == (0.0, 32.0)
    assert "No published threshold for raw sums" in series.words


def test_markers_are_admission_discharge_and_completed_follow_ups() -> None:
    episode = build.admitted(days=40)
    episode = build.discharge(episode, on=build.days_ago(10))
    first, *later = episode.follow_ups.order_by("months_after")
    follow_up_record(
        follow_up=first,
        by=journey.coordinator(),
        status=FollowUpStatus.COMPLETED,
        completed_on=build.today(),
    )
    follow_up_record(
        follow_up=later[0], by=journey.coordinator(), status=FollowUpStatus.MISSED
    )

    found = trajectory_build(patient=episode.patient)

    assert [(m.kind, m.on) for m in found.markers] == [
        ("admission", build.days_ago(40)),
        ("discharge", build.days_ago(10)),
        ("follow_up", build.today()),
    ]
    assert found.markers[2].label == f"{first.months_after}-month follow-up"


def test_daily_check_ins_give_each_day_and_each_weeks_mean() -> None:
    episode = build.admitted(days=20)
    monday = build.days_ago(14 + build.today().weekday())
    for offset, pain in ((0, 8), (1, 6), (2, 7), (7, 3), (8, 4)):
        build.check_in(episode, monday + _days(offset), pain=pain)

    pain = _panel(trajectory_build(patient=episode.patient), "pain").daily[0]

    assert [p.value for p in pain.days] == [8, 6, 7, 3, 4]
    assert [(w.week_of, w.mean, w.days, w.low, w.high) for w in pain.weeks] == [
        (monday, 7.0, 3, 6.0, 8.0),
        (monday + _days(7), 3.5, 2, 3.0, 4.0),
    ]
    assert "the first week's mean was 7 and the last week's 3.5" in pain.words
    assert "(a change of -3.5; lower is better)" in pain.words


def test_attendance_measures_goals_and_body_map() -> None:
    episode = build.admitted()
    start = build.admission_day(episode)
    build.measure(episode, start, MeasureKind.SCHOOL_ATTENDANCE, "1", 5)
    build.measure(episode, build.days_ago(1), MeasureKind.SCHOOL_ATTENDANCE, "4", 5)
    build.measure(episode, start, MeasureKind.TIMED_UP_AND_GO, "12.5")
    build.measure(episode, build.days_ago(1), MeasureKind.TIMED_UP_AND_GO, "8")
    goal = build.goals(episode)[0]
    build.review(goal, start, -2)
    build.review(goal, build.days_ago(2), 1)
    build.body_map(episode, start, ["front.left_knee", "back.lower_back"])
    build.body_map(episode, build.days_ago(5), ["front.head"])
    build.body_map(episode, build.days_ago(1), ["front.left_knee", "front.right_foot"])
    episode = build.discharge(episode, on=build.days_ago(1))
    build.body_map(episode, build.today(), ["front.chest"])  # after discharge

    found = trajectory_build(patient=episode.patient)

    assert [(a.attended, a.offered, a.percent) for a in found.attendance] == [
        (1.0, 5, 20.0),
        (4.0, 5, 80.0),
    ]
    assert "from 1 of 5 days (20%)" in found.attendance_words
    assert "to 4 of 5 days (80%)" in found.attendance_words
    (tug,) = found.measures
    assert [p.value for p in tug.points] == [12.5, 8.0]
    assert "(-4.5 s), an improvement (lower is better)" in tug.words
    (line,) = found.goals
    assert [(r.on, r.score) for r in line.reviews] == [
        (start, -2),
        (build.days_ago(2), 1),
    ]
    body = found.body_map
    assert body is not None
    assert body.admission.codes == {"front.left_knee", "back.lower_back"}
    assert body.discharge is not None and body.at_discharge
    assert body.discharge.codes == {"front.left_knee", "front.right_foot"}
    assert body.resolved == ("Lower back (back)",)
    assert body.new == ("Right foot (front)",)
    assert "No longer marked: Lower back (back)." in body.words


def test_a_child_without_an_episode_has_an_empty_trajectory() -> None:
    found = trajectory_build(patient=PatientFactory())

    assert found.episode_id is None
    assert found.span is None
    assert not any(p.has_data for p in found.panels)
    assert found.shown == []


# --- The page ------------------------------------------------------------------


@pytest.fixture
def rich() -> build.Episode:
    """A discharged child with a little of everything."""
    episode = build.admitted()
    start = build.admission_day(episode)
    build.answer(episode, "FDI-C", 2, on=start)
    build.answer(episode, "NRS", 6, on=start)
    build.check_in(episode, start, pain=7)
    build.check_in(episode, build.days_ago(1), pain=3)
    build.measure(episode, start, MeasureKind.SIX_MINUTE_WALK, "320")
    build.measure(episode, start, MeasureKind.SCHOOL_ATTENDANCE, "2", 5)
    build.review(build.goals(episode)[0], start, -1, note=f"Review: {CANARY}")
    build.body_map(episode, start, ["front.left_knee"])
    episode = build.discharge(episode)
    build.answer(episode, "FDI-C", 0, on=build.today(), time_point=TimePoint.DISCHARGE)
    build.answer(episode, "NRS", 4, on=build.today(), time_point=TimePoint.DISCHARGE)
    return episode


def test_the_page_shows_charts_tables_and_words_and_is_audited(
    rich: build.Episode,
) -> None:
    user = build.on_team(rich)
    client = sign_in(Client(), user)

    response = client.get(_url(rich.patient_id))

    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        'id="chart-fdi-c-title"',
        'id="chart-nrs-desc"',
        'id="chart-pain-now-title"',
        'id="chart-attendance-title"',
        'id="chart-six-minute-walk-title"',
        'id="chart-goals-title"',
        "trajectory-bodymap-admission-title",
        "A meaningful improvement (threshold 1 point or 12.5%",
        "to 0 at discharge",
        "<caption>FDI-C: each value (Total; lower is better)</caption>",
        "School attendance: 2 of 5 days (40%) on",
        "Nothing recorded yet for fear and catastrophizing in this episode.",
    ):
        assert text in page, text
    assert ' style="' not in page  # the page's CSP allows no inline style
    event = AuditEvent.objects.get(action=AuditAction.TRAJECTORY_VIEWED)
    assert event.actor_id == user.pk
    assert event.patient_id == rich.patient_id
    assert event.data_category == DataCategory.OUTCOMES
    assert event.action_type == ActionType.READ
    assert event.changes["shown"] == [
        "function",
        "pain",
        "sleep",
        "attendance",
        "measures",
        "goals",
        "body_map",
    ]


def test_the_page_says_plainly_when_there_is_nothing(client: Client) -> None:
    episode = build.admitted()
    sign_in(client, build.on_team(episode))

    page = client.get(_url(episode.patient_id)).content.decode()

    assert "Nothing recorded yet for function in this episode." in page
    assert "No school attendance recorded yet in this episode." in page
    assert "No clinician measure recorded yet in this episode." in page
    assert "No goal has been reviewed yet in this episode." in page
    assert "No body map recorded yet in this episode." in page
    assert "trajectory-svg" not in page


def test_a_child_with_no_episode_has_a_plain_page(client: Client) -> None:
    patient = PatientFactory()
    sign_in(client, build.staff(Role.COORDINATOR))

    response = client.get(_url(patient.pk))

    assert response.status_code == 200
    assert "This child has no episode yet" in response.content.decode()


def test_psychotherapy_confidential_and_review_notes_never_appear(
    rich: build.Episode,
) -> None:
    psychologist = build.on_team(rich, Role.PSYCHOLOGIST)
    psychotherapy_note(rich.patient, psychologist, f"Session: {CANARY}")
    confidential_note(rich.patient, psychologist, CANARY)
    client = sign_in(Client(), psychologist)

    page = client.get(_url(rich.patient_id)).content.decode()

    assert "Outcome trajectory" in page
    assert CANARY not in page
    assert not [
        e
        for e in AuditEvent.objects.filter(action=AuditAction.TRAJECTORY_VIEWED)
        if CANARY in str(e.changes)
    ]


def test_the_query_count_does_not_grow_with_the_data(client: Client) -> None:
    episode = build.admitted()
    start = build.admission_day(episode)
    build.answer(episode, "FDI-C", 2, on=start)
    build.answer(episode, "FDI-C", 1, on=build.days_ago(7), time_point="weekly")
    build.check_in(episode, start, pain=7)
    sign_in(client, build.on_team(episode))
    client.get(_url(episode.patient_id))  # sessions and caches warm
    with CaptureQueriesContext(connection) as few:
        client.get(_url(episode.patient_id))
    for week in range(2, 10):
        build.answer(
            episode, "FDI-C", 1, on=start + _days(week), time_point="weekly", index=week
        )
        build.check_in(episode, start + _days(week), pain=5)
    build.measure(episode, start, MeasureKind.GRIP_LEFT, "20")
    build.measure(episode, build.today(), MeasureKind.GRIP_LEFT, "24")

    with CaptureQueriesContext(connection) as many:
        response = client.get(_url(episode.patient_id))

    assert response.status_code == 200
    assert response.content.decode().count("<tr>") > 10
    assert len(many.captured_queries) == len(few.captured_queries)
