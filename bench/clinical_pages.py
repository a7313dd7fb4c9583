"""Clinical pages (care plan, notes, measures, messages, alerts, conferences): latency
and query counts as the program grows.

Run: ``.venv/bin/python bench/clinical_pages.py``. Admits inpatients through the real
services (their care plans come from the admission), then gives each child signed
notes, a submitted questionnaire and a team thread mentioning the coordinator, and
times the pages a coordinator and a PT open most (median of 20 requests after 3
warm-ups). The per-child pages show the first child; their query counts, and those
of the cross-patient pages (inbox, alerts, conferences), must not grow with the
number of children.
"""

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
from django.urls import NoReverseMatch, reverse

from bench.pages import measure
from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.common.testing import sign_in
from painrehab.episodes.models import Episode
from painrehab.instruments.tests.support import all_answers, fill_and_submit, start
from painrehab.messaging.tests.support import start as thread_start
from painrehab.notes.tests.support import clinician, signed
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import CareTeamMemberFactory
from painrehab.referrals.tests import journey

SIZES = (12, 48, 120)
NOTES_PER_CHILD = 3


def grow_to(size: int, pt: User, psychologist: User) -> None:
    coordinator = journey.coordinator()
    for number in range(Episode.objects.filter(phase="inpatient").count(), size):
        episode = journey.admitted(days_ago=3 + number % 20)
        patient = episode.patient
        CareTeamMemberFactory(patient=patient, member=pt)
        CareTeamMemberFactory(patient=patient, member=psychologist)
        for _ in range(NOTES_PER_CHILD):
            signed(patient, pt)
        fill_and_submit(start(episode, pt, "FDI-C"), pt, all_answers("FDI-C", 2))
        fill_and_submit(start(episode, pt, "CES-DC"), pt, all_answers("CES-DC", 3))
        thread_start(episode, pt, notify=[coordinator.username])


def pages(patient: Patient) -> list[tuple[str, str, str]]:
    """(who, page, url) for every page measured; pages not built yet are skipped."""
    wanted = [
        ("pt", "care plan", "careplans:plan", [patient.pk]),
        ("pt", "notes list", "notes:note_list", [patient.pk]),
        ("pt", "measures", "instruments:measures", [patient.pk]),
        ("pt", "team messages tab", "messaging:patient_threads", [patient.pk]),
        ("coordinator", "messages inbox", "messaging:inbox", []),
        ("coordinator", "alerts", "instruments:alerts", []),
        ("coordinator", "conferences", "careplans:conference_list", []),
    ]
    found = []
    for who, name, url_name, args in wanted:
        try:
            found.append((who, name, reverse(url_name, args=args)))
        except NoReverseMatch:
            continue
    return found


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    coordinator = journey.coordinator()
    pt = clinician(Role.PHYSICAL_THERAPIST, username="bench-pt")
    psychologist = clinician(Role.PSYCHOLOGIST, username="bench-psy")
    clients = {
        "pt": sign_in(Client(), pt),
        "coordinator": sign_in(Client(), coordinator),
    }
    rows = []
    for size in SIZES:
        grow_to(size, pt, psychologist)
        first = Patient.objects.order_by("pk").first()
        assert first is not None
        for who, name, url in pages(first):
            ms, queries = measure(clients[who], url)
            rows.append((size, f"{name} ({who})", ms, queries))
    print("| inpatients | page | median ms | queries |")
    print("| ---: | --- | ---: | ---: |")
    for size, name, ms, queries in rows:
        print(f"| {size} | {name} | {ms:.1f} | {queries} |")


if __name__ == "__main__":
    main()
