"""Building the timetable problem from the database (docs/scheduling.md,
"Building the problem"): one mapping rule per test, on a tiny unit.

Children come from real admissions, so their care plans hold the template's
prescriptions: OT, PT, psychotherapy, acupuncture and recreation individually,
wellness, group PT and Child Life as groups, Monday to Friday.
"""

import datetime as dt
import uuid
from dataclasses import replace

import pytest
from django.utils import timezone

from painrehab.accounts.choices import Discipline, Role
from painrehab.accounts.models import User
from painrehab.careplans.choices import Continuity, SessionMode
from painrehab.careplans.inputs import PrescriptionFields
from painrehab.careplans.models import Prescription
from painrehab.careplans.services import prescription_change, prescription_create
from painrehab.domain import timetable as tt
from painrehab.episodes.models import Episode
from painrehab.patients.choices import TeamRole
from painrehab.patients.models import CareTeamMember
from painrehab.patients.tests.factories import CareTeamMemberFactory, PatientFactory
from painrehab.referrals.tests import journey
from painrehab.scheduling.builder import (
    Built,
    Keys,
    build_problem,
    sessions_from_domain,
    sessions_to_domain,
    spread,
)
from painrehab.scheduling.choices import AttendanceStatus, SessionSource
from painrehab.scheduling.models import PatientBlock, Session, TemplateBlock
from painrehab.scheduling.tests.factories import (
    TherapyGroupFactory,
    absence,
    at,
    day_template,
    hhmm,
    next_monday,
    sample_groups,
    sample_rooms,
    session,
    therapist,
)

pytestmark = pytest.mark.django_db

MONDAY = next_monday()
WEEK = [MONDAY + dt.timedelta(days=n) for n in range(7)]
MON, TUE, WED, THU, FRI, SAT, SUN = (d.isoformat() for d in WEEK)
DAY_SHIFT = ((8 * 60, 12 * 60), (12 * 60 + 30, 16 * 60 + 30))


def build(now: dt.datetime | None = None, *, previous: bool = False) -> Built:
    """The coming week, planned before it starts unless ``now`` says otherwise."""
    return build_problem(
        first_day=WEEK[0],
        last_day=WEEK[-1],
        now=now or at(MONDAY, "00:00"),
        previous=previous,
    )


def activity(built: Built, episode: Episode, key: str) -> tt.Activity:
    """The child's activity of the template prescription ``key``."""
    prescription = Prescription.objects.get(
        care_plan__episode=episode, template_key=key
    )
    wanted = f"e{episode.pk}/{prescription.discipline}/{prescription.pk}"
    return built.problem.activity_by_id[wanted]


def make_primary(episode: Episode, member: User, team_role: TeamRole) -> None:
    """``member`` becomes the child's primary in ``team_role`` (the evaluator who
    held it since the referral leaves the team)."""
    CareTeamMember.objects.filter(patient=episode.patient, team_role=team_role).update(
        end_date=journey.today() - dt.timedelta(days=1)
    )
    CareTeamMemberFactory(patient=episode.patient, member=member, team_role=team_role)


def prescription(episode: Episode, key: str) -> Prescription:
    return Prescription.objects.get(care_plan__episode=episode, template_key=key)


def changed(episode: Episode, key: str, **values: object) -> Prescription:
    row = prescription(episode, key)
    return prescription_change(
        prescription=row,
        by=journey.coordinator(),
        version=row.version,
        reason="Timetable test",
        fields=replace(PrescriptionFields.of(row), **values),  # type: ignore[arg-type]
    )


def stored(
    episode: Episode, key: str, day: dt.date, start: str, staff: User, **kwargs: object
) -> Session:
    """A stored session of the child's template prescription ``key``."""
    row = prescription(episode, key)
    made = session(
        episode,
        day=day,
        start=start,
        minutes=row.minutes,
        staff=staff,
        discipline=row.discipline,
        label=row.name,
        **kwargs,  # type: ignore[arg-type]
    )
    made.activity = f"e{episode.pk}/{row.discipline}/{row.pk}"
    made.prescription = row
    made.save()
    return made


ROTA = (
    Role.PHYSICAL_THERAPIST,
    Role.OCCUPATIONAL_THERAPIST,
    Role.PSYCHOLOGIST,
    Role.ACUPUNCTURIST,
    Role.RECREATIONAL_THERAPIST,
    Role.CHILD_LIFE,
    Role.SOCIAL_WORKER,
)


@pytest.fixture
def rota() -> dict[Role, User]:
    """One therapist on day shifts for each discipline of the template."""
    return {role: therapist(role) for role in ROTA}


@pytest.fixture
def child(rota: dict[Role, User]) -> Episode:
    """A 13-year-old admitted two days ago."""
    born = MONDAY.replace(year=MONDAY.year - 13)
    return journey.admitted(PatientFactory(date_of_birth=born), days_ago=2)


# --- Staff ---------------------------------------------------------------------------


def test_availability_is_each_weekdays_shifts_less_absences() -> None:
    pt = therapist()
    coordinator = journey.coordinator()
    absence(pt, WEEK[1], coordinator, start=hhmm("10:00"), end=hhmm("11:00"))
    absence(pt, WEEK[2], coordinator)  # the whole day
    gone = absence(pt, WEEK[3], coordinator)
    gone.cancelled_at = timezone.now()
    gone.save()

    person = build().problem.staff_by_id[f"u{pt.pk}"]

    assert person.discipline == Discipline.PT
    assert person.available_on(MON) == DAY_SHIFT
    assert person.available_on(TUE) == ((480, 600), (660, 720), (750, 990))
    assert person.available_on(WED) == ()
    assert person.available_on(THU) == DAY_SHIFT  # the absence was cancelled


def test_only_active_therapists_with_shifts_are_staff() -> None:
    on_shift = therapist(Role.PSYCHOLOGIST)
    therapist(Role.PHYSICAL_THERAPIST, is_active=False)
    therapist(Role.NURSE)  # a nurse with shifts delivers nursing sessions
    therapist(Role.TEACHER)  # school is a fixed block, not a therapy
    therapist(Role.COORDINATOR)

    staff = build().problem.staff

    assert {(s.id, s.discipline) for s in staff} >= {(f"u{on_shift.pk}", "PSY")}
    assert {s.discipline for s in staff} == {"PSY", "NURSE"}


# --- Children ------------------------------------------------------------------------


def test_a_childs_day_comes_from_the_template_their_blocks_and_plan(
    child: Episode,
) -> None:
    template = day_template()
    TemplateBlock.objects.create(
        template=template,
        label="Occupational therapy",
        start=hhmm("09:00"),
        end=hhmm("10:00"),
        fixed=False,  # a label of the sample day, not a block
    )
    PatientBlock.objects.create(
        episode=child,
        day=WEEK[1],
        start=hhmm("09:00"),
        end=hhmm("10:00"),
        label="Clinic visit",
        recorded_by=journey.coordinator(),
    )

    patient = build().problem.patient_by_id[f"e{child.pk}"]

    assert (patient.earliest, patient.latest) == (510, 1020)
    assert patient.max_consecutive_minutes == 180
    assert patient.max_therapy_minutes_per_day == 420  # the plan's limit
    assert {(b.day, b.start, b.end, b.label) for b in patient.blocked} == {
        ("*", 720, 780, "Lunch"),
        ("*", 780, 840, "School"),
        ("*", 1020, 1200, "Parents return, relaxation, dinner, family time"),
        (TUE, 540, 600, "Clinic visit"),
    }


def test_children_count_only_while_in_a_bed(rota: dict[Role, User]) -> None:
    today = journey.today()
    inside = journey.admitted(days_ago=0)
    gone = journey.discharged()  # discharged today
    waiting = journey.waitlisted()

    built = build_problem(
        first_day=today - dt.timedelta(days=3),
        last_day=today + dt.timedelta(days=3),
        now=at(today - dt.timedelta(days=3), "00:00"),
    )

    patients = {p.id for p in built.problem.patients}
    assert {f"e{inside.pk}", f"e{gone.pk}"} <= patients
    assert f"e{waiting.pk}" not in patients
    for episode in (inside, gone):
        assert any(f"e{episode.pk}" in a.patients for a in built.problem.activities)
    for item in built.problem.activities:
        days = {dt.date.fromisoformat(d) for d in item.days or ()}
        if f"e{inside.pk}" in item.patients:
            assert min(days) >= today
        if f"e{gone.pk}" in item.patients:
            assert max(days) < today


# --- Prescriptions -------------------------------------------------------------------


def test_individual_prescriptions_map_as_docs_careplans_says(child: Episode) -> None:
    pt = therapist()
    make_primary(child, pt, TeamRole.PRIMARY_PT)

    built = build()

    physio = activity(built, child, "pt")
    assert physio.kind is tt.Kind.INDIVIDUAL
    assert physio.patients == (f"e{child.pk}",)
    assert (physio.discipline, physio.minutes, physio.per_day) == ("PT", 60, 1)
    assert physio.days == (MON, TUE, WED, THU, FRI)  # the weekend is excluded
    assert physio.room_kinds == ("PT",)
    assert physio.preferred_staff == (f"u{pt.pk}",)  # the primary PT
    assert physio.eligible_staff is None
    assert physio.preferred_window == (510, 720)  # morning
    assert physio.weight == 3
    acupuncture = activity(built, child, "acupuncture")
    assert (acupuncture.room_kinds, acupuncture.weight) == (("ACU",), 2)
    assert acupuncture.preferred_window == (720, 1020)  # afternoon
    assert activity(built, child, "psychotherapy").weight == 4
    ref = built.keys.activities[physio.id]
    assert (ref.prescription_id, ref.group_id) == (prescription(child, "pt").pk, None)
    assert ref.episode_ids == (child.pk,)
    assert [d.isoformat() for d in WEEK[:5]] == list(built.problem.days)
    tt.load_problem(tt.problem_to_json(built.problem))  # no contradiction


def test_a_prescription_with_weekends_brings_the_weekend_into_the_problem(
    child: Episode,
) -> None:
    changed(child, "recreation", excluded_weekdays=())

    built = build()

    assert built.problem.days == (MON, TUE, WED, THU, FRI, SAT, SUN)
    assert activity(built, child, "recreation").days == (
        MON,
        TUE,
        WED,
        THU,
        FRI,
        SAT,
        SUN,
    )


@pytest.mark.parametrize(
    ("count", "taken", "expected"),
    [
        (1, (), [2]),
        (2, (), [1, 3]),
        (3, (), [0, 2, 4]),
        (5, (), [0, 1, 2, 3, 4]),
        (2, (0,), [3]),
        (7, (), [0, 1, 2, 3, 4, 5, 6]),
    ],
    ids=["once_midweek", "twice", "three_times", "daily", "one_kept", "weekend_too"],
)
def test_weekly_sessions_spread_over_the_week(
    count: int, taken: tuple[int, ...], expected: list[int]
) -> None:
    chosen = spread(WEEK, count, [WEEK[n] for n in taken])

    assert chosen == [WEEK[n] for n in expected]


def test_a_weekly_prescription_asks_for_that_many_spread_days(child: Episode) -> None:
    changed(child, "psychotherapy", sessions_per_day=None, sessions_per_week=2)

    psychotherapy = activity(build(), child, "psychotherapy")

    assert (psychotherapy.days, psychotherapy.per_day) == ((TUE, THU), 1)


def test_same_therapist_required_allows_only_the_primary(child: Episode) -> None:
    psychologist = therapist(Role.PSYCHOLOGIST)
    away = User.objects.create(username="ot-on-leave", role=Role.OCCUPATIONAL_THERAPIST)
    make_primary(child, psychologist, TeamRole.PRIMARY_PSYCHOLOGIST)
    make_primary(child, away, TeamRole.PRIMARY_OT)
    CareTeamMember.objects.filter(
        patient=child.patient, member__role=Role.PHYSICAL_THERAPIST
    ).update(end_date=journey.today() - dt.timedelta(days=1))
    for key in ("psychotherapy", "ot", "pt"):
        changed(child, key, continuity=Continuity.SAME_REQUIRED)

    built = build()

    assert activity(built, child, "psychotherapy").eligible_staff == (
        f"u{psychologist.pk}",
    )
    # The primary OT has no shifts: listed, never available, so OT goes unscheduled.
    assert activity(built, child, "ot").eligible_staff == (f"u{away.pk}",)
    assert built.problem.staff_by_id[f"u{away.pk}"].availability == ()
    # No primary PT on the team: anyone of the discipline, and a note says so.
    assert activity(built, child, "pt").eligible_staff is None
    assert any("Physical therapy needs the same therapist" in n for n in built.notes)


def test_no_care_plan_is_named_in_the_notes() -> None:
    from painrehab.careplans.receivers import plan_on_admission
    from painrehab.episodes.models import Stay
    from painrehab.episodes.signals import admitted

    receiver = "careplans.plan_on_admission"
    assert admitted.disconnect(sender=Stay, dispatch_uid=receiver)
    try:
        episode = journey.admitted(days_ago=1)
    finally:
        admitted.connect(plan_on_admission, sender=Stay, dispatch_uid=receiver)

    built = build()

    bed = str(episode.stay.bed)
    assert f"{bed} has no care plan yet, so nothing is requested." in built.notes
    assert not any(f"e{episode.pk}" in a.patients for a in built.problem.activities)


# --- Groups --------------------------------------------------------------------------


def _aged(years: int) -> Episode:
    born = MONDAY.replace(year=MONDAY.year - years) - dt.timedelta(days=1)
    return journey.admitted(PatientFactory(date_of_birth=born), days_ago=1)


def test_group_prescriptions_gather_by_age_band_up_to_the_groups_size() -> None:
    therapist(), therapist()
    young = TherapyGroupFactory(name="Group PT, children", max_age=12)
    teens = TherapyGroupFactory(
        name="Group PT, teens", min_age=13, max_age=18, max_patients=2, staff_required=2
    )
    nine, fourteen, fifteen, sixteen = (_aged(n) for n in (9, 14, 15, 16))

    built = build()

    children = built.problem.activity_by_id[f"g{young.pk}/PT"]
    assert children.patients == (f"e{nine.pk}",)
    assert children.kind is tt.Kind.GROUP
    assert (children.room_kinds, children.weight, children.minutes) == (
        ("GROUP_PT",),
        2,
        60,
    )
    teenagers = built.problem.activity_by_id[f"g{teens.pk}/PT"]
    assert teenagers.patients == (f"e{fourteen.pk}", f"e{fifteen.pk}")
    assert teenagers.staff_required == 2
    assert teenagers.preferred_staff == ()
    assert built.keys.activities[teenagers.id].group_id == teens.pk
    bed = str(sixteen.stay.bed)
    assert (
        f"{bed}: every Group physical therapy group for age 16 is full; left out."
        in built.notes
    )
    # No wellness or Child Life group exists: those are left out, with a note each.
    assert any("no active Wellness activity group" in n for n in built.notes)


def test_a_group_needing_more_staff_than_have_shifts_is_left_out(
    child: Episode,
) -> None:
    therapist()
    group = TherapyGroupFactory(name="Group PT", staff_required=3)

    built = build()

    assert f"g{group.pk}/PT" not in built.problem.activity_by_id
    assert any("Group PT needs 3 staff" in n for n in built.notes)


def test_the_wellness_group_may_use_a_wellness_or_recreation_room(
    child: Episode,
) -> None:
    therapist(Role.RECREATIONAL_THERAPIST)
    wellness, *_others = sample_groups()

    built = build()

    activity = built.problem.activity_by_id[f"g{wellness.pk}/REC"]
    assert activity.room_kinds == ("WELLNESS", "REC")
    assert activity.preferred_window == (510, 720)


# --- Stored sessions -----------------------------------------------------------------


@pytest.fixture
def week(child: Episode) -> dict[str, Session]:
    """Sessions of the child's week, seen on Wednesday at 10:20."""
    pt = therapist()
    return {
        "monday": stored(child, "pt", WEEK[0], "10:00", pt),
        "begun": stored(child, "pt", WEEK[2], "10:00", pt),
        "later": stored(child, "ot", WEEK[2], "14:00", pt),
        "locked": stored(child, "pt", WEEK[3], "10:00", pt, locked=True),
        "friday": stored(child, "pt", WEEK[4], "10:00", pt),
    }


def test_locked_begun_and_recorded_sessions_are_fixed(
    child: Episode, week: dict[str, Session]
) -> None:
    attendee = week["friday"].attendees.get()
    attendee.attendance = AttendanceStatus.REFUSED
    attendee.save()

    built = build(at(WEEK[2], "10:20"))

    kept = {"monday", "begun", "locked", "friday"}
    fixed = sessions_to_domain(week[name] for name in sorted(kept))
    assert sorted(built.problem.fixed) == sorted(fixed)
    assert built.keys.replaceable == (week["later"].pk,)
    assert built.problem.previous is None
    # Each kept PT session counts for its day: the activity asks for those days
    # and for the days still open (Wednesday's past has gone by).
    assert activity(built, child, "pt").days == (MON, WED, THU, FRI)


def test_the_past_of_a_day_under_way_is_blocked_around_kept_sessions(
    child: Episode, week: dict[str, Session]
) -> None:
    built = build(at(WEEK[2], "10:20"))

    patient = built.problem.patient_by_id[f"e{child.pk}"]
    past = {
        (b.day, b.start, b.end) for b in patient.blocked if b.label == "Already past"
    }
    # Monday's kept session sits in a gap of Monday's past; Wednesday's past runs to
    # 10:30 (the next quarter hour) around the session that began at 10:00.
    assert past == {(MON, 0, 600), (MON, 660, 1440), (WED, 0, 600)}
    assert MON in activity(built, child, "pt").days
    assert TUE not in activity(built, child, "ot").days


def test_previous_holds_the_sessions_a_repair_may_move(
    week: dict[str, Session],
) -> None:
    built = build(at(WEEK[2], "10:20"), previous=True)

    assert built.problem.previous == sessions_to_domain([week["later"], week["friday"]])


def test_a_locked_session_whose_therapist_is_away_is_kept_and_named(
    child: Episode, week: dict[str, Session]
) -> None:
    pt = week["locked"].staff.get()
    absence(pt, WEEK[3], journey.coordinator())

    built = build(at(WEEK[2], "10:20"))

    assert sessions_to_domain([week["locked"]])[0] in built.problem.fixed
    name = pt.get_full_name() or pt.get_username()
    assert (
        f"The locked session Physical therapy on {THU} at 10:00 is kept, but "
        f"{name} is away or off shift then." in built.notes
    )


def test_a_kept_session_on_another_day_takes_a_weekly_prescriptions_place(
    child: Episode,
) -> None:
    changed(child, "psychotherapy", sessions_per_day=None, sessions_per_week=2)
    stored(
        child,
        "psychotherapy",
        WEEK[0],
        "11:00",
        therapist(Role.PSYCHOLOGIST),
        locked=True,
    )

    psychotherapy = activity(build(), child, "psychotherapy")

    # Monday is kept; one more day is spread over the rest of the week.
    assert psychotherapy.days == (MON, THU)


def test_a_kept_session_of_a_stopped_prescription_is_a_one_off(
    child: Episode,
) -> None:
    row = stored(
        child,
        "acupuncture",
        WEEK[1],
        "15:00",
        therapist(Role.ACUPUNCTURIST),
        locked=True,
    )
    acupuncture = prescription(child, "acupuncture")
    from painrehab.careplans.services import prescription_stop

    prescription_stop(
        prescription=acupuncture,
        by=journey.coordinator(),
        version=acupuncture.version,
        reason="Needle phobia",
        stopped_on=journey.today(),
    )

    built = build()

    (kept,) = built.problem.fixed
    assert kept == sessions_to_domain([row])[0]
    assert kept.activity not in built.problem.activity_by_id


# --- Keys and storing --------------------------------------------------------------


def test_keys_survive_their_json(child: Episode, week: dict[str, Session]) -> None:
    sample_rooms()
    keys = build(at(WEEK[2], "10:20")).keys

    assert Keys.from_json(keys.to_json()) == keys
    assert keys.labels[f"e{child.pk}"] == str(child.stay.bed)
    assert keys.patients[f"e{child.pk}"] == child.pk


def test_solved_sessions_are_stored_and_read_back_unchanged(child: Episode) -> None:
    pt = therapist()
    gym = sample_rooms()[0]
    built = build()
    physio = activity(built, child, "pt")
    solved = tt.Session(
        TUE, 600, 660, physio.id, (f"u{pt.pk}",), f"r{gym.pk}", physio.patients
    )

    (row,) = sessions_from_domain(
        [solved], keys=built.keys, run=None, source=SessionSource.SOLVER
    )

    row = Session.objects.prefetch_related("staff", "attendees").get(pk=row.pk)
    assert sessions_to_domain([row]) == (solved,)
    assert (row.discipline, row.label, row.mode) == (
        "PT",
        "Physical therapy",
        SessionMode.INDIVIDUAL,
    )
    assert row.prescription == prescription(child, "pt")


def test_a_new_prescription_is_asked_for_from_its_first_day(child: Episode) -> None:
    plan = child.care_plan
    prescription_create(
        care_plan=plan,
        by=journey.coordinator(),
        form_token=uuid.uuid4(),
        fields=PrescriptionFields(
            discipline=Discipline.SW,
            minutes=45,
            mode=SessionMode.INDIVIDUAL,
            starts_on=WEEK[3],
            label="Family session",
            excluded_weekdays=(5, 6),
        ),
    )

    built = build()

    (family,) = [a for a in built.problem.activities if a.discipline == "SW"]
    assert (family.days, family.minutes, family.room_kinds) == ((THU, FRI), 45, ("SW",))


def test_a_group_whose_children_change_within_the_range_is_split(
    rota: dict[Role, User],
) -> None:
    group = TherapyGroupFactory(name="Group PT")
    therapist()
    today = journey.today()
    staying = journey.admitted(days_ago=5)
    leaving = journey.discharged()  # today

    built = build_problem(
        first_day=today - dt.timedelta(days=3),
        last_day=today + dt.timedelta(days=3),
        now=at(today - dt.timedelta(days=3), "00:00"),
    )

    parts = [a for a in built.problem.activities if a.id.startswith(f"g{group.pk}/")]
    assert {a.patients for a in parts} == {
        tuple(sorted((f"e{staying.pk}", f"e{leaving.pk}"), key=lambda k: int(k[1:]))),
        (f"e{staying.pk}",),
    }
    assert all("@" in a.id for a in parts)
    assert not set(parts[0].days or ()) & set(parts[1].days or ())
