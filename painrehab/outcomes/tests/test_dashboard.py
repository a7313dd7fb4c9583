"""The dashboard and cohort pages: what they show, what they never show, their
audit rows, bad filters, and queries that do not grow with the cohort."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.accounts.tests.factories import StaffFactory
from painrehab.audit.actions import ActionType, AuditAction, DataCategory
from painrehab.audit.models import AuditEvent
from painrehab.common.testing import sign_in
from painrehab.outcomes.tests.cohort_support import (
    admission_and_discharge,
    closed_episode,
    synthetic_cohort,
)
from painrehab.patients.choices import Sex

pytestmark = pytest.mark.django_db


@pytest.fixture
def director() -> User:
    return StaffFactory(role=Role.DIRECTOR, username="dee")


@pytest.fixture
def two_children() -> list[str]:
    """Two discharged children with FDI-C and NRS; returns what must never show."""
    secrets = []
    for given, family, mrn, sex, fdi in (
        ("Zebedee", "Quillfeather", "MRN7700001", Sex.FEMALE, (30, 12)),
        ("Ysolde", "Marchbanks", "MRN7700002", Sex.MALE, (24, 10)),
    ):
        episode = closed_episode(sex=sex, given_name=given, family_name=family, mrn=mrn)
        for code, pre, post in (("FDI-C", *fdi), ("NRS", 7, 4)):
            admission_and_discharge(episode, code, pre, post)
        secrets += [given, family, mrn, episode.patient.date_of_birth.isoformat()]
    return secrets


def _n(html: str) -> int:
    found = re.search(r'id="cohort-n">(\d+)<', html)
    assert found, "the cohort size is on the page"
    return int(found.group(1))


def test_dashboard_shows_figures_and_no_patient(
    director: User, two_children: list[str]
) -> None:
    response = sign_in(Client(), director).get(reverse("outcomes:dashboard"))

    html = response.content.decode()
    assert response.status_code == 200
    assert _n(html) == 2
    for label in ("Length of stay", "Occupancy", "Follow-up visits completed"):
        assert label in html
    assert "Published results from other programs" in html
    assert "10.1097/j.pain.0000000000002636" in html
    assert reverse("outcomes:cohort", args=["FDI-C"]) in html
    assert reverse("outcomes:export") in html
    for secret in two_children:
        assert secret not in html


def test_dashboard_filter_changes_the_cohort_and_is_audited(
    director: User, two_children: list[str]
) -> None:
    client = sign_in(Client(), director)

    response = client.get(reverse("outcomes:dashboard"), {"sex": Sex.MALE})

    assert _n(response.content.decode()) == 1
    event = AuditEvent.objects.filter(
        action=AuditAction.OUTCOMES_DASHBOARD_VIEWED
    ).get()
    assert event.action_type == ActionType.QUERY
    assert event.data_category == DataCategory.OUTCOMES
    assert event.changes["n"] == 1
    assert event.changes["filters"]["sex"] == Sex.MALE
    assert event.patient_id is None


def test_bad_filter_values_are_reported_and_defaults_used(
    director: User, two_children: list[str]
) -> None:
    client = sign_in(Client(), director)

    response = client.get(
        reverse("outcomes:dashboard"),
        {"date_from": "last spring", "sex": "dragon", "age_band": "12-14"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_date_from_error"' in html
    assert 'id="id_sex_error"' in html
    assert "id_age_band_error" not in html
    assert _n(html) == 2  # default period and any sex; both children are 13


def test_a_reversed_period_is_reported_next_to_the_end_date(director: User) -> None:
    response = sign_in(Client(), director).get(
        reverse("outcomes:dashboard"),
        {"date_from": "2025-06-01", "date_to": "2025-01-01"},
    )

    assert "The end date is before the start date." in response.content.decode()


def test_the_coordinator_sees_no_export_link(two_children: list[str]) -> None:
    coordinator = StaffFactory(role=Role.COORDINATOR)

    response = sign_in(Client(), coordinator).get(reverse("outcomes:dashboard"))

    assert response.status_code == 200
    assert reverse("outcomes:export") not in response.content.decode()


def test_cohort_page_shows_the_table_and_is_audited(
    director: User, two_children: list[str]
) -> None:
    url = reverse("outcomes:cohort", args=["FDI-C"])

    response = sign_in(Client(), director).get(url)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Hedges' g (matched)" in html and "d<sub>z</sub>" in html
    assert "Solé" in html  # the reliability's source
    assert "-16.0 [" in html  # mean change: 30 -> 12 and 24 -> 10
    for secret in two_children:
        assert secret not in html
    event = AuditEvent.objects.get(action=AuditAction.OUTCOMES_COHORT_VIEWED)
    assert event.changes["instrument"] == "FDI-C"
    assert event.changes["n"] == 2


@pytest.mark.parametrize("code", ["NOPE", "ARCS"])
def test_cohort_page_is_404_for_an_unknown_instrument(
    director: User, code: str
) -> None:
    url = reverse("outcomes:cohort", args=[code])

    response = sign_in(Client(), director).get(url)

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(
        action=AuditAction.OUTCOMES_COHORT_VIEWED
    ).exists()


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_queries_do_not_grow_with_the_cohort(director: User) -> None:
    client = sign_in(Client(), director)
    client.get(reverse("outcomes:dashboard"))  # the session's first-use queries
    pages = [reverse("outcomes:dashboard"), reverse("outcomes:cohort", args=["FDI-C"])]
    synthetic_cohort(2, by=director, tag="A")
    small = [_queries(client, url) for url in pages]

    synthetic_cohort(6, by=director, seed=2, tag="B")
    large = [_queries(client, url) for url in pages]

    assert small == large
