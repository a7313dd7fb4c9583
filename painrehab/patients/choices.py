from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    """Sex recorded for clinical purposes (FHIR administrative-gender codes)."""

    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class Relationship(models.TextChoices):
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    PARENT = "parent", _("Parent")
    STEPPARENT = "stepparent", _("Stepparent")
    GRANDPARENT = "grandparent", _("Grandparent")
    LEGAL_GUARDIAN = "legal_guardian", _("Legal guardian")
    FOSTER_PARENT = "foster_parent", _("Foster parent")
    OTHER = "other", _("Other caregiver")


class TeamRole(models.TextChoices):
    """A staff member's part on one patient's care team."""

    ATTENDING = "attending", _("Attending physician")
    PRIMARY_PSYCHOLOGIST = "primary_psychologist", _("Primary psychologist")
    PRIMARY_PT = "primary_pt", _("Primary physical therapist")
    PRIMARY_OT = "primary_ot", _("Primary occupational therapist")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    CHILD_LIFE = "child_life", _("Child Life specialist")
    ACUPUNCTURIST = "acupuncturist", _("Acupuncturist")
    RECREATIONAL_THERAPIST = "recreational_therapist", _("Recreational therapist")
    TEACHER = "teacher", _("Teacher")
    NURSE = "nurse", _("Primary nurse")
    COORDINATOR = "coordinator", _("Coordinator")
    MEMBER = "member", _("Team member")
