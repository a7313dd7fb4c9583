"""The only writer of the audit trail: ``record()``."""

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models, transaction
from django.utils import timezone

from painrehab.audit import chain, context
from painrehab.audit.actions import ActionType, DataCategory, Outcome
from painrehab.audit.models import AuditChainHead, AuditEvent


def _actor_from_context() -> AbstractBaseUser | None:
    request = context.current().request
    user = getattr(request, "user", None)
    return user if isinstance(user, AbstractBaseUser) else None


def record(
    *,
    action: str,
    action_type: ActionType,
    actor: AbstractBaseUser | AnonymousUser | None = None,
    patient_id: int | None = None,
    data_category: DataCategory = DataCategory.NONE,
    obj: models.Model | None = None,
    outcome: Outcome = Outcome.SUCCESS,
    outcome_reason: str = "",
    changes: dict[str, Any] | None = None,
    purpose_of_use: str = "TREAT",
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction.

    The chain head's row lock makes concurrent writers queue, so ``seq`` and the
    hash links follow commit order. Psychotherapy-note content must never be passed
    in ``changes``: the trail records ids only for that category.
    """
    user = actor if isinstance(actor, AbstractBaseUser) else _actor_from_context()
    ctx = context.current()
    with transaction.atomic():
        head = _locked_head()
        fields: dict[str, Any] = {
            "seq": head.last_seq + 1,
            "recorded_at": timezone.now(),
            "actor_id": user.pk if user else None,
            "actor_username": user.get_username() if user else "",
            "actor_role": getattr(user, "role", "") if user else "",
            "action": str(action),
            "action_type": str(action_type),
            "outcome": str(outcome),
            "outcome_reason": outcome_reason,
            "patient_id": patient_id,
            "data_category": str(data_category),
            "object_type": obj._meta.label if obj is not None else "",
            "object_id": str(obj.pk) if obj is not None else "",
            "purpose_of_use": purpose_of_use,
            "request_id": ctx.request_id,
            "session_id_hash": ctx.session_id_hash,
            "source_ip": ctx.source_ip,
            "user_agent_hash": ctx.user_agent_hash,
            "changes": changes or {},
        }
        digest = chain.row_hash(head.last_hash, fields)
        event = AuditEvent.objects.create(
            prev_hash=head.last_hash, row_hash=digest, **fields
        )
        AuditChainHead.objects.filter(pk=head.pk).update(
            last_seq=event.seq, last_hash=digest
        )
    return event


def _locked_head() -> AuditChainHead:
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(
        pk=1, defaults={"last_seq": 0, "last_hash": chain.GENESIS_HASH}
    )
    return head
