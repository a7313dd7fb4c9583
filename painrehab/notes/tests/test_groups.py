"""Group sessions: one note per child, in each child's chart, signed one by one."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import Role
from painrehab.common.testing import sign_in
from painrehab.notes import groups, rules, services
from painrehab.notes.choices import NoteKind
from painrehab.notes.models import GroupSession, Note
from painrehab.notes.templates_catalog import GROUP_CONTENT
from painrehab.notes.tests.support import child, clinician, today
from painrehab.patients.access import PatientNotFound

pytestmark = pytest.mark.django_db
CONTENT = "Pacing: planning the day in blocks, then a relay game."
# Fixed family names: a random one ("Day", "Game") could occur in the group text.
FAMILY = iter(f"Quillfeather{n}" for n in range(10**6))


def kid(**kwargs):  # type: ignore[no-untyped-def]
    return child(family_name=next(FAMILY), **kwargs)


def _session(leader, patients, token=None, content=CONTENT):  # type: ignore[no-untyped-def]
    return groups.group_session_create(
        leader=leader,
        service_date=today(),
        topic="Pacing group",
        group_content=content,
        patients=patients,
        form_token=token or uuid.uuid4(),
    )


def test_a_group_session_makes_one_draft_per_child_in_each_chart() -> None:
    kids = [kid(given_name=n) for n in ("Ava", "Ben", "Cleo")]
    leader = clinician(Role.PSYCHOLOGIST, *kids)
    session = _session(leader, kids)
    notes = list(Note.objects.filter(group_session=session).order_by("patient_id"))
    assert [n.patient_id for n in notes] == sorted(k.pk for k in kids)
    assert all(n.kind == NoteKind.GROUP_SESSION and not n.is_signed for n in notes)
    assert all(n.body == {GROUP_CONTENT: CONTENT} for n in notes)
    assert len({n.episode_id for n in notes}) == 3


def test_a_double_submit_makes_one_session_and_one_set_of_notes() -> None:
    kids = [kid(), kid()]
    leader = clinician(Role.PSYCHOLOGIST, *kids)
    token = uuid.uuid4()
    first, second = _session(leader, kids, token), _session(leader, kids, token)
    assert first.pk == second.pk
    assert GroupSession.objects.count() == 1 and Note.objects.count() == 2


def test_each_note_is_signed_on_its_own() -> None:
    kids = [kid(), kid()]
    leader = clinician(Role.PSYCHOLOGIST, *kids)
    session = _session(leader, kids)
    first, second = Note.objects.filter(group_session=session).order_by("pk")
    body = {**first.body, "participation": "Joined the relay.", "plan": "Repeat."}
    saved = services.note_save(note=first, by=leader, version=1, body=body)
    services.note_sign(note=saved, by=leader, version=saved.version)
    second.refresh_from_db()
    assert not second.is_signed
    first.refresh_from_db()
    assert first.is_signed and first.verify()


def test_a_childs_note_naming_another_attendee_cannot_be_signed() -> None:
    ava, ben = kid(given_name="Ava"), kid(given_name="Benedikt")
    leader = clinician(Role.PSYCHOLOGIST, ava, ben)
    session = _session(leader, [ava, ben])
    avas = Note.objects.get(group_session=session, patient=ava)
    body = {
        **avas.body,
        "participation": "Paired with Benedikt for the relay.",
        "plan": "Repeat.",
    }
    saved = services.note_save(note=avas, by=leader, version=1, body=body)
    with pytest.raises(ValidationError) as refused:
        services.note_sign(note=saved, by=leader, version=saved.version)
    assert rules.NAMES_ANOTHER_CHILD in refused.value.message_dict["participation"]
    saved.refresh_from_db()
    assert not saved.is_signed


def test_another_attendees_mrn_is_refused_too() -> None:
    ava, ben = kid(), kid()
    leader = clinician(Role.PSYCHOLOGIST, ava, ben)
    session = _session(leader, [ava, ben])
    avas = Note.objects.get(group_session=session, patient=ava)
    body = {**avas.body, "participation": f"See {ben.mrn}.", "plan": "Repeat."}
    saved = services.note_save(note=avas, by=leader, version=1, body=body)
    with pytest.raises(ValidationError):
        services.note_sign(note=saved, by=leader, version=saved.version)


def test_a_name_both_children_share_does_not_block_signing() -> None:
    one, two = kid(given_name="Sam"), kid(given_name="Sam")
    leader = clinician(Role.PSYCHOLOGIST, one, two)
    session = _session(leader, [one, two])
    note = Note.objects.get(group_session=session, patient=one)
    body = {**note.body, "participation": "Sam led the warm-up.", "plan": "Repeat."}
    saved = services.note_save(note=note, by=leader, version=1, body=body)
    assert services.note_sign(note=saved, by=leader, version=saved.version).is_signed


def test_the_shared_group_text_may_not_name_an_attendee() -> None:
    kids = [kid(given_name="Ava"), kid(given_name="Ben")]
    leader = clinician(Role.PSYCHOLOGIST, *kids)
    with pytest.raises(ValidationError) as refused:
        _session(leader, kids, content="Ava led the relay.")
    assert GROUP_CONTENT in refused.value.message_dict
    assert not Note.objects.exists()


def test_a_leader_off_one_childs_team_cannot_include_that_child() -> None:
    mine, theirs = kid(), kid()
    leader = clinician(Role.PSYCHOLOGIST, mine)
    with pytest.raises(PatientNotFound):
        _session(leader, [mine, theirs])
    assert not Note.objects.exists() and not GroupSession.objects.exists()


def test_no_child_sees_the_other_attendees_in_their_note_page() -> None:
    ava, ben = kid(given_name="Avalon"), kid(given_name="Bartholomew")
    leader = clinician(Role.PSYCHOLOGIST, ava, ben)
    session = _session(leader, [ava, ben])
    avas = Note.objects.get(group_session=session, patient=ava)
    client = sign_in(Client(), leader)
    page = client.get(reverse("notes:note_detail", args=[avas.pk])).content.decode()
    assert "Bartholomew" not in page and ben.mrn not in page


def test_the_group_page_is_the_leaders_alone() -> None:
    kids = [kid(), kid()]
    leader = clinician(Role.PSYCHOLOGIST, *kids)
    colleague = clinician(Role.PSYCHOLOGIST, *kids)
    session = _session(leader, kids)
    url = reverse("notes:group_detail", args=[session.pk])
    assert sign_in(Client(), leader).get(url).status_code == 200
    assert sign_in(Client(), colleague).get(url).status_code == 404


def test_the_group_form_creates_the_drafts() -> None:
    kids = [kid(), kid()]
    leader = clinician(Role.RECREATIONAL_THERAPIST, *kids)
    client = sign_in(Client(), leader)
    url = reverse("notes:group_new")
    assert str(kids[0].mrn) in client.get(url).content.decode()
    data = {
        "topic": "Pacing group",
        "service_date": today().isoformat(),
        "patients": [k.pk for k in kids],
        "group_content": CONTENT,
        "form_token": str(uuid.uuid4()),
    }
    response = client.post(url, data)
    session = GroupSession.objects.get()
    assert response["Location"] == reverse("notes:group_detail", args=[session.pk])
    assert Note.objects.filter(group_session=session).count() == 2
    refused = client.post(
        url, {**data, "patients": [], "form_token": str(uuid.uuid4())}
    )
    assert refused.status_code == 400
