"""Choices for referrals, evaluations and decisions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TriageStatus(models.TextChoices):
    NEW = "new", _("New, waiting for triage")
    TRIAGED = "triaged", _("Triaged")


class PriorTreatment(models.TextChoices):
    OUTPATIENT_PT = "outpatient_pt", _("Outpatient physical therapy")
    OUTPATIENT_OT = "outpatient_ot", _("Outpatient occupational therapy")
    PSYCHOLOGY = "psychology", _("Outpatient psychology / CBT")
    MEDICATIONS = "medications", _("Pain medications")
    NERVE_BLOCKS = "nerve_blocks", _("Nerve blocks or injections")
    ACUPUNCTURE = "acupuncture", _("Acupuncture")
    DAY_PROGRAM = "day_program", _("Day-hospital pain program")
    SCHOOL_PLAN = "school_plan", _("School accommodations (504 plan)")


class SchoolAttendance(models.TextChoices):
    """School attendance in the last month before referral."""

    FULL = "full", _("Full days, most days")
    PARTIAL = "partial", _("Partial days or frequent absences")
    MINIMAL = "minimal", _("Fewer than half the days")
    NONE = "none", _("Not attending at all")
    HOME_HOSPITAL = "home_hospital", _("Home and hospital instruction")
    NOT_IN_SCHOOL = "not_in_school", _("Not enrolled / summer")


class EvaluationDiscipline(models.TextChoices):
    MED = "MED", _("Pain medicine")
    PSY = "PSY", _("Psychology")
    PT = "PT", _("Physical therapy")
    OT = "OT", _("Occupational therapy")
    SW = "SW", _("Social work")
    CL = "CL", _("Child Life")
    NURSE = "NURSE", _("Nursing")


REQUIRED_DISCIPLINES = (
    EvaluationDiscipline.MED,
    EvaluationDiscipline.PSY,
    EvaluationDiscipline.PT,
    EvaluationDiscipline.OT,
    EvaluationDiscipline.SW,
)


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")


class EvaluatorRecommendation(models.TextChoices):
    RECOMMEND = "recommend", _("Recommend admission")
    NOT_RECOMMEND = "not_recommend", _("Do not recommend admission")
    UNSURE = "unsure", _("Unsure; discuss at the team decision")


class DecisionOutcome(models.TextChoices):
    ADMIT = "admit", _("Admit to the program")
    DECLINE = "decline", _("Decline, with recommendations")
    DEFER = "defer", _("Defer the decision")
