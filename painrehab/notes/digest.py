"""The signature digests: a canonical serialization and its SHA-256.

Canonical form (version 1), the same for every signed thing here:

- a JSON object with the fields listed below, keys sorted, no whitespace
  (``separators=(",", ":")``), non-ASCII characters kept as UTF-8
  (``ensure_ascii=False``), encoded as UTF-8;
- ids are integers, dates ``YYYY-MM-DD``, times ISO 8601 in UTC with microseconds
  (``2026-03-02T17:04:05.123456+00:00``), texts exactly as stored;
- ``"v": 1`` names the format, so a later format can be told apart.

The co-signature and the confidentiality mark are *not* covered: they are facts
about the note, recorded after it was signed, and they never change its content.
"""

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

FORMAT_VERSION = 1


def _instant(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def canonical_bytes(content: Mapping[str, Any]) -> bytes:
    body = {"v": FORMAT_VERSION, **content}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def sha256_of(content: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(content)).hexdigest()


def note_content(
    *,
    template: str,
    kind: str,
    sections: Mapping[str, str],
    patient_id: int,
    author_id: int,
    service_date: date,
    signed_at: datetime,
    late_entry_reason: str,
) -> dict[str, Any]:
    """What a note's signature covers."""
    return {
        "template": template,
        "kind": kind,
        "sections": {str(k): str(v) for k, v in sections.items()},
        "patient": patient_id,
        "author": author_id,
        "service_date": service_date.isoformat(),
        "signed_at": _instant(signed_at),
        "late_entry_reason": late_entry_reason,
    }


def addendum_content(
    *,
    note_id: int,
    note_sha256: str,
    author_id: int,
    text: str,
    reason: str,
    signed_at: datetime,
) -> dict[str, Any]:
    """What an addendum's signature covers, including the note it is bound to."""
    return {
        "note": note_id,
        "note_sha256": note_sha256,
        "author": author_id,
        "text": text,
        "reason": reason,
        "signed_at": _instant(signed_at),
    }


def psychotherapy_note_content(
    *,
    patient_id: int,
    author_id: int,
    service_date: date,
    text: str,
    signed_at: datetime,
) -> dict[str, Any]:
    """What a psychotherapy note's signature covers."""
    return {
        "kind": "psychotherapy_note",
        "patient": patient_id,
        "author": author_id,
        "service_date": service_date.isoformat(),
        "text": text,
        "signed_at": _instant(signed_at),
    }
