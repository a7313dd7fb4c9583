"""Raw-sum → T-score conversion tables: the file format and the lookup.

PROMIS short forms are scored by summing item values and looking the raw sum up
in the form-specific table of the HealthMeasures scoring manual (instruments.md
§3.1). Those tables are PHO material (§0), so none ships with the project:
a deployment loads its licensed tables with ``load_t_table``. Tables must never
be typed from memory and must match the exact form and version (§3.2).

File format (JSON)::

    {
      "code": "PROMIS-PED-PAININT-8A",
      "version": "1.0",
      "source": "HealthMeasures Pain Interference scoring manual, table …",
      "rows": [{"raw": 0, "t": 34.0, "se": 6.0}, …]
    }
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


class TTableError(ValueError):
    """A conversion-table file is malformed."""


@dataclass(frozen=True)
class TRow:
    t: float
    se: float


@dataclass(frozen=True)
class TTable:
    """One form's raw-sum → T (and standard error) table."""

    code: str
    version: str
    source: str
    rows: Mapping[int, TRow]

    def lookup(self, raw: int) -> TRow | None:
        return self.rows.get(raw)


def _row(entry: object) -> tuple[int, TRow]:
    if not isinstance(entry, dict):
        raise TTableError("each row must be an object with raw, t and se")
    raw, t, se = entry.get("raw"), entry.get("t"), entry.get("se")
    if not isinstance(raw, int) or isinstance(raw, bool):
        raise TTableError(f"row raw must be an integer, got {raw!r}")
    if not isinstance(t, int | float) or not isinstance(se, int | float):
        raise TTableError(f"row for raw {raw} needs numeric t and se")
    return raw, TRow(float(t), float(se))


def parse_t_table(data: object) -> TTable:
    """Build a table from already-decoded JSON."""
    if not isinstance(data, dict):
        raise TTableError("a T table must be a JSON object")
    code, version, source = data.get("code"), data.get("version"), data.get("source")
    if not all(isinstance(v, str) and v for v in (code, version, source)):
        raise TTableError("a T table needs non-empty code, version and source")
    entries = data.get("rows")
    if not isinstance(entries, list) or not entries:
        raise TTableError("a T table needs a non-empty list of rows")
    rows: dict[int, TRow] = {}
    for entry in entries:
        raw, row = _row(entry)
        if raw in rows:
            raise TTableError(f"raw {raw} appears twice")
        rows[raw] = row
    return TTable(str(code), str(version), str(source), rows)


def load_t_table(path: Path | str) -> TTable:
    """Read a conversion table from a JSON file (format in the module docstring)."""
    with Path(path).open(encoding="utf-8") as handle:
        return parse_t_table(json.load(handle))
