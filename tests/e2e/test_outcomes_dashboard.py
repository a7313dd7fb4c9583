"""The program dashboard in a real browser: the director filters the cohort,
sees its size change, opens one instrument's cohort table and the export form,
and every page passes an axe scan."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.episodes.services import beds_configure
from painrehab.outcomes.tests.cohort_support import (
    admission_and_discharge,
    closed_episode,
)
from painrehab.patients.choices import Sex
from tests.e2e.test_journey import sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def director(staff_with_demo_code: Callable[[Role, str], User]) -> User:
    return staff_with_demo_code(Role.DIRECTOR, "e2e-director")


@pytest.fixture
def cohort(director: User) -> None:
    """Three children discharged 13 days ago: two girls and a boy."""
    beds_configure(count=4, by=None)
    for sex, pre, post in (
        (Sex.FEMALE, 30, 12),
        (Sex.FEMALE, 24, 10),
        (Sex.MALE, 36, 20),
    ):
        episode = closed_episode(sex=sex)
        admission_and_discharge(episode, "FDI-C", pre, post)


def test_director_filters_the_cohort_and_opens_a_cohort_table(
    page: Page,
    url: Callable[[str], str],
    password_step: Callable[[User], None],
    director: User,
    cohort: None,
    axe: Callable[[str], list[dict[str, object]]],
) -> None:
    sign_in(page, password_step, director)
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Outcomes"
    ).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Program outcomes")
    expect(page.locator("#cohort-n")).to_have_text("3")
    violations = axe("outcomes dashboard")

    page.get_by_label("Sex").select_option("male")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"sex=male"))
    expect(page.locator("#cohort-n")).to_have_text("1")

    page.get_by_role("link", name="FDI-C").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("FDI-C")
    expect(page.locator("#cohort-n")).to_have_text("1")
    expect(page.locator("#cohort-change")).to_contain_text("-16.0")
    violations += axe("outcomes cohort table")

    page.get_by_role("link", name="Program outcomes").click()
    page.get_by_role(
        "link", name="De-identified research export of this cohort"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "De-identified research export"
    )
    expect(page.get_by_label("Sex")).to_have_value("male")
    violations += axe("research export form")

    assert violations == []
