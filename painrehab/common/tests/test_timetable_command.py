"""`painrehab timetable` is reachable as a management command and as `painrehab`."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command


def test_call_command_forwards_to_the_domain_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    problem = tmp_path / "p.json"

    call_command(
        "timetable",
        "generate",
        "--patients",
        "2",
        "--days",
        "1",
        "--seed",
        "1",
        "--out",
        str(problem),
    )
    call_command(
        "timetable",
        "solve",
        str(problem),
        "--out",
        str(tmp_path / "s.json"),
        "--time-limit",
        "2",
    )
    call_command("timetable", "check", str(problem), str(tmp_path / "s.json"))

    assert '"valid": true' in capsys.readouterr().out
    assert json.loads((tmp_path / "s.json").read_text())["status"] in (
        "OPTIMAL",
        "FEASIBLE",
    )


def test_call_command_exits_with_the_commands_code(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as stopped:
        call_command(
            "timetable",
            "check",
            str(tmp_path / "none.json"),
            str(tmp_path / "none.json"),
        )

    assert stopped.value.code == 2


def test_the_console_command_runs_it(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "painrehab",
            "timetable",
            "generate",
            "--patients",
            "1",
            "--days",
            "1",
            "--seed",
            "1",
        ],
        capture_output=True,
        text=True,
        check=False,
        env={"DJANGO_SETTINGS_MODULE": "config.settings_test", "PATH": "/usr/bin:/bin"},
        cwd=Path(__file__).resolve().parents[3],
    )

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["format"] == "painrehab-timetable/1"
