"""Questionnaires in a real browser: kiosk mode handed to a child, and the body map."""

import datetime as dt
import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from painrehab.accounts.models import User
from painrehab.accounts.tests.factories import totp_device
from painrehab.audit.models import AuditEvent
from painrehab.domain.scoring import get
from painrehab.episodes.services import beds_configure
from painrehab.instruments.choices import AdministrationStatus
from painrehab.instruments.models import Administration, BodyMap
from painrehab.patients.models import Patient
from painrehab.referrals.tests import journey
from tests.e2e.test_journey import sign_in

pytestmark = pytest.mark.e2e

LOGIN = re.compile(r"/accounts/login/(\?.*)?$")


@pytest.fixture
def inpatient(child: Patient, settings: object) -> Patient:
    settings.DEBUG = True  # type: ignore[attr-defined]
    settings.DEMO_MODE = True  # type: ignore[attr-defined]
    beds_configure(count=4, by=None)
    journey.admitted(child, days_ago=1)
    return child


def _answer_every_page(page: Page, code: str) -> None:
    """Tap the first option of every item, page by page, then send."""
    definition = get(code)
    expect(page.get_by_role("heading", level=1)).to_have_text(definition.name)
    while True:
        for group in page.locator("fieldset.choices").all():
            with page.expect_response(lambda r: r.url.endswith("/save/")):
                group.get_by_role("radio").first.check()
        send = page.get_by_role("button", name="Submit")
        if send.count():
            send.click()
            return
        page.get_by_role("button", name="Next").click()


def test_kiosk_hands_the_tablet_to_the_child_and_locks_it(
    page: Page,
    url: Callable[[str], str],
    password_step: Callable[[User], None],
    pt_on_team: User,
    inpatient: Patient,
) -> None:
    totp_device(pt_on_team)
    sign_in(page, password_step, pt_on_team)
    page.goto(url(f"/patients/{inpatient.pk}/measures/"))
    page.get_by_role("button", name="Hand the tablet to Robin").click()

    expect(page.get_by_role("heading", name="Hi Robin!")).to_be_visible()
    # No way out to the clinician's pages: no navigation, no sign-out button.
    expect(page.get_by_role("navigation", name="Main")).to_have_count(0)
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    # Typing another address is refused, and changes nothing.
    page.goto(url("/patients/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "This page is not available on this tablet"
    )
    page.get_by_role("link", name="Back to my questionnaires").click()

    handed = list(
        Administration.objects.filter(episode__patient=inpatient).order_by("pk")
    )
    assert handed
    for administration in handed:
        page.get_by_role("link", name=re.compile("^(Start|Carry on)$")).click()
        _answer_every_page(page, administration.instrument_version.code)

    # The last "Submit" ends the kiosk: thanks, and the session is signed out.
    expect(page.get_by_role("heading", name="All done. Thank you!")).to_be_visible()
    page.goto(url("/patients/"))
    expect(page).to_have_url(LOGIN)
    for administration in handed:
        administration.refresh_from_db()
        assert administration.status == AdministrationStatus.SUBMITTED
        assert administration.via_kiosk
    assert AuditEvent.objects.filter(action="kiosk.page_refused").count() == 1


def test_kiosk_locks_itself_after_the_idle_limit(
    page: Page,
    url: Callable[[str], str],
    password_step: Callable[[User], None],
    pt_on_team: User,
    inpatient: Patient,
    settings: object,
) -> None:
    # Seconds instead of five minutes; the page's own timer reloads it at the limit.
    settings.KIOSK_IDLE_TIMEOUT = dt.timedelta(seconds=3)  # type: ignore[attr-defined]
    totp_device(pt_on_team)
    sign_in(page, password_step, pt_on_team)
    page.goto(url(f"/patients/{inpatient.pk}/measures/"))
    page.get_by_role("button", name="Hand the tablet to Robin").click()
    expect(page.get_by_role("heading", name="Hi Robin!")).to_be_visible()

    expect(page.get_by_role("heading", name="The tablet has locked")).to_be_visible(
        timeout=15_000
    )
    page.goto(url("/patients/"))
    expect(page).to_have_url(LOGIN)


def test_body_map_tap_marks_a_region_and_saves_it(
    page: Page,
    url: Callable[[str], str],
    password_step: Callable[[User], None],
    pt_on_team: User,
    inpatient: Patient,
) -> None:
    totp_device(pt_on_team)
    sign_in(page, password_step, pt_on_team)
    page.goto(url(f"/patients/{inpatient.pk}/body-map/"))
    knee = page.locator('[id="front.left_knee"]')
    head_box = page.get_by_label("Head", exact=True).first

    knee.click()
    expect(knee).to_have_class(re.compile(r"\bmarked\b"))
    expect(page.locator('[id="cb-front.left_knee"]')).to_be_checked()
    head_box.check()  # the lists work as well as the figure
    expect(page.locator('[id="front.head"]')).to_have_class(re.compile(r"\bmarked\b"))
    knee.click()  # a second tap takes the mark off again
    expect(page.locator('[id="cb-front.left_knee"]')).not_to_be_checked()
    knee.click()
    page.get_by_role("button", name="Save the body map").click()

    expect(page.get_by_role("heading", name="Latest body map")).to_be_visible()
    saved = BodyMap.objects.get(episode__patient=inpatient)
    assert sorted(saved.regions) == ["front.head", "front.left_knee"]
    latest = page.locator("#bodymap-latest-title").locator("..")
    expect(latest.locator('[data-region="front.left_knee"]')).to_have_class(
        re.compile(r"\bmarked\b")
    )


def test_body_map_without_a_region_says_so_and_saves_nothing(
    page: Page,
    url: Callable[[str], str],
    password_step: Callable[[User], None],
    pt_on_team: User,
    inpatient: Patient,
) -> None:
    totp_device(pt_on_team)
    sign_in(page, password_step, pt_on_team)
    page.goto(url(f"/patients/{inpatient.pk}/body-map/"))

    page.get_by_role("button", name="Save the body map").click()

    expect(
        page.get_by_text("Mark at least one place that hurts.").first
    ).to_be_visible()
    assert not BodyMap.objects.exists()
