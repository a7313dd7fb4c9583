"""The team's decision page, and its live view of the rules."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.episodes.choices import Phase
from painrehab.episodes.models import Episode
from painrehab.referrals import services
from painrehab.referrals.models import EligibilityDecision
from painrehab.referrals.tests import journey
from painrehab.referrals.tests.support import client_as, clinician

pytestmark = pytest.mark.django_db


def _url(episode: Episode) -> str:
    return reverse("referrals:decision", args=[episode.pk])


def _decision(**overrides: Any) -> dict[str, Any]:
    data = {
        "planned_admission": journey.today().isoformat(),
        "outcome": "admit",
        "rationale": "Meets criteria; the family is ready.",
        "recommendations": "",
        "disagreement_reason": "",
    }
    data.update(overrides)
    return data


def _errors(response: Any, field: str) -> list[str]:
    return list(response.context["form"].errors.get(field, []))


def test_admitting_with_every_evaluation_signed_decides_the_episode(
    coordinator: User, evaluating: Episode
) -> None:
    journey.sign_all(evaluating)
    response = client_as(coordinator).post(_url(evaluating), _decision())
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "referrals:referral_detail", args=[evaluating.pk]
    )
    evaluating.refresh_from_db()
    assert evaluating.phase == Phase.DECIDED
    decision = EligibilityDecision.objects.get()
    assert (decision.outcome, decision.rule_recommendation) == ("admit", "admit")


def test_admitting_without_every_evaluation_is_refused(
    coordinator: User, evaluating: Episode
) -> None:
    response = client_as(coordinator).post(_url(evaluating), _decision())
    assert response.status_code == 200
    assert "Admission needs signed evaluations from" in _errors(response, "outcome")[0]
    assert not EligibilityDecision.objects.exists()


def test_differing_from_the_rules_needs_a_reason(
    coordinator: User, evaluating: Episode
) -> None:
    journey.sign_all(evaluating)
    data = _decision(outcome="decline", recommendations="Outpatient CBT and PT.")
    response = client_as(coordinator).post(_url(evaluating), data)
    message = _errors(response, "disagreement_reason")[0]
    assert "The rules recommend “admit”" in message
    assert not EligibilityDecision.objects.exists()
    evaluating.refresh_from_db()
    assert evaluating.phase == Phase.EVALUATION


def test_declining_needs_recommendations(
    coordinator: User, evaluating: Episode
) -> None:
    data = _decision(outcome="decline", disagreement_reason="Too far from home.")
    response = client_as(coordinator).post(_url(evaluating), data)
    assert _errors(response, "recommendations") == [
        services.DECLINE_NEEDS_RECOMMENDATIONS
    ]
    assert not EligibilityDecision.objects.exists()


def test_a_planned_date_in_the_past_is_refused(
    coordinator: User, evaluating: Episode
) -> None:
    yesterday = (journey.today() - dt.timedelta(days=1)).isoformat()
    response = client_as(coordinator).post(
        _url(evaluating), _decision(planned_admission=yesterday, outcome="defer")
    )
    assert _errors(response, "planned_admission")
    assert not EligibilityDecision.objects.exists()


def test_the_rules_preview_returns_only_the_rules_and_writes_nothing(
    coordinator: User, evaluating: Episode
) -> None:
    client = client_as(coordinator)
    page = client.get(_url(evaluating)).content.decode()
    assert "No planned admission date yet" in page
    assert 'hx-target="#rules"' in page
    in_a_year = journey.today() + dt.timedelta(days=365)
    data = _decision(planned_admission=in_a_year.isoformat(), preview="1")
    response = client.post(
        _url(evaluating), data, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="rules"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="rules"')
    assert f"on the planned admission date {in_a_year.isoformat()}" in html
    assert "<form" not in html and "<h1" not in html
    assert not EligibilityDecision.objects.exists()
    evaluating.refresh_from_db()
    assert evaluating.phase == Phase.EVALUATION


def test_a_preview_with_a_past_date_explains_it_beside_the_rules(
    coordinator: User, evaluating: Episode
) -> None:
    yesterday = (journey.today() - dt.timedelta(days=1)).isoformat()
    data = _decision(planned_admission=yesterday, preview="1")
    html = (
        client_as(coordinator)
        .post(_url(evaluating), data, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="rules")
        .content.decode()
    )
    assert "The date cannot be in the past." in html
    assert "No planned admission date yet" in html


def test_the_preview_without_javascript_shows_the_page_as_typed(
    coordinator: User, evaluating: Episode
) -> None:
    data = _decision(rationale="Half-written", preview="1")
    response = client_as(coordinator).post(_url(evaluating), data)
    html = response.content.decode()
    assert "Half-written" in html and f"Age {evaluating.patient.age()} on" in html
    assert "Nothing was saved" not in html
    assert not EligibilityDecision.objects.exists()


def test_the_age_rule_follows_the_planned_date(
    coordinator: User, evaluating: Episode
) -> None:
    late = evaluating.patient.date_of_birth.replace(
        year=evaluating.patient.date_of_birth.year + 20
    )
    data = _decision(planned_admission=late.isoformat(), preview="1")
    html = (
        client_as(coordinator)
        .post(_url(evaluating), data, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="rules")
        .content.decode()
    )
    assert "is above the program&#x27;s maximum of 19" in html
    assert "recommendation-decline" in html


def test_a_physician_on_the_team_records_the_decision(evaluating: Episode) -> None:
    physician = clinician(Role.PHYSICIAN, evaluating.patient)
    response = client_as(physician).post(_url(evaluating), _decision(outcome="defer"))
    assert response.status_code == 302
    assert EligibilityDecision.objects.get().decided_by == physician


def test_a_decided_episode_shows_no_form(coordinator: User) -> None:
    accepted = journey.accepted()
    page = client_as(coordinator).get(_url(accepted)).content.decode()
    assert "the team's decision has been made" in page
    assert "<textarea" not in page


@pytest.mark.parametrize(
    "role", [Role.PSYCHOLOGIST, Role.PHYSICAL_THERAPIST, Role.TEACHER], ids=str
)
def test_other_roles_are_refused(role: Role, evaluating: Episode) -> None:
    user = clinician(role, evaluating.patient)
    assert client_as(user).get(_url(evaluating)).status_code == 403


def test_a_physician_off_the_team_gets_404(evaluating: Episode) -> None:
    physician = clinician(Role.PHYSICIAN)
    assert client_as(physician).get(_url(evaluating)).status_code == 404


def test_guardians_are_refused(
    guardian: User, other_guardian: User, evaluating: Episode
) -> None:
    assert client_as(guardian).get(_url(evaluating)).status_code == 403
    assert client_as(other_guardian).post(_url(evaluating), {}).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(
    client: Client, evaluating: Episode
) -> None:
    response = client.get(_url(evaluating))
    assert response["Location"].startswith(reverse("accounts:login"))
