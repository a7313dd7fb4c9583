"""Adolescent-confidential notes: 12+ only, with a reason code, never to parents."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from painrehab.accounts.choices import Role
from painrehab.audit.actions import AuditAction, DataCategory
from painrehab.audit.models import AuditEvent
from painrehab.notes import rules, services
from painrehab.notes.choices import ConfidentialityReason
from painrehab.notes.models import Note
from painrehab.notes.selectors import notes_for_guardian, notes_for_teen
from painrehab.notes.tests.support import (
    born_years_ago,
    child,
    clinician,
    draft,
    psychotherapy_note,
    signed,
)
from painrehab.patients.tests.factories import PatientFactory
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db
TEEN_REQUEST = ConfidentialityReason.TEEN_REQUEST


def _mark(note: Note, reason: str = TEEN_REQUEST) -> Note:
    return services.note_confidentiality_set(
        note=note, by=note.author, confidential=True, reason=reason
    )


def test_a_note_about_a_teen_can_be_marked_with_a_reason_and_it_is_audited() -> None:
    patient = child(age=13)
    note = _mark(signed(patient, clinician(Role.PSYCHOLOGIST, patient)))
    assert note.confidential and note.confidential_reason == TEEN_REQUEST
    assert note.verify()  # the mark is not part of the signed content
    event = AuditEvent.objects.get(action=AuditAction.NOTE_CONFIDENTIAL_SET)
    assert event.data_category == DataCategory.ADOLESCENT_CONFIDENTIAL
    assert event.changes["reason_code"] == TEEN_REQUEST


def test_clearing_the_mark_is_audited_too() -> None:
    patient = child(age=15)
    note = _mark(signed(patient, clinician(Role.PSYCHOLOGIST, patient)))
    cleared = services.note_confidentiality_set(
        note=note, by=note.author, confidential=False
    )
    assert not cleared.confidential and cleared.confidential_reason == ""
    event = AuditEvent.objects.get(action=AuditAction.NOTE_CONFIDENTIAL_CLEARED)
    assert event.changes["previous_reason_code"] == TEEN_REQUEST


def test_a_note_about_a_child_under_12_cannot_be_confidential() -> None:
    patient = child(age=11)
    note = signed(patient, clinician(Role.PSYCHOLOGIST, patient))
    with pytest.raises(ValidationError) as refused:
        _mark(note)
    assert rules.UNDER_12 in refused.value.message_dict["confidential"]
    note.refresh_from_db()
    assert not note.confidential


@pytest.mark.parametrize(
    ("days_after_birthday", "allowed"),
    [(-1, False), (0, True), (1, True)],
    ids=["day_before_12th_birthday", "12th_birthday", "day_after"],
)
def test_the_age_counts_on_the_date_of_service(
    days_after_birthday: int, allowed: bool
) -> None:
    service_day = journey.today() - dt.timedelta(days=2)
    twelfth = service_day - dt.timedelta(days=days_after_birthday)
    birth = twelfth.replace(year=twelfth.year - 12)
    patient = PatientFactory(date_of_birth=birth)
    journey.referred(patient)
    author = clinician(Role.PSYCHOLOGIST, patient)
    note = draft(patient, author, service_date=service_day)
    if allowed:
        assert _mark(note).confidential
    else:
        with pytest.raises(ValidationError):
            _mark(note)


def test_a_reason_code_is_required() -> None:
    patient = child(age=14)
    note = signed(patient, clinician(Role.PSYCHOLOGIST, patient))
    for reason in ("", "because"):
        with pytest.raises(ValidationError) as refused:
            _mark(note, reason)
        assert (
            services.CONFIDENTIAL_REASON_REQUIRED
            in refused.value.message_dict["reason"]
        )


@pytest.mark.parametrize("reason", ["", "not_a_code"])
def test_the_database_refuses_a_confidential_note_without_a_reason_code(
    reason: str,
) -> None:
    patient = child(age=14)
    note = draft(patient, clinician(Role.PSYCHOLOGIST, patient))
    with pytest.raises(IntegrityError), transaction.atomic():
        Note.objects.filter(pk=note.pk).update(
            confidential=True, confidential_reason=reason
        )


def test_the_database_refuses_a_reason_code_without_the_mark() -> None:
    patient = child(age=14)
    note = draft(patient, clinician(Role.PSYCHOLOGIST, patient))
    with pytest.raises(IntegrityError), transaction.atomic():
        Note.objects.filter(pk=note.pk).update(confidential_reason=TEEN_REQUEST)


def test_only_the_author_or_supervisor_sets_the_mark() -> None:
    patient = child(age=14)
    author = clinician(Role.PSYCHOLOGIST, patient)
    nurse = clinician(Role.NURSE, patient)
    note = signed(patient, author)
    with pytest.raises(PermissionDenied):
        services.note_confidentiality_set(
            note=note, by=nurse, confidential=True, reason=TEEN_REQUEST
        )


def test_guardians_never_get_confidential_notes_or_drafts_teens_get_theirs() -> None:
    patient = child(age=14)
    psychologist = clinician(Role.PSYCHOLOGIST, patient)
    pt = clinician(Role.PHYSICAL_THERAPIST, patient)
    open_note = signed(patient, pt)
    secret = _mark(signed(patient, psychologist))
    a_draft = draft(patient, pt)
    psychotherapy_note(patient, psychologist, "PN words")
    assert list(notes_for_guardian(patient)) == [open_note]
    teen = set(notes_for_teen(patient))
    assert teen == {open_note, secret} and a_draft not in teen


def test_the_portal_selectors_stay_inside_the_patient() -> None:
    one, other = child(age=14), child(age=14)
    pt = clinician(Role.PHYSICAL_THERAPIST, one, other)
    signed(other, pt)
    assert not notes_for_guardian(one).exists()
    assert not notes_for_teen(one).exists()


class TestGuardianSelectorProperty(HypothesisTestCase):
    """Whatever mix of notes and marks exists, a guardian sees no confidential one."""

    @settings(max_examples=15, deadline=None)
    @given(st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=5))
    def test_guardian_never_sees_a_confidential_or_unsigned_note(
        self, plan: list[tuple[bool, bool]]
    ) -> None:
        patient = PatientFactory(date_of_birth=born_years_ago(14))
        journey.referred(patient)
        author = clinician(Role.PSYCHOLOGIST, patient)
        for sign, confidential in plan:
            note = signed(patient, author) if sign else draft(patient, author)
            if confidential:
                _mark(note)
        shown = list(notes_for_guardian(patient))
        assert all(n.is_signed and not n.confidential for n in shown)
        expected = sum(1 for sign, conf in plan if sign and not conf)
        assert len(shown) == expected
