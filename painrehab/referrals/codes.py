"""The shipped ICD-10-CM list of the program's diagnoses (data/icd10cm.json)."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "icd10cm.json"


@dataclass(frozen=True)
class Diagnosis:
    code: str
    title: str
    group: str  # a painrehab.domain.eligibility.ConditionGroup value


@cache
def diagnoses() -> dict[str, Diagnosis]:
    """Every listed code, by code."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return {code: Diagnosis(code, title, group) for code, title, group in data["codes"]}


@cache
def group_labels() -> dict[str, str]:
    return dict(json.loads(DATA.read_text(encoding="utf-8"))["groups"])


def diagnosis_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Codes grouped by condition group, for a select box."""
    labels = group_labels()
    grouped: dict[str, list[tuple[str, str]]] = {group: [] for group in labels}
    for dx in diagnoses().values():
        grouped[dx.group].append((dx.code, f"{dx.code} {dx.title}"))
    return [(labels[group], items) for group, items in grouped.items() if items]
