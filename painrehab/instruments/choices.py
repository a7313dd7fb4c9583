"""Time points and respondents of questionnaire administrations."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimePoint(models.TextChoices):
    """When in the journey a questionnaire is given (the program protocol's "when")."""

    ADMISSION = "admission", _("Admission")
    WEEKLY = "weekly", _("Weekly")
    DISCHARGE = "discharge", _("Discharge")
    END_OF_STEP_DOWN = "end_of_step_down", _("End of step-down")
    FOLLOW_UP = "follow_up", _("Follow-up")


class RespondentKind(models.TextChoices):
    """Who answers; the values match ``domain.scoring.definitions.Respondent``."""

    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    CLINICIAN = "clinician", _("Clinician")


class AdministrationStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
