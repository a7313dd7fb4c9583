"""The stored PDFs: they open, say what the page says, and match their digest.

Few tests: WeasyPrint takes about a second per PDF. The text is read back with
pdftotext, as a recipient's software would.
"""

import hashlib
import subprocess
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.common.testing import sign_in
from painrehab.outcomes import services
from painrehab.outcomes.choices import ReportKind
from painrehab.outcomes.models import GeneratedReport
from painrehab.outcomes.tests import reports_support as support

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    done = subprocess.run(
        ["/usr/bin/pdftotext", "-layout", "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    )
    return " ".join(done.stdout.decode().split())


def generate(built: support.Stay, kind: str, **kwargs: object) -> GeneratedReport:
    return services.report_generate(
        episode=built.episode,
        kind=ReportKind(kind),
        by=built.coordinator,
        report=support.report_input(kind, built, **kwargs),  # type: ignore[arg-type]
        form_token=uuid.uuid4(),
    )


def test_every_kind_is_stored_as_a_pdf_that_matches_its_digest_and_keeps_secrets(
    db: None,
) -> None:
    built = support.stay()
    client = sign_in(Client(), built.physician)
    assert support.planted(built) == set(support.CANARIES)

    for kind in ReportKind:
        row = generate(built, kind)
        content = bytes(row.pdf)
        text = pdf_text(content)
        download = client.get(
            reverse("outcomes:report_download", args=[built.child.pk, row.pk])
        )

        assert content.startswith(b"%PDF-"), kind
        assert row.size == len(content)
        assert row.sha256 == hashlib.sha256(content).hexdigest()
        assert download.content == content
        assert download["X-Content-SHA256"] == row.sha256
        assert [c for c in support.CANARIES if c in text or c in row.html] == []
        assert f"Report no. {row.pk}" in text and "Page 1 of" in text, kind
        assert "Pediatric Pain Rehabilitation" in text
        if kind == ReportKind.DISCHARGE_SUMMARY:
            assert "Avery Reportchild" in text
            for heading in (
                "Discharge summary",
                "The stay",
                "Diagnoses",
                "Summary by discipline",
                "Outcomes: admission and discharge",
                "Goals and their last attainment",
                "Step-down and follow-up",
                "Contact at the program",
            ):
                assert heading in text, heading
        if kind == ReportKind.SCHOOL_LETTER:
            assert "Gradual return plan" in text and "G90.521" not in text
            assert support.MEDICATIONS not in text


def test_the_spanish_family_report_reads_in_spanish(db: None) -> None:
    built = support.stay(age=9, canaries=False, guardian_language="es")
    defaults = support.report_input(ReportKind.FAMILY_PROGRESS, built)

    row = generate(built, ReportKind.FAMILY_PROGRESS, language="es")
    text = pdf_text(bytes(row.pdf))

    assert row.language == "es"
    assert "Informe de progreso para la familia" in text
    assert "En qué está trabajando Avery" in text
    assert "Ejercicios para seguir haciendo en casa" in text
    assert f"Informe n.º {row.pk}" in text and "Página 1 de" in text
    for english in ("Family progress report", "Next appointments", "Page 1 of"):
        assert english not in text
    assert defaults.recipient in text
