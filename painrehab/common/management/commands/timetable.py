"""`painrehab timetable solve|check|generate`: forwards to the pure-Python command.

Everything, arguments included, lives in ``painrehab.domain.timetable.cli``; this
wrapper only makes it a `painrehab` subcommand and turns its exit code into one.
"""

from argparse import REMAINDER
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from painrehab.domain.timetable import cli


class Command(BaseCommand):
    help = "Solve, check and generate unit timetables (see docs/timetable.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("args", nargs=REMAINDER, help="solve | check | generate …")

    def run_from_argv(self, argv: list[str]) -> None:
        # Django's own parser would claim --help and options such as --seed;
        # the domain parser owns them all.
        self._exit(cli.main(argv[2:]))

    def handle(self, *args: Any, **options: Any) -> None:
        self._exit(cli.main(list(args)))

    def _exit(self, code: int) -> None:
        if code:
            raise SystemExit(code)
