"""Staff choose the language of a child's printed timetable (``?lang=en|es``)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.common.testing import sign_in, staff
from painrehab.episodes.models import Episode
from painrehab.patients.tests.factories import PatientFactory
from painrehab.referrals.tests import journey
from painrehab.scheduling.tests.factories import day_template, session, therapist

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LINK = re.compile(r'<a href="\?([^"]+)" lang="(\w+)"')


@pytest.fixture
def coordinator() -> User:
    return staff(Role.COORDINATOR, username="alice")


def _child(language: str) -> Episode:
    day_template()
    episode = journey.admitted(
        PatientFactory(
            given_name="Robin", family_name="Testchild", preferred_language=language
        )
    )
    session(episode, day=TODAY, staff=therapist(first_name="Tess", last_name="Mover"))
    return episode


def _print(user: User, episode: Episode, **params: str) -> str:
    url = reverse("scheduling:patient_print", args=[episode.patient_id])
    response = sign_in(Client(), user).get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_staff_print_an_english_speakers_day_in_spanish(coordinator: User) -> None:
    episode = _child("en")
    page = _print(coordinator, episode, day=TODAY.isoformat(), lang="es")
    assert '<html lang="es">' in page
    assert "El día de Robin" in page and "Fisioterapia" in page


def test_staff_print_a_spanish_speakers_week_in_english(coordinator: User) -> None:
    episode = _child("es")
    page = _print(coordinator, episode, week=TODAY.isoformat(), lang="en")
    assert '<html lang="en">' in page
    assert "Robin's week" in page


@pytest.mark.parametrize(
    "asked", ["", "fr", "es-x-bad"], ids=["none_case", "unknown_case", "bad_case"]
)
def test_without_a_known_language_the_childs_own_is_used(
    coordinator: User, asked: str
) -> None:
    episode = _child("es")
    page = _print(coordinator, episode, day=TODAY.isoformat(), lang=asked)
    assert '<html lang="es">' in page


def test_the_switch_links_keep_the_day_and_mark_the_current_language(
    coordinator: User,
) -> None:
    episode = _child("en")
    page = _print(coordinator, episode, day=TODAY.isoformat())
    links = {code: query for query, code in LINK.findall(page)}
    assert set(links) == {code for code, _name in settings.LANGUAGES}
    assert links["es"] == f"day={TODAY.isoformat()}&amp;lang=es"
    assert 'hreflang="en" aria-current="true">English</a>' in page
    assert 'hreflang="es">Español</a>' in page


def test_the_switch_is_left_off_the_paper(coordinator: User) -> None:
    page = _print(coordinator, _child("en"), day=TODAY.isoformat())
    assert '<p class="tabs">Print in:' in page
    app_css = Path(settings.BASE_DIR, "painrehab", "static", "app.css").read_text()
    print_rules = re.findall(r"@media print \{(.*?)\n\}", app_css, flags=re.S)
    assert any(".tabs" in rules and "display: none" in rules for rules in print_rules)
