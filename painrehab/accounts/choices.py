"""Roles and disciplines of the program's people."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a person does in the program; each account has exactly one."""

    COORDINATOR = "coordinator", _("Program coordinator")
    PHYSICIAN = "physician", _("Physician (pain medicine / PM&R)")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    PHYSICAL_THERAPIST = "physical_therapist", _("Physical therapist")
    OCCUPATIONAL_THERAPIST = "occupational_therapist", _("Occupational therapist")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    CHILD_LIFE = "child_life", _("Child Life specialist")
    ACUPUNCTURIST = "acupuncturist", _("Acupuncturist")
    RECREATIONAL_THERAPIST = "recreational_therapist", _("Recreational therapist")
    TEACHER = "teacher", _("Hospital teacher")
    NURSE = "nurse", _("Nurse")
    DIRECTOR = "director", _("Program director")
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")
    SYSADMIN = "sysadmin", _("System administrator")
    GUARDIAN = "guardian", _("Parent or guardian")
    PATIENT = "patient", _("Patient")


FAMILY_ROLES = frozenset({Role.GUARDIAN, Role.PATIENT})
STAFF_ROLES = frozenset(Role) - FAMILY_ROLES
# Roles that care for patients and so may sit on a care team.
CLINICAL_ROLES = frozenset(
    {
        Role.COORDINATOR,
        Role.PHYSICIAN,
        Role.PSYCHOLOGIST,
        Role.PHYSICAL_THERAPIST,
        Role.OCCUPATIONAL_THERAPIST,
        Role.SOCIAL_WORKER,
        Role.CHILD_LIFE,
        Role.ACUPUNCTURIST,
        Role.RECREATIONAL_THERAPIST,
        Role.TEACHER,
        Role.NURSE,
        Role.DIRECTOR,
    }
)


class Discipline(models.TextChoices):
    """The discipline a staff member practises (DESIGN.md domain words)."""

    PT = "PT", _("Physical therapy")
    OT = "OT", _("Occupational therapy")
    PSY = "PSY", _("Psychology")
    MED = "MED", _("Pain medicine / PM&R")
    SW = "SW", _("Social work")
    CL = "CL", _("Child Life")
    ACU = "ACU", _("Acupuncture")
    REC = "REC", _("Recreational therapy")
    SCHOOL = "SCHOOL", _("Hospital school")
    NURSE = "NURSE", _("Nursing")
    COORD = "COORD", _("Coordination")
    ADMIN = "ADMIN", _("Administration")


DISCIPLINE_OF_ROLE = {
    Role.COORDINATOR: Discipline.COORD,
    Role.PHYSICIAN: Discipline.MED,
    Role.PSYCHOLOGIST: Discipline.PSY,
    Role.PHYSICAL_THERAPIST: Discipline.PT,
    Role.OCCUPATIONAL_THERAPIST: Discipline.OT,
    Role.SOCIAL_WORKER: Discipline.SW,
    Role.CHILD_LIFE: Discipline.CL,
    Role.ACUPUNCTURIST: Discipline.ACU,
    Role.RECREATIONAL_THERAPIST: Discipline.REC,
    Role.TEACHER: Discipline.SCHOOL,
    Role.NURSE: Discipline.NURSE,
    Role.DIRECTOR: Discipline.MED,
    Role.PRIVACY_OFFICER: Discipline.ADMIN,
    Role.SYSADMIN: Discipline.ADMIN,
}
