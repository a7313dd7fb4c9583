"""Family portal pages: latency and query counts as the program grows.

Run: ``.venv/bin/python bench/portal_pages.py``. Builds the unit of
``bench/schedule_pages.py`` (inpatients with a full week of stored sessions), then
gives the first child a family: a guardian account and the teen's own account, four
weeks of daily check-ins, four home exercises ticked every day, twelve message
threads with the team and twenty signed notes. Times the pages the family opens
most (median of 20 requests after 3 warm-ups, ``bench.pages.measure``). A family
reaches one child, so no page may grow with the number of children in the program,
nor with the child's own history.
"""

import datetime as dt
import sys
import uuid
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.core.management import call_command
from django.test import Client
from django.test.utils import setup_test_environment
from django.urls import reverse
from django.utils import timezone

from bench.pages import measure
from bench.schedule_pages import MONDAY, SIZES, grow_to  # sets Django up
from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.accounts.tests.factories import UserFactory
from painrehab.common.testing import sign_in
from painrehab.episodes.models import Episode
from painrehab.homeprogram.models import ExerciseDiscipline, ExerciseTick, HomeExercise
from painrehab.instruments.models import DailyCheckIn, DailyRespondent
from painrehab.messaging.models import FamilyAudience, FamilyMessage, FamilyThread
from painrehab.notes.tests.support import body_for, signed
from painrehab.patients.tests.factories import (
    GuardianFactory,
    PatientGuardianFactory,
)
from painrehab.scheduling.tests.factories import day_template, therapist

HISTORY_DAYS = 28


def family_of(episode: Episode, pt: User) -> tuple[User, User]:
    """The child's guardian and teen accounts, with four weeks of history."""
    patient = episode.patient
    guardian: User = UserFactory(role=Role.GUARDIAN, username="bench-guardian")
    teen: User = UserFactory(role=Role.PATIENT, username="bench-teen", phone="555-0199")
    patient.user = teen
    patient.save(update_fields=["user"])
    PatientGuardianFactory(patient=patient, guardian=GuardianFactory(user=guardian))
    today = timezone.localdate()
    days = [today - dt.timedelta(days=n) for n in range(HISTORY_DAYS)]
    DailyCheckIn.objects.bulk_create(
        DailyCheckIn(
            episode=episode,
            date=day,
            pain_now=5,
            sleep_hours=Decimal("8.0"),
            sleep_quality="ok",
            mood="okay",
            goal_met=True,
            respondent=DailyRespondent.CHILD,
            entered_by=teen,
            recorded_at=timezone.now(),
        )
        for day in days
    )
    for n in range(4):
        exercise = HomeExercise.objects.create(
            episode=episode,
            discipline=ExerciseDiscipline.PHYSICAL_THERAPY,
            title=f"Exercise {n}",
            instructions="Slowly, with breaks.",
            repetitions="10 times",
            starts_on=days[-1],
            assigned_by=pt,
        )
        ExerciseTick.objects.bulk_create(
            ExerciseTick(
                exercise=exercise,
                done_on=day,
                recorded_by=guardian,
                recorded_at=timezone.now(),
            )
            for day in days[1:]
        )
    for n in range(12):
        author = guardian if n % 2 else teen
        thread = FamilyThread.objects.create(
            episode=episode,
            audience=FamilyAudience.GUARDIANS if n % 2 else FamilyAudience.TEEN,
            subject=f"Question {n}",
            started_by=author,
            created_at=timezone.now(),
            form_token=uuid.uuid4(),
        )
        for m, (who, family) in enumerate(((author, True), (pt, False))):
            FamilyMessage.objects.create(
                thread=thread,
                author=who,
                from_family=family,
                body=f"Message {m}",
                created_at=timezone.now(),
                form_token=uuid.uuid4(),
            )
    for n in range(20):
        signed(
            patient,
            pt,
            key="therapy_progress",
            body=body_for("therapy_progress", f"Day {n}"),
            service_date=days[n % 10],  # since the referral, 12 days ago
            late_entry_reason="Benchmark history, written in one go.",
        )
    return guardian, teen


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    day_template()
    pt = therapist(first_name="Pat", last_name="Onteam")
    rows = []
    guardian = teen = None
    for size in SIZES:
        first = grow_to(size, pt)
        if guardian is None or teen is None:
            guardian, teen = family_of(first, pt)
        child = [first.patient_id]
        week = f"?week={MONDAY.isoformat()}"
        pages = [
            ("today (guardian)", guardian, reverse("portal:today", args=child)),
            ("week (guardian)", guardian, reverse("portal:week", args=child) + week),
            ("progress (guardian)", guardian, reverse("portal:progress", args=child)),
            (
                "progress chart SVG (guardian)",
                guardian,
                reverse("portal:progress_chart", args=child),
            ),
            ("exercises (guardian)", guardian, reverse("portal:exercises", args=child)),
            ("messages (guardian)", guardian, reverse("portal:messages", args=child)),
            ("notes (guardian)", guardian, reverse("portal:notes", args=child)),
            (
                "questionnaires (guardian)",
                guardian,
                reverse("portal:questionnaires", args=child),
            ),
            ("today (teen)", teen, reverse("portal:today", args=child)),
            ("check-in (teen)", teen, reverse("portal:checkin", args=child)),
            ("messages (teen)", teen, reverse("portal:messages", args=child)),
        ]
        for name, user, url in pages:
            ms, queries = measure(sign_in(Client(), user), url)
            rows.append((size, name, ms, queries))
    print("| inpatients | page | median ms | queries |")
    print("| ---: | --- | ---: | ---: |")
    for size, name, ms, queries in rows:
        print(f"| {size} | {name} | {ms:.1f} | {queries} |")


if __name__ == "__main__":
    main()
