"""The family portal in a real browser: a guardian's journey in English and in
Spanish with an accessibility scan of every page, a teen's check-in and private
message kept out of the guardian's view, and another family's child out of reach.
"""

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from painrehab.accounts.models import User
from painrehab.homeprogram.models import ExerciseTick
from painrehab.instruments.models import DailyCheckIn
from painrehab.messaging.models import FamilyThread
from painrehab.portal.tests.support import family
from tests.e2e.portal_support import (
    ARTICLE_TITLE,
    EXERCISE_TITLE,
    PARENT_FORM_TITLE,
    PHONE_WIDTH,
    GuardianFamily,
    Words,
    another_browser,
    guardian_family,
    h1,
    labelled,
    phone_sized,
    scroll_width,
    sign_in,
    teen_family,
)

pytestmark = pytest.mark.e2e

Axe = Callable[[str], list[dict[str, object]]]
Screenshot = Callable[[str], object]
NOT_FOUND = "Page not found"  # templates/404.html
# Every text of a standalone SVG whose box leaves the drawing, as "text (box)".
TEXT_OUTSIDE = """() => {
    const svg = document.documentElement.getBoundingClientRect();
    return [...document.querySelectorAll("text")].filter(t => {
        const b = t.getBoundingClientRect();
        return b.left < svg.left - 0.5 || b.right > svg.right + 0.5
            || b.top < svg.top - 0.5 || b.bottom > svg.bottom + 0.5;
    }).map(t => {
        const b = t.getBoundingClientRect();
        return `${t.textContent} (${Math.round(b.left)}-${Math.round(b.right)}`
            + ` of ${Math.round(svg.width)})`;
    });
}"""
# A form's fields posted again from the page (its cookies, its CSRF token).
SUBMIT_AGAIN = """form => fetch(form.action, {
    method: "POST", body: new URLSearchParams(form.fields), redirect: "manual"
}).then(response => response.type)"""


def _checked(
    page: Page,
    axe: Axe,
    found: list[dict[str, Any]],
    label: str,
    menu: Locator,
    current: str | None = None,
) -> None:
    """Scan the page with axe, check the menu marks the page it opened
    (``current``, a link's name), then look at the page on a phone: the menu is
    there and nothing scrolls sideways. Problems are collected, to be reported
    together at the end of the test."""
    found.extend(axe(label))
    if current is not None:
        marked = menu.get_by_role("link", name=current).get_attribute("aria-current")
        if marked != "page":
            found.append({"page": label, "id": "menu-current-not-marked"})
    with phone_sized(page):
        expect(menu).to_be_visible()
        width = scroll_width(page)
    if width > PHONE_WIDTH + 1:
        found.append({"page": label, "id": "wider-than-a-phone", "width": width})


def _chart_text_outside(page: Page, address: str) -> list[str]:
    """The chart's texts that do not fit inside the drawing (cut off on the
    page), measured in the browser with the fonts it draws them in."""
    chart = page.context.new_page()
    try:
        chart.goto(address)
        outside: list[str] = chart.evaluate(TEXT_OUTSIDE)
    finally:
        chart.close()
    return outside


def _listed(found: list[dict[str, Any]]) -> str:
    return "Problems found:\n" + "\n".join(repr(problem) for problem in found)


def _nowhere(page: Page, canaries: tuple[str, ...]) -> None:
    """None of ``canaries`` on the page: not in its text, hidden or shown, nor in
    its markup (attributes, hidden fields)."""
    body = page.locator("body")
    html = page.content()
    for canary in canaries:
        expect(body).not_to_contain_text(canary)
        assert canary not in html, canary


def _walk(
    page: Page, axe: Axe, screenshot: Screenshot, data: GuardianFamily, w: Words
) -> list[dict[str, Any]]:
    """The guardian's main journey, from the child's day to an article, in the
    language of ``w``; returns every accessibility or phone-width problem."""
    child = data.fam.child
    found: list[dict[str, Any]] = []
    lang = w.language
    menu = page.get_by_role("navigation", name=w("%(name)s's pages", name="Robin"))
    today = timezone.localdate()

    # Today: the child's day, with visiting hours in the locale's time format.
    expect(page).to_have_url(re.compile(rf"/family/children/{child.pk}/$"))
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(h1(page)).to_have_text(w("%(name)s's day", name="Robin"))
    visiting = w(
        "Visiting hours are from %(start)s to %(end)s every day.",
        start=w.time(dt.time(17, 0)),
        end=w.time(dt.time(20, 0)),
    )
    expect(page.get_by_text(visiting)).to_be_visible()
    _checked(page, axe, found, f"{lang} today", menu, w("Today"))

    # This week: each day by its name and date in the locale.
    menu.get_by_role("link", name=w("This week")).click()
    expect(h1(page)).to_have_text(w("%(name)s's week", name="Robin"))
    monday = today - dt.timedelta(days=today.weekday())
    weekday = w.date(monday, "l")
    assert weekday == {"en": "Monday", "es": "lunes"}[lang]
    monday_heading = w.pattern(
        "%(weekday)s, %(when)s", weekday=weekday, when=w.date(monday)
    )
    expect(
        page.get_by_role("heading", level=2, name=re.compile(re.escape(monday_heading)))
    ).to_be_visible()
    _checked(page, axe, found, f"{lang} week", menu, w("This week"))

    # Progress: the chart is drawn (the image loads) with words for its values.
    menu.get_by_role("link", name=w("Progress")).click()
    expect(h1(page)).to_have_text(w("%(name)s's progress", name="Robin"))
    chart = page.get_by_role(
        "img",
        name=re.compile(re.escape(w("The same numbers are in the tables below."))),
    )
    expect(chart).to_be_visible()
    natural_width = chart.evaluate("img => img.decode().then(() => img.naturalWidth)")
    assert natural_width > 0
    screenshot(f"family-progress-{lang}")
    clipped = _chart_text_outside(page, chart.evaluate("img => img.src"))
    if clipped:
        found.append({"page": f"{lang} chart", "id": "text-cut-off", "texts": clipped})
    _checked(page, axe, found, f"{lang} progress", menu, w("Progress"))

    # Home exercises: "Done today", double-clicked, is one tick. Chromium sends
    # one of a double click's two submissions, so the other is sent as well, as
    # a slow network would deliver it: the very same form, after the first.
    menu.get_by_role("link", name=w("Home exercises")).click()
    expect(h1(page)).to_have_text(w("Home exercises"))
    card = page.get_by_role("region", name=EXERCISE_TITLE)
    done = card.get_by_role("button", name=f"{w('Done today')} {EXERCISE_TITLE}")
    second_click = done.evaluate(
        "b => ({action: b.form.action, fields: [...new FormData(b.form)]})"
    )
    done.dblclick()
    undo = card.get_by_role("button", name=f"{w('Undo')} {EXERCISE_TITLE}")
    expect(undo).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(
        w("Well done! It is ticked as done.")
    )
    answer = page.evaluate(SUBMIT_AGAIN, second_click)
    assert answer == "opaqueredirect"  # accepted: back to the page
    page.reload()
    expect(undo).to_be_visible()
    expect(card.get_by_text(w("Done today"))).to_be_visible()
    expect(card.get_by_text(w("%(day)s: done", day=w.date(today)))).to_have_count(1)
    assert ExerciseTick.objects.filter(exercise=data.exercise).count() == 1
    _checked(page, axe, found, f"{lang} exercises", menu, w("Home exercises"))

    # Questionnaires: a parent form is waiting.
    menu.get_by_role("link", name=w("Questionnaires")).click()
    expect(h1(page)).to_have_text(w("Questionnaires"))
    waiting = page.get_by_role("region", name=w("Waiting for you"))
    expect(waiting.get_by_text(w(PARENT_FORM_TITLE)).first).to_be_visible()
    expect(waiting.get_by_role("button", name=w("Start")).first).to_be_visible()
    _checked(page, axe, found, f"{lang} questionnaires", menu, w("Questionnaires"))

    # Messages: the urgent-call notice, and a new message to the team.
    menu.get_by_role("link", name=w("Messages")).click()
    expect(h1(page)).to_have_text(w("Messages with the team"))
    expect(page.get_by_role("note")).to_have_text(w.urgent_notice())
    _checked(page, axe, found, f"{lang} messages", menu, w("Messages"))
    page.get_by_role("link", name=w("Write to the team")).click()
    expect(h1(page)).to_have_text(w("Write to the team"))
    _checked(page, axe, found, f"{lang} new message", menu)
    subject = {"en": "Visiting on Sunday", "es": "Visita el domingo"}[lang]
    labelled(page, w("Subject")).fill(subject)
    labelled(page, w("Your message")).fill("Can Robin's grandmother come too?")
    page.get_by_role("button", name=w("Send")).click()
    expect(h1(page)).to_have_text(subject)
    _checked(page, axe, found, f"{lang} thread", menu)
    page.get_by_role("link", name=w("Back to messages")).click()
    expect(page.get_by_role("link", name=subject)).to_be_visible()
    expect(page.get_by_text(w("Waiting for the team to reply."))).to_be_visible()
    expect(page.get_by_role("note")).to_have_text(w.urgent_notice())
    assert FamilyThread.objects.filter(subject=subject).count() == 1

    # Learn: the library, then one article.
    header = page.get_by_role("banner")
    header.get_by_role("link", name=w("Learn")).click()
    expect(h1(page)).to_have_text(w("Learn about chronic pain and the program"))
    _checked(page, axe, found, f"{lang} learn", header)
    page.get_by_role("link", name=w(ARTICLE_TITLE)).click()
    expect(h1(page)).to_have_text(w(ARTICLE_TITLE))
    _checked(page, axe, found, f"{lang} article", header)
    return found


def test_a_guardian_sees_only_their_own_child(
    page: Page,
    url: Callable[[str], str],
    password_step: Callable[[User], None],
    screenshot: Screenshot,
) -> None:
    own = family(age=9, name="Robin", surname="Testfamily", parent="Dana")
    other = family(age=10, name="Zephyrine", surname="Otherfamily", parent="Morgan")
    other_child = other.child

    # Guardians have no second factor unless enrolled; one child: straight to the day.
    password_step(own.guardian_user)
    expect(page).to_have_url(re.compile(rf"/family/children/{own.child.pk}/$"))
    expect(h1(page)).to_have_text("Robin's day")
    body = page.locator("body")
    for text in ("Zephyrine", "Otherfamily", "Morgan"):
        expect(body).not_to_contain_text(text)
    screenshot("family")

    # Another family's child, by guessing addresses: refused, nothing shown.
    for path in (
        f"/family/children/{other_child.pk}/",
        f"/family/children/{other_child.pk}/progress/chart.svg",
        f"/patients/{other_child.pk}/",
    ):
        response = page.goto(url(path))
        assert response is not None
        assert response.status in {403, 404}, path
        for text in ("Zephyrine", "Otherfamily", other_child.mrn):
            expect(body).not_to_contain_text(text)
        expect(h1(page)).to_have_text(
            re.compile(f"You do not have access to this page|{NOT_FOUND}")
        )


def test_a_guardians_journey_in_english_passes_the_accessibility_scan(
    page: Page,
    password_step: Callable[[User], None],
    axe: Axe,
    screenshot: Screenshot,
) -> None:
    data = guardian_family()

    password_step(data.fam.guardian_user)
    found = _walk(page, axe, screenshot, data, Words("en"))

    assert found == [], _listed(found)


def test_a_guardians_journey_in_spanish_chosen_once_in_the_header(
    page: Page,
    context: BrowserContext,
    password_step: Callable[[User], None],
    axe: Axe,
    screenshot: Screenshot,
) -> None:
    data = guardian_family()
    w = Words("es")
    password_step(data.fam.guardian_user)
    expect(h1(page)).to_have_text("Robin's day")

    page.get_by_role("button", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(h1(page)).to_have_text(w("%(name)s's day", name="Robin"))
    # The choice is the account's: signed out, on a browser without the
    # language cookie, the next sign-in is in Spanish again.
    page.get_by_role("button", name=w("Sign out")).click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    context.clear_cookies()
    password_step(data.fam.guardian_user)
    found = _walk(page, axe, screenshot, data, w)

    assert w.untranslated == [], "No Spanish for:\n" + "\n".join(w.untranslated)
    assert found == [], _listed(found)


def test_a_teens_check_in_and_private_message_stay_out_of_the_guardians_view(
    page: Page,
    url: Callable[[str], str],
    password_step: Callable[[User], None],
    browser: Browser,
    axe: Axe,
) -> None:
    fam = teen_family()
    assert fam.teen_user is not None
    goal = "CANARY-teen-goal-7c1e"
    subject = "CANARY-teen-subject-4b2a"
    message = "CANARY-teen-message-9d3f"
    found: list[dict[str, Any]] = []

    password_step(fam.teen_user)
    expect(page).to_have_url(re.compile(rf"/family/children/{fam.child.pk}/$"))
    expect(h1(page)).to_have_text("My day")
    menu = page.get_by_role("navigation", name="Alex's pages")

    # The check-in, first without the pain: the error is next to the question.
    menu.get_by_role("link", name="Check-in").click()
    expect(h1(page)).to_have_text("Daily check-in")
    labelled(page, "How many hours did you sleep last night?").fill("7.5")
    for question, answer in (
        ("How did you sleep?", "Good"),
        ("How do you feel today?", "Okay"),
        ("Did you meet today's goal?", "Yes"),
    ):
        group = page.get_by_role("group", name=question)
        group.get_by_role("radio", name=answer, exact=True).check()
    labelled(page, "What was today's goal?").fill(goal)
    page.get_by_role("button", name="Save my check-in").click()
    pain = page.get_by_role("group", name="How much does it hurt right now?")
    expect(pain).to_have_accessible_description(re.compile("This field is required."))
    expect(page.get_by_role("alert")).to_have_text(
        "Nothing was saved yet. Check the questions marked below."
    )
    assert not DailyCheckIn.objects.filter(episode=fam.episode).exists()
    expect(labelled(page, "How many hours did you sleep last night?")).to_have_value(
        "7.5"
    )
    _checked(page, axe, found, "teen check-in with an error", menu, "Check-in")
    pain.get_by_role("radio", name="4", exact=True).check()
    page.get_by_role("button", name="Save my check-in").click()
    expect(page.get_by_role("status")).to_have_text(
        "Thank you! Your check-in is saved."
    )
    expect(page.get_by_text("You have checked in today. Thank you!")).to_be_visible()
    entry = DailyCheckIn.objects.get(episode=fam.episode)
    assert (entry.pain_now, entry.goal_text) == (4, goal)
    _checked(page, axe, found, "teen check-in saved", menu)

    # A private message to the team.
    menu.get_by_role("link", name="Messages").click()
    expect(h1(page)).to_have_text("My messages with the team")
    page.get_by_role("link", name="Write to the team").click()
    labelled(page, "Subject").fill(subject)
    labelled(page, "Your message").fill(message)
    page.get_by_role("button", name="Send").click()
    expect(h1(page)).to_have_text(subject)
    expect(page.get_by_text("Private: only you and the team")).to_be_visible()
    _checked(page, axe, found, "teen thread", menu, "Messages")
    thread_url = page.url

    # The guardian, on another device: none of it anywhere, and the
    # conversation's address is the same page as a missing one.
    canaries = (goal, subject, message, "Pain 4 out of 10")
    with another_browser(browser) as parent:
        sign_in(parent, url, fam.guardian_user)
        expect(h1(parent)).to_have_text("Alex's day")
        parent_menu = parent.get_by_role("navigation", name="Alex's pages")
        expect(parent_menu.get_by_role("link", name="Check-in")).to_have_count(0)
        _nowhere(parent, canaries)
        parent_menu.get_by_role("link", name="Messages").click()
        expect(h1(parent)).to_have_text("Messages with the team")
        _nowhere(parent, canaries)
        response = parent.goto(thread_url)
        assert response is not None
        assert response.status == 404
        expect(h1(parent)).to_have_text(NOT_FOUND)
        _nowhere(parent, canaries)

    assert found == [], _listed(found)
