"""Drafts, signing, addenda, co-signature, late entries and double submits."""

import datetime as dt
import uuid

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from painrehab.accounts.choices import Role
from painrehab.audit.actions import AuditAction, DataCategory
from painrehab.audit.models import AuditEvent
from painrehab.notes import rules, services
from painrehab.notes.choices import NoteKind, NoteStatus
from painrehab.notes.models import Addendum, Note
from painrehab.notes.tests.support import (
    body_for,
    child,
    clinician,
    draft,
    signed,
    today,
)
from painrehab.patients.access import PatientNotFound

pytestmark = pytest.mark.django_db


def test_a_draft_is_created_in_the_open_episode_from_the_authors_template() -> None:
    patient = child()
    pt = clinician(Role.PHYSICAL_THERAPIST, patient)
    note = draft(patient, pt, key="therapy_progress")
    assert note.status == NoteStatus.DRAFT and note.version == 1
    assert note.kind == NoteKind.DAILY_PROGRESS
    assert note.episode.patient_id == patient.pk
    event = AuditEvent.objects.filter(action=AuditAction.NOTE_CREATED).get()
    assert event.patient_id == patient.pk and event.data_category == DataCategory.NOTE


def test_a_double_click_on_create_makes_one_note() -> None:
    patient = child()
    pt = clinician(Role.PHYSICAL_THERAPIST, patient)
    token = uuid.uuid4()
    first = draft(patient, pt, token=token)
    second = draft(patient, pt, token=token)
    assert first.pk == second.pk
    assert Note.objects.filter(patient=patient).count() == 1


def test_a_token_from_another_patients_form_is_refused() -> None:
    one, other = child(), child()
    pt = clinician(Role.PHYSICAL_THERAPIST, one, other)
    token = uuid.uuid4()
    draft(one, pt, token=token)
    with pytest.raises(ValidationError) as refused:
        draft(other, pt, token=token)
    assert services.FORM_REUSED in refused.value.message_dict["form_token"]


def test_a_template_of_another_discipline_is_refused() -> None:
    patient = child()
    pt = clinician(Role.PHYSICAL_THERAPIST, patient)
    with pytest.raises(ValidationError) as refused:
        draft(patient, pt, key="nursing_shift")
    assert rules.TEMPLATE_NOT_YOURS in refused.value.message_dict["template"]


def test_roles_outside_the_clinic_cannot_write_notes() -> None:
    patient = child()
    privacy = clinician(Role.PRIVACY_OFFICER)
    with pytest.raises((PermissionDenied, PatientNotFound)):
        draft(patient, privacy, key="therapy_progress")


def test_someone_off_the_care_team_cannot_write_in_the_chart() -> None:
    patient = child()
    stranger = clinician(Role.PHYSICAL_THERAPIST)
    with pytest.raises(PatientNotFound):
        draft(patient, stranger, key="therapy_progress")


def test_a_date_of_service_in_the_future_is_refused() -> None:
    patient = child()
    pt = clinician(Role.PHYSICAL_THERAPIST, patient)
    with pytest.raises(ValidationError) as refused:
        draft(patient, pt, service_date=today() + dt.timedelta(days=1))
    assert rules.FUTURE_DATE in refused.value.message_dict["service_date"]


def test_saving_a_draft_bumps_the_version_and_audits_section_keys_not_text() -> None:
    patient = child()
    pt = clinician(Role.PHYSICAL_THERAPIST, patient)
    note = draft(patient, pt, body={})
    saved = services.note_save(
        note=note, by=pt, version=1, body={"subjective": "Secret-ish words"}
    )
    assert saved.version == 2 and saved.body == {"subjective": "Secret-ish words"}
    event = AuditEvent.objects.filter(action=AuditAction.NOTE_SAVED).get()
    assert event.changes["sections"] == ["subjective"]
    assert "Secret-ish" not in str(event.changes)


def test_a_stale_save_is_refused_and_overwrites_nothing() -> None:
    patient = child()
    pt = clinician(Role.PHYSICAL_THERAPIST, patient)
    note = draft(patient, pt, body={})
    services.note_save(note=note, by=pt, version=1, body={"plan": "first tab"})
    with pytest.raises(ValidationError) as refused:
        services.note_save(note=note, by=pt, version=1, body={"plan": "second tab"})
    assert services.STALE in refused.value.message_dict["version"]
    note.refresh_from_db()
    assert note.body == {"plan": "first tab"} and note.version == 2


def test_an_unknown_section_is_refused() -> None:
    patient = child()
    pt = clinician(Role.PHYSICAL_THERAPIST, patient)
    note = draft(patient, pt, body={})
    with pytest.raises(ValidationError) as refused:
        services.note_save(note=note, by=pt, version=1, body={"mood": "x"})
    assert "mood" in refused.value.message_dict


def test_only_the_author_saves_or_signs_a_draft() -> None:
    patient = child()
    pt, other = (
        clinician(Role.PHYSICAL_THERAPIST, patient),
        clinician(Role.PHYSICAL_THERAPIST, patient),
    )
    note = draft(patient, pt)
    with pytest.raises(PermissionDenied):
        services.note_save(note=note, by=other, version=1, body={})
    with pytest.raises(PermissionDenied):
        services.note_sign(note=note, by=other, version=1)


def test_signing_stores_the_digest_and_freezes_the_note() -> None:
    patient = child()
    pt = clinician(Role.PHYSICAL_THERAPIST, patient)
    note = signed(patient, pt)
    assert note.is_signed and note.signed_at is not None
    assert len(note.content_sha256) == 64 and note.verify()
    assert not note.is_late_entry and not note.cosign_required
    with pytest.raises(ValidationError) as refused:
        services.note_save(note=note, by=pt, version=note.version, body={})
    assert services.ALREADY_SIGNED in refused.value.message_dict["status"]
    event = AuditEvent.objects.filter(action=AuditAction.NOTE_SIGNED).get()
    assert event.changes["sha256"] == note.content_sha256


def test_signing_needs_the_required_sections() -> None:
    patient = child()
    pt = clinician(Role.PHYSICAL_THERAPIST, patient)
    note = draft(patient, pt, key="therapy_progress", body={"subjective": "ok"})
    with pytest.raises(ValidationError) as refused:
        services.note_sign(note=note, by=pt, version=note.version)
    assert set(refused.value.message_dict) == {"assessment", "plan"}
    note.refresh_from_db()
    assert not note.is_signed


def test_a_note_signed_within_24_hours_of_the_end_of_its_day_is_not_late() -> None:
    patient = child()
    pt = clinician(Role.PHYSICAL_THERAPIST, patient)
    note = signed(patient, pt, service_date=today() - dt.timedelta(days=1))
    assert not note.is_late_entry and note.late_entry_reason == ""


def test_a_late_entry_needs_a_reason_and_is_marked() -> None:
    patient = child()
    pt = clinician(Role.PHYSICAL_THERAPIST, patient)
    note = draft(patient, pt, service_date=today() - dt.timedelta(days=3))
    with pytest.raises(ValidationError) as refused:
        services.note_sign(note=note, by=pt, version=note.version)
    assert (
        services.LATE_REASON_REQUIRED in refused.value.message_dict["late_entry_reason"]
    )
    late = services.note_sign(
        note=note, by=pt, version=note.version, late_entry_reason="Off sick."
    )
    assert late.is_late_entry and late.late_entry_reason == "Off sick."
    assert late.verify()


def test_the_late_entry_boundary_is_24_hours_after_the_end_of_the_day() -> None:
    day = dt.date(2026, 3, 2)
    deadline = rules.late_entry_deadline(day)
    local = timezone.localtime(deadline)
    assert (local.date(), local.hour, local.minute) == (dt.date(2026, 3, 4), 0, 0)
    assert not rules.is_late(day, deadline)
    assert rules.is_late(day, deadline + dt.timedelta(seconds=1))


def test_signing_just_after_the_deadline_needs_a_reason() -> None:
    patient = child()
    pt = clinician(Role.PHYSICAL_THERAPIST, patient)
    day = today() - dt.timedelta(days=1)
    note = draft(patient, pt, service_date=day)
    after = rules.late_entry_deadline(day) + dt.timedelta(minutes=1)
    with time_machine.travel(after, tick=False), pytest.raises(ValidationError):
        services.note_sign(note=note, by=pt, version=note.version)


def test_an_addendum_is_linked_signed_and_leaves_the_note_alone() -> None:
    patient = child()
    pt = clinician(Role.PHYSICAL_THERAPIST, patient)
    note = signed(patient, pt)
    before = (note.body, note.content_sha256, note.signed_at)
    addendum = services.addendum_add(
        note=note,
        by=pt,
        text="The pain score was 4, not 7.",
        reason="Correction",
        form_token=uuid.uuid4(),
    )
    assert addendum.note_id == note.pk and addendum.verify()
    note.refresh_from_db()
    assert (note.body, note.content_sha256, note.signed_at) == before
    assert note.verify()


def test_an_addendum_double_click_makes_one() -> None:
    patient = child()
    pt = clinician(Role.PHYSICAL_THERAPIST, patient)
    note = signed(patient, pt)
    token = uuid.uuid4()
    for _ in range(2):
        services.addendum_add(
            note=note, by=pt, text="More.", reason="Later info", form_token=token
        )
    assert Addendum.objects.filter(note=note).count() == 1


def test_an_addendum_needs_a_signed_note_text_and_reason() -> None:
    patient = child()
    pt = clinician(Role.PHYSICAL_THERAPIST, patient)
    with pytest.raises(ValidationError) as refused:
        services.addendum_add(
            note=draft(patient, pt),
            by=pt,
            text="x",
            reason="y",
            form_token=uuid.uuid4(),
        )
    assert services.NOT_SIGNED in refused.value.message_dict["status"]
    with pytest.raises(ValidationError) as refused:
        services.addendum_add(
            note=signed(patient, pt),
            by=pt,
            text=" ",
            reason="",
            form_token=uuid.uuid4(),
        )
    assert set(refused.value.message_dict) == {"text", "reason"}


def test_another_clinician_cannot_amend_someone_elses_note() -> None:
    patient = child()
    pt, ot = (
        clinician(Role.PHYSICAL_THERAPIST, patient),
        clinician(Role.OCCUPATIONAL_THERAPIST, patient),
    )
    note = signed(patient, pt)
    with pytest.raises(PermissionDenied):
        services.addendum_add(
            note=note, by=ot, text="x", reason="y", form_token=uuid.uuid4()
        )


def test_a_trainees_note_awaits_the_supervisors_cosignature() -> None:
    patient = child()
    supervisor = clinician(Role.PHYSICAL_THERAPIST, patient)
    trainee = clinician(
        Role.PHYSICAL_THERAPIST, patient, trainee=True, supervisor=supervisor
    )
    note = signed(patient, trainee)
    assert note.awaiting_cosignature and note.cosign_supervisor_id == supervisor.pk
    digest = note.content_sha256
    cosigned = services.note_cosign(note=note, by=supervisor)
    assert not cosigned.awaiting_cosignature
    assert cosigned.cosigned_by_id == supervisor.pk and cosigned.cosigned_at
    assert cosigned.content_sha256 == digest and cosigned.verify()
    assert AuditEvent.objects.filter(action=AuditAction.NOTE_COSIGNED).count() == 1


def test_only_the_supervisor_cosigns_and_only_once() -> None:
    patient = child()
    supervisor = clinician(Role.PHYSICAL_THERAPIST, patient)
    other = clinician(Role.PHYSICAL_THERAPIST, patient)
    trainee = clinician(
        Role.PHYSICAL_THERAPIST, patient, trainee=True, supervisor=supervisor
    )
    note = signed(patient, trainee)
    with pytest.raises(PermissionDenied):
        services.note_cosign(note=note, by=other)
    with pytest.raises(PermissionDenied):
        services.note_cosign(note=note, by=trainee)
    services.note_cosign(note=note, by=supervisor)
    with pytest.raises(ValidationError) as refused:
        services.note_cosign(note=note, by=supervisor)
    assert services.COSIGN_NOT_NEEDED in refused.value.message_dict["status"]


def test_a_fully_licensed_authors_note_needs_no_cosignature() -> None:
    patient = child()
    pt = clinician(Role.PHYSICAL_THERAPIST, patient)
    note = signed(patient, pt)
    with pytest.raises(ValidationError):
        services.note_cosign(note=note, by=pt)


def test_a_trainee_without_a_supervisor_cannot_sign() -> None:
    patient = child()
    trainee = clinician(Role.PHYSICAL_THERAPIST, patient, trainee=True)
    note = draft(patient, trainee)
    with pytest.raises(ValidationError) as refused:
        services.note_sign(note=note, by=trainee, version=note.version)
    assert services.NO_SUPERVISOR in refused.value.message_dict["status"]


def test_the_supervisor_may_add_an_addendum_to_the_trainees_note() -> None:
    patient = child()
    supervisor = clinician(Role.PHYSICAL_THERAPIST, patient)
    trainee = clinician(
        Role.PHYSICAL_THERAPIST, patient, trainee=True, supervisor=supervisor
    )
    note = signed(patient, trainee)
    addendum = services.addendum_add(
        note=note,
        by=supervisor,
        text="Agree.",
        reason="Review",
        form_token=uuid.uuid4(),
    )
    assert addendum.author_id == supervisor.pk


def test_a_draft_can_be_discarded_by_its_author_but_a_signed_note_never() -> None:
    patient = child()
    pt = clinician(Role.PHYSICAL_THERAPIST, patient)
    note = draft(patient, pt)
    services.note_discard(note=note, by=pt)
    assert not Note.objects.filter(pk=note.pk).exists()
    kept = signed(patient, pt)
    with pytest.raises(ValidationError):
        services.note_discard(note=kept, by=pt)
    assert Note.objects.filter(pk=kept.pk).exists()


def test_save_and_sign_does_both_or_neither() -> None:
    patient = child()
    pt = clinician(Role.PHYSICAL_THERAPIST, patient)
    note = draft(patient, pt, body={}, service_date=today() - dt.timedelta(days=4))
    with pytest.raises(ValidationError):
        services.note_save_and_sign(
            note=note, by=pt, version=1, body=body_for(note.template)
        )
    note.refresh_from_db()
    assert note.body == {} and note.version == 1 and not note.is_signed
