"""Reports as they were sent: the exact bytes, their SHA-256 and to whom they went."""

import uuid
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from painrehab.episodes.models import Episode
from painrehab.outcomes.choices import ReportKind

REPORT_IS_FINAL = "A generated report cannot be changed or deleted; make a new one."


class GeneratedReport(models.Model):
    """One PDF made for one recipient: a disclosure, kept exactly as sent.

    ``html`` is the rendered page the PDF was printed from (one template serves
    screen and paper); ``sha256`` is the digest of ``pdf``, so anyone holding a copy
    can check it is the one we sent. ``recipient``/``recipient_address``/``purpose``
    are the accounting-of-disclosures fields (45 CFR 164.528(b)); ``options`` keeps
    the choices made on the form (what diagnosis wording the family agreed to share,
    the contact person…). ``form_token`` makes a double click land on one row.
    """

    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="generated_reports"
    )
    kind = models.CharField(_("report"), max_length=24, choices=ReportKind.choices)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    recipient = models.CharField(_("recipient"), max_length=200)
    recipient_address = models.TextField(_("recipient's address"), blank=True)
    purpose = models.CharField(_("purpose"), max_length=200)
    options = models.JSONField(_("options"), default=dict, blank=True)
    html = models.TextField(_("rendered page"))
    pdf = models.BinaryField(_("PDF"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size in bytes"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("generated"))
    form_token = models.UUIDField(unique=True, default=uuid.uuid4)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["episode", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for episode {self.episode_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError(REPORT_IS_FINAL)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError(REPORT_IS_FINAL)
