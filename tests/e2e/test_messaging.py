"""Team messages in a real browser: a thread from the chart, a refused mention
fixed in place, and the colleague's badge and inbox."""

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.accounts.tests.factories import totp_device
from painrehab.common.testing import staff
from painrehab.messaging.models import Mention, Message
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import CareTeamMemberFactory
from painrehab.referrals.tests import journey
from tests.e2e.test_journey import label, sign_in, sign_out

pytestmark = pytest.mark.e2e


@pytest.fixture
def team(child: Patient, pt_on_team: User, settings: object) -> tuple[User, User]:
    settings.DEBUG = True  # type: ignore[attr-defined]
    settings.DEMO_MODE = True  # type: ignore[attr-defined]
    journey.referred(child)
    ot = staff(Role.OCCUPATIONAL_THERAPIST, username="olive")
    CareTeamMemberFactory(patient=child, member=ot)
    for user in (pt_on_team, ot):
        totp_device(user)
    return pt_on_team, ot


def test_a_thread_with_a_mention_reaches_the_colleague(
    page: Page,
    url: Callable[[str], str],
    password_step: Callable[[User], None],
    screenshot: Callable[[str], Path],
    team: tuple[User, User],
    pt_off_team: User,
    child: Patient,
) -> None:
    pt, ot = team
    sign_in(page, password_step, pt)
    page.goto(url(f"/patients/{child.pk}/messages/"))
    page.get_by_role("link", name="New thread").click()
    label(page, "Subject").fill("Splint at night")
    label(page, "Message").fill("Can you check the splint, @bob?")
    page.get_by_role("button", name="Start thread").click()
    expect(page.locator("#id_body_error")).to_have_text(
        "@bob is not on this child's care team."
    )
    screenshot("messaging-refused-mention")
    label(page, "Message").fill("Can you check the splint, @olive?")
    page.get_by_role("button", name="Start thread").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Splint at night")
    assert Mention.objects.get().user == ot
    sign_out(page)

    sign_in(page, password_step, ot)
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Messages 2 waiting")).to_be_visible()
    nav.get_by_role("link", name=re.compile(r"^Messages")).click()
    page.get_by_role("link", name="Mentions of me").click()
    screenshot("messaging-inbox")
    page.get_by_role("link", name="Splint at night").click()
    label(page, "Message").fill("Checked, it fits.")
    page.get_by_role("button", name="Post reply").click()
    expect(page.get_by_text("Message posted.")).to_be_visible()
    screenshot("messaging-thread")
    assert Message.objects.count() == 2
    expect(nav.get_by_role("link", name="Messages", exact=True)).to_be_visible()
