"""The values a service writes, as frozen dataclasses.

A change passes the whole new state of a row; ``<X>Fields.of(row)`` gives the
current one, so a caller changing one field writes
``dataclasses.replace(PrescriptionFields.of(p), minutes=45)``. ``as_stored()`` gives
the values as the database and the audit diff hold them (codes, ISO dates).
"""

from dataclasses import asdict, dataclass, field
from datetime import date
from enum import Enum
from typing import Any

from painrehab.careplans.choices import (
    Continuity,
    GoalStatus,
    SessionMode,
    TimeOfDay,
)
from painrehab.careplans.models import CarePlan, Formulation, Goal, Prescription


def _stored(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_stored(v) for v in value]
    if isinstance(value, dict):
        return {k: _stored(v) for k, v in value.items()}
    return value.value if isinstance(value, Enum) else value


class _Values:
    def as_stored(self) -> dict[str, Any]:
        values: dict[str, Any] = asdict(self)  # type: ignore[call-overload]
        return {k: _stored(v) for k, v in values.items()}


@dataclass(frozen=True)
class PlanHeaderFields(_Values):
    summary: str
    child_hopes: str
    max_therapy_minutes_per_day: int

    @classmethod
    def of(cls, plan: CarePlan) -> "PlanHeaderFields":
        return cls(plan.summary, plan.child_hopes, plan.max_therapy_minutes_per_day)


@dataclass(frozen=True)
class FactorItem:
    """One coded factor with its free text."""

    code: str
    text: str = ""


@dataclass(frozen=True)
class FormulationFields(_Values):
    biological: tuple[FactorItem, ...] = ()
    psychological: tuple[FactorItem, ...] = ()
    social: tuple[FactorItem, ...] = ()
    summary: str = ""

    @classmethod
    def of(cls, formulation: Formulation) -> "FormulationFields":
        def items(raw: list[dict[str, str]]) -> tuple[FactorItem, ...]:
            return tuple(FactorItem(i["code"], i.get("text", "")) for i in raw)

        return cls(
            items(formulation.biological),
            items(formulation.psychological),
            items(formulation.social),
            formulation.summary,
        )


@dataclass(frozen=True)
class GoalFields(_Values):
    domain: str
    discipline: str
    target: str
    child_words: str = ""
    baseline: str = ""
    due_on: date | None = None
    status: str = GoalStatus.ACTIVE

    @classmethod
    def of(cls, goal: Goal) -> "GoalFields":
        return cls(
            domain=goal.domain,
            discipline=goal.discipline,
            target=goal.target,
            child_words=goal.child_words,
            baseline=goal.baseline,
            due_on=goal.due_on,
            status=goal.status,
        )


@dataclass(frozen=True)
class PrescriptionFields(_Values):
    """A prescription's schedule-relevant values (see docs/careplans.md mapping)."""

    discipline: str
    minutes: int
    mode: str
    starts_on: date
    sessions_per_day: int | None = 1
    sessions_per_week: int | None = None
    label: str = ""
    time_of_day: str = TimeOfDay.ANY
    excluded_weekdays: tuple[int, ...] = field(default=())
    continuity: str = Continuity.SAME_PREFERRED
    ends_on: date | None = None

    @classmethod
    def of(cls, prescription: Prescription) -> "PrescriptionFields":
        return cls(
            discipline=prescription.discipline,
            minutes=prescription.minutes,
            mode=prescription.mode,
            starts_on=prescription.starts_on,
            sessions_per_day=prescription.sessions_per_day,
            sessions_per_week=prescription.sessions_per_week,
            label=prescription.label,
            time_of_day=prescription.time_of_day,
            excluded_weekdays=tuple(prescription.excluded_weekdays),
            continuity=prescription.continuity,
            ends_on=prescription.ends_on,
        )

    @property
    def is_group(self) -> bool:
        return self.mode == SessionMode.GROUP


@dataclass(frozen=True)
class DecisionInput:
    """A team conference decision for one child, as the decision form gives it.

    Which fields count depends on ``kind`` (``choices.DecisionKind``): the
    prescription (``prescription_id`` seen at ``prescription_version``) and its new
    ``minutes``/frequency or ``stopped_on``; the new ``goal``; the new planned
    discharge ``discharge_on``. A frequency left empty keeps the current one.
    """

    kind: str
    rationale: str
    prescription_id: int | None = None
    prescription_version: int | None = None
    minutes: int | None = None
    sessions_per_day: int | None = None
    sessions_per_week: int | None = None
    stopped_on: date | None = None
    goal: GoalFields | None = None
    discharge_on: date | None = None
