"""Two coordinators admit into the last free bed at the same moment.

Real concurrent transactions, one thread and one database connection each: exactly
one admission commits, the other gets the clear "no longer free" message. This is the
test that matters on PostgreSQL (where ``SELECT … FOR UPDATE`` takes effect); on
SQLite the IMMEDIATE transactions serialise and the same assertions hold.
"""

import datetime as dt
import threading
from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from painrehab.common.testing import audit_triggers_lifted
from painrehab.episodes import services
from painrehab.episodes.choices import Phase
from painrehab.episodes.models import Bed, Episode, Stay
from painrehab.referrals.tests import journey
from painrehab.referrals.tests.journey import coordinator, today


@pytest.fixture(scope="module", autouse=True)
def _triggers(django_db_setup: None, django_db_blocker: object) -> Iterator[None]:
    with audit_triggers_lifted(django_db_blocker):
        yield


def _admit_in_thread(
    episode: Episode, bed: Bed, barrier: threading.Barrier, outcomes: list[str]
) -> None:
    try:
        barrier.wait(timeout=10)
        services.episode_admit(
            episode=episode,
            by=coordinator(),
            bed=bed,
            admitted_on=today(),
            planned_discharge_on=today() + dt.timedelta(days=28),
        )
        outcomes.append("admitted")
    except ValidationError as refused:
        outcomes.append(" ".join(refused.message_dict.get("bed", ["?"])))
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_exactly_one_of_two_simultaneous_admissions_gets_the_last_bed(
    attempt: int,
) -> None:
    services.beds_configure(count=1, by=None)  # a one-bed unit: the last free bed
    last_bed = Bed.objects.get(number=1)
    first, second = journey.waitlisted(), journey.waitlisted()
    barrier, outcomes = threading.Barrier(2), []
    threads = [
        threading.Thread(target=_admit_in_thread, args=(e, last_bed, barrier, outcomes))
        for e in (first, second)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(outcomes) == 2 and outcomes.count("admitted") == 1, outcomes
    refusal = next(o for o in outcomes if o != "admitted")
    assert "is no longer free" in refusal, outcomes
    assert Stay.objects.filter(bed=last_bed, discharged_on__isnull=True).count() == 1
    phases = sorted(
        Episode.objects.filter(pk__in=[first.pk, second.pk]).values_list(
            "phase", flat=True
        )
    )
    assert phases == sorted([Phase.INPATIENT, Phase.WAITLISTED])
