"""The audit hash chain: how a row's hash is computed and how the chain is verified."""

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

GENESIS_HASH = "0" * 64

# The fields covered by the hash, in a fixed order. Adding one needs a new chain
# version, since old rows were hashed without it.
HASHED_FIELDS = (
    "seq",
    "recorded_at",
    "actor_id",
    "actor_username",
    "actor_role",
    "action",
    "action_type",
    "outcome",
    "outcome_reason",
    "patient_id",
    "data_category",
    "object_type",
    "object_id",
    "purpose_of_use",
    "request_id",
    "session_id_hash",
    "source_ip",
    "user_agent_hash",
    "changes",
)


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    return value


def row_hash(prev_hash: str, fields: Mapping[str, Any]) -> str:
    """SHA-256 over the previous hash and this row's fields as canonical JSON."""
    payload = {name: _canonical(fields[name]) for name in HASHED_FIELDS}
    body = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{prev_hash}|{body}".encode()).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    seq: int | None
    message: str


def verify(
    rows: Iterable[Mapping[str, Any]], head_seq: int, head_hash: str
) -> ChainProblem | None:
    """Walk rows in ``seq`` order; return the first problem, or ``None`` if intact."""
    expected_prev, expected_seq = GENESIS_HASH, 1
    for row in rows:
        seq = int(row["seq"])
        if seq != expected_seq:
            return ChainProblem(seq, f"expected event #{expected_seq}, found #{seq}")
        if row["prev_hash"] != expected_prev:
            return ChainProblem(seq, f"event #{seq} does not link to event #{seq - 1}")
        if row_hash(row["prev_hash"], row) != row["row_hash"]:
            return ChainProblem(seq, f"event #{seq} was altered after it was written")
        expected_prev, expected_seq = row["row_hash"], seq + 1
    if expected_seq - 1 != head_seq or expected_prev != head_hash:
        return ChainProblem(
            head_seq,
            f"the chain ends at #{expected_seq - 1}, the head says #{head_seq}",
        )
    return None
