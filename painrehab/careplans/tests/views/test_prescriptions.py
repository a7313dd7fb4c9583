"""Adding and stopping prescriptions through the pages."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from painrehab.accounts.choices import Role
from painrehab.careplans.models import CarePlan
from painrehab.careplans.tests.support import admitted_on, admitted_plan, on_team
from painrehab.careplans.validation import MINUTES_STEP, PER_DAY_RANGE
from painrehab.common.testing import sign_in
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db


def _url(plan: CarePlan) -> str:
    return reverse("careplans:prescription_add", args=[plan.episode.patient_id])


def _data(plan: CarePlan, **overrides: object) -> dict[str, object]:
    return {
        "form_token": str(uuid.uuid4()),
        "label": "Extra psychology",
        "discipline": "PSY",
        "sessions_per_day": "",
        "sessions_per_week": "2",
        "minutes": "45",
        "mode": "individual",
        "time_of_day": "afternoon",
        "excluded_weekdays": ["5", "6"],
        "continuity": "same_required",
        "starts_on": admitted_on(plan).isoformat(),
        **overrides,
    }


def test_a_psychologist_adds_a_prescription_once() -> None:
    plan = admitted_plan()
    client = sign_in(Client(), on_team(plan, Role.PSYCHOLOGIST))
    form = client.get(_url(plan)).content.decode()
    assert '<option value="PSY"' in form and '<option value="PT"' not in form
    data = _data(plan)
    assert client.post(_url(plan), data).status_code == 302
    assert client.post(_url(plan), data).status_code == 302
    row = plan.prescriptions.get(label="Extra psychology")
    assert (row.excluded_weekdays, row.continuity) == ([5, 6], "same_required")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"minutes": "50"}, "minutes", MINUTES_STEP),
        (
            {"sessions_per_day": "4", "sessions_per_week": ""},
            "sessions_per_day",
            PER_DAY_RANGE,
        ),
    ],
    ids=["minutes_case", "per_day_case"],
)
def test_bad_values_come_back_beside_their_field(
    overrides: dict[str, str], field: str, message: str
) -> None:
    plan = admitted_plan()
    client = sign_in(Client(), journey.coordinator())
    response = client.post(_url(plan), _data(plan, **overrides))
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page and escape(message) in page
    assert 'value="Extra psychology"' in page  # nothing typed is lost
    assert not plan.prescriptions.filter(label="Extra psychology").exists()


def test_a_teacher_has_nothing_to_prescribe() -> None:
    plan = admitted_plan()
    client = sign_in(Client(), on_team(plan, Role.TEACHER))
    assert client.get(_url(plan)).status_code == 403


def test_a_change_without_a_reason_is_refused() -> None:
    plan = admitted_plan()
    row = plan.prescriptions.get(template_key="ot")
    url = reverse("careplans:prescription_edit", args=[plan.episode.patient_id, row.pk])
    client = sign_in(Client(), on_team(plan, Role.OCCUPATIONAL_THERAPIST))
    response = client.post(
        url,
        {
            "version": "1",
            "discipline": "OT",
            "sessions_per_day": "1",
            "minutes": "45",
            "mode": "individual",
            "time_of_day": "morning",
            "continuity": "same_preferred",
            "starts_on": row.starts_on.isoformat(),
            "reason": "",
        },
    )
    assert response.status_code == 400
    assert 'id="id_reason_error"' in response.content.decode()
    row.refresh_from_db()
    assert row.minutes == 60


def test_stopping_moves_the_prescription_to_stopped() -> None:
    plan = admitted_plan()
    row = plan.prescriptions.get(template_key="acupuncture")
    url = reverse("careplans:prescription_stop", args=[plan.episode.patient_id, row.pk])
    client = sign_in(Client(), on_team(plan, Role.ACUPUNCTURIST))
    response = client.post(
        url,
        {
            "version": "1",
            "stopped_on": journey.today().isoformat(),
            "reason": "Needle phobia",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("careplans:plan", args=[plan.episode.patient_id]))
    assert "Stopped or ended" in page.content.decode()
    assert "Needle phobia" in page.content.decode()
