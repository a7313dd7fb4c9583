"""Kiosk mode: locked to the child's due questionnaires, five idle minutes, ends on
submit, and every way out signs the session out."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from painrehab.accounts.models import User
from painrehab.audit.models import AuditEvent
from painrehab.common.testing import sign_in
from painrehab.domain.scoring import get
from painrehab.episodes.models import Episode
from painrehab.instruments.choices import AdministrationStatus, RespondentKind
from painrehab.instruments.kiosk import KIOSK_KEY, NOTHING_DUE
from painrehab.instruments.models import Administration, Score
from painrehab.instruments.selectors import due_list
from painrehab.instruments.tests.support import all_answers, fill_and_submit, start
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import PatientFactory
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db

KIOSK = reverse("instruments:kiosk")


@pytest.fixture
def episode(child: Patient) -> Episode:
    return journey.admitted(child, days_ago=1)


@pytest.fixture
def kiosk(episode: Episode, pt_on_team: User) -> Client:
    """A tablet handed to the child by the PT on the team."""
    client = sign_in(Client(), pt_on_team)
    response = client.post(
        reverse("instruments:kiosk_start", args=[episode.patient_id])
    )
    assert response["Location"] == KIOSK
    return client


def _child_due(episode: Episode) -> list[str]:
    return [
        item.instrument_code
        for item in due_list(episode=episode, today=timezone.localdate())
        if item.respondent == RespondentKind.CHILD
    ]


def _handed_over(client: Client) -> list[Administration]:
    ids = client.session[KIOSK_KEY]["administration_ids"]
    found = {a.pk: a for a in Administration.objects.filter(pk__in=ids)}
    return [found[i] for i in ids]


def _answer_all(client: Client, a: Administration) -> str:
    """Answer every item with the lowest option and send; the last page's reply."""
    definition = get(a.instrument_version.code)
    items = {
        f"item-{key}": str(definition.item(key).options[0].value)
        for key in definition.item_keys
    }
    fill = reverse("instruments:kiosk_fill", args=[a.pk])
    saved = client.post(
        reverse("instruments:kiosk_save", args=[a.pk]),
        {"version": str(a.version), "page": "1", **items},
        headers={"HX-Request": "true"},
    )
    assert saved.status_code == 200
    a.refresh_from_db()
    sent = client.post(fill, {"version": str(a.version), "page": "99", "submit": "1"})
    return str(sent["Location"])


def test_hands_over_only_the_childs_due_questionnaires(
    kiosk: Client, episode: Episode
) -> None:
    handed = _handed_over(kiosk)

    codes = [a.instrument_version.code for a in handed]
    assert codes and codes == _child_due(episode)
    assert all(a.respondent_kind == RespondentKind.CHILD for a in handed)
    home = kiosk.get(KIOSK).content.decode()
    assert "Hi Robin!" in home
    assert "Sign out" not in home and "Patients" not in home
    assert AuditEvent.objects.filter(action="kiosk.started").count() == 1


def test_a_double_tap_on_hand_over_opens_one_kiosk(
    kiosk: Client, episode: Episode
) -> None:
    before = Administration.objects.count()

    again = kiosk.post(reverse("instruments:kiosk_start", args=[episode.patient_id]))

    assert again["Location"] == KIOSK
    assert Administration.objects.count() == before
    assert AuditEvent.objects.filter(action="kiosk.started").count() == 1


def test_reuses_a_draft_already_started(
    episode: Episode, pt_on_team: User, coordinator: User
) -> None:
    code = _child_due(episode)[0]
    draft = start(episode, coordinator, code)
    client = sign_in(Client(), pt_on_team)

    client.post(reverse("instruments:kiosk_start", args=[episode.patient_id]))

    assert _handed_over(client)[0].pk == draft.pk


@pytest.mark.parametrize(
    "page",
    [
        reverse("patients:patient_list"),
        reverse("accounts:home"),
        reverse("audit:event_list"),
        "/no-such-page/",
    ],
)
def test_kiosk_cannot_open_another_page(kiosk: Client, page: str) -> None:
    response = kiosk.get(page)

    assert response.status_code == 403
    assert "not available on this tablet" in response.content.decode()
    assert AuditEvent.objects.filter(action="kiosk.page_refused").count() == 1


def test_kiosk_cannot_reach_the_staff_form_or_another_childs_chart(
    kiosk: Client, episode: Episode
) -> None:
    a = _handed_over(kiosk)[0]
    other = PatientFactory()

    staff_form = kiosk.get(reverse("instruments:fill", args=[a.pk]))
    measures = kiosk.get(reverse("instruments:measures", args=[other.pk]))
    other_kiosk = kiosk.post(reverse("instruments:kiosk_start", args=[other.pk]))

    assert staff_form.status_code == measures.status_code == 403
    assert other_kiosk.status_code == 404
    assert KIOSK_KEY in kiosk.session


def test_kiosk_refuses_a_questionnaire_it_was_not_handed(
    kiosk: Client, episode: Episode, coordinator: User
) -> None:
    elsewhere = start(episode, coordinator, "NRS")
    url = reverse("instruments:kiosk_fill", args=[elsewhere.pk])

    response = kiosk.post(url, {"version": "1", "page": "1", "item-1": "3"})

    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.answers == {}


def test_an_answer_outside_the_options_saves_nothing(kiosk: Client) -> None:
    a = _handed_over(kiosk)[0]
    url = reverse("instruments:kiosk_fill", args=[a.pk])

    response = kiosk.post(url, {"version": "1", "page": "1", "item-1": "99"})

    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    a.refresh_from_db()
    assert a.answers == {} and a.version == 1


def test_ends_on_the_last_submit_and_signs_out(kiosk: Client, pt_on_team: User) -> None:
    handed = _handed_over(kiosk)

    for a in handed:
        assert _answer_all(kiosk, a) == KIOSK
    done = kiosk.get(KIOSK)

    assert done["Location"] == reverse("instruments:kiosk_ended") + "?reason=done"
    assert "All done" in kiosk.get(done["Location"]).content.decode()
    assert kiosk.get(reverse("patients:patient_list"))["Location"].startswith(
        reverse("accounts:login")
    )
    for a in handed:
        a.refresh_from_db()
        assert a.status == AdministrationStatus.SUBMITTED and a.via_kiosk
        assert a.entered_by == pt_on_team
    assert Score.objects.count() == len(handed)
    ended = AuditEvent.objects.get(action="kiosk.ended")
    assert ended.changes["reason"] == "done"


def test_the_child_never_sees_a_score(kiosk: Client) -> None:
    a = _handed_over(kiosk)[0]
    _answer_all(kiosk, a)

    again = kiosk.get(reverse("instruments:kiosk_fill", args=[a.pk]))
    home = kiosk.get(KIOSK).content.decode()

    assert again["Location"] == KIOSK
    assert "Total" not in home and "Band" not in home


def test_five_idle_minutes_lock_the_tablet_and_keep_the_answers(
    kiosk: Client,
) -> None:
    a = _handed_over(kiosk)[0]
    kiosk.post(
        reverse("instruments:kiosk_save", args=[a.pk]),
        {"version": "1", "page": "1", "item-1": "1"},
        headers={"HX-Request": "true"},
    )
    session = kiosk.session
    session[KIOSK_KEY] = {
        **session[KIOSK_KEY],
        "last_activity": session[KIOSK_KEY]["last_activity"] - 5 * 60 - 1,
    }
    session.save()

    response = kiosk.get(KIOSK)

    assert response["Location"] == reverse("instruments:kiosk_ended") + "?reason=idle"
    assert kiosk.get(KIOSK)["Location"].startswith(reverse("accounts:login"))
    a.refresh_from_db()
    assert a.answers == {"1": 1} and a.status == AdministrationStatus.IN_PROGRESS
    assert AuditEvent.objects.get(action="kiosk.ended").changes["reason"] == "idle"


def test_activity_within_five_minutes_keeps_the_kiosk(kiosk: Client) -> None:
    session = kiosk.session
    session[KIOSK_KEY] = {
        **session[KIOSK_KEY],
        "last_activity": session[KIOSK_KEY]["last_activity"] - 4 * 60,
    }
    session.save()

    assert kiosk.get(KIOSK).status_code == 200


def test_stop_for_now_signs_out_and_keeps_drafts(kiosk: Client) -> None:
    response = kiosk.post(reverse("instruments:kiosk_finish"))

    assert response["Location"].endswith("?reason=finished")
    assert KIOSK_KEY not in kiosk.session
    assert kiosk.get(KIOSK)["Location"].startswith(reverse("accounts:login"))
    assert Administration.objects.filter(
        status=AdministrationStatus.IN_PROGRESS
    ).exists()


def test_nothing_due_gives_a_message_and_no_kiosk(
    episode: Episode, pt_on_team: User
) -> None:
    for code in _child_due(episode):
        fill_and_submit(
            start(episode, pt_on_team, code), pt_on_team, all_answers(code, 0)
        )
    client = sign_in(Client(), pt_on_team)

    response = client.post(
        reverse("instruments:kiosk_start", args=[episode.patient_id]), follow=True
    )

    assert NOTHING_DUE in response.content.decode()
    assert KIOSK_KEY not in client.session


def test_kiosk_pages_without_a_kiosk_are_not_found(
    episode: Episode, pt_on_team: User
) -> None:
    client = sign_in(Client(), pt_on_team)

    assert client.get(KIOSK).status_code == 404
    assert client.post(reverse("instruments:kiosk_finish")).status_code == 404


def test_measures_page_offers_the_hand_over(episode: Episode, pt_on_team: User) -> None:
    client = sign_in(Client(), pt_on_team)

    page = client.get(reverse("instruments:measures", args=[episode.patient_id]))

    assert "Hand the tablet to Robin" in page.content.decode()
