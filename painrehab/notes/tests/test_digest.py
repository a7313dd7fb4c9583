"""The canonical serialization and its SHA-256 (docs/notes.md, "Digest format")."""

import datetime as dt
import hashlib

from painrehab.notes import digest

SIGNED_AT = dt.datetime(2026, 3, 2, 17, 4, 5, 123456, tzinfo=dt.UTC)


def _content(**changes: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "template": "therapy_progress",
        "kind": "daily_progress",
        "sections": {"plan": "Walk 200 m", "assessment": "Better ✓"},
        "patient_id": 7,
        "author_id": 3,
        "service_date": dt.date(2026, 3, 2),
        "signed_at": SIGNED_AT,
        "late_entry_reason": "",
    }
    fields.update(changes)
    return digest.note_content(**fields)  # type: ignore[arg-type]


def test_the_canonical_bytes_are_exactly_the_documented_form() -> None:
    expected = (
        '{"author":3,"kind":"daily_progress","late_entry_reason":"","patient":7,'
        '"sections":{"assessment":"Better ✓","plan":"Walk 200 m"},'
        '"service_date":"2026-03-02","signed_at":"2026-03-02T17:04:05.123456+00:00",'
        '"template":"therapy_progress","v":1}'
    ).encode()
    assert digest.canonical_bytes(_content()) == expected
    assert digest.sha256_of(_content()) == hashlib.sha256(expected).hexdigest()


def test_key_order_and_time_zone_do_not_change_the_digest() -> None:
    reordered = _content(sections={"assessment": "Better ✓", "plan": "Walk 200 m"})
    pacific = _content(
        signed_at=SIGNED_AT.astimezone(dt.timezone(dt.timedelta(hours=-8)))
    )
    assert digest.sha256_of(reordered) == digest.sha256_of(_content())
    assert digest.sha256_of(pacific) == digest.sha256_of(_content())


def test_any_change_of_a_covered_field_changes_the_digest() -> None:
    base = digest.sha256_of(_content())
    changes = [
        {"sections": {"plan": "Walk 200 m ", "assessment": "Better ✓"}},
        {"patient_id": 8},
        {"author_id": 4},
        {"service_date": dt.date(2026, 3, 1)},
        {"signed_at": SIGNED_AT + dt.timedelta(microseconds=1)},
        {"kind": "evaluation"},
        {"template": "pt_evaluation"},
        {"late_entry_reason": "x"},
    ]
    digests = {digest.sha256_of(_content(**c)) for c in changes}  # type: ignore[arg-type]
    assert base not in digests and len(digests) == len(changes)
