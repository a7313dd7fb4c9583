"""The append-only, hash-chained audit trail."""

from typing import Any, NoReturn

from django.conf import settings
from django.db import models

from painrehab.audit.actions import ActionType, DataCategory, Outcome

APPEND_ONLY = "Audit events are append-only: they cannot be changed or deleted."


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError(APPEND_ONLY)

    def delete(self) -> NoReturn:
        raise PermissionError(APPEND_ONLY)


class AuditEvent(models.Model):
    """One audited action: who, in which role, did what to whose data, when, from where.

    ``row_hash`` is SHA-256 over ``prev_hash`` and this row's fields
    (painrehab.audit.chain), so a changed, deleted or reordered row breaks the chain.
    """

    seq = models.PositiveBigIntegerField(unique=True, editable=False)
    recorded_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    actor_username = models.CharField(max_length=150, blank=True)
    actor_role = models.CharField(max_length=32, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    action_type = models.CharField(max_length=1, choices=ActionType.choices)
    outcome = models.CharField(
        max_length=8, choices=Outcome.choices, default=Outcome.SUCCESS
    )
    outcome_reason = models.CharField(max_length=200, blank=True)
    # A plain id, not a foreign key: audit sits below patients in the app layers and
    # must outlive any record it mentions.
    patient_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    data_category = models.CharField(
        max_length=32, choices=DataCategory.choices, blank=True
    )
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    purpose_of_use = models.CharField(max_length=16, blank=True, default="TREAT")
    request_id = models.CharField(max_length=32, blank=True, db_index=True)
    session_id_hash = models.CharField(max_length=32, blank=True)
    source_ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent_hash = models.CharField(max_length=32, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    row_hash = models.CharField(max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        indexes = [models.Index(fields=["actor", "recorded_at"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} by {self.actor_username or '-'}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError(APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError(APPEND_ONLY)


class AuditChainHead(models.Model):
    """The last link of the chain; its row lock serialises audit writers.

    Keeping the head here also reveals a deleted tail: the last event must match it.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"audit chain head at #{self.last_seq}"
