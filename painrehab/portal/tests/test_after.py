"""After discharge in the portal: the step-down weeks, the clinic check-ups, the
instructions for home, and a school letter with nothing clinical in it."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.episodes.choices import FollowUpStatus
from painrehab.episodes.models import Discharge, FollowUp
from painrehab.portal.tests.support import Family, family
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db

PLAN = (
    "Half days for the first week, then full days.\n"
    "A pass to leave class for a short break."
)
DIAGNOSIS_TEXT = "Complex regional pain syndrome"


@pytest.fixture
def robin() -> Family:
    fam = family(age=9, stage="discharged")
    assert fam.episode is not None
    Discharge.objects.filter(episode=fam.episode).update(
        school_reentry_plan=PLAN,
        medications="Ibuprofen 200 mg when needed",
        summary_medicine="Pain medicine summary: CRPS, improving.",
    )
    fam.child.school_name = "Lincoln Elementary"
    fam.child.school_grade = "4"
    fam.child.save()
    coordinator = journey.coordinator()
    coordinator.first_name, coordinator.last_name = "Carmen", "Vantablack"
    coordinator.save()
    return fam


def _page(client: Client, name: str, fam: Family) -> str:
    response = client.get(reverse(name, args=[fam.child.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_after_discharge_shows_the_step_down_check_ups_and_home_plan(
    robin: Family,
) -> None:
    page = _page(robin.guardian_client(), "portal:after", robin)
    assert "<h1>After Robin's stay</h1>" in page
    assert "for 4 weeks." in page
    assert "Physical therapy: 1 session a week" in page
    assert "Occupational therapy: 1 session a week" in page
    assert "Psychology: 1 session a week" in page
    assert "Check-ups in the Pain Medicine Clinic" in page
    assert "3 months after going home" in page and "Not yet." in page
    assert "Daily walking and desensitisation." in page
    assert "Ibuprofen 200 mg when needed" in page
    assert "Half days for the first week" in page
    assert reverse("portal:school_letter", args=[robin.child.pk]) in page
    assert "CRPS" not in page and "Pain medicine summary" not in page


def test_a_check_up_seen_says_when(robin: Family) -> None:
    visit = FollowUp.objects.get(episode=robin.episode, months_after=1)
    visit.status = FollowUpStatus.COMPLETED
    visit.completed_on = visit.due_on
    visit.save()
    page = _page(robin.guardian_client(), "portal:after", robin)
    assert "Seen on" in page


def test_the_teen_sees_their_own_plan() -> None:
    fam = family(age=15, teen_account=True, stage="discharged")
    page = _page(fam.teen_client(), "portal:after", fam)
    assert "<h1>After my stay</h1>" in page
    assert "Daily walking and desensitisation." in page


def test_before_discharge_the_page_says_what_will_appear() -> None:
    fam = family(age=9, stage="admitted")
    page = _page(fam.guardian_client(), "portal:after", fam)
    assert "This page fills in when the stay on the unit ends." in page
    letter = _page(fam.guardian_client(), "portal:school_letter", fam)
    assert "The letter for school will be ready here" in letter


def test_the_school_letter_has_the_plan_and_the_contact_and_no_diagnosis(
    robin: Family,
) -> None:
    page = _page(robin.guardian_client(), "portal:school_letter", robin)
    assert "Returning to school: Robin Testfamily" in page
    assert "To: Lincoln Elementary" in page and "Grade: 4" in page
    assert "Half days for the first week, then full days.<br>" in page
    assert "Carmen, program coordinator, at (555) 010-0000." in page
    assert "portal/print.css" in page
    for clinical in (
        "G90.521",
        DIAGNOSIS_TEXT,
        "Disabling leg pain",
        "ankle sprain",
        "CRPS",
        "Ibuprofen",
        "Daily walking",
        "Vantablack",
    ):
        assert clinical not in page, clinical


def test_the_unit_phone_comes_from_the_settings(robin: Family, settings: Any) -> None:
    settings.PORTAL_UNIT_PHONE = "(555) 010-4242"
    page = _page(robin.guardian_client(), "portal:school_letter", robin)
    assert "(555) 010-4242" in page


def test_without_a_school_plan_the_letter_waits_for_the_team() -> None:
    fam = family(age=9, stage="discharged")
    page = _page(fam.guardian_client(), "portal:school_letter", fam)
    assert "The letter for school will be ready here" in page
    assert "Dear teachers" not in page


def test_hidden_discharge_shows_why(settings: Any) -> None:
    settings.PORTAL_GUARDIAN_TEEN_SEES = ["messages"]
    fam = family(age=14, stage="discharged")
    for name in ("portal:after", "portal:school_letter"):
        page = _page(fam.guardian_client(), name, fam)
        assert "some of your child&#x27;s record is shared with your child" in page
        assert "Daily walking" not in page


def test_another_familys_child_is_a_404(robin: Family) -> None:
    other = family(age=10, name="Zephyrine", surname="Quillfeather", parent="Lee")
    client = other.guardian_client()
    for name in ("portal:after", "portal:school_letter"):
        assert client.get(reverse(name, args=[robin.child.pk])).status_code == 404
