"""The patient list and the chart."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.accounts.tests.factories import StaffFactory
from painrehab.common.testing import sign_in
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import (
    CareTeamMemberFactory,
    PatientFactory,
    PatientGuardianFactory,
)

pytestmark = pytest.mark.django_db
LIST = "patients:patient_list"


def test_the_list_shows_the_patients_on_my_team(
    client: Client, pt_on_team: User, child: Patient
) -> None:
    PatientFactory(given_name="Hidden", family_name="Elsewhere")
    page = sign_in(client, pt_on_team).get(reverse(LIST)).content.decode()
    assert child.family_name in page and "Elsewhere" not in page


def test_htmx_search_returns_only_the_table(
    client: Client, coordinator: User, child: Patient
) -> None:
    sign_in(client, coordinator)
    response = client.post(
        reverse(LIST),
        {"q": child.family_name},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="patient-table",
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="patient-table"')
    assert child.mrn in html and "<nav" not in html


def test_a_search_without_match_says_so(client: Client, coordinator: User) -> None:
    page = sign_in(client, coordinator).post(reverse(LIST), {"q": "zzzz"})
    assert "No patient you can see matches" in page.content.decode()


def test_a_search_keeps_the_name_out_of_the_url(
    client: Client, coordinator: User, child: Patient
) -> None:
    page = sign_in(client, coordinator).get(reverse(LIST)).content.decode()
    assert 'method="post"' in page and "hx-push-url" not in page
    response = client.post(reverse(LIST), {"q": child.given_name})
    assert child.mrn in response.content.decode()
    assert "Location" not in response


def test_the_list_pages_through_many_patients(
    client: Client, coordinator: User
) -> None:
    PatientFactory.create_batch(30)
    sign_in(client, coordinator)
    first = client.get(reverse(LIST)).content.decode()
    second = client.get(reverse(LIST), {"page": 2}).content.decode()
    assert "Page 1 of 2" in first and "Page 2 of 2" in second


def _queries(client: Client, url: str) -> int:
    client.get(url)  # warm up: the first audit event of a test creates the chain head
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_list_queries_do_not_grow_with_the_number_of_patients(
    client: Client, coordinator: User
) -> None:
    sign_in(client, coordinator)
    PatientFactory.create_batch(3)
    few = _queries(client, reverse(LIST))
    PatientFactory.create_batch(20)
    assert _queries(client, reverse(LIST)) == few


def test_chart_queries_do_not_grow_with_team_or_family_size(
    client: Client, coordinator: User, child: Patient
) -> None:
    sign_in(client, coordinator)
    url = reverse("patients:patient_detail", args=[child.pk])
    PatientGuardianFactory(patient=child)
    CareTeamMemberFactory(patient=child, member=coordinator)
    few = _queries(client, url)
    PatientGuardianFactory.create_batch(3, patient=child)
    for role in (Role.NURSE, Role.TEACHER, Role.CHILD_LIFE):
        CareTeamMemberFactory(patient=child, member=StaffFactory(role=role))
    assert _queries(client, url) == few


def test_the_chart_header_shows_name_age_mrn_and_phase(
    client: Client, coordinator: User, child: Patient
) -> None:
    page = sign_in(client, coordinator).get(
        reverse("patients:patient_detail", args=[child.pk])
    )
    html = page.content.decode()
    assert child.display_name in html and child.mrn in html
    assert f"{child.age()} years" in html and "No open episode" in html
