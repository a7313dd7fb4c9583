"""Reads: the census board, the waitlist, follow-ups and the journey."""

import datetime as dt

import pytest

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.audit.models import AuditEvent
from painrehab.episodes import selectors, services
from painrehab.episodes.choices import FollowUpStatus, Transition
from painrehab.episodes.models import Bed, FollowUp
from painrehab.episodes.selectors import census
from painrehab.episodes.tests import stays
from painrehab.patients.access import PatientNotFound
from painrehab.patients.models import Patient
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db


def _bed(board: selectors.CensusBoard, number: int) -> census.CensusBed:
    return next(b for b in board.beds if b.number == number)


def test_census_shows_every_active_bed_and_the_occupancy(coordinator: User) -> None:
    stays.admit(bed=Bed.objects.get(number=3))
    Bed.objects.filter(number=12).update(active=False)
    board = selectors.census_board(user=coordinator, today=stays.today())
    assert [b.number for b in board.beds] == list(range(1, 12))
    assert (board.occupied, board.capacity) == (1, 11)
    assert _bed(board, 3).stay is not None and _bed(board, 4).stay is None


def test_census_counts_the_day_of_stay_and_the_planned_days(
    coordinator: User,
) -> None:
    stays.admit(days_ago=9, stay_days=21, bed=Bed.objects.get(number=1))
    stay = _bed(selectors.census_board(user=coordinator, today=stays.today()), 1).stay
    assert stay is not None
    assert (stay.day, stay.planned_days) == (10, 21)


@pytest.mark.parametrize(
    ("days_ago", "flags"),
    [
        (0, ()),
        (21, (str(census.FLAG_DISCHARGE_SOON),)),
        (28, (str(census.FLAG_DISCHARGE_SOON),)),
        (29, (str(census.FLAG_PAST_DISCHARGE),)),
    ],
    ids=["early_case", "week_left_case", "due_today_case", "overdue_case"],
)
def test_census_flags_planned_discharges(
    coordinator: User, days_ago: int, flags: tuple[str, ...]
) -> None:
    stays.admit(days_ago=days_ago, stay_days=28, bed=Bed.objects.get(number=1))
    stay = _bed(selectors.census_board(user=coordinator, today=stays.today()), 1).stay
    assert stay is not None and stay.flags == flags


def test_census_hides_children_the_viewer_may_not_see(child: Patient) -> None:
    stays.admit(child, bed=Bed.objects.get(number=1))
    stays.admit(bed=Bed.objects.get(number=2))
    nurse = stays.on_team(child, Role.NURSE)
    board = selectors.census_board(user=nurse, today=stays.today())
    mine, other = _bed(board, 1).stay, _bed(board, 2).stay
    assert mine is not None and mine.patient.name == child.display_name
    assert other is not None and not other.patient.visible
    assert other.patient.name == "" and other.patient.mrn == ""


def test_census_names_the_primary_team_briefly(
    coordinator: User, child: Patient
) -> None:
    stays.admit(child, bed=Bed.objects.get(number=1))
    stay = _bed(selectors.census_board(user=coordinator, today=stays.today()), 1).stay
    assert stay is not None
    assert [line.abbreviation for line in stay.team] == ["MD", "Psych", "PT", "OT"]
    attending = child.care_team.get(team_role="attending").member
    assert stay.team[0].name == f"{attending.first_name[0]}. {attending.last_name}"


def test_census_asks_registered_providers_for_due_questionnaires(
    coordinator: User, child: Patient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(census, "_due_questionnaire_providers", [])
    census.register_due_questionnaires(lambda ids, today: {i: ["FDI"] for i in ids})
    stays.admit(child, bed=Bed.objects.get(number=1))
    stay = _bed(selectors.census_board(user=coordinator, today=stays.today()), 1).stay
    assert stay is not None and stay.due_questionnaires == ("FDI",)


def test_census_lists_upcoming_admissions_within_two_weeks(
    coordinator: User,
) -> None:
    soon = journey.waitlisted(preferred_start=stays.today() + dt.timedelta(days=5))
    journey.waitlisted(preferred_start=stays.today() + dt.timedelta(days=30))
    journey.waitlisted()
    board = selectors.census_board(user=coordinator, today=stays.today())
    assert len(board.waitlist) == 3
    assert [line.episode_id for line in board.upcoming] == [soon.pk]


def test_waitlist_puts_urgent_first_and_counts_days_waiting(
    coordinator: User,
) -> None:
    routine = journey.waitlisted()
    urgent = journey.waitlisted(priority=1)
    later = stays.today() + dt.timedelta(days=3)
    lines = selectors.waitlist_list(user=coordinator, today=later)
    assert [line.episode_id for line in lines] == [urgent.pk, routine.pk]
    assert lines[0].days_waiting == 3 and lines[0].priority_label == "Urgent"


def test_waitlist_leaves_out_closed_episodes(coordinator: User) -> None:
    episode = journey.waitlisted()
    services.episode_close(episode=episode, by=coordinator, reason="Family moved.")
    assert selectors.waitlist_list(user=coordinator, today=stays.today()) == ()


def test_free_beds_leaves_out_occupied_and_inactive_beds() -> None:
    stays.admit(bed=Bed.objects.get(number=1))
    Bed.objects.filter(number=2).update(active=False)
    assert [b.number for b in selectors.free_beds()] == list(range(3, 13))


def test_admission_options_start_from_the_evaluators_on_the_team(
    child: Patient,
) -> None:
    episode = journey.waitlisted(child)
    options = selectors.admission_options(episode=episode)
    attending = child.care_team.get(team_role="attending").member
    assert options.current_team["attending"] == attending.pk
    assert attending in options.staff["attending"]
    assert len(options.free_beds) == 12


def test_transition_refusal_uses_the_services_message(child: Patient) -> None:
    episode = stays.admit(child)
    refusal = selectors.transition_refusal(episode=episode, transition=Transition.CLOSE)
    assert refusal == services.WRONG_PHASE.format(phase="inpatient", action="closed")
    assert (
        selectors.transition_refusal(episode=episode, transition=Transition.DISCHARGE)
        is None
    )


def test_episode_get_refuses_an_off_team_clinician_like_a_missing_one(
    child: Patient, pt_off_team: User
) -> None:
    episode = journey.referred(child)
    with pytest.raises(PatientNotFound):
        selectors.episode_get(user=pt_off_team, episode_id=episode.pk)
    with pytest.raises(PatientNotFound):
        selectors.episode_get(user=pt_off_team, episode_id=episode.pk + 999)
    refused = AuditEvent.objects.filter(action="episode.viewed", outcome="failure")
    assert refused.count() == 2


def _overdue_visit(days_overdue: int) -> FollowUp:
    episode = stays.discharge(stays.admit(days_ago=90), days_ago=60)
    visit = episode.follow_ups.get(months_after=1)
    FollowUp.objects.filter(pk=visit.pk).update(
        due_on=stays.today() - dt.timedelta(days=days_overdue)
    )
    return visit


def test_follow_up_list_asks_about_visits_long_overdue(coordinator: User) -> None:
    visit = _overdue_visit(15)
    lines = selectors.follow_up_list(user=coordinator, today=stays.today())
    line = next(x for x in lines if x.follow_up_id == visit.pk)
    assert (line.label, line.needs_action, line.days_overdue) == ("Missed?", True, 15)


def test_follow_up_list_leaves_out_visits_more_than_30_days_ahead(
    coordinator: User,
) -> None:
    stays.discharge(stays.admit(days_ago=28))  # visits due in 1, 3, 6, 12 months
    earlier = stays.today() - dt.timedelta(days=10)  # the first is 38+ days ahead
    assert selectors.follow_up_list(user=coordinator, today=earlier) == ()
    later = stays.today() + dt.timedelta(days=5)  # the first is 23-26 days ahead
    lines = selectors.follow_up_list(user=coordinator, today=later)
    assert [line.months_after for line in lines] == [1]


def test_follow_up_list_shows_missed_visits_of_open_episodes(
    coordinator: User,
) -> None:
    visit = _overdue_visit(40)
    services.follow_up_record(
        follow_up=visit, by=coordinator, status=FollowUpStatus.MISSED
    )
    lines = selectors.follow_up_list(user=coordinator, today=stays.today())
    assert [(x.follow_up_id, x.label) for x in lines] == [(visit.pk, "Missed")]


def test_follow_up_list_shows_only_children_the_viewer_may_see(
    child: Patient,
) -> None:
    _overdue_visit(20)
    physician = stays.on_team(child, Role.PHYSICIAN)
    assert selectors.follow_up_list(user=physician, today=stays.today()) == ()


def test_journey_lists_each_episode_with_its_timeline(
    coordinator: User, child: Patient
) -> None:
    stays.discharge(stays.admit(child, days_ago=20))
    found = selectors.journey_get(user=coordinator, patient_id=child.pk)
    (entry,) = found.episodes
    assert [e.to_phase for e in entry.events] == [
        "Referred",
        "Evaluation",
        "Accepted",
        "Waitlisted",
        "Inpatient",
        "Step-down",
    ]
    assert entry.stay is not None and entry.stay.day is None
    assert entry.step_down is not None and len(entry.follow_ups) == 4


def test_journey_read_is_audited(coordinator: User, child: Patient) -> None:
    journey.referred(child)
    selectors.journey_get(user=coordinator, patient_id=child.pk)
    event = AuditEvent.objects.get(action="episode.viewed", patient_id=child.pk)
    assert (event.data_category, event.outcome) == ("episode", "success")


def test_journey_is_refused_to_a_clinician_off_the_team(
    child: Patient, pt_off_team: User
) -> None:
    with pytest.raises(PatientNotFound):
        selectors.journey_get(user=pt_off_team, patient_id=child.pk)
    assert AuditEvent.objects.filter(
        action="episode.viewed", outcome="failure", patient_id=child.pk
    ).exists()


def test_journey_of_a_child_without_episodes_is_empty(
    coordinator: User, child: Patient
) -> None:
    assert selectors.journey_get(user=coordinator, patient_id=child.pk).episodes == ()
