import re
from pathlib import Path

import pytest
from django.core.management import call_command

from painrehab.accounts.models import User
from painrehab.audit.actions import AuditAction
from painrehab.domain.scoring import CATALOG
from painrehab.instruments.catalog_sync import catalog_sync
from painrehab.instruments.models import (
    SCORE_IS_FINAL,
    SUBMITTED_IS_FINAL,
    InstrumentVersion,
)
from painrehab.instruments.tests.support import all_answers, fill_and_submit, start
from painrehab.patients.models import Patient
from painrehab.referrals.tests import journey


@pytest.mark.django_db
def test_catalog_sync_is_idempotent() -> None:
    catalog_sync()

    again = catalog_sync()

    assert again.created == again.updated == 0
    assert again.unchanged == len(CATALOG)
    assert InstrumentVersion.objects.count() == len(CATALOG)


@pytest.mark.django_db
def test_catalog_sync_refreshes_a_changed_snapshot() -> None:
    catalog_sync()
    InstrumentVersion.objects.filter(code="FDI-C").update(definition={})

    result = catalog_sync()

    assert result.updated == 1
    stored = InstrumentVersion.objects.get(code="FDI-C")
    assert len(stored.definition["items"]) == 15
    assert stored.respondent == "child"


@pytest.mark.django_db
def test_sync_command_reports_counts(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("instruments", "sync")

    assert f"{len(CATALOG)} unchanged" in capsys.readouterr().out


def test_submitted_administration_cannot_be_saved_or_deleted(
    child: Patient, coordinator: User
) -> None:
    episode = journey.admitted(child)
    administration = start(episode, coordinator)
    fill_and_submit(administration, coordinator, all_answers("FDI-C", 1))
    administration.refresh_from_db()

    administration.answers = {"1": 4}
    with pytest.raises(PermissionError, match=SUBMITTED_IS_FINAL):
        administration.save()
    with pytest.raises(PermissionError, match=SUBMITTED_IS_FINAL):
        administration.delete()


def test_stale_in_memory_copy_cannot_overwrite_a_submitted_row(
    child: Patient, coordinator: User
) -> None:
    episode = journey.admitted(child)
    administration = start(episode, coordinator)
    stale = type(administration).objects.get(pk=administration.pk)
    fill_and_submit(administration, coordinator, all_answers("FDI-C", 1))

    stale.answers = {"1": 4}
    with pytest.raises(PermissionError):
        stale.save()


def test_score_is_final_except_its_acknowledgement(
    child: Patient, coordinator: User
) -> None:
    episode = journey.admitted(child)
    score = fill_and_submit(
        start(episode, coordinator), coordinator, all_answers("FDI-C", 1)
    )

    score.total = 0
    with pytest.raises(PermissionError, match=SCORE_IS_FINAL):
        score.save()
    with pytest.raises(PermissionError, match=SCORE_IS_FINAL):
        score.delete()
    score.acknowledged_by = coordinator
    score.save(update_fields=["acknowledged_by"])


def test_every_action_the_app_writes_is_an_audit_action() -> None:
    root = Path(__file__).resolve().parent.parent
    written = {
        action
        for path in root.glob("*.py")
        for action in re.findall(
            r'"((?:administration|score)\.[a-z_]+)"', path.read_text()
        )
    }

    assert written == {
        "administration.started",
        "administration.saved",
        "administration.submitted",
        "administration.corrected",
        "score.flagged",
        "score.acknowledged",
    }
    assert written <= set(AuditAction.values)
