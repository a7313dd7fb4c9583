"""`painrehab audit verify`: check the whole audit hash chain."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from painrehab.audit.models import AuditEvent
from painrehab.audit.selectors import audit_chain_verify


class Command(BaseCommand):
    help = "Audit-trail tools. `verify` exits 1 and names the first bad event."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="Verify the hash chain of every audit event.")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        problem = audit_chain_verify()
        if problem is not None:
            raise CommandError(
                f"audit chain broken at event #{problem.seq}: {problem.message}"
            )
        count = AuditEvent.objects.count()
        self.stdout.write(
            self.style.SUCCESS(f"audit chain intact: {count} events verified")
        )
