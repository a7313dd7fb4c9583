"""Booking the evaluation visit, and the structured evaluation of each discipline."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.episodes.choices import Phase
from painrehab.episodes.models import Episode
from painrehab.patients.models import Patient
from painrehab.referrals import services
from painrehab.referrals.choices import EvaluationStatus
from painrehab.referrals.models import Evaluation
from painrehab.referrals.tests import journey
from painrehab.referrals.tests.support import client_as, clinician

pytestmark = pytest.mark.django_db


def _schedule(episode: Episode) -> str:
    return reverse("referrals:schedule", args=[episode.pk])


def _evaluators_posted() -> dict[str, Any]:
    return {f"evaluator_{d}": u.pk for d, u in journey.evaluators().items()}


def test_the_coordinator_books_the_visit(coordinator: User, referred: Episode) -> None:
    data = {
        "scheduled_for": journey.today().isoformat(),
        "location": "Pain Medicine Clinic",
        **_evaluators_posted(),
    }
    response = client_as(coordinator).post(_schedule(referred), data)
    assert response.status_code == 302
    referred.refresh_from_db()
    assert referred.phase == Phase.EVALUATION
    visit = referred.evaluation_visit
    assert sorted(visit.evaluations.values_list("discipline", flat=True)) == [
        "MED",
        "OT",
        "PSY",
        "PT",
        "SW",
    ]


def test_evaluators_are_offered_by_role_and_last_name(
    coordinator: User, referred: Episode
) -> None:
    clinician(Role.PHYSICIAN, last_name="Zamora")
    clinician(Role.PHYSICIAN, last_name="Abbott")
    clinician(Role.PHYSICIAN, last_name="Inactive", is_active=False)
    clinician(Role.NURSE, last_name="Nightingale")
    response = client_as(coordinator).get(_schedule(referred))
    choices = [
        label for _, label in response.context["form"]["evaluator_MED"].field.choices
    ]
    names = [str(label).split(",")[0] for label in choices[1:]]
    assert names == ["Abbott", "Zamora"]
    assert 'value="Pain Medicine Clinic"' in response.content.decode()


def test_a_missing_discipline_is_shown_beside_its_field(
    coordinator: User, referred: Episode
) -> None:
    data = {"scheduled_for": journey.today().isoformat(), "location": "Clinic"}
    data.update(_evaluators_posted())
    del data["evaluator_PSY"]
    response = client_as(coordinator).post(_schedule(referred), data)
    assert response.status_code == 200
    assert response.context["form"].errors["evaluator_PSY"]
    referred.refresh_from_db()
    assert referred.phase == Phase.REFERRED


def test_booking_twice_is_refused_with_the_phase(
    coordinator: User, evaluating: Episode
) -> None:
    data = {"scheduled_for": journey.today().isoformat(), "location": "Clinic"}
    response = client_as(coordinator).post(
        _schedule(evaluating), {**data, **_evaluators_posted()}
    )
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert "it cannot be evaluation scheduled now" in errors[0]
    assert "The visit is already booked" in response.content.decode()


def test_only_the_coordinator_books(
    pt_on_team: User, guardian: User, referred: Episode, client: Client
) -> None:
    assert client_as(pt_on_team).get(_schedule(referred)).status_code == 403
    assert client_as(guardian).get(_schedule(referred)).status_code == 403
    assert client.get(_schedule(referred))["Location"].startswith("/accounts/")


# The evaluation itself ------------------------------------------------------------


def _evaluation(episode: Episode, discipline: str = "MED") -> Evaluation:
    return episode.evaluation_visit.evaluations.get(discipline=discipline)


def _url(episode: Episode, discipline: str = "MED") -> str:
    return reverse("referrals:evaluation", args=[episode.pk, discipline])


def _answers(**overrides: Any) -> dict[str, Any]:
    data = {
        "version": 1,
        "summary": "Allodynia of the right foot; no red flags.",
        "function_notes": "Walks with crutches; not at school.",
        "recommendation": "recommend",
        "exclusion_medically_unstable": "no",
        "exclusion_not_medically_worked_up": "no",
        "action": "save",
    }
    data.update(overrides)
    return data


def test_the_evaluator_saves_a_draft(evaluating: Episode) -> None:
    evaluation = _evaluation(evaluating)
    client = client_as(evaluation.evaluator)
    response = client.post(_url(evaluating), _answers())
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.DRAFT and evaluation.version == 2
    assert evaluation.summary.startswith("Allodynia")
    assert evaluation.exclusions == {
        "medically_unstable": False,
        "not_medically_worked_up": False,
    }
    assert 'name="version" value="2"' in client.get(_url(evaluating)).content.decode()


def test_the_evaluator_signs(evaluating: Episode) -> None:
    evaluation = _evaluation(evaluating)
    response = client_as(evaluation.evaluator).post(
        _url(evaluating), _answers(action="sign")
    )
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.is_signed and evaluation.content_sha256 == evaluation.digest()


def test_signing_needs_every_exclusion_answered_and_saves_nothing(
    evaluating: Episode,
) -> None:
    evaluation = _evaluation(evaluating)
    data = _answers(action="sign", exclusion_medically_unstable="")
    response = client_as(evaluation.evaluator).post(_url(evaluating), data)
    form = response.context["form"]
    assert form.errors["exclusion_medically_unstable"] == [services.EXCLUSIONS_MISSING]
    assert "exclusion_not_medically_worked_up" not in form.errors
    evaluation.refresh_from_db()
    assert evaluation.version == 1 and evaluation.summary == ""


def test_a_stale_save_is_refused_and_keeps_the_text(evaluating: Episode) -> None:
    evaluation = _evaluation(evaluating)
    client = client_as(evaluation.evaluator)
    client.post(_url(evaluating), _answers(summary="First tab's findings."))
    response = client.post(_url(evaluating), _answers(summary="Second tab's words."))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [services.STALE]
    assert "Second tab&#x27;s words." in response.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.summary == "First tab's findings." and evaluation.version == 2


def test_someone_else_posting_is_refused(evaluating: Episode) -> None:
    other_physician = clinician(Role.PHYSICIAN, evaluating.patient)
    response = client_as(other_physician).post(_url(evaluating), _answers())
    assert response.status_code == 403
    assert _evaluation(evaluating).version == 1


def test_another_discipline_reads_the_draft_without_a_form(
    evaluating: Episode,
) -> None:
    evaluation = _evaluation(evaluating)
    services.evaluation_save(
        evaluation=evaluation,
        by=evaluation.evaluator,
        version=1,
        summary="Findings so far.",
        function_notes="",
        recommendation="unsure",
        exclusions={},
    )
    psychologist = _evaluation(evaluating, "PSY").evaluator
    response = client_as(psychologist).get(_url(evaluating))
    page = response.content.decode()
    assert response.status_code == 200 and response.context["form"] is None
    assert "Findings so far." in page and "only" in page and "<textarea" not in page


def test_a_signed_evaluation_is_read_only_with_its_digest(evaluating: Episode) -> None:
    journey.sign_all(evaluating)
    evaluation = _evaluation(evaluating)
    client = client_as(evaluation.evaluator)
    page = client.get(_url(evaluating)).content.decode()
    assert "<textarea" not in page
    assert f"Signed by {evaluation.evaluator.get_full_name()} at" in page
    assert evaluation.content_sha256 in page
    response = client.post(_url(evaluating), _answers(version=evaluation.version))
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.summary == "Assessed at the clinic visit."


def test_an_unknown_discipline_is_not_found(
    coordinator: User, evaluating: Episode
) -> None:
    assert client_as(coordinator).get(_url(evaluating, "ACU")).status_code == 404


def test_a_clinician_off_the_team_gets_404(
    pt_off_team: User, evaluating: Episode
) -> None:
    assert client_as(pt_off_team).get(_url(evaluating)).status_code == 404


def test_a_teacher_on_the_team_is_refused(
    teacher_on_team: User, evaluating: Episode
) -> None:
    assert client_as(teacher_on_team).get(_url(evaluating)).status_code == 403


def test_guardians_are_refused(
    guardian: User, other_guardian: User, evaluating: Episode
) -> None:
    assert client_as(guardian).get(_url(evaluating)).status_code == 403
    assert client_as(other_guardian).get(_url(evaluating)).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(
    client: Client, evaluating: Episode, child: Patient
) -> None:
    response = client.get(_url(evaluating))
    assert response["Location"].startswith(reverse("accounts:login"))
