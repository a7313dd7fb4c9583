"""Every transition of an episode: allowed from its phase, refused from the others.

A refused transition names the failed precondition and changes nothing.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from painrehab.accounts.choices import Role
from painrehab.accounts.tests.factories import StaffFactory
from painrehab.audit.models import AuditEvent
from painrehab.episodes import services
from painrehab.episodes.choices import (
    TRANSITIONS,
    Disposition,
    FollowUpStatus,
    Phase,
    Transition,
    WaitlistPriority,
)
from painrehab.episodes.models import Bed, Episode, FollowUp, PhaseChange, Stay
from painrehab.patients.choices import TeamRole
from painrehab.patients.models import CareTeamMember
from painrehab.patients.tests.factories import PatientFactory
from painrehab.referrals.tests import journey
from painrehab.referrals.tests.journey import coordinator, today

pytestmark = pytest.mark.django_db


def _snapshot(episode: Episode) -> tuple[str, int, int, int]:
    episode.refresh_from_db()
    return (
        episode.phase,
        episode.version,
        PhaseChange.objects.filter(episode=episode).count(),
        AuditEvent.objects.count(),
    )


def _refused(call: object, field: str, episode: Episode, fragment: str = "") -> None:
    before = _snapshot(episode)
    with pytest.raises(ValidationError) as refused:
        call()  # type: ignore[operator]
    assert field in refused.value.message_dict
    assert fragment in " ".join(refused.value.message_dict[field])
    assert _snapshot(episode) == before


def test_every_phase_has_its_transitions_and_closed_is_final() -> None:
    assert set(TRANSITIONS) == set(Phase)
    assert TRANSITIONS[Phase.CLOSED] == {}
    assert Transition.CLOSE not in TRANSITIONS[Phase.INPATIENT]


def test_opening_records_history_and_audit() -> None:
    episode = journey.referred()
    change = episode.history.get()
    assert (change.transition, change.to_phase) == ("open", Phase.REFERRED)
    assert AuditEvent.objects.filter(
        action="episode.open", patient_id=episode.patient_id
    )


def test_a_second_open_referral_for_the_same_child_is_refused() -> None:
    episode = journey.referred()
    before = Episode.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.episode_open(
            patient=episode.patient, opened_on=today(), by=coordinator()
        )
    assert (
        "already has an open episode (referred"
        in refused.value.message_dict["patient"][0]
    )
    assert Episode.objects.count() == before


def test_a_closed_journey_allows_a_new_referral() -> None:
    episode = journey.referred()
    services.episode_close(episode=episode, by=coordinator(), reason="Family withdrew.")
    again = services.episode_open(
        patient=episode.patient, opened_on=today(), by=coordinator()
    )
    assert again.phase == Phase.REFERRED and again.pk != episode.pk


def test_each_move_keeps_who_when_why() -> None:
    episode = journey.accepted()
    change = episode.history.get(transition=Transition.ACCEPT)
    assert change.from_phase == Phase.EVALUATION and change.to_phase == Phase.DECIDED
    assert (
        change.by == coordinator() and change.reason == "Meets criteria; family ready."
    )
    assert change.at is not None
    assert AuditEvent.objects.filter(action="episode.accept").count() == 1


@pytest.mark.parametrize(
    ("walk", "transition_call"),
    [
        (journey.referred, "accept"),
        (journey.referred, "waitlist"),
        (journey.in_evaluation, "admit"),
        (journey.accepted, "discharge"),
        (journey.waitlisted, "start_follow_up"),
        (journey.admitted, "close"),
        (journey.admitted, "accept"),
    ],
    ids=lambda v: getattr(v, "__name__", v),
)
def test_transitions_out_of_order_are_refused_and_change_nothing(
    walk: object, transition_call: str
) -> None:
    episode = walk()  # type: ignore[operator]
    by = coordinator()
    calls = {
        "accept": lambda: services.episode_accept(episode=episode, by=by, reason="x"),
        "waitlist": lambda: services.episode_waitlist(
            episode=episode, by=by, priority=WaitlistPriority.HIGH, accepted_on=today()
        ),
        "admit": lambda: services.episode_admit(
            episode=episode,
            by=by,
            bed=journey.free_bed(),
            admitted_on=today(),
            planned_discharge_on=today() + dt.timedelta(days=28),
        ),
        "discharge": lambda: services.episode_discharge(
            episode=episode, by=by, discharged_on=today(), disposition=Disposition.HOME
        ),
        "start_follow_up": lambda: services.episode_start_follow_up(
            episode=episode, by=by
        ),
        "close": lambda: services.episode_close(episode=episode, by=by, reason="x"),
    }
    stays = Stay.objects.count()
    before = _snapshot(episode)
    with pytest.raises((ValidationError, Stay.DoesNotExist)):
        calls[transition_call]()
    assert _snapshot(episode) == before
    assert Stay.objects.count() == stays


def test_a_refusal_says_which_phase_blocks_it() -> None:
    episode = journey.referred()
    _refused(
        lambda: services.episode_accept(episode=episode, by=coordinator(), reason="x"),
        "phase",
        episode,
        "This episode is referred; it cannot be accepted for admission now.",
    )


def test_decline_and_close_need_a_reason() -> None:
    episode = journey.referred()
    _refused(
        lambda: services.episode_decline(
            episode=episode, by=coordinator(), reason="  "
        ),
        "reason",
        episode,
    )
    services.episode_decline(
        episode=episode, by=coordinator(), reason="Outpatient first."
    )
    _refused(
        lambda: services.episode_close(episode=episode, by=coordinator(), reason=""),
        "reason",
        episode,
    )
    services.episode_close(episode=episode, by=coordinator(), reason="Letter sent.")
    episode.refresh_from_db()
    assert episode.phase == Phase.CLOSED and episode.closed_on == today()


def test_waitlisting_refuses_a_preferred_start_before_acceptance() -> None:
    episode = journey.accepted()
    _refused(
        lambda: services.episode_waitlist(
            episode=episode,
            by=coordinator(),
            priority=WaitlistPriority.ROUTINE,
            accepted_on=today(),
            preferred_start=today() - dt.timedelta(days=1),
        ),
        "preferred_start",
        episode,
    )


def _admit(episode: Episode, **overrides: object) -> Stay:
    arguments: dict[str, object] = {
        "episode": episode,
        "by": coordinator(),
        "bed": journey.free_bed(),
        "admitted_on": today(),
        "planned_discharge_on": today() + dt.timedelta(days=28),
    }
    arguments.update(overrides)
    return services.episode_admit(**arguments)  # type: ignore[arg-type]


def test_admission_assigns_bed_dates_and_care_team() -> None:
    episode = journey.waitlisted()
    pt = StaffFactory(role=Role.PHYSICAL_THERAPIST)
    stay = _admit(episode, care_team={TeamRole.PRIMARY_PT: pt})
    episode.refresh_from_db()
    assert episode.phase == Phase.INPATIENT and stay.planned_days == 28
    assert not hasattr(episode, "waitlist_entry") or not episode.waitlist_entry
    assert CareTeamMember.objects.filter(patient=episode.patient, member=pt).exists()
    assert (
        episode.history.get(transition=Transition.ADMIT).details["bed"]
        == stay.bed.number
    )


def test_admission_into_an_occupied_bed_is_refused() -> None:
    first = journey.admitted()
    second = journey.waitlisted()
    _refused(
        lambda: _admit(second, bed=first.stay.bed), "bed", second, "is no longer free"
    )


def test_admission_into_a_bed_out_of_service_is_refused() -> None:
    episode = journey.waitlisted()
    bed = Bed.objects.create(number=99, label="Bed 99", active=False)
    _refused(lambda: _admit(episode, bed=bed), "bed", episode, "out of service")


@pytest.mark.parametrize(
    ("years", "days", "allowed"),
    [
        pytest.param(6, 364, False, id="six_case"),
        pytest.param(7, 0, True, id="seven_case"),
        pytest.param(19, 364, True, id="nineteen_case"),
        pytest.param(20, 0, False, id="twenty_case"),
    ],
)
def test_admission_age_7_to_19_or_a_reason(
    years: int, days: int, allowed: bool
) -> None:
    on = today()
    born = on.replace(year=on.year - years) - dt.timedelta(days=days)
    episode = journey.waitlisted(
        PatientFactory(date_of_birth=born),
        disagreement_reason="Age reviewed by the team.",
    )
    if allowed:
        assert _admit(episode).episode_id == episode.pk
        return
    _refused(lambda: _admit(episode), "age_override_reason", episode, "ages 7–19")
    stay = _admit(
        episode, age_override_reason="Team agreed: developmentally appropriate."
    )
    assert stay.episode.history.get(transition="admit").details["age_override_reason"]


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("admitted_on", {"admitted_on": today() + dt.timedelta(days=1)}),
        ("planned_discharge_on", {"planned_discharge_on": today()}),
    ],
    ids=["future_admission_case", "discharge_not_after_admission_case"],
)
def test_admission_dates_are_checked(field: str, overrides: dict[str, object]) -> None:
    episode = journey.waitlisted()
    _refused(lambda: _admit(episode, **overrides), field, episode)


def test_admission_before_the_referral_was_received_is_refused() -> None:
    episode = journey.waitlisted()
    before = episode.opened_on - dt.timedelta(days=1)
    overrides = {
        "admitted_on": before,
        "planned_discharge_on": before + dt.timedelta(28),
    }

    _refused(
        lambda: _admit(episode, **overrides),
        "admitted_on",
        episode,
        "before the referral was received",
    )


def test_extending_a_stay_needs_a_reason_and_keeps_the_history() -> None:
    episode = journey.admitted()
    stay = episode.stay
    new_date = stay.planned_discharge_on + dt.timedelta(days=7)
    with pytest.raises(ValidationError):
        services.stay_extend(
            stay=stay, planned_discharge_on=new_date, reason="", by=coordinator()
        )
    extension = services.stay_extend(
        stay=stay,
        planned_discharge_on=new_date,
        reason="Slower progress.",
        by=coordinator(),
    )
    stay.refresh_from_db()
    assert stay.planned_discharge_on == new_date
    assert extension.previous_planned_discharge_on == new_date - dt.timedelta(days=7)


def test_discharge_opens_step_down_and_schedules_follow_ups() -> None:
    episode = journey.discharged()
    episode.refresh_from_db()
    assert episode.phase == Phase.STEP_DOWN
    assert episode.stay.discharged_on == today()
    assert episode.step_down.weeks == 4
    months = list(episode.follow_ups.values_list("months_after", flat=True))
    assert months == [1, 3, 6, 12]
    assert episode.discharge.home_programme.startswith("Daily walking")


def test_discharge_before_admission_is_refused() -> None:
    episode = journey.admitted(days_ago=5)
    _refused(
        lambda: services.episode_discharge(
            episode=episode,
            by=coordinator(),
            discharged_on=today() - dt.timedelta(days=6),
            disposition=Disposition.HOME,
        ),
        "discharged_on",
        episode,
    )


def test_discharge_frees_the_bed() -> None:
    episode = journey.discharged()
    other = journey.waitlisted()
    assert _admit(other, bed=episode.stay.bed).bed == episode.stay.bed


def test_after_step_down_follow_up_then_close() -> None:
    episode = journey.discharged()
    services.episode_start_follow_up(episode=episode, by=coordinator())
    follow_up = episode.follow_ups.first()
    assert follow_up is not None
    with pytest.raises(ValidationError):
        services.follow_up_record(
            follow_up=follow_up, by=coordinator(), status=FollowUpStatus.COMPLETED
        )
    services.follow_up_record(
        follow_up=follow_up,
        by=coordinator(),
        status=FollowUpStatus.COMPLETED,
        completed_on=today(),
    )
    services.episode_close(
        episode=episode, by=coordinator(), reason="Follow-up complete."
    )
    episode.refresh_from_db()
    assert episode.phase == Phase.CLOSED
    assert FollowUp.objects.get(pk=follow_up.pk).status == FollowUpStatus.COMPLETED


def test_step_down_plan_is_tailored_per_patient() -> None:
    episode = journey.discharged()
    plan = services.step_down_plan_update(
        plan=episode.step_down,
        by=coordinator(),
        changes={"weeks": 6, "physical_therapy_per_week": 2},
    )
    assert (plan.weeks, plan.physical_therapy_per_week) == (6, 2)
    with pytest.raises(ValidationError):
        services.step_down_plan_update(
            plan=plan, by=coordinator(), changes={"episode": 1}
        )


def test_the_waitlist_step_keeps_the_date_accepted_after_the_entry_is_gone() -> None:
    """The waitlist entry is removed at admission; the outcomes' waiting time
    reads the date accepted from the history instead."""
    episode = journey.accepted()
    accepted_on = today() - dt.timedelta(days=12)
    services.episode_waitlist(
        episode=episode,
        by=coordinator(),
        priority=WaitlistPriority.ROUTINE,
        accepted_on=accepted_on,
    )
    _admit(episode)

    step = PhaseChange.objects.get(episode=episode, transition=Transition.WAITLIST)
    assert step.details["accepted_on"] == accepted_on.isoformat()
