"""Writes of the outcomes app: a generated report, stored and accounted for.

A generated report is a disclosure (45 CFR 164.528(b)): the stored row (date,
recipient and address, what was sent, purpose, the exact bytes and their SHA-256)
and its ``report.generated`` audit event, written in the same transaction, are
the accounting. One ``form_token`` makes one report: a second POST with the same
token (a double click, a resent form) returns the first row and writes nothing.
"""

import uuid
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory
from painrehab.audit.services import record
from painrehab.episodes.models import Episode
from painrehab.outcomes import reports
from painrehab.outcomes.choices import ReportKind
from painrehab.outcomes.models import GeneratedReport

NOT_YOUR_KIND = "Your role does not make this kind of report."
FORM_REUSED = "This form was already used for another report; reload the page."


def _same_report(
    existing: GeneratedReport, episode: Episode, kind: str
) -> GeneratedReport:
    if existing.episode_id != episode.pk or existing.kind != kind:
        raise ValidationError({"form_token": FORM_REUSED})
    return existing


def _insert(row: GeneratedReport) -> GeneratedReport | None:
    """Insert the row; ``None`` when a concurrent double submit won the token."""
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        return None
    return row


@transaction.atomic
def report_generate(
    *,
    episode: Episode,
    kind: ReportKind,
    by: User,
    report: reports.ReportInput,
    form_token: uuid.UUID,
    today: date | None = None,
) -> GeneratedReport:
    """Make, store and account for one report of ``episode`` (already through
    the access funnel).

    The row is inserted first, so that its id can be printed in the footer, and
    completed with the page, the PDF and the digest before this transaction
    commits: no one ever reads it unfinished, and once committed the model
    refuses any change or deletion.
    """
    if not reports.may_generate(by, kind):
        raise PermissionDenied(NOT_YOUR_KIND)
    existing = GeneratedReport.objects.filter(form_token=form_token).first()
    if existing is not None:
        return _same_report(existing, episode, kind)
    reason = reports.not_ready(episode, kind)
    if reason:
        raise ValidationError(reason)
    today = today or timezone.localdate()
    data = reports.report_data(
        kind=kind, episode=episode, report=report, today=today, by=by
    )
    row = GeneratedReport(
        episode=episode,
        kind=kind,
        language=report.language,
        recipient=report.recipient.strip(),
        recipient_address=report.recipient_address.strip(),
        purpose=report.purpose.strip(),
        options=_options(data, report),
        html="",
        pdf=b"",
        sha256="",
        size=0,
        created_by=by,
        created_at=timezone.now(),
        form_token=form_token,
    )
    if _insert(row) is None:
        return _same_report(
            GeneratedReport.objects.get(form_token=form_token), episode, kind
        )
    html = reports.render_html(data, report_id=row.pk, standalone=True)
    pdf = reports.pdf_of(html)
    digest = reports.sha256_of(pdf)
    GeneratedReport.objects.filter(pk=row.pk).update(
        html=html, pdf=pdf, sha256=digest, size=len(pdf)
    )
    record(
        action=AuditAction.REPORT_GENERATED,
        action_type=ActionType.EXPORT,
        actor=by,
        patient_id=episode.patient_id,
        data_category=DataCategory.OUTCOMES,
        obj=row,
        changes={
            "kind": str(kind),
            "language": row.language,
            "recipient": row.recipient,
            "recipient_address": row.recipient_address,
            "purpose": row.purpose,
            "sha256": digest,
            "size": len(pdf),
        },
    )
    return GeneratedReport.objects.get(pk=row.pk)


def _options(
    data: reports.ReportData, report: reports.ReportInput
) -> dict[str, object]:
    """The form's choices as kept with the report; the family report also names
    the guardian tier and what it left out, and why."""
    options: dict[str, object] = dict(report.options)
    if isinstance(data, reports.FamilyProgress):
        options["tier"] = data.tier
        options["shown"] = list(data.shown)
        options["withheld"] = sorted(data.withheld)
    return options
