"""Signing out leaves nothing behind in the browser."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from painrehab.accounts.models import User
from painrehab.accounts.tests.factories import totp_device
from painrehab.patients.models import Patient

pytestmark = pytest.mark.e2e

LOGIN = re.compile(r"/accounts/login/(\?.*)?$")


def test_sign_out_clears_the_browser(
    page: Page,
    url: Callable[[str], str],
    password_step: Callable[[User], None],
    coordinator: User,
    child: Patient,
    settings: object,
) -> None:
    settings.DEBUG = True  # type: ignore[attr-defined]
    settings.DEMO_MODE = True  # type: ignore[attr-defined]
    totp_device(coordinator)
    password_step(coordinator)
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/patients/$"))
    # settings_test keeps SECURE on: Chromium takes the Secure, __Host- session
    # cookie from http://localhost (a potentially trustworthy origin).
    cookies = {c["name"]: c for c in page.context.cookies()}
    session_cookie = cookies[settings.SESSION_COOKIE_NAME]  # type: ignore[attr-defined]
    assert session_cookie["secure"]
    assert session_cookie["httpOnly"]

    # Something a script might have left in local storage: sign-out clears it too.
    # (No sessionStorage probe: Chromium does not clear a tab's sessionStorage on
    # Clear-Site-Data "storage".)
    page.evaluate("localStorage.setItem('e2e-probe', 'x')")

    with page.expect_response(
        lambda r: r.url.endswith("/accounts/logout/") and r.request.method == "POST"
    ) as sign_out:
        page.get_by_role("button", name="Sign out").click()
    response = sign_out.value
    clear_site_data = response.header_value("clear-site-data") or ""
    for directive in ('"cache"', '"cookies"', '"storage"'):
        assert directive in clear_site_data, clear_site_data

    expect(page).to_have_url(LOGIN)
    assert page.evaluate("localStorage.length") == 0
    # htmx's history (which would keep paths in sessionStorage) is switched off.
    session_storage = page.evaluate(
        "Object.fromEntries(Object.entries(sessionStorage))"
    )
    assert session_storage == {}, session_storage
    leftover = [
        c["name"] for c in page.context.cookies() if "csrftoken" not in c["name"]
    ]
    assert leftover == []

    page.goto(url("/patients/"))
    expect(page).to_have_url(LOGIN)
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
