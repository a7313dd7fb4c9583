"""Psychotherapy notes are a separate store: author (and supervisor) only, no leaks.

PN-1: a role matrix over every role; only the author and the supervisor linked on
the note read it, everyone else gets the same 404 as a missing page, and only
psychologists and social workers can create one. PN-2: a canary string planted in
a psychotherapy note appears in no other channel: patient list and search, chart
tabs, notes pages, the audit trail and its CSV export, the family portal, and
never in an audit event's ``changes``.
"""

import re
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import FAMILY_ROLES, Role
from painrehab.accounts.models import User
from painrehab.audit.actions import DataCategory
from painrehab.audit.models import AuditEvent
from painrehab.common.testing import persona_for_role, sign_in
from painrehab.notes import psychotherapy
from painrehab.notes.choices import PSYCHOTHERAPY_NOTE_ROLES
from painrehab.notes.models import Note, PsychotherapyNote
from painrehab.notes.tests.support import (
    admitted_child,
    child,
    clinician,
    psychotherapy_note,
    signed,
    today,
)
from painrehab.patients import chart
from painrehab.patients.access import PatientNotFound
from painrehab.patients.models import Patient
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db
CANARY = "CANARY-7f3a9e-psychotherapy-content"
ROOT = Path(__file__).resolve().parents[2]
ROLES = list(Role)


def _client(user: User) -> Client:
    return sign_in(Client(raise_request_exception=False), user)


# --- the separate store ---


def test_no_model_points_at_psychotherapy_notes() -> None:
    pointing = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.is_relation
        and field.related_model is PsychotherapyNote
        and field.model is not PsychotherapyNote
    ]
    assert pointing == []
    assert not any(f.is_relation for f in Note._meta.get_fields() if "psycho" in f.name)


def test_the_patient_has_no_reverse_accessor_to_psychotherapy_notes() -> None:
    names = {f.name for f in Patient._meta.get_fields()}
    assert not any("psychotherapy" in n for n in names)


ALLOWED_READERS = {
    "painrehab/notes/models.py",
    "painrehab/notes/psychotherapy.py",
    "painrehab/notes/views/psychotherapy.py",
}


def test_only_the_psychotherapy_module_queries_the_store() -> None:
    found = {
        str(path.relative_to(ROOT))
        for path in (ROOT / "painrehab").rglob("*.py")
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and re.search(r"\bPsychotherapyNote\b", path.read_text(encoding="utf-8"))
    }
    assert found <= ALLOWED_READERS


# --- PN-1: the role matrix ---


@pytest.fixture
def world() -> tuple[Patient, User, User, PsychotherapyNote]:
    """A child, a trainee psychologist, their supervisor, and the trainee's note."""
    patient = child()
    supervisor = clinician(Role.PSYCHOLOGIST, patient, username="supervisor")
    trainee = clinician(Role.PSYCHOLOGIST, patient, trainee=True, supervisor=supervisor)
    pn = psychotherapy_note(patient, trainee, f"Session: {CANARY}")
    return patient, trainee, supervisor, pn


def _pn_url(pk: int) -> str:
    return reverse("notes:pn_detail", args=[pk])


@pytest.mark.parametrize("role", ROLES, ids=[r.value for r in ROLES])
def test_every_other_role_gets_the_missing_page_404(
    role: Role, world: tuple[Patient, User, User, PsychotherapyNote]
) -> None:
    patient, _trainee, _supervisor, pn = world
    client = _client(persona_for_role(role, patient))
    refused = client.get(_pn_url(pn.pk))
    missing = client.get(_pn_url(pn.pk + 999))
    assert refused.status_code == missing.status_code == 404
    assert refused.content == missing.content
    assert CANARY not in refused.content.decode()


def test_the_author_and_the_linked_supervisor_read_it(
    world: tuple[Patient, User, User, PsychotherapyNote],
) -> None:
    _patient, trainee, supervisor, pn = world
    assert pn.supervisor_id == supervisor.pk
    for reader in (trainee, supervisor):
        response = _client(reader).get(_pn_url(pn.pk))
        assert response.status_code == 200
        assert CANARY in response.content.decode()


def test_the_supervisor_reads_but_cannot_change_it(
    world: tuple[Patient, User, User, PsychotherapyNote],
) -> None:
    patient, trainee, supervisor, _signed = world
    pn = psychotherapy_note(patient, trainee, "Draft words", sign=False)
    response = _client(supervisor).post(
        _pn_url(pn.pk), {"text": "Supervisor rewrote it", "version": pn.version}
    )
    assert response.status_code == 302
    pn.refresh_from_db()
    assert pn.text == "Draft words"


def test_a_psychologist_not_supervising_gets_404_even_on_the_team(
    world: tuple[Patient, User, User, PsychotherapyNote],
) -> None:
    patient, _trainee, _supervisor, pn = world
    colleague = clinician(Role.PSYCHOLOGIST, patient)
    assert _client(colleague).get(_pn_url(pn.pk)).status_code == 404
    with pytest.raises(PatientNotFound):
        psychotherapy.psychotherapy_note_get(user=colleague, pn_id=pn.pk)


def test_the_author_off_the_care_team_no_longer_reads_it(
    world: tuple[Patient, User, User, PsychotherapyNote],
) -> None:
    _patient, trainee, _supervisor, pn = world
    trainee.care_teams.all().delete()
    assert _client(trainee).get(_pn_url(pn.pk)).status_code == 404


@pytest.mark.parametrize("role", ROLES, ids=[r.value for r in ROLES])
def test_only_psychologists_and_social_workers_create_one(role: Role) -> None:
    patient = child()
    user = persona_for_role(role, patient)
    data = {
        "patient": patient.pk,
        "service_date": today().isoformat(),
        "form_token": str(uuid.uuid4()),
    }
    response = _client(user).post(reverse("notes:pn_new"), data)
    if role in PSYCHOTHERAPY_NOTE_ROLES:
        assert response.status_code == 302
        assert PsychotherapyNote.objects.filter(author=user).count() == 1
    else:
        assert response.status_code in (403, 404)
        assert not PsychotherapyNote.objects.exists()


@pytest.mark.parametrize(
    "role",
    [r for r in ROLES if r not in PSYCHOTHERAPY_NOTE_ROLES and r not in FAMILY_ROLES],
)
def test_the_service_refuses_other_roles_even_on_the_team(role: Role) -> None:
    patient = child()
    user = clinician(role, patient)
    with pytest.raises(PermissionDenied):
        psychotherapy.psychotherapy_note_create(
            patient=patient,
            author=user,
            service_date=today(),
            form_token=uuid.uuid4(),
            text="x",
        )


def test_the_list_shows_own_and_supervisees_notes_without_their_text(
    world: tuple[Patient, User, User, PsychotherapyNote],
) -> None:
    patient, trainee, supervisor, pn = world
    other = clinician(Role.PSYCHOLOGIST, patient)
    psychotherapy_note(patient, other, "Someone else's")
    for reader in (trainee, supervisor):
        page = _client(reader).get(reverse("notes:pn_list")).content.decode()
        assert _pn_url(pn.pk) in page and CANARY not in page
    other_page = _client(other).get(reverse("notes:pn_list")).content.decode()
    assert _pn_url(pn.pk) not in other_page


def test_the_author_page_reminds_what_belongs_in_the_progress_note() -> None:
    patient = child()
    author = clinician(Role.SOCIAL_WORKER, patient)
    page = _client(author).get(reverse("notes:pn_new")).content.decode()
    assert "belong in the progress note" in page


# --- PN-2: the canary appears in no other channel ---


def _chart_urls(patient: Patient) -> list[str]:
    tabs = chart.header_context(patient)["chart_tabs"]
    return [reverse(tab.url_name, args=[patient.pk]) for tab in tabs]


def _staff_pages(patient: Patient, note: Note) -> list[str]:
    return [
        reverse("patients:patient_list"),
        *_chart_urls(patient),
        reverse("notes:note_detail", args=[note.pk]),
        reverse("notes:my_notes"),
        reverse("notes:pn_list"),
    ]


def _text(response: object) -> str:
    streaming = getattr(response, "streaming_content", None)
    if streaming is not None:
        return b"".join(streaming).decode()
    return response.content.decode()  # type: ignore[attr-defined]


def _search_without_echo(client: Client) -> str:
    """The search page for the canary, minus the two places it repeats the query.

    A search that found anything would show a patient row, not the echo.
    """
    response = client.post(reverse("patients:patient_list"), {"q": CANARY})
    page = _text(response)
    if response.status_code == 200:
        assert "No patient you can see matches" in page  # zero hits
    return page.replace(f'value="{CANARY}"', "").replace(f"“{CANARY}”", "")


@pytest.mark.parametrize("role", ROLES, ids=[r.value for r in ROLES])
def test_the_canary_appears_in_no_page_any_role_can_reach(role: Role) -> None:
    patient = admitted_child(age=14)
    persona = persona_for_role(role, patient)
    author = (
        persona
        if role in PSYCHOTHERAPY_NOTE_ROLES
        else clinician(Role.PSYCHOLOGIST, patient)
    )
    psychotherapy_note(patient, author, f"Signed: {CANARY}")
    psychotherapy_note(patient, author, f"Draft: {CANARY}", sign=False)
    note = signed(patient, clinician(Role.PHYSICAL_THERAPIST, patient))
    client = _client(persona)
    seen = [_text(client.get(url)) for url in _staff_pages(patient, note)]
    seen.append(_search_without_echo(client))
    seen.append(_text(client.get(reverse("portal:home"), follow=True)))
    assert not [page for page in seen if CANARY in page]


def test_the_canary_is_in_no_audit_event_nor_the_audit_pages() -> None:
    patient = child(age=14)
    author = clinician(Role.PSYCHOLOGIST, patient)
    pn = psychotherapy_note(patient, author, f"Draft: {CANARY}", sign=False)
    pn = psychotherapy.psychotherapy_note_save(
        pn=pn, by=author, version=pn.version, text=f"Saved: {CANARY}"
    )
    psychotherapy.psychotherapy_note_sign(pn=pn, by=author, version=pn.version)
    _client(author).get(_pn_url(pn.pk))
    events = AuditEvent.objects.filter(data_category=DataCategory.PSYCHOTHERAPY_NOTE)
    assert events.count() >= 4
    assert all(set(e.changes) <= {"version"} for e in events)
    assert not [e for e in AuditEvent.objects.all() if CANARY in str(e.changes)]
    privacy = _client(persona_for_role(Role.PRIVACY_OFFICER, patient))
    listing = _text(privacy.get(reverse("audit:event_list")))
    export = _text(privacy.get(reverse("audit:event_export")))
    assert "psychotherapy_note" in export  # the events are there, by id only
    assert CANARY not in listing and CANARY not in export


@pytest.mark.parametrize("role", [Role.GUARDIAN, Role.PATIENT])
def test_the_canary_never_reaches_the_family_portal(role: Role) -> None:
    patient = child(age=14)
    persona = persona_for_role(role, patient)
    own = patient if role == Role.GUARDIAN else Patient.objects.get(user=persona)
    if own != patient:
        journey.referred(own)
    author = clinician(Role.PSYCHOLOGIST, own)
    psychotherapy_note(own, author, f"Signed: {CANARY}")
    response = _client(persona).get(reverse("portal:home"), follow=True)
    assert response.status_code == 200
    assert own.given_name in _text(response) or own.preferred_name in _text(response)
    assert CANARY not in _text(response)
