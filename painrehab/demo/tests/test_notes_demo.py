"""The demo's notes, written on children built with the journey helpers.

Three inpatients (aged 14, 13 and 9) with the demo psychologists on their teams:
each gets signed progress notes from PT, OT and psychology and a nursing shift
note; one group session; addenda; psychotherapy notes by the demo psychologists;
adolescent-confidential marks for the teens only; and every digest verifies.
"""

import random

import pytest
from django.core.management import call_command

from painrehab.accounts.choices import Role
from painrehab.accounts.models import StaffProfile, User
from painrehab.accounts.tests.factories import StaffFactory
from painrehab.audit.selectors import audit_chain_verify
from painrehab.demo.notes_demo import notes_populate
from painrehab.notes import rules
from painrehab.notes.models import Addendum, GroupSession, Note, PsychotherapyNote
from painrehab.notes.tests.support import admitted_child, today
from painrehab.patients.choices import TeamRole
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import CareTeamMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def inpatients() -> list[Patient]:
    kids = [
        admitted_child(age=14, days_ago=5, given_name="Ava"),
        admitted_child(age=13, days_ago=4, given_name="Ben"),
        admitted_child(age=9, days_ago=1, given_name="Cleo"),
    ]
    nurse = StaffFactory(role=Role.NURSE, username="nurse")
    for kid in kids:
        CareTeamMemberFactory(patient=kid, member=nurse, team_role=TeamRole.NURSE)
    for username in ("psychologist", "psychologist2"):
        user = StaffFactory(role=Role.PSYCHOLOGIST, username=username)
        for kid in kids:
            CareTeamMemberFactory(patient=kid, member=user, team_role=TeamRole.MEMBER)
    return kids


def test_every_inpatient_gets_signed_progress_and_shift_notes(
    inpatients: list[Patient],
) -> None:
    notes_populate(rng=random.Random(7), today=today())
    for kid in inpatients:
        notes = Note.objects.filter(patient=kid, group_session__isnull=True)
        disciplines = {rules.discipline_of(n.author) for n in notes}
        assert {"PT", "OT", "PSY", "NURSE"} <= disciplines, kid
        assert all(n.is_signed and n.verify() for n in notes)
    late = Note.objects.filter(is_late_entry=True)
    assert late.count() == 1 and late.get().late_entry_reason


def test_one_group_session_with_one_signed_note_per_attendee(
    inpatients: list[Patient],
) -> None:
    notes_populate(rng=random.Random(7), today=today())
    session = GroupSession.objects.get()
    notes = list(session.notes.select_related("patient"))
    assert len(notes) >= 2 and len({n.patient_id for n in notes}) == len(notes)
    for note in notes:
        assert note.is_signed and note.verify()
        others = {n.patient.given_name for n in notes} - {note.patient.given_name}
        assert not any(name in str(note.body) for name in others)


def test_addenda_psychotherapy_notes_and_confidential_teens(
    inpatients: list[Patient],
) -> None:
    notes_populate(rng=random.Random(7), today=today())
    addenda = list(Addendum.objects.select_related("note"))
    assert len(addenda) == 3 and all(a.verify() for a in addenda)
    authors = set(PsychotherapyNote.objects.values_list("author__username", flat=True))
    assert authors == {"psychologist", "psychologist2"}
    assert all(pn.verify() for pn in PsychotherapyNote.objects.all())
    confidential = Note.objects.filter(confidential=True).select_related("patient")
    assert {n.patient.given_name for n in confidential} == {"Ava", "Ben"}
    assert all(n.confidential_reason for n in confidential)
    call_command("notes", "verify")
    assert audit_chain_verify() is None


def test_without_a_trainee_nothing_awaits_cosignature(
    inpatients: list[Patient],
) -> None:
    notes_populate(rng=random.Random(7), today=today())
    assert not [n for n in Note.objects.all() if n.awaiting_cosignature]


def test_a_trainee_on_a_team_leaves_one_note_awaiting_cosignature(
    inpatients: list[Patient],
) -> None:
    supervisor = User.objects.get(username="psychologist")
    trainee = StaffFactory(role=Role.PSYCHOLOGIST, username="psych-trainee")
    StaffProfile.objects.filter(user=trainee).update(
        is_trainee=True, supervisor=supervisor
    )
    CareTeamMemberFactory(
        patient=inpatients[0], member=trainee, team_role=TeamRole.MEMBER
    )
    notes_populate(rng=random.Random(7), today=today())
    waiting = [n for n in Note.objects.all() if n.awaiting_cosignature]
    assert len(waiting) == 1 and waiting[0].author_id == trainee.pk
    assert waiting[0].cosign_supervisor_id == supervisor.pk
