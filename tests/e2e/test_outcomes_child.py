"""One child's outcomes in a real browser: the physician reads the Trajectory tab
(charts with their descriptions and tables), previews a discharge summary, makes
the PDF and finds it among the reports sent with its digest and the download
link; every page passes an axe scan."""

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.episodes.services import beds_configure
from painrehab.outcomes.models import GeneratedReport
from painrehab.outcomes.tests.cohort_support import (
    admission_and_discharge,
    closed_episode,
)
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import CareTeamMemberFactory
from tests.e2e.test_journey import sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def physician(staff_with_demo_code: Callable[[Role, str], User]) -> User:
    return staff_with_demo_code(Role.PHYSICIAN, "e2e-physician")


@pytest.fixture
def child(physician: User) -> Patient:
    """Two children discharged 13 days ago (two give the program's SD)."""
    beds_configure(count=4, by=None)
    episodes = []
    for pre, post in ((34, 12), (28, 14)):
        episode = closed_episode()
        admission_and_discharge(episode, "FDI-C", pre, post)
        episodes.append(episode)
    patient = episodes[0].patient
    CareTeamMemberFactory(patient=patient, member=physician)
    return patient


def test_physician_reads_the_trajectory_and_sends_a_discharge_summary(
    page: Page,
    url: Callable[[str], str],
    password_step: Callable[[User], None],
    physician: User,
    child: Patient,
    axe: Callable[[str], list[dict[str, object]]],
) -> None:
    sign_in(page, password_step, physician)
    page.goto(url(f"/patients/{child.pk}/"))
    tabs = page.get_by_role("navigation", name="Chart sections")

    tabs.get_by_role("link", name="Trajectory").click()
    function = page.get_by_role("region", name="Function")
    expect(function.locator("svg title").first).to_contain_text("FDI-C")
    expect(function).to_contain_text("went from 34 at admission")
    expect(function).to_contain_text("A reliable change")
    expect(function.get_by_role("table").first).to_contain_text("Discharge")
    violations = axe("trajectory")

    tabs.get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="New discharge summary").click()
    expect(page.get_by_label("Purpose")).to_have_value("Continuity of care")
    expect(page.locator(".report")).to_contain_text("Discharge summary")
    violations += axe("discharge summary preview")

    page.locator("#id_recipient").fill("Dr. Test (synthetic), Clinic")
    page.get_by_role("button", name="Make the PDF").click()
    expect(page).to_have_url(re.compile(rf"/patients/{child.pk}/reports/$"))
    report = GeneratedReport.objects.get(episode__patient=child)
    expect(page.get_by_role("table")).to_contain_text(report.sha256)
    expect(page.get_by_role("table")).to_contain_text("Dr. Test (synthetic), Clinic")
    violations += axe("reports sent")

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Discharge summary")).click()
    content = Path(download_info.value.path()).read_bytes()
    assert hashlib.sha256(content).hexdigest() == report.sha256

    assert violations == []
