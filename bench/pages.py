"""Page latency and query counts as the program grows.

Run: ``.venv/bin/python bench/pages.py`` (a throwaway SQLite database under a temp
directory). For each program size it times the staff pages with Django's test client
(median of 20 requests after 3 warm-ups) and counts their database queries, which
must not grow with the number of patients. Figures go in docs/benchmarks.md.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["PAINREHAB_VAR_DIR"] = tempfile.mkdtemp(prefix="painrehab-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import warnings

import django

warnings.filterwarnings("ignore", message="No directory at")

django.setup()

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.urls import reverse

from painrehab.accounts.choices import Role
from painrehab.accounts.tests.factories import StaffFactory
from painrehab.common.testing import sign_in
from painrehab.patients.tests.factories import (
    CareTeamMemberFactory,
    PatientFactory,
    PatientGuardianFactory,
)

SIZES = (40, 400, 2000)
RUNS, WARMUP = 20, 3


def measure(client: Client, url: str) -> tuple[float, int]:
    for _ in range(WARMUP):
        client.get(url)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times), len(queries)


def grow_to(size: int, pt: object) -> int:
    from painrehab.patients.models import Patient

    for _ in range(size - Patient.objects.count()):
        patient = PatientFactory()
        PatientGuardianFactory.create_batch(2, patient=patient)
        CareTeamMemberFactory(patient=patient, member=pt)
    return int(Patient.objects.order_by("pk").values_list("pk", flat=True)[0])


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    coordinator = StaffFactory(role=Role.COORDINATOR)
    pt = StaffFactory(role=Role.PHYSICAL_THERAPIST)
    privacy = StaffFactory(role=Role.PRIVACY_OFFICER)
    rows = []
    for size in SIZES:
        patient_id = grow_to(size, pt)
        pages = [
            (
                "patient list (coordinator)",
                coordinator,
                reverse("patients:patient_list"),
            ),
            ("patient list (PT, own team)", pt, reverse("patients:patient_list")),
            ("chart", pt, reverse("patients:patient_detail", args=[patient_id])),
            ("audit trail", privacy, reverse("audit:event_list")),
        ]
        for name, user, url in pages:
            ms, queries = measure(sign_in(Client(), user), url)
            rows.append((size, name, ms, queries))
    print("| patients | page | median ms | queries |")
    print("| ---: | --- | ---: | ---: |")
    for size, name, ms, queries in rows:
        print(f"| {size} | {name} | {ms:.1f} | {queries} |")


if __name__ == "__main__":
    main()
