"""Writes for patients, guardians and care teams."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from painrehab.accounts.choices import CLINICAL_ROLES
from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory
from painrehab.audit.services import record
from painrehab.patients.choices import Relationship, Sex, TeamRole
from painrehab.patients.models import CareTeamMember, Guardian, Patient, PatientGuardian

NOT_CLINICAL = "Only clinical staff can be on a care team."
GUARDIAN_ACCOUNT_ROLE = "A guardian's account must have the guardian role."
PATIENT_ACCOUNT_ROLE = "A patient's account must have the patient role."


@transaction.atomic
def patient_create(
    *,
    mrn: str,
    given_name: str,
    family_name: str,
    date_of_birth: date,
    sex: Sex,
    created_by: User | None,
    preferred_name: str = "",
    preferred_language: str = "en",
    interpreter_needed: bool = False,
    school_name: str = "",
    school_grade: str = "",
    address_line: str = "",
    city: str = "",
    state: str = "",
    postal_code: str = "",
    allergies: str = "",
    user: User | None = None,
) -> Patient:
    """Register a patient; a full validation runs before anything is saved."""
    if user is not None and user.role != "patient":
        raise ValidationError({"user": PATIENT_ACCOUNT_ROLE})
    patient = Patient(
        mrn=mrn.strip(),
        given_name=given_name,
        family_name=family_name,
        preferred_name=preferred_name,
        date_of_birth=date_of_birth,
        sex=sex,
        preferred_language=preferred_language,
        interpreter_needed=interpreter_needed,
        school_name=school_name,
        school_grade=school_grade,
        address_line=address_line,
        city=city,
        state=state,
        postal_code=postal_code,
        allergies=allergies,
        user=user,
    )
    patient.full_clean()
    patient.save()
    record(
        action=AuditAction.PATIENT_CREATED,
        action_type=ActionType.CREATE,
        actor=created_by,
        patient_id=patient.pk,
        data_category=DataCategory.DEMOGRAPHICS,
        obj=patient,
    )
    return patient


@transaction.atomic
def guardian_link(
    *,
    patient: Patient,
    given_name: str,
    family_name: str,
    relationship: Relationship,
    linked_by: User | None,
    phone: str = "",
    email: str = "",
    preferred_language: str = "en",
    is_primary_contact: bool = False,
    portal_access: bool = True,
    user: User | None = None,
    guardian: Guardian | None = None,
) -> PatientGuardian:
    """Link a guardian (an existing one, or a new one from the details) to a patient."""
    if user is not None and user.role != "guardian":
        raise ValidationError({"user": GUARDIAN_ACCOUNT_ROLE})
    if guardian is None:
        guardian = Guardian(
            given_name=given_name,
            family_name=family_name,
            phone=phone,
            email=email,
            preferred_language=preferred_language,
            user=user,
        )
        guardian.full_clean()
        guardian.save()
    link = PatientGuardian(
        patient=patient,
        guardian=guardian,
        relationship=relationship,
        is_primary_contact=is_primary_contact,
        portal_access=portal_access,
    )
    link.full_clean()
    link.save()
    record(
        action=AuditAction.GUARDIAN_LINKED,
        action_type=ActionType.CREATE,
        actor=linked_by,
        patient_id=patient.pk,
        data_category=DataCategory.GUARDIANS,
        obj=link,
        changes={"relationship": str(relationship), "portal_access": portal_access},
    )
    return link


@transaction.atomic
def care_team_member_add(
    *,
    patient: Patient,
    member: User,
    team_role: TeamRole,
    start_date: date,
    added_by: User | None,
) -> CareTeamMember:
    """Put a clinician on a patient's care team, which opens the chart to them."""
    if member.role not in CLINICAL_ROLES or not member.is_active:
        raise ValidationError({"member": NOT_CLINICAL})
    membership = CareTeamMember(
        patient=patient, member=member, team_role=team_role, start_date=start_date
    )
    membership.full_clean()
    membership.save()
    record(
        action=AuditAction.CARE_TEAM_MEMBER_ADDED,
        action_type=ActionType.CREATE,
        actor=added_by,
        patient_id=patient.pk,
        data_category=DataCategory.CARE_TEAM,
        obj=membership,
        changes={"member": member.username, "team_role": str(team_role)},
    )
    return membership
