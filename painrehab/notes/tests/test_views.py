"""The notes pages: the chart tab, writing and signing, conflicts, addenda, co-sign."""

import datetime as dt
import re
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.common.testing import sign_in
from painrehab.notes import rules, services
from painrehab.notes.choices import ConfidentialityReason
from painrehab.notes.models import Addendum, Note
from painrehab.notes.tests.support import (
    body_for,
    child,
    clinician,
    draft,
    signed,
    tamper,
    today,
)

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    return sign_in(Client(), user)


def _detail(note: Note) -> str:
    return reverse("notes:note_detail", args=[note.pk])


def _post_body(note: Note, version: int, **texts: str) -> dict[str, str]:
    data = {
        "version": str(version),
        "service_date": note.service_date.isoformat(),
        "action": "save",
    }
    data.update({f"s_{k}": v for k, v in texts.items()})
    return data


def test_the_notes_tab_lists_kind_author_date_and_flags() -> None:
    patient = child()
    pt = clinician(Role.PHYSICAL_THERAPIST, patient, first_name="Jordan")
    signed(
        patient,
        pt,
        service_date=today() - dt.timedelta(days=3),
        late_entry_reason="Sick",
    )
    response = _client(pt).get(reverse("notes:note_list", args=[patient.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Daily progress" in page and "Jordan" in page
    assert "Late entry" in page and "Signed" in page
    assert 'aria-current="page"' in page  # the Notes tab is the current one


def test_other_peoples_drafts_are_not_listed_nor_readable() -> None:
    patient = child()
    pt, ot = (
        clinician(Role.PHYSICAL_THERAPIST, patient),
        clinician(Role.OCCUPATIONAL_THERAPIST, patient),
    )
    mine = draft(patient, pt, body={"subjective": "DRAFT-ONLY-WORDS"})
    page = _client(ot).get(reverse("notes:note_list", args=[patient.pk]))
    assert "DRAFT-ONLY-WORDS" not in page.content.decode()
    assert _detail(mine) not in page.content.decode()
    assert _client(ot).get(_detail(mine)).status_code == 404


def test_starting_a_note_from_a_template_opens_the_draft() -> None:
    patient = child()
    pt = clinician(Role.PHYSICAL_THERAPIST, patient)
    client = _client(pt)
    url = reverse("notes:note_new", args=[patient.pk])
    page = client.get(url).content.decode()
    assert "therapy_progress" in page and "nursing_shift" not in page
    token = str(uuid.uuid4())
    data = {
        "template": "therapy_progress",
        "service_date": today().isoformat(),
        "form_token": token,
    }
    first, second = client.post(url, data), client.post(url, data)
    note = Note.objects.get(patient=patient)
    assert first["Location"] == second["Location"] == _detail(note)


def test_a_future_date_of_service_is_shown_next_to_the_field() -> None:
    patient = child()
    pt = clinician(Role.PHYSICAL_THERAPIST, patient)
    response = _client(pt).post(
        reverse("notes:note_new", args=[patient.pk]),
        {
            "template": "therapy_progress",
            "service_date": (today() + dt.timedelta(days=2)).isoformat(),
            "form_token": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 400
    assert 'id="id_service_date_error"' in response.content.decode()
    assert rules.FUTURE_DATE in response.content.decode()
    assert not Note.objects.exists()


def test_save_then_sign_from_the_page_shows_the_verified_digest() -> None:
    patient = child()
    pt = clinician(Role.PHYSICAL_THERAPIST, patient)
    note = draft(patient, pt, body={})
    client = _client(pt)
    texts = body_for(note.template)
    saved = client.post(_detail(note), _post_body(note, 1, **texts))
    assert saved.status_code == 302
    signing = {**_post_body(note, 2, **texts), "action": "sign"}
    assert client.post(_detail(note), signing).status_code == 302
    note.refresh_from_db()
    assert note.is_signed and note.verify()
    page = client.get(_detail(note)).content.decode()
    assert note.content_sha256 in page
    assert 'data-digest="verified"' in page and "digest verified" in page
    assert "<textarea" not in page.split("h-addenda")[0]  # read-only now


def test_a_tampered_note_shows_the_mismatch() -> None:
    patient = child()
    pt = clinician(Role.PHYSICAL_THERAPIST, patient)
    note = signed(patient, pt)
    tamper("UPDATE notes_note SET body = %s WHERE id = %s", ['{"plan": "x"}', note.pk])
    page = _client(pt).get(_detail(note)).content.decode()
    assert 'data-digest="mismatch"' in page and 'data-digest="verified"' not in page


def test_a_late_note_asks_for_the_reason_next_to_its_field() -> None:
    patient = child()
    pt = clinician(Role.PHYSICAL_THERAPIST, patient)
    note = draft(patient, pt, service_date=today() - dt.timedelta(days=5))
    client = _client(pt)
    page = client.get(_detail(note)).content.decode()
    assert 'name="late_entry_reason"' in page
    data = {**_post_body(note, 1, **note.body), "action": "sign"}
    refused = client.post(_detail(note), data)
    assert refused.status_code == 400
    assert 'id="id_late_entry_reason_error"' in refused.content.decode()
    note.refresh_from_db()
    assert not note.is_signed and note.version == 1
    data["late_entry_reason"] = "Paper note typed in after the weekend."
    assert client.post(_detail(note), data).status_code == 302
    note.refresh_from_db()
    assert note.is_late_entry and note.late_entry_reason.startswith("Paper")


def test_two_windows_editing_one_draft_never_overwrite_each_other() -> None:
    """Two clients open version 1; the second save is refused and shows both."""
    patient = child()
    pt = clinician(Role.PHYSICAL_THERAPIST, patient)
    note = draft(patient, pt, body={"plan": "Start the walking programme."})
    tablet, desktop = _client(pt), _client(pt)
    assert 'name="version" value="1"' in tablet.get(_detail(note)).content.decode()
    assert 'name="version" value="1"' in desktop.get(_detail(note)).content.decode()

    theirs = _post_body(note, 1, plan="THEIRS: walk 400 m twice a day.")
    assert tablet.post(_detail(note), theirs).status_code == 302
    yours = _post_body(note, 1, plan="YOURS: add the stairs.")
    conflict = desktop.post(_detail(note), yours)

    page = conflict.content.decode()
    assert conflict.status_code == 409
    assert "THEIRS: walk 400 m twice a day." in page
    assert "YOURS: add the stairs." in page
    assert services.STALE in page
    note.refresh_from_db()
    assert note.body["plan"] == "THEIRS: walk 400 m twice a day." and note.version == 2
    # The form now carries the stored version, so saving the merge goes through.
    assert re.search(r'name="version" value="2"', page)
    merged = _post_body(note, 2, plan="THEIRS: walk 400 m twice a day. And stairs.")
    assert desktop.post(_detail(note), merged).status_code == 302
    note.refresh_from_db()
    assert note.body["plan"].endswith("And stairs.") and note.version == 3


def test_an_addendum_from_the_page_and_its_refusal_next_to_the_field() -> None:
    patient = child()
    pt = clinician(Role.PHYSICAL_THERAPIST, patient)
    note = signed(patient, pt)
    client = _client(pt)
    url = reverse("notes:note_addendum", args=[note.pk])
    refused = client.post(
        url, {"text": "", "reason": "", "form_token": str(uuid.uuid4())}
    )
    assert refused.status_code == 400
    assert 'id="id_text_error"' in refused.content.decode()
    token = str(uuid.uuid4())
    data = {"text": "Pain score was 4.", "reason": "Correction", "form_token": token}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Addendum.objects.filter(note=note).count() == 1
    page = client.get(_detail(note)).content.decode()
    assert "Pain score was 4." in page and "Correction" in page


def test_the_supervisor_sees_awaiting_cosignature_and_cosigns() -> None:
    patient = child()
    supervisor = clinician(Role.PHYSICAL_THERAPIST, patient)
    trainee = clinician(
        Role.PHYSICAL_THERAPIST, patient, trainee=True, supervisor=supervisor
    )
    note = signed(patient, trainee)
    listing = _client(trainee).get(reverse("notes:note_list", args=[patient.pk]))
    assert "Awaiting co-signature" in listing.content.decode()
    assert 'action="' + reverse("notes:note_cosign", args=[note.pk]) not in (
        _client(trainee).get(_detail(note)).content.decode()
    )
    client = _client(supervisor)
    worklist = client.get(reverse("notes:my_notes")).content.decode()
    assert _detail(note) in worklist
    assert (
        reverse("notes:note_cosign", args=[note.pk])
        in client.get(_detail(note)).content.decode()
    )
    assert client.post(reverse("notes:note_cosign", args=[note.pk])).status_code == 302
    note.refresh_from_db()
    assert note.cosigned_by_id == supervisor.pk and note.verify()


def test_a_stranger_cosigning_gets_refused() -> None:
    patient = child()
    supervisor = clinician(Role.PHYSICAL_THERAPIST, patient)
    other = clinician(Role.PHYSICAL_THERAPIST, patient)
    trainee = clinician(
        Role.PHYSICAL_THERAPIST, patient, trainee=True, supervisor=supervisor
    )
    note = signed(patient, trainee)
    response = _client(other).post(reverse("notes:note_cosign", args=[note.pk]))
    assert response.status_code == 403
    note.refresh_from_db()
    assert note.cosigned_at is None


def test_confidential_under_12_is_refused_next_to_the_field() -> None:
    patient = child(age=10)
    pt = clinician(Role.PHYSICAL_THERAPIST, patient)
    note = signed(patient, pt)
    response = _client(pt).post(
        reverse("notes:note_confidentiality", args=[note.pk]),
        {"confidential": "on", "reason": ConfidentialityReason.TEEN_REQUEST},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_confidential_error"' in page and rules.UNDER_12 in page
    note.refresh_from_db()
    assert not note.confidential


def test_confidential_needs_a_reason_code_from_the_page() -> None:
    patient = child(age=14)
    pt = clinician(Role.PHYSICAL_THERAPIST, patient)
    note = signed(patient, pt)
    url = reverse("notes:note_confidentiality", args=[note.pk])
    client = _client(pt)
    refused = client.post(url, {"confidential": "on", "reason": ""})
    assert refused.status_code == 400
    assert 'id="id_reason_error"' in refused.content.decode()
    ok = client.post(
        url, {"confidential": "on", "reason": ConfidentialityReason.DETRIMENT}
    )
    assert ok.status_code == 302
    note.refresh_from_db()
    assert note.confidential and note.verify()
    page = client.get(_detail(note)).content.decode()
    assert "Adolescent-confidential" in page and "123115(a)(2)" in page


def test_discarding_a_draft_returns_to_the_notes_tab() -> None:
    patient = child()
    pt = clinician(Role.PHYSICAL_THERAPIST, patient)
    note = draft(patient, pt)
    response = _client(pt).post(reverse("notes:note_discard", args=[note.pk]))
    assert response["Location"] == reverse("notes:note_list", args=[patient.pk])
    assert not Note.objects.filter(pk=note.pk).exists()


def test_posting_to_a_signed_note_changes_nothing() -> None:
    patient = child()
    pt = clinician(Role.PHYSICAL_THERAPIST, patient)
    note = signed(patient, pt)
    before = note.content_sha256
    response = _client(pt).post(_detail(note), _post_body(note, note.version, plan="x"))
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.content_sha256 == before and note.body.get("plan") != "x"


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_notes_list_runs_a_fixed_number_of_queries() -> None:
    patient = child()
    pt = clinician(Role.PHYSICAL_THERAPIST, patient)
    signed(patient, pt)
    client = _client(pt)
    url = reverse("notes:note_list", args=[patient.pk])
    one = _queries(client, url)
    for _ in range(5):
        signed(patient, pt)
    assert _queries(client, url) == one
