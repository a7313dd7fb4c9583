"""Real concurrent requests: a double-clicked create and two saves of one version.

One thread and one database connection each, as in episodes' concurrency test.
On PostgreSQL the row lock and the unique ``form_token`` decide; on SQLite the
IMMEDIATE transactions queue, and the same assertions hold.
"""

import threading
import uuid
from collections.abc import Callable, Iterator

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from painrehab.accounts.choices import Role
from painrehab.common.testing import audit_triggers_lifted
from painrehab.notes import services
from painrehab.notes.models import Note
from painrehab.notes.tests.support import (
    child,
    clinician,
    draft,
    today,
)

THREADS = 4


@pytest.fixture(scope="module", autouse=True)
def _triggers(django_db_setup: None, django_db_blocker: object) -> Iterator[None]:
    with audit_triggers_lifted(django_db_blocker):
        yield


def _together(work: Callable[[], object]) -> list[object]:
    barrier, outcomes = threading.Barrier(THREADS), []

    def run() -> None:
        try:
            barrier.wait(timeout=10)
            outcomes.append(work())
        except ValidationError as refused:
            outcomes.append(refused)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_simultaneous_submits_of_one_create_form_make_one_note() -> None:
    patient = child()
    pt = clinician(Role.PHYSICAL_THERAPIST, patient)
    token = uuid.uuid4()
    outcomes = _together(
        lambda: (
            services.note_create(
                patient=patient,
                template_key="therapy_progress",
                author=pt,
                service_date=today(),
                form_token=token,
            ).pk
        )
    )
    assert len(outcomes) == THREADS and len(set(outcomes)) == 1
    assert Note.objects.filter(patient=patient).count() == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_of_one_version_let_exactly_one_through() -> None:
    patient = child()
    pt = clinician(Role.PHYSICAL_THERAPIST, patient)
    note = draft(patient, pt, body={})
    outcomes = _together(
        lambda: (
            services.note_save(
                note=note,
                by=pt,
                version=1,
                body={"plan": f"typed in {threading.get_ident()}"},
            ).version
        )
    )
    saved = [o for o in outcomes if o == 2]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(saved) == 1 and len(refused) == THREADS - 1
    assert all(services.STALE in r.message_dict["version"] for r in refused)
    note.refresh_from_db()
    assert note.version == 2
