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

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.accounts.tests.factories import TEST_PASSWORD, StaffFactory, totp_device
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
def staff_with_demo_code(settings: object) -> Callable[[Role, str], User]:
    """A staff member whose second factor takes the demo code 000000 (DEBUG and
    DEMO_MODE on for the test), as ``sign_in`` of test_journey expects."""
    settings.DEBUG = True  # type: ignore[attr-defined]
    settings.DEMO_MODE = True  # type: ignore[attr-defined]

    def make(role: Role, username: str) -> User:
        user: User = StaffFactory(role=role, username=username)
        totp_device(user)
        return user

    return make


@pytest.fixture
def screenshot(page: Page) -> Callable[[str], Path]:
    """``screenshot("chart")`` saves the whole page as e2e-chart.png for review."""

    def take(name: str) -> Path:
        path = SCREENSHOT_DIR / f"e2e-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


# axe-core from the npm registry, pinned in tests/e2e/axe/package-lock.json and
# installed by ``make e2e`` (npm ci): never fetched at test time.
AXE_JS = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0/2.1/2.2 A and AA rules.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def axe(page: Page) -> Callable[[str], list[dict[str, object]]]:
    """``axe("portal today")``: the page's serious or critical violations.

    The script goes in through the DevTools protocol (``evaluate``), which the
    page's Content-Security-Policy does not govern, so the app's CSP stays strict.
    """
    if not AXE_JS.exists():
        pytest.fail(f"axe-core not installed at {AXE_JS} (make e2e runs npm ci)")
    source = AXE_JS.read_text(encoding="utf-8")

    def scan(label: str) -> list[dict[str, object]]:
        page.evaluate(source)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
            AXE_TAGS,
        )
        serious = [
            {
                "page": label,
                "id": v["id"],
                "impact": v["impact"],
                "targets": [n["target"] for n in v["nodes"]][:5],
            }
            for v in result["violations"]
            if v["impact"] in {"serious", "critical"}
        ]
        return serious

    return scan
