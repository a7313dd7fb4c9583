"""`painrehab demo`: migrate, build the synthetic program once, print the logins, serve.

While serving, the background worker of the timetable solves runs beside the
server (``painrehab db_worker --queue-name timetable``) and stops with it.

``make demo`` runs it with PAINREHAB_DEBUG=1 and PAINREHAB_DEMO=1; without both it
refuses, so fictional people never land in a real database.

``--reset`` deletes the SQLite demo database file rather than running ``flush``:
audit events are append-only (database triggers refuse DELETE), so the only way to
empty the trail is to start a new database.
"""

import signal
import subprocess
import sys
import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils import timezone

from painrehab.demo.generator import DEMO_PASSWORD, demo_build, demo_data_exists
from painrehab.demo.logins import DemoLogin, demo_logins
from painrehab.demo.plan import DEFAULT_SEED, PlannedPhase, program_plan
from painrehab.scheduling.tasks import QUEUE as WORKER_QUEUE

DEFAULT_ADDRPORT = "127.0.0.1:8000"
DEMO_MODE_REQUIRED = (
    "The demo writes fictional people into the database, so it runs only with "
    "PAINREHAB_DEBUG=1 and PAINREHAB_DEMO=1 (use `make demo`)."
)
RESET_NEEDS_SQLITE_FILE = (
    "--reset deletes the SQLite demo database file (var/painrehab.sqlite3), and this "
    "database is not it "
    "(audit events are append-only, so flushing cannot empty it). Drop and recreate "
    "the database instead."
)
WORKER_STOP_SECONDS = 10
SECOND_FACTOR_NOTE = (
    "Second factor: enter 000000 (accepted only in demo mode with DEBUG on)"
)


class Command(BaseCommand):
    help = "Build the synthetic demo program (once), print its logins and serve it."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--addrport", default=DEFAULT_ADDRPORT)
        parser.add_argument(
            "--no-serve", action="store_true", help="Build and stop; do not serve."
        )
        parser.add_argument(
            "--reset", action="store_true", help="Delete ALL data, then rebuild."
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="Used when building."
        )

    def handle(
        self,
        *args: Any,
        addrport: str,
        no_serve: bool,
        reset: bool,
        seed: int,
        **_: Any,
    ) -> None:
        if not (settings.DEBUG and settings.DEMO_MODE):
            raise CommandError(DEMO_MODE_REQUIRED)
        if reset:
            demo_database_delete()
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(
            "PainRehab demo: synthetic data only; every person is fictional."
        )
        logins = self._build(seed) if not demo_data_exists() else self._existing(seed)
        self._write_logins(logins, addrport)
        if not no_serve:
            worker = worker_start()
            self.stdout.write(
                f"Timetable solves run in a background worker (process {worker.pid})."
            )
            # Stopped with SIGTERM too, the server unwinds and stops the worker.
            signal.signal(signal.SIGTERM, _exit)
            try:
                call_command("runserver", addrport, use_reloader=False)
            finally:
                worker_stop(worker)

    def _build(self, seed: int) -> tuple[DemoLogin, ...]:
        started = time.monotonic()
        result = demo_build(seed=seed)
        seconds = time.monotonic() - started
        inpatients = sum(
            p.planned_phase == PlannedPhase.INPATIENT for p in result.program.patients
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Built in {seconds:.1f} s (seed {seed}): {result.staff_count} staff, "
                f"{result.patient_count} patients ({inpatients} planned on the unit), "
                f"{result.guardian_count} guardians, "
                f"{result.care_team_count} care-team places."
            )
        )
        return result.logins

    def _existing(self, seed: int) -> tuple[DemoLogin, ...]:
        self.stdout.write(
            "Demo data already present: nothing rebuilt (--reset starts over)."
        )
        return demo_logins(program_plan(seed=seed, today=timezone.localdate()))

    def _write_logins(self, logins: tuple[DemoLogin, ...], addrport: str) -> None:
        host = addrport if ":" in addrport else f"127.0.0.1:{addrport}"
        self.stdout.write("")
        self.stdout.write(f"Sign in at http://{host}/accounts/login/")
        self.stdout.write(f"Password (every account): {DEMO_PASSWORD}")
        self.stdout.write(SECOND_FACTOR_NOTE)
        self.stdout.write("")
        rows = [
            ("username", "role", "sees"),
            *((x.username, x.role, x.sees) for x in logins),
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(2)]
        for username, role, sees in rows:
            self.stdout.write(f"{username:<{widths[0]}}  {role:<{widths[1]}}  {sees}")
        self.stdout.write("")


def demo_database_delete() -> None:
    """Delete the demo's SQLite file (and its journals); migrate makes a new one.

    Only the demo database under PAINREHAB_VAR_DIR qualifies: never a server
    database, an in-memory one, or a test database.
    """
    connection = connections["default"]
    demo_file = Path(settings.VAR_DIR) / "painrehab.sqlite3"
    name = connection.settings_dict["NAME"]
    if (
        connection.vendor != "sqlite"
        or Path(str(name)).resolve() != demo_file.resolve()
    ):
        raise CommandError(RESET_NEEDS_SQLITE_FILE)
    connection.close()
    for suffix in ("", "-journal", "-wal", "-shm"):
        demo_file.with_name(demo_file.name + suffix).unlink(missing_ok=True)


def _exit(signum: int, frame: object) -> None:
    raise SystemExit(0)


def worker_command() -> list[str]:
    """``painrehab db_worker`` for the timetable queue, without the autoreloader."""
    return [
        sys.executable,
        "-m",
        "painrehab",
        "db_worker",
        "--queue-name",
        WORKER_QUEUE,
        "--no-reload",
    ]


def worker_start() -> "subprocess.Popen[bytes]":
    """Start the worker as a child process with this process's environment."""
    return subprocess.Popen(worker_command())  # noqa: S603 - our own fixed command


def worker_stop(worker: "subprocess.Popen[bytes]") -> None:
    """Ask the worker to stop (it finishes a solve under way), then insist."""
    worker.terminate()
    try:
        worker.wait(timeout=WORKER_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()
