"""Load the scoring catalog into ``InstrumentVersion`` rows, idempotently.

Run by ``painrehab instruments sync`` and by the data migration. A second run
changes nothing; a definition edited without a version bump refreshes its snapshot.
"""

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction

from painrehab.domain.scoring import CATALOG
from painrehab.domain.scoring.definitions import InstrumentDefinition


@dataclass(frozen=True)
class SyncResult:
    created: int
    updated: int
    unchanged: int


def definition_snapshot(definition: InstrumentDefinition) -> dict[str, Any]:
    """The definition as plain JSON (tuples become lists, enums their values)."""
    return json.loads(json.dumps(dataclasses.asdict(definition)))  # type: ignore[no-any-return]


@transaction.atomic
def catalog_sync(model: type[models.Model] | None = None) -> SyncResult:
    """Create or refresh one row per catalog definition; ``model`` for migrations."""
    if model is None:
        from painrehab.instruments.models import InstrumentVersion

        model = InstrumentVersion
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for definition in CATALOG.values():
        counts[_sync_one(model, definition)] += 1
    return SyncResult(**counts)


def _sync_one(model: type[models.Model], definition: InstrumentDefinition) -> str:
    values = {
        "name": definition.name,
        "respondent": str(definition.respondent),
        "definition": definition_snapshot(definition),
    }
    row = model._default_manager.filter(
        code=definition.code, version=definition.version
    ).first()
    if row is None:
        model._default_manager.create(
            code=definition.code, version=definition.version, **values
        )
        return "created"
    if all(getattr(row, field) == value for field, value in values.items()):
        return "unchanged"
    for field, value in values.items():
        setattr(row, field, value)
    row.save(update_fields=[*values, "updated_at"])
    return "updated"
