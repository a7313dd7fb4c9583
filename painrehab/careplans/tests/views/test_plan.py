"""The "Care plan" chart tab, the header and the formulation pages."""

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import Role
from painrehab.audit.models import AuditEvent
from painrehab.careplans.models import CarePlan
from painrehab.careplans.tests.support import admitted_plan, on_team
from painrehab.common.testing import sign_in, staff
from painrehab.patients.tests.factories import PatientFactory
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db


def _url(name: str, plan: CarePlan) -> str:
    return reverse(name, args=[plan.episode.patient_id])


def test_the_tab_shows_goals_prescriptions_totals_formulation_and_history() -> None:
    plan = admitted_plan()
    client = sign_in(Client(), journey.coordinator())
    response = client.get(_url("careplans:plan", plan))
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "Physical function",
        "Pain coping and fear",
        "To word with the child",
        "Pain-focused psychotherapy",
        "Minutes by discipline",
        "390",  # the template's minutes on a weekday
        "Biopsychosocial formulation",
        "Care plan created from the template",
        'aria-current="page"',
    ):
        assert text in page, text


def test_a_clinician_sees_buttons_for_their_own_discipline_only() -> None:
    plan = admitted_plan()
    pt = on_team(plan, Role.PHYSICAL_THERAPIST)
    page = sign_in(Client(), pt).get(_url("careplans:plan", plan)).content.decode()
    pt_row = plan.prescriptions.get(template_key="pt")
    ot_row = plan.prescriptions.get(template_key="ot")
    assert (
        reverse(
            "careplans:prescription_edit", args=[plan.episode.patient_id, pt_row.pk]
        )
        in page
    )
    assert (
        reverse(
            "careplans:prescription_edit", args=[plan.episode.patient_id, ot_row.pk]
        )
        not in page
    )
    assert _url("careplans:formulation_edit", plan) in page
    assert _url("careplans:plan_edit", plan) not in page


def test_someone_elses_patient_looks_missing() -> None:
    plan = admitted_plan()
    client = sign_in(Client(), staff(Role.PHYSICAL_THERAPIST))
    assert client.get(_url("careplans:plan", plan)).status_code == 404
    assert client.get(_url("careplans:formulation_edit", plan)).status_code == 404


def test_a_guardian_is_refused() -> None:
    plan = admitted_plan()
    from painrehab.accounts.tests.factories import UserFactory

    guardian = UserFactory(role=Role.GUARDIAN)
    client = sign_in(Client(), guardian)
    assert client.get(_url("careplans:plan", plan)).status_code == 403


def test_a_child_not_yet_admitted_has_no_plan_yet() -> None:
    patient = PatientFactory()
    journey.waitlisted(patient)
    client = sign_in(Client(), journey.coordinator())
    response = client.get(reverse("careplans:plan", args=[patient.pk]))
    assert response.status_code == 200
    assert "has not been admitted" in response.content.decode()
    assert not CarePlan.objects.exists()
    assert AuditEvent.objects.filter(action="care_plan.viewed").exists()


def test_the_header_belongs_to_coordinator_and_physicians() -> None:
    plan = admitted_plan()
    psy = on_team(plan, Role.PSYCHOLOGIST)
    assert (
        sign_in(Client(), psy).get(_url("careplans:plan_edit", plan)).status_code == 403
    )
    client = sign_in(Client(), on_team(plan, Role.PHYSICIAN))
    response = client.post(
        _url("careplans:plan_edit", plan),
        {
            "version": "1",
            "summary": "Back to school full days by discharge",
            "child_hopes": "Dance again",
            "max_therapy_minutes_per_day": "400",
            "reason": "Admission conference",
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.child_hopes, plan.max_therapy_minutes_per_day) == ("Dance again", 400)


def test_a_bad_daily_limit_is_shown_beside_its_field() -> None:
    plan = admitted_plan()
    client = sign_in(Client(), journey.coordinator())
    response = client.post(
        _url("careplans:plan_edit", plan),
        {"version": "1", "max_therapy_minutes_per_day": "30"},
    )
    assert response.status_code == 400
    assert "id_max_therapy_minutes_per_day_error" in response.content.decode()
    plan.refresh_from_db()
    assert plan.version == 1


def test_the_formulation_form_saves_checked_factors_with_their_text() -> None:
    plan = admitted_plan()
    client = sign_in(Client(), on_team(plan, Role.SOCIAL_WORKER))
    form = client.get(_url("careplans:formulation_edit", plan))
    assert 'for="id_family_distress"' in form.content.decode()
    response = client.post(
        _url("careplans:formulation_edit", plan),
        {
            "version": "1",
            "family_distress": "on",
            "family_distress-text": "Parents disagree about school",
            "school_absence": "on",
            "summary": "Family strain keeps avoidance going.",
        },
    )
    assert response.status_code == 302
    plan.formulation.refresh_from_db()
    assert plan.formulation.social == [
        {"code": "school_absence", "text": ""},
        {"code": "family_distress", "text": "Parents disagree about school"},
    ]


def test_a_formulation_refusal_says_which_list() -> None:
    plan = admitted_plan()
    client = sign_in(Client(), journey.coordinator())
    response = client.post(
        _url("careplans:formulation_edit", plan),
        {"version": "1", "other_social": "on"},
    )
    assert response.status_code == 400
    assert "Social: Describe the" in response.content.decode()
