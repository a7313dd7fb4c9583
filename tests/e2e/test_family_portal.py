"""A guardian signs in to the family portal and sees only their own child."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from painrehab.accounts.models import User
from painrehab.patients.models import Patient

pytestmark = pytest.mark.e2e


def test_guardian_sees_only_their_own_child(
    page: Page,
    url: Callable[[str], str],
    password_step: Callable[[User], None],
    guardian: User,
    other_guardian: User,
    child: Patient,
    screenshot: Callable[[str], object],
) -> None:
    other_child = Patient.objects.get(guardian_links__guardian__user=other_guardian)
    # Names of their own (a random one could be the guardian's own first name).
    other_child.given_name, other_child.family_name = "Zephyrine", "Otherfamily"
    other_child.save(update_fields=["given_name", "family_name"])
    assert other_child.family_name != child.family_name

    # Guardians have no second factor unless enrolled: straight to the portal.
    password_step(guardian)
    expect(page).to_have_url(re.compile(r"/family/$"))
    main = page.locator("main")
    expect(main.get_by_role("heading", name=child.display_name)).to_be_visible()
    expect(main).not_to_contain_text(other_child.family_name)
    expect(main).not_to_contain_text(other_child.given_name)
    screenshot("family")

    # Another family's chart, by guessing its URL: refused, nothing shown.
    response = page.goto(url(f"/patients/{other_child.pk}/"))
    assert response is not None
    assert response.status in {403, 404}
    body = page.locator("body")
    expect(body).not_to_contain_text(other_child.family_name)
    expect(body).not_to_contain_text(other_child.mrn)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile("You do not have access to this page|Page not found")
    )
