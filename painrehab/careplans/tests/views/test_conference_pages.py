"""The conference pages: planning, the cards (each person sees only their own
patients), updates with conflicts, decisions applied from a form, the family
summary, closing, and the record that stays read-only."""

import datetime as dt
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import Role
from painrehab.audit.models import AuditEvent
from painrehab.careplans.choices import DecisionKind as K
from painrehab.careplans.forms_conference import prescription_value
from painrehab.careplans.models import (
    CarePlan,
    ConferenceDecision,
    ConferenceItem,
    FamilySummary,
    TeamConference,
)
from painrehab.careplans.services import decisions
from painrehab.careplans.tests.conference_support import item_of, planned, started
from painrehab.careplans.tests.support import admitted_plan, on_team, template_row
from painrehab.common.testing import sign_in
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db


def _child_url(
    item: ConferenceItem, name: str = "conference_child", *extra: str
) -> str:
    return reverse(f"careplans:{name}", args=[item.conference_id, item.pk, *extra])


@pytest.fixture
def plan() -> CarePlan:
    return admitted_plan(days_ago=8)


@pytest.fixture
def item(plan: CarePlan) -> ConferenceItem:
    return item_of(started(), plan)


def test_the_coordinator_plans_a_conference_once_however_often_clicked() -> None:
    coordinator = journey.coordinator()
    client = sign_in(Client(), coordinator)
    url = reverse("careplans:conference_new")
    assert client.get(url).status_code == 200
    data = {
        "held_on": journey.today().isoformat(),
        "chaired_by": str(coordinator.pk),
        "form_token": str(uuid.uuid4()),
    }
    first, second = client.post(url, data), client.post(url, data)
    conference = TeamConference.objects.get()
    assert first["Location"] == second["Location"] == conference_url(conference)


def conference_url(conference: TeamConference) -> str:
    return reverse("careplans:conference_detail", args=[conference.pk])


def test_a_second_conference_on_the_same_day_is_refused_beside_the_date() -> None:
    planned()
    coordinator = journey.coordinator()
    response = sign_in(Client(), coordinator).post(
        reverse("careplans:conference_new"),
        {
            "held_on": journey.today().isoformat(),
            "chaired_by": str(coordinator.pk),
            "form_token": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 400
    assert "already planned" in response.content.decode()
    assert TeamConference.objects.count() == 1


def test_starting_from_the_page_builds_the_cards(plan: CarePlan) -> None:
    conference = planned()
    client = sign_in(Client(), journey.coordinator())
    page = client.get(conference_url(conference)).content.decode()
    assert "Start the conference" in page
    assert plan.episode.patient.display_name in page
    client.post(reverse("careplans:conference_start", args=[conference.pk]))
    page = client.get(conference_url(conference)).content.decode()
    assert "Day 9 of 28" in page or "day 9 of 28" in page
    assert "Open issues" in page


def test_each_person_sees_only_the_cards_of_their_own_patients(
    plan: CarePlan,
) -> None:
    other = admitted_plan(days_ago=2)
    conference = started()
    pt = on_team(plan, Role.PHYSICAL_THERAPIST)
    mine, theirs = plan.episode.patient, other.episode.patient
    pt_page = sign_in(Client(), pt).get(conference_url(conference)).content.decode()
    assert mine.display_name in pt_page and theirs.display_name not in pt_page
    coordinator_page = (
        sign_in(Client(), journey.coordinator())
        .get(conference_url(conference))
        .content.decode()
    )
    assert mine.display_name in coordinator_page
    assert theirs.display_name in coordinator_page
    viewed = AuditEvent.objects.filter(action="conference.viewed", actor_id=pt.pk)
    assert {e.patient_id for e in viewed} == {mine.pk}
    # Someone else's child's card is a missing page, and the refusal is recorded.
    someone_else = item_of(conference, other)
    response = sign_in(Client(), pt).get(_child_url(someone_else))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        action="conference.viewed", actor_id=pt.pk, outcome="failure"
    ).exists()


def test_the_list_shows_upcoming_and_past_in_few_queries(
    plan: CarePlan, django_assert_max_num_queries: Any
) -> None:
    for days in range(1, 4):
        started(journey.today() - dt.timedelta(days=days))
    client = sign_in(Client(), journey.coordinator())
    # +1: the "Family messages" badge
    with django_assert_max_num_queries(13):
        response = client.get(reverse("careplans:conference_list"))
    assert response.status_code == 200
    assert response.content.decode().count("In progress") == 3


def _update(client: Client, item: ConferenceItem, version: int, text: str) -> Any:
    return client.post(
        _child_url(item, "conference_update"), {"version": str(version), "text": text}
    )


def test_a_stale_update_shows_theirs_next_to_mine(
    plan: CarePlan, item: ConferenceItem
) -> None:
    pat = sign_in(Client(), on_team(plan, Role.PHYSICAL_THERAPIST, first_name="Pat"))
    lee = sign_in(Client(), on_team(plan, Role.PHYSICAL_THERAPIST, first_name="Lee"))
    assert _update(pat, item, 0, "Walks 300 m without crutches").status_code == 302
    refused = _update(lee, item, 0, "Stairs with one rail")
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "Walks 300 m without crutches" in page and "Stairs with one rail" in page
    assert "Pat" in page and 'name="version" value="1"' in page
    assert _update(lee, item, 1, "Walks 300 m; stairs with one rail").status_code == 302
    assert item.updates.get().text == "Walks 300 m; stairs with one rail"


def _decide_post(item: ConferenceItem, **values: str) -> dict[str, str]:
    pt = template_row(CarePlan.objects.get(episode=item.episode), "pt")
    return {
        "prescription": prescription_value(pt),
        "minutes": "45",
        "sessions_per_day": "",
        "sessions_per_week": "",
        "rationale": "Tired by the afternoon",
        "form_token": str(uuid.uuid4()),
        **values,
    }


def test_a_decision_from_the_form_changes_the_plan_page(
    plan: CarePlan, item: ConferenceItem
) -> None:
    client = sign_in(Client(), journey.coordinator())
    url = _child_url(item, "conference_decide", K.CHANGE_PRESCRIPTION)
    assert client.get(url).status_code == 200
    data = _decide_post(item)
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # the double click
    assert ConferenceDecision.objects.count() == 1
    page = client.get(reverse("careplans:plan", args=[plan.episode.patient_id]))
    text = page.content.decode()
    assert "1× 45 min a day" in text
    assert "Team conference" in text and "Tired by the afternoon" in text


def test_bad_minutes_are_shown_beside_the_field_and_nothing_is_applied(
    plan: CarePlan, item: ConferenceItem
) -> None:
    client = sign_in(Client(), journey.coordinator())
    url = _child_url(item, "conference_decide", K.CHANGE_PRESCRIPTION)
    response = client.post(url, _decide_post(item, minutes="50", rationale=""))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_minutes_error"' in page and "multiple of 15" in page
    assert 'id="id_rationale_error"' in page
    assert not ConferenceDecision.objects.exists()
    assert template_row(plan, "pt").minutes == 60


def test_a_stale_prescription_shows_what_it_is_now_and_applies_on_retry(
    plan: CarePlan, item: ConferenceItem
) -> None:
    client = sign_in(Client(), journey.coordinator())
    url = _child_url(item, "conference_decide", K.CHANGE_PRESCRIPTION)
    seen = _decide_post(item)
    other = sign_in(Client(), on_team(plan, Role.PHYSICIAN, first_name="Dana"))
    assert other.post(url, _decide_post(item, minutes="30")).status_code == 302
    refused = client.post(url, seen)
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "1× 30 min a day" in page and "Dana" in page
    pt = template_row(plan, "pt")
    assert f'value="{prescription_value(pt)}" selected' in page
    retried = client.post(url, {**seen, "prescription": prescription_value(pt)})
    assert retried.status_code == 302
    assert template_row(plan, "pt").minutes == 45


def test_a_therapist_is_offered_only_their_own_decisions(
    plan: CarePlan, item: ConferenceItem
) -> None:
    client = sign_in(Client(), on_team(plan, Role.PHYSICAL_THERAPIST))
    page = client.get(_child_url(item)).content.decode()
    assert str(K.CHANGE_PRESCRIPTION.label) in page
    assert str(K.EXTEND_STAY.label) not in page
    stay = client.get(_child_url(item, "conference_decide", K.EXTEND_STAY))
    assert "not yours" in stay.content.decode()
    later = plan.episode.stay.planned_discharge_on.replace(year=2100)
    response = client.post(
        _child_url(item, "conference_decide", K.EXTEND_STAY),
        {
            "discharge_on": later.isoformat(),
            "rationale": "x",
            "form_token": uuid.uuid4(),
        },
    )
    assert response.status_code == 403
    assert decisions.STAY_NOT_YOURS in response.content.decode()


def test_the_family_summary_is_drafted_saved_and_released(
    plan: CarePlan, item: ConferenceItem
) -> None:
    client = sign_in(Client(), journey.coordinator())
    first_name = plan.episode.patient.given_name
    draft = client.get(_child_url(item)).content.decode()
    assert f"how {first_name} is doing" in draft
    saved = client.post(
        _child_url(item, "conference_summary"),
        {"version": "0", "text": "Robin had a good week."},
    )
    assert saved.status_code == 302
    released = client.post(
        _child_url(item, "conference_summary_release"), {"version": "1"}
    )
    assert released.status_code == 302
    summary = FamilySummary.objects.get()
    assert summary.released_at is not None
    page = client.get(_child_url(item)).content.decode()
    assert "Released to the family portal" in page
    assert "Release to the family portal" not in page


def test_a_closed_conference_shows_its_record_without_forms(
    plan: CarePlan, item: ConferenceItem
) -> None:
    client = sign_in(Client(), journey.coordinator())
    _update(client, item, 0, "Before close")
    close = reverse("careplans:conference_close", args=[item.conference_id])
    assert client.get(close).status_code == 200
    assert client.post(close).status_code == 302
    page = client.get(_child_url(item)).content.decode()
    assert "Before close" in page and "Closed at" in page
    assert "Save the update" not in page and "Record a decision" not in page
    refused = _update(client, item, 1, "After close")
    assert refused.status_code == 400
    assert item.updates.get().text == "Before close"
    assert "This conference is closed" in refused.content.decode()
