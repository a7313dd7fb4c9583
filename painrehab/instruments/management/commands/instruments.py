"""`painrehab instruments sync`: load the scoring catalog into the database."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from painrehab.instruments.catalog_sync import catalog_sync


class Command(BaseCommand):
    help = "Instrument tools. `sync` loads the scoring catalog (idempotent)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("sync", help="Create or refresh one row per catalog version.")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        result = catalog_sync()
        self.stdout.write(
            self.style.SUCCESS(
                f"instruments synced: {result.created} created, "
                f"{result.updated} updated, {result.unchanged} unchanged"
            )
        )
