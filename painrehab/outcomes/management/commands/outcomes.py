"""`painrehab outcomes summary|export`: the cohort table and the research export.

``summary --instrument CODE [--json]`` prints one instrument's cohort table (the
figures of the cohort page); ``export --out DIR`` writes the de-identified export
(the files of the web export, unzipped). Both take the dashboard's filters and
exit non-zero with a message for an unknown instrument or a bad value.
"""

import datetime as dt
import getpass
import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory
from painrehab.audit.services import record
from painrehab.outcomes import export as research
from painrehab.outcomes.instruments import outcome_codes
from painrehab.outcomes.selectors import (
    AGE_BANDS,
    CohortFilter,
    CohortTable,
    cohort_table_get,
    is_outcome_code,
    table_as_dict,
)
from painrehab.outcomes.selectors.filters import default_period
from painrehab.patients.choices import Sex
from painrehab.referrals.codes import group_labels

CHANNEL = "command line"


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"not a date (YYYY-MM-DD): {value}") from error


def _add_filters(parser: ArgumentParser) -> None:
    parser.add_argument("--from", dest="date_from", help="discharged on or after")
    parser.add_argument("--to", dest="date_to", help="discharged on or before")
    parser.add_argument("--diagnosis-group", default="", help="primary diagnosis group")
    parser.add_argument("--age-band", default="", help="age at admission: 7-11 …")
    parser.add_argument("--sex", default="", help="female, male, other, unknown")


def _filters(options: dict[str, Any]) -> CohortFilter:
    start, end = default_period(timezone.localdate())
    date_from = _date(options["date_from"]) if options["date_from"] else start
    date_to = _date(options["date_to"]) if options["date_to"] else end
    if date_to < date_from:
        raise CommandError("--to is before --from")
    checks = (
        ("diagnosis_group", "--diagnosis-group", list(group_labels())),
        ("age_band", "--age-band", list(AGE_BANDS)),
        ("sex", "--sex", list(Sex.values)),
    )
    for key, flag, allowed in checks:
        if options[key] and options[key] not in allowed:
            raise CommandError(f"{flag} must be one of: {', '.join(allowed)}")
    return CohortFilter(
        date_from=date_from,
        date_to=date_to,
        diagnosis_group=options["diagnosis_group"],
        age_band=options["age_band"],
        sex=options["sex"],
    )


def _director(username: str | None) -> User | None:
    if not username:
        return None
    user = User.objects.filter(
        username=username, role=Role.DIRECTOR, is_active=True
    ).first()
    if user is None:
        raise CommandError(f"--by must name an active director account: {username}")
    return user


def text_table(table: CohortTable) -> str:
    """The cohort table as plain text, one line per time point."""
    lines = [
        f"{table.name} ({table.code}): {table.cohort_n} episodes in the cohort; "
        f"compared on {table.units}",
        "",
        f"{'time point':<20}{'n':>5}{'mean':>9}{'SD':>8}{'median':>9}"
        f"{'IQR':>18}{'missing':>9}{'not due':>9}",
    ]
    for row in table.rows:
        lines.append(
            f"{row.label:<20}{row.summary.n:>5}{row.mean_text:>9}{row.sd_text:>8}"
            f"{row.median_text:>9}{row.iqr_text:>18}"
            f"{row.missing if row.change else '-':>9}"
            f"{row.not_yet_due if row.change else '-':>9}"
        )
    lines += ["", "Paired change from admission (change = later - admission):"]
    for row in table.rows:
        if row.change is None:
            continue
        lines.append(
            f"  {row.label}: pairs {row.change.n}; mean change [95% CI] "
            f"{row.change_text}; d_z {row.d_z_text}; Hedges' g (matched) [95% CI] "
            f"{row.g_text}"
        )
        lines.append(
            f"    meaningful improvement {row.meaningful_text}; "
            f"reliable improvement {row.reliable_text}"
        )
    if table.reliability is not None:
        lines += [
            "",
            f"Reliability r = {table.reliability.r}: {table.reliability_source}",
        ]
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Program outcomes. `summary --instrument CODE [--json]` prints the cohort "
        "table; `export --out DIR` writes the de-identified research export."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        summary = sub.add_parser("summary", help="One instrument's cohort table.")
        summary.add_argument("--instrument", required=True, help="catalog code")
        summary.add_argument("--json", action="store_true", help="print JSON")
        _add_filters(summary)
        export = sub.add_parser("export", help="Write the de-identified export.")
        export.add_argument("--out", required=True, help="directory to write to")
        export.add_argument("--purpose", default="research", help="use of the data")
        export.add_argument("--recipient", default="", help="who receives the data")
        export.add_argument("--by", default="", help="the director's username")
        _add_filters(export)

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "summary":
            self._summary(options)
        else:
            self._export(options)

    def _summary(self, options: dict[str, Any]) -> None:
        code = options["instrument"]
        if not is_outcome_code(code):
            raise CommandError(
                f"unknown instrument: {code} (one of: {', '.join(outcome_codes())})"
            )
        filters = _filters(options)
        table = cohort_table_get(filters=filters, code=code)
        record(
            action=AuditAction.OUTCOMES_COHORT_VIEWED,
            action_type=ActionType.QUERY,
            data_category=DataCategory.OUTCOMES,
            changes={
                "filters": filters.as_dict(),
                "n": table.cohort_n,
                "instrument": code,
                "channel": CHANNEL,
                "os_user": getpass.getuser(),
            },
        )
        if options["json"]:
            self.stdout.write(json.dumps(table_as_dict(table, filters), indent=2))
        else:
            self.stdout.write(text_table(table))

    def _export(self, options: dict[str, Any]) -> None:
        filters = _filters(options)
        by = _director(options["by"])
        recipient = options["recipient"] or f"{getpass.getuser()} (command line)"
        try:
            made = research.research_export_create(
                filters=filters,
                by=by,
                purpose=options["purpose"],
                recipient=recipient,
                channel=CHANNEL,
            )
        except research.ExportRefused as refused:
            raise CommandError(refused.message) from refused
        paths = research.export_write(made, Path(options["out"]))
        self.stdout.write(
            self.style.SUCCESS(
                f"exported {made.rows} scores of {made.patients} patients to "
                f"{Path(options['out'])} ({len(paths)} files)"
            )
        )
