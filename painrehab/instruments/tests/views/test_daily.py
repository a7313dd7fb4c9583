"""Pages of the daily check-in, body map and clinician measures."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from painrehab.accounts.models import User
from painrehab.episodes.models import Episode
from painrehab.instruments import bodymap, daily
from painrehab.instruments.models import ClinicianMeasure, DailyCheckIn, MeasureKind
from painrehab.patients.models import Patient
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db
PAGES = [
    "instruments:checkin",
    "instruments:body_map",
    "instruments:clinician_measures",
]
ClientFor = Callable[[User], Client]


@pytest.fixture
def episode(child: Patient) -> Episode:
    return journey.admitted(child, days_ago=20)


def _url(name: str, patient: Patient) -> str:
    return reverse(name, args=[patient.pk])


@pytest.mark.parametrize("page", PAGES)
def test_team_member_opens_the_page(
    page: str, episode: Episode, pt_on_team: User, client_for: ClientFor
) -> None:
    response = client_for(pt_on_team).get(_url(page, episode.patient))
    assert response.status_code == 200


@pytest.mark.parametrize("page", PAGES)
def test_clinician_off_the_team_gets_not_found(
    page: str, episode: Episode, pt_off_team: User, client_for: ClientFor
) -> None:
    response = client_for(pt_off_team).get(_url(page, episode.patient))
    assert response.status_code == 404


@pytest.mark.parametrize("page", PAGES)
def test_guardian_is_refused(
    page: str, episode: Episode, guardian: User, client_for: ClientFor
) -> None:
    assert client_for(guardian).get(_url(page, episode.patient)).status_code == 403


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitor_is_sent_to_sign_in(
    page: str, episode: Episode, client: Client
) -> None:
    response = client.get(_url(page, episode.patient))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def _check_in_data(**overrides: str) -> dict[str, str]:
    return {
        "date": timezone.localdate().isoformat(),
        "pain_now": "3",
        "sleep_hours": "8",
        "sleep_quality": "good",
        "mood": "happy",
        "goal_met": "yes",
        "goal_text": "Walk to school room",
        "respondent": "child",
        **overrides,
    }


def test_check_in_saves_and_redirects(
    episode: Episode, pt_on_team: User, client_for: ClientFor
) -> None:
    url = _url("instruments:checkin", episode.patient)
    response = client_for(pt_on_team).post(url, _check_in_data())
    assert response.status_code == 302
    assert response["Location"] == url
    saved = DailyCheckIn.objects.get()
    assert saved.goal_met and saved.pain_now == 3


def test_check_in_out_of_range_shows_the_message_by_the_field(
    episode: Episode, pt_on_team: User, client_for: ClientFor
) -> None:
    url = _url("instruments:checkin", episode.patient)
    response = client_for(pt_on_team).post(url, _check_in_data(sleep_hours="17"))
    assert response.status_code == 200
    assert 'id="id_sleep_hours_error"' in response.content.decode()
    assert "Sleep hours must be between 0 and 16" in response.content.decode()
    assert not DailyCheckIn.objects.exists()


def test_check_in_shows_the_last_seven_days(
    episode: Episode, pt_on_team: User, client_for: ClientFor
) -> None:
    today = timezone.localdate()
    for days_ago in (0, 6, 7):
        daily.checkin_record(
            episode=episode,
            on=today - dt.timedelta(days=days_ago),
            pain_now=days_ago,
            sleep_hours=Decimal(8),
            sleep_quality="ok",
            mood="okay",
            goal_met=False,
            respondent="child",
            by=pt_on_team,
        )
    response = client_for(pt_on_team).get(_url("instruments:checkin", episode.patient))
    assert [c.pain_now for c in response.context["recent"]] == [0, 6]


def test_body_map_has_one_shape_per_region_and_the_checkbox_list(
    episode: Episode, pt_on_team: User, client_for: ClientFor
) -> None:
    response = client_for(pt_on_team).get(_url("instruments:body_map", episode.patient))
    html = response.content.decode()
    for region in bodymap.REGIONS:
        assert html.count(f'id="{region.code}"') == 1
        assert f'id="cb-{region.code}"' in html
    assert html.count('type="checkbox" name="regions"') == len(bodymap.REGIONS)
    assert "<legend>Front</legend>" in html and "<legend>Back</legend>" in html


def test_body_map_saves_and_shows_the_latest(
    episode: Episode, pt_on_team: User, client_for: ClientFor
) -> None:
    client = client_for(pt_on_team)
    url = _url("instruments:body_map", episode.patient)
    data = {
        "recorded_on": timezone.localdate().isoformat(),
        "regions": ["front.left_knee", "back.lower_back"],
        "respondent": "child",
    }
    assert client.post(url, data).status_code == 302
    page = client.get(url)
    assert page.context["latest"].regions == ["back.lower_back", "front.left_knee"]
    assert "Left knee (front)" in page.content.decode()


def test_body_map_without_a_region_saves_nothing(
    episode: Episode, pt_on_team: User, client_for: ClientFor
) -> None:
    url = _url("instruments:body_map", episode.patient)
    data = {"recorded_on": timezone.localdate().isoformat(), "respondent": "child"}
    response = client_for(pt_on_team).post(url, data)
    assert response.status_code == 200
    assert 'id="id_regions_error"' in response.content.decode()


def test_measure_out_of_range_names_the_range(
    episode: Episode, pt_on_team: User, client_for: ClientFor
) -> None:
    url = _url("instruments:clinician_measures", episode.patient)
    data = {
        "measured_on": timezone.localdate().isoformat(),
        "kind": MeasureKind.TIMED_UP_AND_GO,
        "value": "61",
    }
    response = client_for(pt_on_team).post(url, data)
    assert response.status_code == 200
    assert "between 2 and 60 s" in response.content.decode()
    assert not ClinicianMeasure.objects.exists()


def test_measure_saves_and_redirects(
    episode: Episode, pt_on_team: User, client_for: ClientFor
) -> None:
    url = _url("instruments:clinician_measures", episode.patient)
    data = {
        "measured_on": timezone.localdate().isoformat(),
        "kind": MeasureKind.SIX_MINUTE_WALK,
        "value": "420",
    }
    assert client_for(pt_on_team).post(url, data).status_code == 302
    assert ClinicianMeasure.objects.get().value == Decimal(420)


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _measures(episode: Episode, by: User, count: int) -> None:
    kinds = [MeasureKind.SIX_MINUTE_WALK, MeasureKind.GRIP_LEFT, MeasureKind.GRIP_RIGHT]
    for n in range(count):
        daily.measure_record(
            episode=episode,
            on=timezone.localdate() - dt.timedelta(days=n),
            kind=kinds[n % 3],
            value=Decimal(10 + n),
            by=by,
        )


def test_flowsheet_queries_stay_flat(
    episode: Episode, pt_on_team: User, client_for: ClientFor
) -> None:
    client = client_for(pt_on_team)
    url = _url("instruments:clinician_measures", episode.patient)
    _measures(episode, pt_on_team, 3)
    few = _queries(client, url)
    ClinicianMeasure.objects.all().delete()
    _measures(episode, pt_on_team, 12)
    assert _queries(client, url) == few
