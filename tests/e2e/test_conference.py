"""The weekly team conference in a real browser, from the agenda to applied
decisions: planned and started by the coordinator, a child's card opened, an update
saved, "PT 45 minutes" applied and seen on the plan, the family summary released,
the conference closed."""

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from painrehab.accounts.models import User
from painrehab.accounts.tests.factories import totp_device
from painrehab.careplans.choices import ConferenceStatus
from painrehab.careplans.models import FamilySummary, Prescription, TeamConference
from painrehab.episodes.services import beds_configure
from painrehab.patients.models import Patient
from painrehab.referrals.tests import journey
from tests.e2e.test_journey import label, sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def inpatient(child: Patient, coordinator: User, settings: object) -> Patient:
    settings.DEBUG = True  # type: ignore[attr-defined]
    settings.DEMO_MODE = True  # type: ignore[attr-defined]
    beds_configure(count=4, by=None)
    journey.admitted(child, days_ago=9)
    totp_device(coordinator)
    return child


def test_a_conference_from_agenda_to_applied_decisions(
    page: Page,
    url: Callable[[str], str],
    password_step: Callable[[User], None],
    screenshot: Callable[[str], Path],
    coordinator: User,
    inpatient: Patient,
) -> None:
    sign_in(page, password_step, coordinator)
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Conferences"
    ).click()
    page.get_by_role("link", name="New conference").click()
    page.get_by_role("button", name="Plan the conference").click()
    expect(page.get_by_text("Team conference planned.")).to_be_visible()
    expect(page.get_by_text("Robin Testchild")).to_be_visible()
    page.get_by_role("button", name="Start the conference").click()
    expect(page.get_by_text("every child's agenda is ready")).to_be_visible()

    # The card opens in place (tablet), then the child's own page has the forms.
    page.get_by_text("Robin Testchild", exact=True).click()
    expect(page.get_by_text("Day 10 of 28", exact=True)).to_be_visible()
    screenshot("conference-agenda")
    page.get_by_role("link", name="Open Robin Testchild's card").click()

    label(page, "Update").fill("Settling in; family joined the evening session.")
    page.get_by_role("button", name="Save the update").click()
    expect(page.get_by_text("Update saved.")).to_be_visible()

    page.get_by_role(
        "link", name="Change a prescription (minutes or how often)"
    ).click()
    label(page, "Prescription").select_option(
        label="Physical therapy — 1× 60 min a day"
    )
    label(page, "Minutes a session").fill("45")
    label(page, "Why (required)").fill("Tired by the afternoon; shorter sessions")
    page.get_by_role("button", name="Apply to the plan").click()
    expect(
        page.get_by_text(
            "Applied to the plan: Physical therapy: 1× 60 min a day → 1× 45 min a day"
        )
    ).to_be_visible()
    pt = Prescription.objects.get(
        care_plan__episode__patient=inpatient, template_key="pt"
    )
    assert pt.minutes == 45

    page.get_by_role("link", name="Care plan", exact=True).click()
    therapy = page.get_by_role("row", name=re.compile("^Physical therapy 1×"))
    expect(therapy).to_contain_text("1× 45 min a day")
    expect(
        page.get_by_text(re.compile("^Why: Team conference .*shorter"))
    ).to_be_visible()
    page.go_back()

    summary = label(page, "Summary for the family")
    expect(summary).to_have_value(re.compile("Physical therapy will now be 45 minutes"))
    page.get_by_role("button", name="Save the summary").click()
    expect(page.get_by_text("Family summary saved.")).to_be_visible()
    page.get_by_role("button", name="Release to the family portal").click()
    expect(page.get_by_text("Released to the family portal at")).to_be_visible()
    assert FamilySummary.objects.get().released_at is not None
    screenshot("conference-child")

    page.get_by_role("link", name=re.compile(r"^\w+day \d+ \w+ \d{4}$")).click()
    page.get_by_role("link", name="Close the conference").click()
    page.get_by_role("button", name="Close the conference").click()
    expect(page.get_by_text("The conference is closed")).to_be_visible()
    assert TeamConference.objects.get().status == ConferenceStatus.CLOSED
    screenshot("conference-closed")
