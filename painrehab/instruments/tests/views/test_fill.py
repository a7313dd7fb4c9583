import datetime as dt
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from painrehab.accounts.models import User
from painrehab.common.testing import sign_in
from painrehab.episodes.models import Episode
from painrehab.instruments.choices import AdministrationStatus, TimePoint
from painrehab.instruments.models import Administration, Score
from painrehab.instruments.tests.support import all_answers, fill_and_submit, start
from painrehab.instruments.views.pages import STALE
from painrehab.patients.models import Patient
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db


@pytest.fixture
def episode(child: Patient) -> Episode:
    return journey.admitted(child, days_ago=1)


@pytest.fixture
def draft(episode: Episode, coordinator: User) -> Administration:
    return start(episode, coordinator, "FDI-C")


def _fill_url(administration: Administration) -> str:
    return reverse("instruments:fill", args=[administration.pk])


def _save_url(administration: Administration) -> str:
    return reverse("instruments:save", args=[administration.pk])


def _items(keys: range, value: int) -> dict[str, str]:
    return {f"item-{key}": str(value) for key in keys}


def test_start_opens_a_draft_once_per_token_and_goes_to_the_form(
    child: Patient, episode: Episode, pt_on_team: User
) -> None:
    client = sign_in(Client(), pt_on_team)
    data = {
        "instrument_code": "FDI-C",
        "time_point": TimePoint.ADMISSION,
        "time_point_index": "0",
        "form_token": str(uuid.uuid4()),
    }
    url = reverse("instruments:start", args=[child.pk])

    first = client.post(url, data)
    second = client.post(url, data)

    administration = Administration.objects.get()
    assert first["Location"] == second["Location"] == _fill_url(administration)


def test_full_flow_scores_fdi_all_twos_as_30_severe(
    draft: Administration, coordinator: User
) -> None:
    client = sign_in(Client(), coordinator)

    page_one = client.get(_fill_url(draft))
    assert "Page 1 of 3" in page_one.content.decode()
    assert "Item 1: walking to the bathroom" in page_one.content.decode()
    saved = client.post(
        _save_url(draft),
        {"version": "1", "page": "1", **_items(range(1, 6), 2)},
        headers={"HX-Request": "true"},
    )
    assert "5 of 15 answered" in saved.content.decode()
    assert 'name="version" value="2"' in saved.content.decode()
    nxt = client.post(_fill_url(draft), {"version": "2", "page": "1", "next": "1"})
    assert nxt["Location"] == f"{_fill_url(draft)}?page=2"
    client.post(
        _fill_url(draft),
        {"version": "3", "page": "2", "next": "1", **_items(range(6, 11), 2)},
    )
    submitted = client.post(
        _fill_url(draft),
        {"version": "4", "page": "3", "submit": "1", **_items(range(11, 16), 2)},
        follow=True,
    )

    body = submitted.content.decode()
    assert "30" in body
    assert "Severe disability" in body
    assert Score.objects.get(administration=draft).total == 30


def test_reopening_shows_saved_answers(
    draft: Administration, coordinator: User
) -> None:
    client = sign_in(Client(), coordinator)
    client.post(_fill_url(draft), {"version": "1", "page": "1", "item-1": "3"})

    page = client.get(_fill_url(draft)).content.decode()

    assert 'name="item-1" value="3" checked' in page
    assert "Page 1 of 3 · 1 of 15 answered" in page


def test_stale_version_says_so_and_keeps_what_was_typed(
    draft: Administration, coordinator: User
) -> None:
    client = sign_in(Client(), coordinator)
    client.post(_fill_url(draft), {"version": "1", "page": "1", "item-1": "1"})

    response = client.post(
        _fill_url(draft), {"version": "1", "page": "1", "item-2": "4", "next": "1"}
    )

    body = response.content.decode()
    assert STALE in body
    assert 'name="item-2" value="4" checked' in body
    draft.refresh_from_db()
    assert draft.answers == {"1": 1}


def test_out_of_range_value_saves_nothing(
    draft: Administration, coordinator: User
) -> None:
    client = sign_in(Client(), coordinator)

    response = client.post(
        _save_url(draft),
        {"version": "1", "page": "1", "item-1": "2", "item-2": "9"},
        headers={"HX-Request": "true"},
    )

    assert "Nothing was saved" in response.content.decode()
    draft.refresh_from_db()
    assert draft.answers == {}
    assert draft.version == 1


@pytest.mark.parametrize(
    "posted",
    [{"item-99": "1"}, {"item-1": "x"}],
    ids=["unknown_item_case", "not_a_number_case"],
)
def test_bad_input_on_the_page_saves_nothing(
    draft: Administration, coordinator: User, posted: dict[str, str]
) -> None:
    client = sign_in(Client(), coordinator)

    response = client.post(_fill_url(draft), {"version": "1", "page": "1", **posted})

    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    draft.refresh_from_db()
    assert draft.answers == {}


def test_double_submit_makes_one_score(
    draft: Administration, coordinator: User
) -> None:
    client = sign_in(Client(), coordinator)
    client.post(
        _fill_url(draft),
        {"version": "1", "page": "3", **_items(range(1, 16), 2)},
    )
    data = {"version": "2", "page": "3", "submit": "1"}

    client.post(_fill_url(draft), data)
    client.post(_fill_url(draft), data)

    assert Score.objects.filter(administration=draft).count() == 1


def test_submitted_form_is_read_only_with_its_score(
    draft: Administration, coordinator: User
) -> None:
    fill_and_submit(draft, coordinator, all_answers("FDI-C", 2))
    client = sign_in(Client(), coordinator)

    body = client.get(_fill_url(draft)).content.decode()

    assert "Severe disability" in body
    assert "disabled" in body
    assert "Submit" not in body
    draft.refresh_from_db()
    assert draft.status == AdministrationStatus.SUBMITTED


def test_shows_who_answers_and_who_entered(
    draft: Administration, coordinator: User, child: Patient
) -> None:
    client = sign_in(Client(), coordinator)

    body = client.get(_fill_url(draft)).content.decode()

    assert f"Answered by: {child.display_name} (child)" in body
    assert "on behalf of the child" in body


def test_care_team_clinician_may_fill(draft: Administration, pt_on_team: User) -> None:
    client = sign_in(Client(), pt_on_team)

    assert client.get(_fill_url(draft)).status_code == 200


def test_off_team_clinician_gets_not_found(
    draft: Administration, pt_off_team: User
) -> None:
    client = sign_in(Client(), pt_off_team)

    assert client.get(_fill_url(draft)).status_code == 404
    assert client.post(_save_url(draft), {"version": "1"}).status_code == 404


def test_guardian_is_refused(draft: Administration, guardian: User) -> None:
    client = sign_in(Client(), guardian)

    assert client.get(_fill_url(draft)).status_code == 403
    assert client.post(_save_url(draft), {"version": "1"}).status_code == 403


def test_anonymous_is_sent_to_sign_in(draft: Administration, client: Client) -> None:
    response = client.get(_fill_url(draft))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def _submit_all(client: Client, draft: Administration, **extra: str) -> Client:
    client.post(
        _save_url(draft),
        {"version": "1", "page": "1", **_items(range(1, 16), 1)},
        headers={"HX-Request": "true"},
    )
    return client.post(
        _fill_url(draft), {"version": "2", "page": "3", "submit": "1", **extra}
    )


def test_paper_form_keeps_the_date_it_was_answered(
    draft: Administration, coordinator: User
) -> None:
    client = sign_in(Client(), coordinator)
    on = timezone.localdate() - dt.timedelta(days=1)

    response = _submit_all(client, draft, answered_on=on.isoformat())

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.answered_on == on
    page = client.get(_fill_url(draft)).content.decode()
    assert f"Answered on {on.isoformat()}" in page
    assert "late entry" in page


def test_answer_date_in_the_future_is_refused_next_to_the_field(
    draft: Administration, coordinator: User
) -> None:
    client = sign_in(Client(), coordinator)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    response = _submit_all(client, draft, answered_on=tomorrow.isoformat())

    assert response.status_code == 400
    assert "The date answered cannot be in the future." in response.content.decode()
    assert 'id="id_answered_on_error"' in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == AdministrationStatus.IN_PROGRESS
    assert not Score.objects.exists()


def test_correction_from_the_result_page_keeps_the_original(
    draft: Administration, coordinator: User
) -> None:
    client = sign_in(Client(), coordinator)
    _submit_all(client, draft)
    url = reverse("instruments:correct", args=[draft.pk])

    empty = client.post(url, {"reason": " "})
    assert empty.status_code == 400
    assert 'id="id_reason_error"' in empty.content.decode()
    assert not Administration.objects.filter(corrects=draft).exists()

    opened = client.post(url, {"reason": "Typed against the wrong item"})
    again = client.post(url, {"reason": "Typed against the wrong item"})

    correction = Administration.objects.get(corrects=draft)
    assert opened["Location"] == again["Location"] == _fill_url(correction)
    draft.refresh_from_db()
    assert correction.answers == draft.answers == {str(k): 1 for k in range(1, 16)}
    assert correction.status == AdministrationStatus.IN_PROGRESS
    assert draft.status == AdministrationStatus.SUBMITTED
    original = client.get(_fill_url(draft)).content.decode()
    assert "Typed against the wrong item" in original
    assert _fill_url(correction) in original
