"""The access funnel: who may see which patient."""

import datetime as dt

import pytest
from django.utils import timezone

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.accounts.tests.factories import StaffFactory, UserFactory
from painrehab.patients.access import (
    ROLE_SCOPE,
    PatientNotFound,
    Scope,
    can_see_patient,
    patient_get_for_user,
)
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import CareTeamMemberFactory, PatientFactory

pytestmark = pytest.mark.django_db


def _visible(user: User) -> set[int]:
    return set(Patient.objects.visible_to(user).values_list("pk", flat=True))


def test_every_role_has_a_scope() -> None:
    assert set(ROLE_SCOPE) == set(Role)


def test_the_coordinator_sees_every_patient(coordinator: User, child: Patient) -> None:
    other = PatientFactory()
    assert _visible(coordinator) == {child.pk, other.pk}


def test_clinicians_see_only_their_care_team_patients(
    pt_on_team: User, pt_off_team: User, child: Patient
) -> None:
    PatientFactory()
    assert _visible(pt_on_team) == {child.pk}
    assert _visible(pt_off_team) == set()


def test_care_team_membership_counts_only_between_its_dates(child: Patient) -> None:
    today = timezone.localdate()
    past = StaffFactory(role=Role.OCCUPATIONAL_THERAPIST)
    future = StaffFactory(role=Role.OCCUPATIONAL_THERAPIST)
    CareTeamMemberFactory(
        patient=child,
        member=past,
        start_date=today - dt.timedelta(days=30),
        end_date=today - dt.timedelta(days=1),
    )
    CareTeamMemberFactory(
        patient=child, member=future, start_date=today + dt.timedelta(days=1)
    )
    assert _visible(past) == _visible(future) == set()


def test_guardians_see_only_their_own_children(
    guardian: User, other_guardian: User, child: Patient
) -> None:
    assert _visible(guardian) == {child.pk}
    assert child.pk not in _visible(other_guardian)


def test_a_guardian_link_without_portal_access_opens_nothing(
    guardian: User, child: Patient
) -> None:
    child.guardian_links.update(portal_access=False)
    assert _visible(guardian) == set()


def test_a_patient_sees_only_themselves(teen: User, child: Patient) -> None:
    assert _visible(teen) == {teen.patient_record.pk}


@pytest.mark.parametrize("role", [Role.PRIVACY_OFFICER, Role.SYSADMIN])
def test_oversight_roles_see_no_patient(role: Role, child: Patient) -> None:
    assert ROLE_SCOPE[role] is Scope.NONE
    assert _visible(StaffFactory(role=role)) == set()


def test_an_inactive_account_sees_nothing(coordinator: User, child: Patient) -> None:
    coordinator.is_active = False
    assert _visible(coordinator) == set()


def test_refused_and_missing_patients_raise_the_same_error(
    pt_off_team: User, child: Patient
) -> None:
    with pytest.raises(PatientNotFound):
        patient_get_for_user(user=pt_off_team, patient_id=child.pk)
    with pytest.raises(PatientNotFound):
        patient_get_for_user(user=pt_off_team, patient_id=child.pk + 1000)


def test_can_see_patient_agrees_with_the_list(
    pt_on_team: User, pt_off_team: User, child: Patient
) -> None:
    assert can_see_patient(user=pt_on_team, patient=child)
    assert not can_see_patient(user=pt_off_team, patient=child)


def test_a_guardian_cannot_see_another_familys_child(
    other_guardian: User, child: Patient
) -> None:
    with pytest.raises(PatientNotFound):
        patient_get_for_user(user=other_guardian, patient_id=child.pk)
    assert UserFactory(role=Role.GUARDIAN).pk not in _visible(other_guardian)
