"""The plan's history in words: each ``PlanChange`` with its fields old → new."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst

from painrehab.audit.actions import AuditAction
from painrehab.careplans.choices import Attainment, Factor, Weekday
from painrehab.careplans.models import (
    CarePlan,
    Formulation,
    Goal,
    PlanChange,
    Prescription,
)

EMPTY = "—"
MODELS: dict[str, type[models.Model]] = {
    "plan": CarePlan,
    "formulation": Formulation,
    "goal": Goal,
    "prescription": Prescription,
}
# Keys of a change that are not model fields.
EXTRA_LABELS = {
    "attainment": "Attainment",
    "reviewed_on": "Review date",
    "template": "Template",
    "goals": "Starter goals",
    "prescriptions": "Default prescriptions",
    "planned_discharge_on": "Planned discharge",
}
FACTOR_LISTS = frozenset({"biological", "psychological", "social"})


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryLine:
    """One change: who, when, what (``action`` in words, ``label``) and why."""

    at: datetime
    by: str
    action: str
    subject: str
    subject_id: int | None
    label: str
    changes: tuple[FieldChange, ...]
    reason: str


def _field(subject: str, name: str) -> models.Field[Any, Any] | None:
    model = MODELS.get(subject)
    if model is None:
        return None
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, models.Field) else None


def field_label(subject: str, name: str) -> str:
    found = _field(subject, name)
    if found is not None:
        return str(capfirst(found.verbose_name))
    return EXTRA_LABELS.get(name, name.replace("_", " ").capitalize())


def _factors(value: list[dict[str, str]]) -> str:
    parts = []
    for item in value:
        code = item.get("code", "")
        label = str(Factor(code).label) if code in Factor.values else code
        text = item.get("text", "")
        parts.append(f"{label} ({text})" if text else label)
    return "; ".join(parts)


def shown(subject: str, name: str, value: Any) -> str:
    """A stored value (code, ISO date, list) as a reader would say it."""
    if value is None or value == "" or value == []:
        return EMPTY
    if name == "attainment":
        return str(Attainment(value).label)
    if name in FACTOR_LISTS:
        return _factors(value)
    if name == "excluded_weekdays":
        return ", ".join(str(Weekday(d).label) for d in value)
    if name in ("goals", "prescriptions"):
        return str(len(value))
    found = _field(subject, name)
    if found is not None and found.choices:
        return str(dict(found.flatchoices).get(value, value))
    return str(value)


def _action_label(action: str) -> str:
    return str(AuditAction(action).label) if action in AuditAction.values else action


def _changes(entry: PlanChange) -> tuple[FieldChange, ...]:
    return tuple(
        FieldChange(
            field_label(entry.subject, name),
            shown(entry.subject, name, change.get("old")),
            shown(entry.subject, name, change.get("new")),
        )
        for name, change in entry.changes.items()
    )


def history_lines(changes: Iterable[PlanChange]) -> list[HistoryLine]:
    """``changes`` with ``by`` selected, in the order given."""
    return [
        HistoryLine(
            at=entry.at,
            by=entry.by.get_full_name() or entry.by.get_username(),
            action=_action_label(entry.action),
            subject=entry.subject,
            subject_id=entry.subject_id,
            label=entry.label,
            changes=_changes(entry),
            reason=entry.reason,
        )
        for entry in changes
    ]
