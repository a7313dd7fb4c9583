"""Reads of the audit trail."""

from collections.abc import Iterator, Mapping
from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from painrehab.audit import chain
from painrehab.audit.models import AuditChainHead, AuditEvent

ROW_FIELDS = ("prev_hash", "row_hash", *chain.HASHED_FIELDS)


def audit_chain_verify(*, batch_size: int = 2000) -> chain.ChainProblem | None:
    """Check every event against its hash and its neighbours; the first problem wins."""
    head = AuditChainHead.objects.filter(pk=1).first()
    head_seq, head_hash = (
        (head.last_seq, head.last_hash) if head else (0, chain.GENESIS_HASH)
    )
    return chain.verify(_rows(batch_size), head_seq, head_hash)


def _rows(batch_size: int) -> Iterator[dict[str, Any]]:
    qs = AuditEvent.objects.order_by("seq").values(*ROW_FIELDS)
    yield from qs.iterator(chunk_size=batch_size)


def audit_list(*, filters: Mapping[str, Any]) -> QuerySet[AuditEvent]:
    """Events matching cleaned AuditFilterForm data, in the requested order."""
    events = AuditEvent.objects.all()
    tz = timezone.get_current_timezone()
    if start := filters.get("date_from"):
        events = events.filter(recorded_at__gte=datetime.combine(start, time.min, tz))
    if end := filters.get("date_to"):
        next_day = datetime.combine(end + timedelta(days=1), time.min, tz)
        events = events.filter(recorded_at__lt=next_day)
    if user := filters.get("user"):
        events = events.filter(actor_username__iexact=user)
    if patient := filters.get("patient"):
        events = events.filter(patient_id=patient)
    for name in ("action", "outcome", "data_category"):
        if value := filters.get(name):
            events = events.filter(**{name: value})
    sort = filters.get("sort") or "-seq"
    return events.order_by(sort, "-seq" if sort.startswith("-") else "seq")
