"""The teen's daily check-in in the portal: one a day, errors next to the fields,
and never shown to a guardian."""

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.audit.models import AuditEvent
from painrehab.domain.proxy import Withhold
from painrehab.instruments import daily
from painrehab.instruments.models import DailyCheckIn, DailyRespondent
from painrehab.portal.tests.support import Family, family
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db

CANARY = "CANARY-teen-goal-7f3a"
GOOD = {
    "pain_now": "4",
    "sleep_hours": "7.5",
    "sleep_quality": "ok",
    "mood": "okay",
    "goal_met": "yes",
    "goal_text": "Walk to the school room",
}


@pytest.fixture
def teen() -> Family:
    return family(
        age=14, name="Sam", surname="Checkfamily", parent="Lee", teen_account=True
    )


def _url(fam: Family) -> str:
    return reverse("portal:checkin", args=[fam.child.pk])


def _post(client: Client, fam: Family, **changes: str) -> Any:
    return client.post(_url(fam), {**GOOD, **changes})


def test_the_teen_records_todays_check_in(teen: Family) -> None:
    client = teen.teen_client()

    saved = _post(client, teen)

    check_in = DailyCheckIn.objects.get()
    assert saved["Location"] == _url(teen)
    assert check_in.episode == teen.episode
    assert check_in.date == journey.today()
    assert (check_in.pain_now, check_in.sleep_hours) == (4, Decimal("7.5"))
    assert (check_in.sleep_quality, check_in.mood) == ("ok", "okay")
    assert check_in.goal_met is True
    assert check_in.goal_text == "Walk to the school room"
    assert check_in.respondent == DailyRespondent.CHILD
    assert check_in.entered_by == teen.teen_user
    page = client.get(_url(teen)).content.decode()
    assert "You have checked in today. Thank you!" in page
    assert "Walk to the school room" in page
    assert 'name="pain_now"' not in page


def test_a_second_check_in_the_same_day_is_refused(teen: Family) -> None:
    client = teen.teen_client()
    _post(client, teen)

    again = _post(client, teen, pain_now="9", goal_text="Another goal")

    assert again["Location"] == _url(teen)
    check_in = DailyCheckIn.objects.get()
    assert check_in.pain_now == 4
    page = client.get(_url(teen)).content.decode()
    assert "You have already checked in today. Thank you!" in page


def test_errors_are_shown_next_to_their_fields_and_nothing_is_saved(
    teen: Family,
) -> None:
    refused = _post(teen.teen_client(), teen, pain_now="", sleep_hours="20")

    body = refused.content.decode()
    assert refused.status_code == 200
    assert "Nothing was saved yet." in body
    assert 'aria-describedby="id_pain_now_helptext id_pain_now_error"' in body
    assert '<p class="error" id="id_pain_now_error">This field is required.' in body
    assert 'aria-describedby="id_sleep_hours_error"' in body
    assert (
        'id="id_sleep_hours_error">Ensure this value is less than or equal to 16.'
        in body
    )
    assert 'value="20"' in body  # what was typed is kept
    assert not DailyCheckIn.objects.exists()


def test_pain_is_eleven_large_radio_buttons_in_a_row(teen: Family) -> None:
    body = teen.teen_client().get(_url(teen)).content.decode()

    assert body.count('name="pain_now"') == 11
    assert 'class="choice-row"' in body
    assert "instruments/daily.css" in body


def test_a_guardian_is_told_the_check_in_is_the_teens_own(teen: Family) -> None:
    teens_day = daily.checkin_record(
        episode=teen.episode,  # type: ignore[arg-type]
        on=journey.today(),
        pain_now=6,
        sleep_hours=Decimal(5),
        sleep_quality="poor",
        mood="sad",
        goal_met=False,
        goal_text=CANARY,
        respondent=DailyRespondent.CHILD,
        by=teen.teen_user,  # type: ignore[arg-type]
    )
    client = teen.guardian_client()

    page = client.get(_url(teen))

    body = page.content.decode()
    assert page.status_code == 200
    assert "This is your child&#x27;s own entry." in body
    assert CANARY not in body
    assert 'name="pain_now"' not in body
    event = AuditEvent.objects.filter(action="portal.viewed").latest("seq")
    assert event.changes["withheld"] == {"checkin": Withhold.NOT_THIS_RESPONDENT}
    assert not AuditEvent.objects.filter(
        action="checkin.viewed", actor=teen.guardian_user
    ).exists()
    assert teens_day.pk


def test_a_guardian_cannot_record_a_check_in(teen: Family) -> None:
    refused = _post(teen.guardian_client(), teen)

    assert refused.status_code == 404
    assert not DailyCheckIn.objects.exists()


def test_the_check_in_menu_item_is_the_teens_only(teen: Family) -> None:
    menu_link = f'href="{_url(teen)}"'
    teens = teen.teen_client().get(_url(teen)).content.decode()
    guardians = teen.guardian_client().get(_url(teen)).content.decode()

    assert menu_link in teens
    assert menu_link not in guardians


def test_after_discharge_there_is_no_check_in_to_fill() -> None:
    fam = family(age=15, surname="Homefamily", teen_account=True, stage="discharged")

    page = fam.teen_client().get(_url(fam)).content.decode()
    refused = _post(fam.teen_client(), fam)

    assert "There is nothing to fill in today." in page
    assert 'name="pain_now"' not in page
    assert refused.status_code == 200
    assert not DailyCheckIn.objects.exists()


def test_another_family_gets_a_404(teen: Family) -> None:
    other = family(age=9, surname="Otherfamily", parent="Kim")

    assert other.guardian_client().get(_url(teen)).status_code == 404
    assert _post(other.guardian_client(), teen).status_code == 404
