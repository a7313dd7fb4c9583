"""Families, words and a sign-in for the family portal's browser tests.

The families are built through the services (``portal.tests.support.family``,
the home programme and the daily check-in), with fixed names. The words a page
should show are computed with Django's own gettext in the page's language, so a
test in Spanish fails when the catalog is missing (``Words.untranslated``).
"""

import datetime as dt
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.html import strip_tags
from django.utils.translation import gettext, override
from playwright.sync_api import Browser, Locator, Page

from painrehab.accounts.models import User
from painrehab.accounts.tests.factories import TEST_PASSWORD
from painrehab.homeprogram.models import HomeExercise
from painrehab.homeprogram.tests.support import assign, on_team
from painrehab.instruments import daily
from painrehab.portal.tests.support import Family, family
from painrehab.portal.views.messages import unit_phone
from painrehab.referrals.tests import journey

EXERCISE_TITLE = "Stairs"  # homeprogram.tests.support.fields()
ARTICLE_TITLE = "Sleep and pain"
# The first parent form of the protocol (portal/views/questionnaires.py).
PARENT_FORM_TITLE = "How your child manages everyday activities"
PHONE_WIDTH = 390
TIMEOUT_MS = 10_000  # as tests/e2e/conftest.py


@dataclass
class Words:
    """The portal's words in ``language``, noting every msgid left in English."""

    language: str
    untranslated: list[str] = field(default_factory=list)

    def __call__(self, msgid: str, **params: object) -> str:
        with override(self.language):
            text = gettext(msgid)
        if self.language != "en" and text == msgid and msgid not in self.untranslated:
            self.untranslated.append(msgid)
        return text % params if params else text

    def pattern(self, msgid: str, **params: object) -> str:
        """A format that may stay as it is in another language ("%(a)s, %(b)s")."""
        with override(self.language):
            return gettext(msgid) % params

    def date(self, day: dt.date, fmt: str = "DATE_FORMAT") -> str:
        with override(self.language):
            return date_format(day, fmt)

    def time(self, at: dt.time) -> str:
        with override(self.language):
            return time_format(at)

    def urgent_notice(self) -> str:
        """The notice on every messages page, as text (portal/views/messages.py)."""
        phone, tel = unit_phone()
        html = self(
            'For anything urgent, call the unit at <a href="%(tel)s">%(phone)s</a>'
            " — messages are answered within one working day.",
            tel=tel,
            phone=phone,
        )
        return strip_tags(html)


@dataclass
class GuardianFamily:
    """Robin (9), on the unit for ten days, with Dana's account, weekly pain
    from the check-ins (so the chart has something to draw) and one exercise."""

    fam: Family
    exercise: HomeExercise


def guardian_family() -> GuardianFamily:
    fam = family(age=9, name="Robin", surname="Testfamily", parent="Dana", stage="none")
    fam.episode = journey.admitted(fam.child, days_ago=10)
    today = timezone.localdate()
    for days_ago, pain in ((9, 6), (8, 5), (2, 4), (1, 3)):
        daily.checkin_record(
            episode=fam.episode,
            on=today - dt.timedelta(days=days_ago),
            pain_now=pain,
            sleep_hours=Decimal("8.0"),
            sleep_quality="good",
            mood="okay",
            goal_met=True,
            respondent="child",
            by=journey.coordinator(),
        )
    exercise = assign(
        fam.child, on_team(fam.child), starts_on=today - dt.timedelta(days=3)
    )
    return GuardianFamily(fam, exercise)


def teen_family() -> Family:
    """Alex (14) with their own account and Sam's, on the unit for two days."""
    fam = family(
        age=14,
        name="Alex",
        surname="Teenfamily",
        parent="Sam",
        teen_account=True,
        stage="none",
    )
    fam.episode = journey.admitted(fam.child, days_ago=2)
    return fam


def sign_in(page: Page, url: Callable[[str], str], user: User) -> None:
    """The real login page in English (a fresh browser has no language cookie).

    Family accounts have no second factor unless they enrolled one.
    """
    page.goto(url("/accounts/login/"))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Continue").click()


def labelled(page: Page, label: str) -> Locator:
    """A form field by its label (a required one ends with an asterisk)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def h1(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


@contextmanager
def phone_sized(page: Page) -> Iterator[None]:
    """The page at a phone's viewport for a while, then as it was."""
    size = page.viewport_size
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    try:
        yield
    finally:
        if size is not None:
            page.set_viewport_size(size)


def scroll_width(page: Page) -> int:
    """The page's width; wider than the viewport means it scrolls sideways."""
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return width


@contextmanager
def another_browser(browser: Browser) -> Iterator[Page]:
    """A page in a new browser context: another person on another device."""
    context = browser.new_context(
        locale="en-US", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()
