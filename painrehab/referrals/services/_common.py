"""Shared pieces of the referral services: the audit helper and role tables."""

from typing import Any

from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, DataCategory
from painrehab.audit.services import record
from painrehab.episodes.models import Episode


def _audit(
    *,
    action: str,
    action_type: ActionType,
    episode: Episode,
    by: User,
    obj: Any,
    category: DataCategory,
    changes: dict[str, Any] | None = None,
) -> None:
    record(
        action=action,
        action_type=action_type,
        actor=by,
        patient_id=episode.patient_id,
        data_category=category,
        obj=obj,
        changes=changes,
    )
