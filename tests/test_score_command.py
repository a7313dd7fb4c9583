"""`painrehab score`: JSON out, exit 0; bad input exits 2 naming the field or item."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FDI_ALL_TWOS = {str(i): 2 for i in range(1, 16)}


def _run(*args: str) -> tuple[int, dict[str, object]]:
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "config.settings_test"}
    done = subprocess.run(
        [sys.executable, "-m", "painrehab", "score", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    return done.returncode, json.loads(done.stdout)


def test_scores_answers_and_prints_the_result_as_json() -> None:
    code, result = _run("FDI-C", "--answers", json.dumps(FDI_ALL_TWOS))
    # FDI: 15 items scored 0-4 and summed; fifteen 2s make 30, in the 30-60 band.
    assert code == 0
    assert result["total"] == 30.0 and result["scorable"] is True
    assert result["band"] == "Severe disability"
    assert result["engine_version"]


def test_reads_answers_from_a_file(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"1": 7}))
    code, result = _run("NRS", "--answers-file", str(answers))
    assert code == 0 and result["total"] == 7.0


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(
            ["XYZ", "--answers", "{}"],
            {"error": "unknown_instrument", "field": "code"},
            id="unknown_instrument_case",
        ),
        pytest.param(
            ["FDI-C", "--answers", "{not json"],
            {"error": "invalid_json", "field": "answers"},
            id="bad_json_case",
        ),
        pytest.param(
            ["FDI-C", "--answers", "[1, 2]"],
            {"error": "invalid_answers", "field": "answers"},
            id="not_an_object_case",
        ),
        pytest.param(
            ["FDI-C", "--answers", '{"16": 1}'],
            {"error": "unknown_item", "item": "16"},
            id="unknown_item_case",
        ),
        pytest.param(
            ["FDI-C", "--answers", '{"3": 5}'],
            {"error": "value_out_of_range", "item": "3"},
            id="out_of_range_case",
        ),
        pytest.param(
            ["FDI-C", "--answers", '{"3": "two"}'],
            {"error": "wrong_type", "item": "3"},
            id="wrong_type_case",
        ),
        pytest.param(
            ["FDI-C", "--answers-file", "/no/such/file"],
            {"error": "unreadable_file", "field": "answers_file"},
            id="missing_file_case",
        ),
    ],
)
def test_bad_input_exits_2_naming_what_is_wrong(
    args: list[str], expected: dict[str, str]
) -> None:
    code, error = _run(*args)
    assert code == 2
    assert {k: error[k] for k in expected} == expected
    assert error["message"]
