"""Browser-test fixtures: Debian's Chromium driven by Playwright's sync API.

No pytest-playwright and no browser download: one headless Chromium
(``/usr/bin/chromium``) per session, a fresh context and page per test, against
pytest-django's in-process ``live_server`` (so the ``settings`` fixture reaches it).
"""

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    sync_playwright,
)

from painrehab.accounts.models import User
from painrehab.accounts.tests.factories import TEST_PASSWORD
from painrehab.common.testing import audit_triggers_lifted

# Playwright's sync API keeps an event loop running in the main thread; Django would
# otherwise refuse the ORM calls the tests make (factories) as "async unsafe".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("PAINREHAB_E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Screenshots for a human to look at go outside the repository (/tmp by default).
SCREENSHOT_DIR = Path(
    os.environ.get("PAINREHAB_E2E_SCREENSHOTS", tempfile.gettempdir())
)
# Fail fast rather than wait out Playwright's 30 s default on a broken page.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="package", autouse=True)
def _audit_triggers_suspended(
    django_db_setup: None, django_db_blocker: object
) -> Iterator[None]:
    """The live server needs ``transactional_db``; see ``audit_triggers_lifted``."""
    with audit_triggers_lifted(django_db_blocker):
        yield


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(
        locale="en-US", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def url(live_server: object, transactional_db: None) -> Callable[[str], str]:
    """``url("/patients/")``: an absolute URL on the live server."""
    base = str(live_server.url)  # type: ignore[attr-defined]

    def make(path: str) -> str:
        return base + path

    return make


@pytest.fixture
def password_step(page: Page, url: Callable[[str], str]) -> Callable[[User], None]:
    """Fill in and submit the real login page (username and password) for ``user``."""

    def submit(user: User) -> None:
        page.goto(url("/accounts/login/"))
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(TEST_PASSWORD)
        page.get_by_role("button", name="Continue").click()

    return submit


@pytest.fixture
def screenshot(page: Page) -> Callable[[str], Path]:
    """``screenshot("chart")`` saves the whole page as e2e-chart.png for review."""

    def take(name: str) -> Path:
        path = SCREENSHOT_DIR / f"e2e-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
