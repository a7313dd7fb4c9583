"""Census, triage queue and waitlist: latency and query counts as the program grows.

Run: ``.venv/bin/python bench/journey_pages.py``. Builds a full unit (12 inpatients)
and then adds referred and waitlisted children through the real services, timing the
coordinator's pages at each size (median of 20 requests after 3 warm-ups).
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
from django.urls import reverse

from bench.pages import measure
from painrehab.common.testing import sign_in
from painrehab.episodes.models import Episode
from painrehab.referrals.tests import journey

SIZES = (12, 60, 200)


def grow_to(size: int) -> None:
    inpatients = Episode.objects.filter(phase="inpatient").count()
    for _ in range(12 - inpatients):
        journey.admitted(days_ago=3)
    for number in range(Episode.objects.count(), size):
        (journey.waitlisted if number % 3 == 0 else journey.referred)()


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    coordinator = journey.coordinator()
    rows = []
    for size in SIZES:
        grow_to(size)
        for name, url in (
            ("census", reverse("episodes:census")),
            ("triage queue", reverse("referrals:triage")),
            ("waitlist", reverse("episodes:waitlist")),
        ):
            ms, queries = measure(sign_in(Client(), coordinator), url)
            rows.append((size, name, ms, queries))
    print("| episodes | page | median ms | queries |")
    print("| ---: | --- | ---: | ---: |")
    for size, name, ms, queries in rows:
        print(f"| {size} | {name} | {ms:.1f} | {queries} |")


if __name__ == "__main__":
    main()
