"""`painrehab notes verify`: recompute the digest of every signed note and addendum."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from painrehab.notes.psychotherapy import psychotherapy_notes_verify
from painrehab.notes.selectors import DigestProblem, signed_notes_verify


class Command(BaseCommand):
    help = "Signed-note tools. `verify` exits 1 and names every mismatching row."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser(
            "verify",
            help="Check every signed note, addendum and psychotherapy note digest.",
        )

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        problems = signed_notes_verify() + [
            DigestProblem("psychotherapy note", pk)
            for pk in psychotherapy_notes_verify()
        ]
        if problems:
            named = ", ".join(f"{p.kind} {p.pk}" for p in problems)
            raise CommandError(
                f"{len(problems)} signed record(s) fail digest verification: {named}"
            )
        self.stdout.write(self.style.SUCCESS("every signed note digest verified"))
