"""The program dashboard and one cohort table at 500 and 5,000 closed episodes.

Run: ``.venv/bin/python bench/outcomes.py`` (a throwaway SQLite database under a
temp directory, as ``bench/pages.py``). Synthetic episodes are written with
``bulk_create`` (``painrehab.outcomes.tests.cohort_support.synthetic_cohort``):
each a patient, a referral with a primary diagnosis, a stay discharged within the
last year, FDI-C, NRS and PCS-C at admission, discharge and (when past) 3 months,
a school-attendance measure, a waitlist step and a 3-month follow-up visit. Each
page is timed with Django's test client (median and p95 of 10 requests after 2
warm-ups) and its queries counted. Target: under 1 s at 5,000 episodes, the same
query count at both sizes. Figures go in docs/benchmarks.md.
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.urls import reverse

import bench.pages  # noqa: F401  (sets Django up on a throwaway SQLite database)
from painrehab.accounts.choices import Role
from painrehab.common.testing import sign_in, staff
from painrehab.outcomes.tests.cohort_support import synthetic_cohort

SIZES = (500, 5000)
RUNS, WARMUP = 10, 2


def measure(client: Client, url: str) -> tuple[float, float, int]:
    """Median and p95 latency (ms) of ``RUNS`` requests, and the query count."""
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
    p95 = statistics.quantiles(times, n=20, method="inclusive")[18]
    return statistics.median(times), p95, len(queries)


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    director = staff(Role.DIRECTOR)
    client = sign_in(Client(), director)
    pages = [
        ("dashboard", reverse("outcomes:dashboard")),
        ("FDI-C cohort table", reverse("outcomes:cohort", args=["FDI-C"])),
    ]
    rows = []
    built = 0
    for size in SIZES:
        start = time.perf_counter()
        synthetic_cohort(size - built, by=director, seed=size, tag=str(size))
        built = size
        print(f"built {size} episodes in {time.perf_counter() - start:.1f} s")
        for name, url in pages:
            median, p95, queries = measure(client, url)
            rows.append((size, name, median, p95, queries))
    print("| closed episodes | page | median ms | p95 ms | queries |")
    print("| ---: | --- | ---: | ---: | ---: |")
    for size, name, median, p95, queries in rows:
        print(f"| {size:,} | {name} | {median:.0f} | {p95:.0f} | {queries} |")


if __name__ == "__main__":
    main()
