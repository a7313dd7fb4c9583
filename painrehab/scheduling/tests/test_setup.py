"""Setting up the unit: rooms, weekly shifts, the day template, therapy groups.

Each form is posted as the browser would; every refusal leaves the database as
it was, with the message beside the field it concerns.
"""

import datetime as dt
import uuid
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.accounts.tests.factories import StaffFactory
from painrehab.audit.actions import ActionType, AuditAction
from painrehab.audit.models import AuditEvent
from painrehab.common.testing import sign_in
from painrehab.scheduling import selectors_setup as selectors
from painrehab.scheduling.choices import RoomKind
from painrehab.scheduling.models import (
    DayTemplate,
    Room,
    StaffShift,
    TemplateBlock,
    TherapyGroup,
)
from painrehab.scheduling.services import setup as services
from painrehab.scheduling.tests.factories import (
    RoomFactory,
    TherapyGroupFactory,
    day_template,
    hhmm,
    therapist,
)

pytestmark = pytest.mark.django_db

BAD = 400


@pytest.fixture
def coord(coordinator: User) -> Client:
    return sign_in(Client(), coordinator)


def _setup_events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.SCHEDULE_SETUP_CHANGED))


def _errors(response: Any) -> dict[str, list[str]]:
    return dict(response.context["form"].errors)


# --- Rooms --------------------------------------------------------------------------


def _room_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Gym",
        "kinds": [RoomKind.PT, RoomKind.GROUP_PT],
        "capacity": "6",
        "active": "on",
        "form_token": str(uuid.uuid4()),
    }
    return {**data, **overrides}


def test_the_coordinator_adds_a_room_audited(coord: Client) -> None:
    response = coord.post(reverse("scheduling:room_new"), _room_data())

    assert response.status_code == 302
    room = Room.objects.get()
    assert (room.name, room.kinds, room.capacity, room.active) == (
        "Gym",
        ["PT", "GROUP_PT"],
        6,
        True,
    )
    [event] = _setup_events()
    assert event.action_type == ActionType.CREATE
    assert event.object_id == str(room.pk)
    assert event.changes["new"]["capacity"] == 6


def test_a_double_click_adds_one_room(coord: Client) -> None:
    data = _room_data()

    coord.post(reverse("scheduling:room_new"), data)
    again = coord.post(reverse("scheduling:room_new"), data)

    assert again.status_code == 302
    assert Room.objects.count() == 1
    assert len(_setup_events()) == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": "  "}, "name", services.REQUIRED),
        ({"name": "gym 1"}, "name", services.ROOM_NAME_TAKEN),
        ({"kinds": []}, "kinds", services.KINDS_REQUIRED),
        ({"capacity": "0"}, "capacity", services.CAPACITY_RANGE),
        ({"capacity": ""}, "capacity", services.CAPACITY_RANGE),
        ({"capacity": "51"}, "capacity", services.CAPACITY_RANGE),
    ],
    ids=[
        "no_name_case",
        "name_taken_case",
        "no_kind_case",
        "zero_case",
        "empty_case",
        "too_many_case",
    ],
)
def test_a_bad_room_is_refused_next_to_the_field(
    coord: Client, overrides: dict[str, Any], field: str, message: str
) -> None:
    RoomFactory(name="Gym 1")

    response = coord.post(reverse("scheduling:room_new"), _room_data(**overrides))

    assert response.status_code == BAD
    assert _errors(response)[field] == [message]
    assert Room.objects.count() == 1
    assert _setup_events() == []


def test_a_room_change_is_saved_with_its_diff(coord: Client) -> None:
    room = RoomFactory(name="Room A", capacity=1)
    url = reverse("scheduling:room_edit", args=[room.pk])

    data = _room_data(name="Room A", capacity="2", version="1", kinds=["PT"])
    response = coord.post(url, data)

    assert response.status_code == 302
    room.refresh_from_db()
    assert (room.capacity, room.version) == (2, 2)
    [event] = _setup_events()
    assert event.changes["old"]["capacity"] == 1
    assert event.changes["new"]["capacity"] == 2


def test_a_stale_room_change_is_refused_and_keeps_the_other_save(
    coord: Client, coordinator: User
) -> None:
    room = RoomFactory(name="Room A", capacity=1)
    fields = services.RoomFields(name="Room A", kinds=("PT",), capacity=3)
    services.room_change(by=coordinator, room=room, version=1, fields=fields)
    url = reverse("scheduling:room_edit", args=[room.pk])

    response = coord.post(url, _room_data(name="Room A", capacity="2", version="1"))

    assert response.status_code == BAD
    assert services.STALE in response.context["form"].non_field_errors()
    room.refresh_from_db()
    assert (room.capacity, room.version) == (3, 2)


def test_the_director_reads_rooms_but_cannot_add_one() -> None:
    director = sign_in(Client(), StaffFactory(role=Role.DIRECTOR))

    listed = director.get(reverse("scheduling:room_list"))
    refused = director.post(reverse("scheduling:room_new"), _room_data())

    assert listed.status_code == 200
    assert refused.status_code == 403
    assert not Room.objects.exists()


# --- A person's week of shifts ------------------------------------------------------


def _week_data(
    staff: User, days: dict[int, list[tuple[str, str]]], rows: int = 3
) -> dict[str, str]:
    data = {
        "fingerprint": selectors.staff_week(user_id=staff.pk).fingerprint,
        "rows": str(rows),
    }
    for weekday, shifts in days.items():
        for n, (start, end) in enumerate(shifts):
            data[f"d{weekday}_{n}_start"] = start
            data[f"d{weekday}_{n}_end"] = end
    return data


def _shifts(staff: User) -> list[tuple[int, str, str]]:
    return [
        (s.weekday, f"{s.start:%H:%M}", f"{s.end:%H:%M}")
        for s in StaffShift.objects.filter(staff=staff).order_by("weekday", "start")
    ]


def test_the_whole_week_is_saved_with_several_shifts_a_day(coord: Client) -> None:
    pt = therapist()
    url = reverse("scheduling:shift_edit", args=[pt.pk])
    week = {0: [("13:00", "17:00"), ("08:00", "12:00")], 2: [("09:00", "15:00")]}

    response = coord.post(url, _week_data(pt, week))

    assert response.status_code == 302
    assert _shifts(pt) == [
        (0, "08:00", "12:00"),
        (0, "13:00", "17:00"),
        (2, "09:00", "15:00"),
    ]
    [event] = _setup_events()
    assert event.changes["what"] == "shifts"
    assert event.changes["new"] == {
        "0": ["08:00-12:00", "13:00-17:00"],
        "2": ["09:00-15:00"],
    }
    assert event.changes["old"]["4"] == ["08:00-12:00", "12:30-16:30"]


def test_the_gaps_between_shifts_are_the_breaks() -> None:
    week = selectors.staff_week(user_id=therapist().pk)

    assert [str(b) for b in week.breaks(0)] == ["12:00–12:30"]
    assert week.breaks(5) == []
    assert week.hours == "40"


@pytest.mark.parametrize(
    ("tuesday", "field", "message"),
    [
        (
            [("08:00", "12:00"), ("11:00", "13:00")],
            "d1_1_start",
            "This overlaps 08:00–12:00.",
        ),
        (
            [("08:00", "17:00"), ("13:00", "14:00")],
            "d1_1_start",
            "This overlaps 08:00–17:00.",
        ),
        ([("12:00", "08:00")], "d1_0_end", services.REVERSED),
        ([("12:00", "12:00")], "d1_0_end", services.REVERSED),
        ([("08:00", "")], "d1_0_end", services.BOTH_TIMES),
    ],
    ids=["overlap_case", "inside_case", "reversed_case", "empty_case", "half_case"],
)
def test_a_bad_shift_refuses_the_whole_week_next_to_its_field(
    coord: Client, tuesday: list[tuple[str, str]], field: str, message: str
) -> None:
    pt = therapist()
    before = _shifts(pt)
    url = reverse("scheduling:shift_edit", args=[pt.pk])
    # Monday's change is fine, but nothing of the week may be stored.
    week = {0: [("07:00", "15:00")], 1: tuesday}

    response = coord.post(url, _week_data(pt, week))

    assert response.status_code == BAD
    assert _errors(response)[field] == [message]
    assert _shifts(pt) == before
    assert _setup_events() == []


def test_touching_shifts_are_not_an_overlap(coord: Client) -> None:
    pt = therapist()
    url = reverse("scheduling:shift_edit", args=[pt.pk])

    response = coord.post(
        url, _week_data(pt, {3: [("08:00", "12:00"), ("12:00", "16:00")]})
    )

    assert response.status_code == 302
    assert _shifts(pt) == [(3, "08:00", "12:00"), (3, "12:00", "16:00")]


def test_a_week_changed_meanwhile_is_refused(coord: Client, coordinator: User) -> None:
    pt = therapist()
    url = reverse("scheduling:shift_edit", args=[pt.pk])
    seen = _week_data(pt, {0: [("09:00", "10:00")]})
    other = services.ShiftRow("d0_0", hhmm("10:00"), hhmm("11:00"), weekday=0)
    fingerprint = selectors.staff_week(user_id=pt.pk).fingerprint
    services.week_save(by=coordinator, staff=pt, fingerprint=fingerprint, rows=[other])

    response = coord.post(url, seen)

    assert response.status_code == BAD
    assert services.STALE in response.context["form"].non_field_errors()
    assert _shifts(pt) == [(0, "10:00", "11:00")]


def test_the_same_week_again_writes_nothing(coordinator: User) -> None:
    pt = therapist()
    week = selectors.staff_week(user_id=pt.pk)
    rows = [
        services.ShiftRow(f"d{w}_{n}", i.start, i.end, weekday=w)
        for w, day in enumerate(week.days)
        for n, i in enumerate(day)
    ]

    services.week_save(
        by=coordinator, staff=pt, fingerprint=week.fingerprint, rows=rows
    )

    assert _setup_events() == []


def test_only_the_coordinator_saves_a_week() -> None:
    pt = therapist()
    week = selectors.staff_week(user_id=pt.pk)

    with pytest.raises(PermissionDenied):
        services.week_save(
            by=StaffFactory(role=Role.DIRECTOR),
            staff=pt,
            fingerprint=week.fingerprint,
            rows=[],
        )
    assert len(_shifts(pt)) == 10


def test_someone_who_delivers_no_sessions_has_no_week_page(coord: Client) -> None:
    officer = StaffFactory(role=Role.PRIVACY_OFFICER)

    response = coord.get(reverse("scheduling:shift_edit", args=[officer.pk]))

    assert response.status_code == 404


def test_the_shift_list_shows_everyone_who_delivers_sessions(coord: Client) -> None:
    pt = therapist(first_name="Pat", last_name="Physio")
    psychologist = StaffFactory(
        role=Role.PSYCHOLOGIST, first_name="Sam", last_name="Mind"
    )
    StaffFactory(role=Role.SYSADMIN, first_name="Ada", last_name="Admin")

    response = coord.get(reverse("scheduling:shift_list"))

    people = {w.staff for w in response.context["weeks"]}
    assert {pt, psychologist} <= people
    assert all(u.role != Role.SYSADMIN for u in people)
    assert "08:00–12:00" in response.content.decode()


def test_the_shift_list_queries_do_not_grow_with_staff(
    coord: Client, django_assert_max_num_queries: Any
) -> None:
    for _ in range(6):
        therapist()

    # +1: the "Family messages" badge
    with django_assert_max_num_queries(13):
        coord.get(reverse("scheduling:shift_list"))


# --- The day template ---------------------------------------------------------------


def _template_data(
    version: int, blocks: list[tuple[str, str, str, bool]], **over: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Functional day",
        "earliest": "08:30",
        "latest": "17:00",
        "max_consecutive_minutes": "180",
        "min_break_minutes": "15",
        "version": str(version),
        "rows": str(max(len(blocks), 1) + 1),
    }
    for n, (label, start, end, fixed) in enumerate(blocks):
        data[f"b{n}_label"] = label
        data[f"b{n}_start"] = start
        data[f"b{n}_end"] = end
        if fixed:
            data[f"b{n}_fixed"] = "on"
    return {**data, **over}


def _blocks() -> list[tuple[str, str, str, bool]]:
    return [
        (b.label, f"{b.start:%H:%M}", f"{b.end:%H:%M}", b.fixed)
        for b in TemplateBlock.objects.order_by("start", "pk")
    ]


def test_the_first_day_template_is_made_from_the_form(coord: Client) -> None:
    blocks = [("Lunch", "12:00", "13:00", True), ("Wake up", "06:45", "08:30", False)]

    response = coord.post(
        reverse("scheduling:template_edit"), _template_data(0, blocks)
    )

    assert response.status_code == 302
    template = DayTemplate.objects.get(active=True)
    assert (template.earliest, template.latest) == (dt.time(8, 30), dt.time(17, 0))
    assert template.max_consecutive_minutes == 180
    assert template.version == 1
    assert _blocks() == [
        ("Wake up", "06:45", "08:30", False),
        ("Lunch", "12:00", "13:00", True),
    ]
    [event] = _setup_events()
    assert event.action_type == ActionType.CREATE


def test_the_day_template_and_its_blocks_are_saved_together(coord: Client) -> None:
    template = day_template()
    blocks = [("Lunch", "12:00", "12:45", True), ("School", "13:00", "14:30", True)]

    response = coord.post(
        reverse("scheduling:template_edit"), _template_data(1, blocks)
    )

    assert response.status_code == 302
    template.refresh_from_db()
    assert template.version == 2
    assert _blocks() == blocks
    [event] = _setup_events()
    assert event.changes["old"]["blocks"][0] == ["Lunch", "12:00", "13:00", True]
    assert event.changes["new"]["blocks"][0] == ["Lunch", "12:00", "12:45", True]


@pytest.mark.parametrize(
    ("blocks", "over", "field", "message"),
    [
        (
            [("Lunch", "12:00", "13:00", True), ("School", "12:30", "14:00", True)],
            {},
            "b1_start",
            "This overlaps 12:00–13:00.",
        ),
        ([("Lunch", "13:00", "12:00", True)], {}, "b0_end", services.REVERSED),
        ([("", "12:00", "13:00", True)], {}, "b0_label", services.REQUIRED),
        ([("Lunch", "12:00", "", True)], {}, "b0_end", services.BOTH_TIMES),
        ([], {"latest": "08:00"}, "latest", services.LATEST_FIRST),
        ([], {"earliest": ""}, "earliest", services.REQUIRED),
        (
            [],
            {"max_consecutive_minutes": "5"},
            "max_consecutive_minutes",
            services.RUN_RANGE,
        ),
        ([], {"min_break_minutes": "-1"}, "min_break_minutes", services.BREAK_RANGE),
    ],
    ids=[
        "fixed_overlap_case",
        "reversed_case",
        "no_label_case",
        "half_case",
        "latest_first_case",
        "no_earliest_case",
        "short_run_case",
        "negative_break_case",
    ],
)
def test_a_bad_day_template_is_refused_next_to_the_field(
    coord: Client,
    blocks: list[tuple[str, str, str, bool]],
    over: dict[str, str],
    field: str,
    message: str,
) -> None:
    day_template()
    before = _blocks()

    response = coord.post(
        reverse("scheduling:template_edit"), _template_data(1, blocks, **over)
    )

    assert response.status_code == BAD
    assert _errors(response)[field] == [message]
    assert _blocks() == before
    assert DayTemplate.objects.get().version == 1
    assert _setup_events() == []


def test_blocks_that_let_therapy_in_may_overlap(coord: Client) -> None:
    day_template()
    blocks = [
        ("Lunch", "12:00", "13:00", True),
        ("Wellness", "08:30", "09:00", False),
        ("Walk", "08:45", "09:15", False),
    ]

    response = coord.post(
        reverse("scheduling:template_edit"), _template_data(1, blocks)
    )

    assert response.status_code == 302
    assert len(_blocks()) == 3


def test_a_stale_day_template_is_refused(coord: Client, coordinator: User) -> None:
    day_template()
    fields = services.TemplateFields("Day", hhmm("09:00"), hhmm("16:00"), None, None)
    services.template_save(by=coordinator, version=1, fields=fields, blocks=[])

    response = coord.post(reverse("scheduling:template_edit"), _template_data(1, []))

    assert response.status_code == BAD
    assert services.STALE in response.context["form"].non_field_errors()
    template = DayTemplate.objects.get()
    assert (template.name, template.version) == ("Day", 2)


def test_the_overview_shows_the_day_to_the_director() -> None:
    day_template()
    director = sign_in(Client(), StaffFactory(role=Role.DIRECTOR))

    response = director.get(reverse("scheduling:setup"))

    page = response.content.decode()
    assert "Parents return, relaxation, dinner, family time" in page
    assert reverse("scheduling:template_edit") not in page


# --- Therapy groups -----------------------------------------------------------------


def _group_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Teen group PT",
        "discipline": "PT",
        "label": "Group physical therapy",
        "min_age": "13",
        "max_age": "19",
        "max_patients": "6",
        "staff_required": "2",
        "active": "on",
        "form_token": str(uuid.uuid4()),
    }
    return {**data, **overrides}


def test_the_coordinator_adds_a_group_once(coord: Client) -> None:
    data = _group_data()

    first = coord.post(reverse("scheduling:group_new"), data)
    again = coord.post(reverse("scheduling:group_new"), data)

    assert first.status_code == again.status_code == 302
    group = TherapyGroup.objects.get()
    assert (group.min_age, group.max_age, group.max_patients, group.staff_required) == (
        13,
        19,
        6,
        2,
    )
    assert len(_setup_events()) == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", services.REQUIRED),
        ({"name": "TEEN GROUP"}, "name", services.GROUP_NAME_TAKEN),
        ({"label": " "}, "label", services.REQUIRED),
        ({"min_age": "14", "max_age": "12"}, "max_age", services.AGE_BAND),
        ({"min_age": "-1"}, "min_age", services.AGE_RANGE),
        ({"max_patients": "1"}, "max_patients", services.GROUP_SIZE),
        ({"staff_required": "0"}, "staff_required", services.STAFF_NEEDED),
    ],
    ids=[
        "no_name_case",
        "taken_case",
        "no_label_case",
        "band_case",
        "age_case",
        "size_case",
        "staff_case",
    ],
)
def test_a_bad_group_is_refused_next_to_the_field(
    coord: Client, overrides: dict[str, Any], field: str, message: str
) -> None:
    TherapyGroupFactory(name="Teen group")

    response = coord.post(reverse("scheduling:group_new"), _group_data(**overrides))

    assert response.status_code == BAD
    assert _errors(response)[field] == [message]
    assert TherapyGroup.objects.count() == 1


def test_a_group_of_no_therapy_is_refused(coordinator: User) -> None:
    fields = services.GroupFields("School", "SCHOOL", "School", 7, 19, 8, 1)

    with pytest.raises(ValidationError) as refused:
        services.group_create(by=coordinator, fields=fields, form_token=uuid.uuid4())

    assert refused.value.message_dict["discipline"] == [services.NOT_A_THERAPY]


def test_a_group_change_is_audited_and_a_stale_one_refused(
    coord: Client, coordinator: User
) -> None:
    group = TherapyGroupFactory(name="Teen group", max_patients=8)
    url = reverse("scheduling:group_edit", args=[group.pk])
    seen = selectors.group_fingerprint(group)

    saved = coord.post(
        url, _group_data(name="Teen group", max_patients="5", fingerprint=seen)
    )
    stale = coord.post(
        url, _group_data(name="Teen group", max_patients="4", fingerprint=seen)
    )

    assert saved.status_code == 302
    assert stale.status_code == BAD
    assert services.STALE in stale.context["form"].non_field_errors()
    group.refresh_from_db()
    assert group.max_patients == 5
    [event] = _setup_events()
    assert event.changes["old"]["max_patients"] == 8
    assert event.changes["new"]["max_patients"] == 5


# --- Interval rules -----------------------------------------------------------------


def test_intervals_inside_a_long_one_are_all_overlaps() -> None:
    rows = [
        services.TimeRow("a", hhmm("08:00"), hhmm("17:00")),
        services.TimeRow("b", hhmm("10:00"), hhmm("11:00")),
        services.TimeRow("c", hhmm("12:00"), hhmm("13:00")),
    ]

    errors = services.interval_errors(rows)

    assert set(errors) == {"b_start", "c_start"}


# --- The pages show what is set up -------------------------------------------------


def test_each_setup_page_shows_what_is_set_up(coord: Client) -> None:
    day_template()
    room = RoomFactory(name="Gym 3", kinds=[RoomKind.GROUP_PT], capacity=8)
    group = TherapyGroupFactory(name="Teens PT")
    pt = therapist(first_name="Pat", last_name="Physio")
    pages = {
        reverse("scheduling:setup"): ["Gym 3", "Teens PT", "Lunch"],
        reverse("scheduling:room_list"): ["Gym 3", "Group physical therapy"],
        reverse("scheduling:room_edit", args=[room.pk]): ['value="Gym 3"'],
        reverse("scheduling:shift_list"): ["Pat Physio", "12:30–16:30"],
        reverse("scheduling:shift_edit", args=[pt.pk]): ['value="12:30"'],
        reverse("scheduling:template_edit"): ['value="Lunch"', 'value="08:30"'],
        reverse("scheduling:group_list"): ["Teens PT"],
        reverse("scheduling:group_edit", args=[group.pk]): ['value="Teens PT"'],
    }

    for url, expected in pages.items():
        page = coord.get(url).content.decode()
        for text in expected:
            assert text in page, (url, text)
