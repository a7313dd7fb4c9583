"""THE access funnel: who may see which patient.

Every read of patient information goes through here (via selectors). The rules are
data: each role has one scope. A patient outside the scope is reported exactly as a
missing one (``PatientNotFound``, a 404), so refusals reveal nothing.
"""

import calendar
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from painrehab.accounts.choices import Role
from painrehab.domain.proxy import ADULT_AGE

if TYPE_CHECKING:
    from painrehab.accounts.models import User
    from painrehab.patients.models import Patient


class Scope(StrEnum):
    ALL = "all patients in the program"
    CARE_TEAM = "patients whose care team the person is on"
    OWN_CHILDREN = "the guardian's own children"
    SELF = "the patient's own record"
    NONE = "no patient information"


ROLE_SCOPE: dict[str, Scope] = {
    # The coordinator runs intake and census for the whole unit.
    Role.COORDINATOR: Scope.ALL,
    Role.PHYSICIAN: Scope.CARE_TEAM,
    Role.PSYCHOLOGIST: Scope.CARE_TEAM,
    Role.PHYSICAL_THERAPIST: Scope.CARE_TEAM,
    Role.OCCUPATIONAL_THERAPIST: Scope.CARE_TEAM,
    Role.SOCIAL_WORKER: Scope.CARE_TEAM,
    Role.CHILD_LIFE: Scope.CARE_TEAM,
    Role.ACUPUNCTURIST: Scope.CARE_TEAM,
    Role.RECREATIONAL_THERAPIST: Scope.CARE_TEAM,
    Role.TEACHER: Scope.CARE_TEAM,
    Role.NURSE: Scope.CARE_TEAM,
    Role.DIRECTOR: Scope.CARE_TEAM,
    # Oversight roles see the audit trail and accounts, not charts.
    Role.PRIVACY_OFFICER: Scope.NONE,
    Role.SYSADMIN: Scope.NONE,
    Role.GUARDIAN: Scope.OWN_CHILDREN,
    Role.PATIENT: Scope.SELF,
}

NOTHING = Q(pk__in=[])


class PatientNotFound(Http404):
    """No such patient, or not one this person may see: the two look the same."""


def scope_of(user: "User") -> Scope:
    if not user.is_authenticated or not user.is_active:
        return Scope.NONE
    return ROLE_SCOPE.get(user.role, Scope.NONE)


def visible_patient_filter(user: "User") -> Q:
    """A filter on ``Patient`` selecting exactly the patients ``user`` may see."""
    from painrehab.patients.models import CareTeamMember, PatientGuardian

    scope = scope_of(user)
    if scope is Scope.ALL:
        return Q()
    if scope is Scope.CARE_TEAM:
        today = timezone.localdate()
        teams = CareTeamMember.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=today),
            member=user,
            start_date__lte=today,
        )
        return Q(pk__in=teams.values("patient_id"))
    if scope is Scope.OWN_CHILDREN:
        # Access ends on the 18th birthday unless the adult patient granted it.
        links = PatientGuardian.objects.filter(
            Q(patient__date_of_birth__gt=adult_born_by(timezone.localdate()))
            | Q(adult_access_granted_at__isnull=False),
            guardian__user=user,
            portal_access=True,
        )
        return Q(pk__in=links.values("patient_id"))
    if scope is Scope.SELF:
        return Q(user=user)
    return NOTHING


def adult_born_by(today: date) -> date:
    """The latest date of birth of someone who is 18 on ``today``."""
    year = today.year - ADULT_AGE
    if (today.month, today.day) == (2, 29) and not calendar.isleap(year):
        return date(year, 2, 28)
    return today.replace(year=year)


def patient_get_for_user(*, user: "User", patient_id: int) -> "Patient":
    """The patient if ``user`` may see them; ``PatientNotFound`` otherwise."""
    from painrehab.patients.models import Patient

    patient = Patient.objects.visible_to(user).filter(pk=patient_id).first()
    if patient is None:
        raise PatientNotFound
    return patient


def can_see_patient(*, user: "User", patient: "Patient") -> bool:
    from painrehab.patients.models import Patient

    return Patient.objects.visible_to(user).filter(pk=patient.pk).exists()
