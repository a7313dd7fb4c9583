"""`painrehab score CODE --answers JSON`: score one set of answers, print JSON.

Exit 0 with the result; exit 2 with a JSON error naming the field or item at fault
(unknown instrument, unreadable answers, unknown item, value outside the options,
wrong type). Scoring itself is painrehab.domain.scoring; nothing is stored.
"""

import dataclasses
import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from painrehab.domain import scoring
from painrehab.domain.scoring.definitions import InstrumentDefinition

USAGE_ERROR = 2


class Command(BaseCommand):
    help = "Score answers to one instrument and print the result as JSON."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("code", help="Instrument code, e.g. FDI-C")
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--answers", help='JSON object, e.g. \'{"1": 2, "2": 0}\'')
        source.add_argument("--answers-file", type=Path, help="File holding that JSON")

    def handle(self, *args: Any, code: str, **options: Any) -> None:
        try:
            definition = _definition(code)
            answers = _answers(options["answers"], options["answers_file"])
            result = scoring.score(definition, answers)
        except _Refused as refused:
            self._fail(refused.payload)
        except scoring.ScoringInputError as error:
            kind = _ERROR_KINDS.get(type(error), "invalid_answer")
            self._fail({"error": kind, "item": error.item, "message": str(error)})
        self.stdout.write(json.dumps(dataclasses.asdict(result), indent=2))

    def _fail(self, payload: dict[str, str]) -> None:
        self.stdout.write(json.dumps(payload))
        raise SystemExit(USAGE_ERROR)


class _Refused(Exception):
    def __init__(self, **payload: str) -> None:
        super().__init__(payload.get("message", ""))
        self.payload = payload


_ERROR_KINDS = {
    scoring.UnknownItem: "unknown_item",
    scoring.ValueOutOfRange: "value_out_of_range",
    scoring.WrongType: "wrong_type",
}


def _definition(code: str) -> InstrumentDefinition:
    if code not in scoring.CATALOG:
        known = ", ".join(sorted(scoring.CATALOG))
        raise _Refused(
            error="unknown_instrument",
            field="code",
            message=f"{code!r} is not a known instrument. Known: {known}.",
        )
    return scoring.get(code)


def _answers(text: str | None, path: Path | None) -> dict[str, Any]:
    if path is not None:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise _Refused(
                error="unreadable_file", field="answers_file", message=str(error)
            ) from error
    try:
        answers = json.loads(text or "")
    except json.JSONDecodeError as error:
        raise _Refused(
            error="invalid_json", field="answers", message=f"Not JSON: {error}"
        ) from error
    if not isinstance(answers, dict):
        raise _Refused(
            error="invalid_answers",
            field="answers",
            message='Answers must be a JSON object of item to value, e.g. {"1": 2}.',
        )
    return answers
