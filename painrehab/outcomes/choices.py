"""The kinds of report the program sends out."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    DISCHARGE_SUMMARY = "discharge_summary", _("Discharge summary")
    SCHOOL_LETTER = "school_letter", _("School re-entry letter")
    FAMILY_PROGRESS = "family_progress", _("Family progress report")
