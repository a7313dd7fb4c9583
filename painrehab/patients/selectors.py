"""Reads of patient information, always through the access funnel and audited."""

from django.db.models import Q, QuerySet

from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory, Outcome
from painrehab.audit.services import record
from painrehab.patients.access import PatientNotFound, patient_get_for_user
from painrehab.patients.models import CareTeamMember, Patient, PatientGuardian


def patient_list(*, user: User, query: str = "") -> QuerySet[Patient]:
    """Patients ``user`` may see, filtered by name or MRN; the search is audited."""
    patients = Patient.objects.visible_to(user)
    query = query.strip()
    for term in query.split()[:4]:
        patients = patients.filter(
            Q(given_name__icontains=term)
            | Q(family_name__icontains=term)
            | Q(preferred_name__icontains=term)
            | Q(mrn__iexact=term)
        )
    record(
        action=AuditAction.PATIENT_SEARCHED,
        action_type=ActionType.QUERY,
        actor=user,
        data_category=DataCategory.DEMOGRAPHICS,
        changes={"query": query[:100]},
    )
    return patients


def patient_get(*, user: User, patient_id: int) -> Patient:
    """One patient's chart header data; refused and missing both raise a 404."""
    try:
        patient = patient_get_for_user(user=user, patient_id=patient_id)
    except PatientNotFound:
        record(
            action=AuditAction.PATIENT_VIEWED,
            action_type=ActionType.READ,
            actor=user,
            patient_id=patient_id,
            data_category=DataCategory.DEMOGRAPHICS,
            outcome=Outcome.FAILURE,
            outcome_reason="not found or not permitted",
        )
        raise
    record(
        action=AuditAction.PATIENT_VIEWED,
        action_type=ActionType.READ,
        actor=user,
        patient_id=patient.pk,
        data_category=DataCategory.DEMOGRAPHICS,
        obj=patient,
    )
    return patient


def patient_guardians(*, patient: Patient) -> QuerySet[PatientGuardian]:
    """Guardian links of a patient already obtained through the funnel."""
    links = patient.guardian_links.select_related("guardian")
    return links.order_by("-is_primary_contact", "pk")


def patient_care_team(*, patient: Patient) -> QuerySet[CareTeamMember]:
    """Current care team of a patient already obtained through the funnel."""
    team = patient.care_team.filter(end_date__isnull=True)
    return team.select_related("member", "member__staff_profile")
