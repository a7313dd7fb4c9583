"""The census and the waitlist pages."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.common.testing import sign_in, staff
from painrehab.episodes.models import Bed
from painrehab.episodes.tests import stays
from painrehab.patients.models import Patient
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db
CENSUS, WAITLIST = reverse("episodes:census"), reverse("episodes:waitlist")


@pytest.mark.parametrize(
    "role", [Role.COORDINATOR, Role.DIRECTOR, Role.PHYSICIAN, Role.NURSE], ids=str
)
def test_census_opens_for_the_unit_roles(client: Client, role: Role) -> None:
    assert sign_in(client, staff(role)).get(CENSUS).status_code == 200


@pytest.mark.parametrize("url", [CENSUS, WAITLIST], ids=["census", "waitlist"])
def test_census_and_waitlist_are_refused_to_therapists_and_guardians(
    client_for, pt_on_team: User, guardian: User, other_guardian: User, url: str
) -> None:
    for user in (pt_on_team, guardian, other_guardian):
        assert client_for(user).get(url).status_code == 403


@pytest.mark.parametrize("url", [CENSUS, WAITLIST], ids=["census", "waitlist"])
def test_census_and_waitlist_send_visitors_to_sign_in(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_census_shows_beds_day_of_stay_occupancy_and_flags(
    client: Client, coordinator: User, child: Patient
) -> None:
    stays.admit(child, days_ago=24, stay_days=28, bed=Bed.objects.get(number=5))
    page = sign_in(client, coordinator).get(CENSUS).content.decode()
    assert "1 of 12 beds" in page and "Bed 12" in page
    assert child.display_name in page and child.mrn in page
    assert "Day 25 of 28" in page and "Planned discharge this week" in page
    assert reverse("patients:patient_detail", args=[child.pk]) in page


def test_census_hides_the_names_of_children_not_on_my_team(
    client: Client, child: Patient
) -> None:
    stays.admit(child, bed=Bed.objects.get(number=1))
    other = stays.admit(bed=Bed.objects.get(number=2)).patient
    physician = stays.on_team(child, Role.PHYSICIAN)
    page = sign_in(client, physician).get(CENSUS).content.decode()
    assert child.display_name in page
    assert other.display_name not in page and other.mrn not in page
    assert reverse("patients:patient_detail", args=[other.pk]) not in page
    assert "Occupied" in page


def test_census_queries_do_not_grow_with_the_number_of_patients(
    client: Client,
) -> None:
    first = stays.admit().patient
    journey.waitlisted(preferred_start=stays.today())
    sign_in(client, stays.on_team(first, Role.PHYSICIAN))
    one = stays.count_queries(client, CENSUS)
    for _ in range(11):
        stays.admit()
    twelve_inpatients = stays.count_queries(client, CENSUS)
    for number in range(17):
        start = stays.today() + dt.timedelta(days=number)
        journey.waitlisted(preferred_start=start)
    for _ in range(30):
        journey.referred()
    assert one == twelve_inpatients == stays.count_queries(client, CENSUS)


def test_waitlist_lists_children_by_priority_with_admit_links(
    client: Client, coordinator: User
) -> None:
    routine = journey.waitlisted()
    urgent = journey.waitlisted(priority=1)
    page = sign_in(client, coordinator).get(WAITLIST).content.decode()
    assert page.index(urgent.patient.display_name) < page.index(
        routine.patient.display_name
    )
    assert reverse("episodes:admit", args=[urgent.pk]) in page


def test_waitlist_hides_names_and_admit_links_from_others(
    client: Client, child: Patient
) -> None:
    other = journey.waitlisted()
    physician = stays.on_team(child, Role.PHYSICIAN)
    page = sign_in(client, physician).get(WAITLIST).content.decode()
    assert other.patient.display_name not in page and "name hidden" in page
    assert reverse("episodes:admit", args=[other.pk]) not in page


def test_waitlist_queries_do_not_grow_with_its_length(
    client: Client, coordinator: User
) -> None:
    journey.waitlisted()
    sign_in(client, coordinator)
    one = stays.count_queries(client, WAITLIST)
    for _ in range(5):
        journey.waitlisted()
    assert stays.count_queries(client, WAITLIST) == one
