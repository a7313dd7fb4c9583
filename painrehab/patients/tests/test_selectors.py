"""Reads of patient information are audited, including refused ones."""

import pytest

from painrehab.accounts.models import User
from painrehab.audit.models import AuditEvent
from painrehab.patients import selectors
from painrehab.patients.access import PatientNotFound
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def test_viewing_a_chart_is_audited(pt_on_team: User, child: Patient) -> None:
    assert selectors.patient_get(user=pt_on_team, patient_id=child.pk) == child
    event = AuditEvent.objects.get(action="patient.viewed")
    assert (event.actor_id, event.patient_id) == (pt_on_team.pk, child.pk)
    assert event.data_category == "demographics" and event.outcome == "success"


def test_a_refused_chart_is_audited_as_a_failure(
    pt_off_team: User, child: Patient
) -> None:
    with pytest.raises(PatientNotFound):
        selectors.patient_get(user=pt_off_team, patient_id=child.pk)
    event = AuditEvent.objects.get(action="patient.viewed")
    assert event.outcome == "failure" and event.patient_id == child.pk


def test_search_matches_names_and_mrn_and_is_audited(coordinator: User) -> None:
    ana = PatientFactory(given_name="Ana", family_name="Quintero", mrn="PR123456")
    PatientFactory(given_name="Ben", family_name="Ortiz")
    assert list(selectors.patient_list(user=coordinator, query="quint")) == [ana]
    assert list(selectors.patient_list(user=coordinator, query="pr123456")) == [ana]
    assert list(selectors.patient_list(user=coordinator, query="ana quintero")) == [ana]
    assert AuditEvent.objects.filter(action="patient.searched").count() == 3
    assert AuditEvent.objects.filter(changes__query="quint").exists()


def test_search_never_widens_what_a_person_may_see(pt_off_team: User) -> None:
    PatientFactory(given_name="Ana")
    assert list(selectors.patient_list(user=pt_off_team, query="Ana")) == []
