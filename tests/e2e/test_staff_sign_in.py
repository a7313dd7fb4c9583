"""Staff sign in through the real pages: password, second factor, list, chart."""

import re
from collections.abc import Callable

import pytest
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from painrehab.accounts.models import User
from painrehab.accounts.tests.factories import TEST_PASSWORD, totp_device
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import PatientFactory

pytestmark = pytest.mark.e2e

VERIFY = re.compile(r"/accounts/login/verify/$")
LOGIN = re.compile(r"/accounts/login/(\?.*)?$")
PATIENT_LIST = re.compile(r"/patients/$")
BAD_CODE = "That code is not correct or has already been used"


def current_code(device: object) -> str:
    """The code the authenticator app would show right now."""
    return f"{totp(device.bin_key):06d}"  # type: ignore[attr-defined]


def test_coordinator_signs_in_with_demo_code_and_opens_a_chart(
    page: Page,
    url: Callable[[str], str],
    password_step: Callable[[User], None],
    coordinator: User,
    child: Patient,
    settings: object,
    screenshot: Callable[[str], object],
) -> None:
    settings.DEBUG = True  # type: ignore[attr-defined]
    settings.DEMO_MODE = True  # type: ignore[attr-defined]
    totp_device(coordinator)
    other = PatientFactory(given_name="Quinn", family_name="Elsewhere")

    password_step(coordinator)
    expect(page).to_have_url(VERIFY)
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    expect(page.get_by_text("the code 000000 is accepted")).to_be_visible()
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(PATIENT_LIST)
    table = page.locator("#patient-table")
    expect(table).to_contain_text("Testchild, Robin")
    expect(table).to_contain_text("Elsewhere, Quinn")

    # Search by name: HTMX swaps the table in place.
    page.get_by_label("Search by name or MRN").fill("Testchild")
    page.get_by_role("button", name="Search").click()
    expect(table).not_to_contain_text("Elsewhere")
    expect(table).to_contain_text("Testchild, Robin")
    expect(page).to_have_url(PATIENT_LIST)  # the name never enters the URL

    page.get_by_role("link", name="Testchild, Robin").click()
    expect(page).to_have_url(re.compile(rf"/patients/{child.pk}/$"))
    header = page.locator("section.chart-header")
    expect(header.get_by_role("heading", level=1)).to_have_text("Robin Testchild")
    expect(header).to_contain_text(child.mrn)
    expect(header).to_contain_text(f"{child.age()} years")
    expect(header).not_to_contain_text(other.family_name)
    screenshot("chart")


def test_demo_code_refused_without_debug_but_a_real_totp_code_works(
    page: Page,
    url: Callable[[str], str],
    password_step: Callable[[User], None],
    coordinator: User,
    child: Patient,
    settings: object,
) -> None:
    # Demo mode requested, DEBUG off: the fixed code must not open anything.
    settings.DEBUG = False  # type: ignore[attr-defined]
    settings.DEMO_MODE = True  # type: ignore[attr-defined]
    device = totp_device(coordinator)

    password_step(coordinator)
    expect(page).to_have_url(VERIFY)
    expect(page.get_by_text("the code 000000 is accepted")).to_have_count(0)
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(VERIFY)
    expect(page.get_by_text(BAD_CODE)).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    page.goto(url("/patients/"))
    expect(page).to_have_url(LOGIN)
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()

    # The password step is still pending (5 minutes): back to the code page.
    page.goto(url("/accounts/login/verify/"))
    expect(page).to_have_url(VERIFY)
    # django-otp throttles the device for 1 s after the failed code.
    page.wait_for_timeout(1100)
    page.get_by_label("Code").fill(current_code(device))
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(PATIENT_LIST)
    expect(page.locator("#patient-table")).to_contain_text("Testchild, Robin")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_login_form_works_with_the_keyboard_only(
    page: Page,
    url: Callable[[str], str],
    coordinator: User,
    child: Patient,
) -> None:
    device = totp_device(coordinator)
    page.goto(url("/accounts/login/"))
    # Start from the top of the document, as a keyboard user arriving at the page.
    page.evaluate("document.activeElement && document.activeElement.blur()")

    def tab_to(element_id: str, limit: int = 10) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == element_id:
                return
        pytest.fail(f"#{element_id} not reachable with Tab")

    tab_to("id_username")
    page.keyboard.type(coordinator.username)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_password"
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Enter")

    expect(page).to_have_url(VERIFY)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    tab_to("id_code")
    page.keyboard.type(current_code(device))
    page.keyboard.press("Enter")

    expect(page).to_have_url(PATIENT_LIST)
    expect(page.locator("#patient-table")).to_contain_text("Testchild, Robin")
