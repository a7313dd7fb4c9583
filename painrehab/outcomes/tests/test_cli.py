"""`painrehab outcomes summary|export` on the command line."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from painrehab.audit.actions import AuditAction
from painrehab.audit.models import AuditEvent
from painrehab.outcomes.selectors import CohortFilter, cohort_table_get, table_as_dict
from painrehab.outcomes.tests.cohort_support import (
    admission_and_discharge,
    closed_episode,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort() -> None:
    for pre, post in ((30, 10), (24, 12), (40, 22)):
        episode = closed_episode()
        admission_and_discharge(episode, "FDI-C", pre, post)


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("outcomes", *args, stdout=out)
    return out.getvalue()


def test_summary_json_equals_the_selectors_figures(cohort: None) -> None:
    printed = json.loads(_run("summary", "--instrument", "FDI-C", "--json"))

    filters = CohortFilter.default()
    expected = table_as_dict(cohort_table_get(filters=filters, code="FDI-C"), filters)
    assert printed == json.loads(json.dumps(expected))
    points = {p["time_point"]: p for p in printed["time_points"]}
    assert points["admission"]["n"] == 3
    assert points["admission"]["mean"] == pytest.approx(94 / 3)
    change = printed["paired_change"]["discharge"]
    assert change["n"] == 3 and change["mean_change"] == pytest.approx(-50 / 3)
    assert {"ci", "d_z", "hedges_g", "hedges_g_ci"} <= set(change)
    assert printed["responders"]["discharge"]["reliable_improvement"]["n"] == 3
    assert AuditEvent.objects.filter(
        action=AuditAction.OUTCOMES_COHORT_VIEWED, changes__channel="command line"
    ).exists()


def test_summary_text_is_a_readable_table(cohort: None) -> None:
    text = _run("summary", "--instrument", "FDI-C")

    assert "Functional Disability Inventory" in text
    assert "Admission" in text and "Discharge" in text
    assert "Hedges' g (matched)" in text and "d_z" in text


def test_filters_apply_on_the_command_line(cohort: None) -> None:
    printed = json.loads(
        _run("summary", "--instrument", "FDI-C", "--json", "--sex", "male")
    )

    assert printed["cohort_episodes"] == 0
    assert printed["filters"]["sex"] == "male"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("summary", "--instrument", "NOPE"), "unknown instrument: NOPE"),
        (("summary", "--instrument", "FDI-C", "--from", "soon"), "not a date"),
        (("summary", "--instrument", "FDI-C", "--sex", "dragon"), "--sex must be"),
        (("export", "--out", "never-written", "--by", "nobody"), "active director"),
    ],
)
def test_bad_arguments_exit_with_a_message(args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        _run(*args)


def test_export_writes_the_files_and_records_the_disclosure(
    cohort: None, tmp_path: Path
) -> None:
    text = _run("export", "--out", str(tmp_path), "--purpose", "Registry")

    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "README.txt",
        "data_dictionary.csv",
        "episodes.csv",
        "outcomes_long.csv",
    ]
    assert "exported 6 scores of 3 patients" in text
    event = AuditEvent.objects.get(action=AuditAction.OUTCOMES_EXPORTED)
    assert event.changes["purpose"] == "Registry"
    assert event.changes["channel"] == "command line"
    assert event.changes["rows"] == 6


def test_an_unknown_instrument_exits_non_zero_from_the_console() -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "painrehab",
            "outcomes",
            "summary",
            "--instrument",
            "NOPE",
        ],
        capture_output=True,
        text=True,
        env={"DJANGO_SETTINGS_MODULE": "config.settings_test", "PATH": "/usr/bin"},
        check=False,
    )

    assert result.returncode != 0
    assert "unknown instrument: NOPE" in result.stderr
