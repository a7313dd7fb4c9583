"""Timetable pages (the unit's day, a therapist's day, a child's week and its
printout): latency and query counts as the unit grows.

Run: ``.venv/bin/python bench/schedule_pages.py``. Admits inpatients through the
real services, then gives each child a full week of the sample day as stored
sessions (OT, PT, psychotherapy, recreation, Child Life and acupuncture, an hour
each around lunch and school, plus a morning wellness group), delivered by a staff
that grows with the unit (one person of each discipline per six children, each
with a room). Times the pages a coordinator and a PT open most (median of 20
requests after 3 warm-ups, bench.pages.measure). Query counts must not grow with
the number of children or sessions.
"""

import datetime as dt
import os
import sys
import tempfile
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["PAINREHAB_VAR_DIR"] = tempfile.mkdtemp(prefix="painrehab-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django

warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.core.management import call_command
from django.test import Client
from django.test.utils import setup_test_environment
from django.urls import reverse

from bench.pages import measure
from painrehab.accounts.choices import Discipline, Role
from painrehab.accounts.models import User
from painrehab.common.testing import sign_in
from painrehab.episodes.models import Episode
from painrehab.patients.tests.factories import CareTeamMemberFactory
from painrehab.referrals.tests import journey
from painrehab.scheduling.models import Room, Session
from painrehab.scheduling.selectors_boards import monday_of
from painrehab.scheduling.tests.factories import (
    RoomFactory,
    day_template,
    session,
    therapist,
)

SIZES = (12, 48)
PER_PERSON = 6  # children one therapist of a discipline sees (one an hour)
HOURS = ("09:00", "10:00", "11:00", "14:00", "15:00", "16:00")
DISCIPLINES = (
    (Discipline.OT, Role.OCCUPATIONAL_THERAPIST, "Occupational therapy"),
    (Discipline.PT, Role.PHYSICAL_THERAPIST, "Physical therapy"),
    (Discipline.PSY, Role.PSYCHOLOGIST, "Pain-focused psychotherapy"),
    (Discipline.REC, Role.RECREATIONAL_THERAPIST, "Recreational therapy"),
    (Discipline.CL, Role.CHILD_LIFE, "Child Life / social time"),
    (Discipline.ACU, Role.ACUPUNCTURIST, "Acupuncture"),
)
GROUP_SIZE = 8
WEEK_PAGE, PRINT = "scheduling:patient_week", "scheduling:patient_print"
MONDAY = monday_of(journey.today())
WEEK = [MONDAY + dt.timedelta(days=n) for n in range(5)]


def therapist_of(discipline: Discipline, role: Role, n: int) -> tuple[User, Room]:
    """The discipline's ``n``-th person (made on first use) and their room."""
    name = f"{discipline} room {n}"
    room = Room.objects.filter(name=name).first()
    if room is not None:
        return User.objects.get(first_name=f"{discipline}{n}"), room
    person = therapist(role, first_name=f"{discipline}{n}", last_name="Bench")
    return person, RoomFactory(name=name)


def week_of(episode: Episode, index: int) -> None:
    """The child's week: each discipline once a day. Six children share each
    therapist, and take the hours in turn, so nobody is booked twice."""
    for column, (discipline, role, label) in enumerate(DISCIPLINES):
        person, room = therapist_of(discipline, role, index // PER_PERSON)
        hour = HOURS[(column + index) % len(HOURS)]
        minutes = 30 if discipline == Discipline.ACU else 60
        for day in WEEK:
            session(
                episode,
                day=day,
                start=hour,
                minutes=minutes,
                staff=person,
                room=room,
                discipline=discipline,
                label=label,
            )


def wellness_groups(episodes: list[Episode]) -> None:
    """The morning wellness activity, in groups of up to eight, each with its
    leader and room."""
    for n in range(0, len(episodes), GROUP_SIZE):
        cohort = episodes[n : n + GROUP_SIZE]
        number = Room.objects.filter(name__startswith="Wellness room").count()
        leader, _room = therapist_of(
            Discipline.REC, Role.RECREATIONAL_THERAPIST, number
        )
        room = RoomFactory(name=f"Wellness room {number}", capacity=GROUP_SIZE)
        for day in WEEK:
            session(
                cohort[0],
                others=tuple(cohort[1:]),
                day=day,
                start="08:30",
                minutes=30,
                staff=leader,
                room=room,
                discipline=Discipline.REC,
                label="Wellness activity",
            )


def grow_to(size: int, pt: User) -> Episode:
    """Inpatients up to ``size``, each with their week; the first child."""
    have = Episode.objects.filter(phase="inpatient").count()
    added = [journey.admitted(days_ago=2 + n % 20) for n in range(have, size)]
    for index, episode in enumerate(added, start=have):
        week_of(episode, index)
        if index % 2 == 0:  # the PT is on half the care teams
            CareTeamMemberFactory(patient=episode.patient, member=pt)
    wellness_groups(added)
    return Episode.objects.filter(phase="inpatient").order_by("pk")[0]


def first_pt(episode: Episode) -> int:
    """The PT who treats ``episode``'s child (their day is a full one)."""
    staff = (
        Session.objects.filter(attendees__episode=episode, discipline=Discipline.PT)
        .values_list("staff", flat=True)
        .first()
    )
    return int(staff or 0)


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    day_template()
    coordinator = journey.coordinator()
    pt = therapist(first_name="Pat", last_name="Onteam")
    rows = []
    for size in SIZES:
        first = grow_to(size, pt)
        day = f"?day={MONDAY.isoformat()}"
        week = f"?week={MONDAY.isoformat()}"
        patient = [first.patient_id]
        unit_day = reverse("scheduling:unit_day")
        therapist_day = reverse("scheduling:staff_day", args=[first_pt(first)])
        pages = [
            ("unit's day (coordinator)", coordinator, unit_day + day),
            ("unit's day (PT, half the teams)", pt, unit_day + day),
            ("child's week (PT)", pt, reverse(WEEK_PAGE, args=patient) + week),
            ("child's printed week (PT)", pt, reverse(PRINT, args=patient) + week),
            ("therapist's day (coordinator)", coordinator, therapist_day + day),
        ]
        sessions = Session.objects.filter(day__in=WEEK).count()
        for name, user, url in pages:
            ms, queries = measure(sign_in(Client(), user), url)
            rows.append((size, sessions, name, ms, queries))
    print("| patients | sessions in the week | page | median ms | queries |")
    print("| ---: | ---: | --- | ---: | ---: |")
    for size, sessions, name, ms, queries in rows:
        print(f"| {size} | {sessions} | {name} | {ms:.1f} | {queries} |")


if __name__ == "__main__":
    main()
