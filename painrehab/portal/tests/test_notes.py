"""The notes page: what the team shares, as the visibility matrix allows."""

import pytest
from django.urls import reverse

from painrehab.accounts.choices import Role
from painrehab.audit.models import AuditEvent
from painrehab.common.testing import staff
from painrehab.notes import services
from painrehab.notes.choices import ConfidentialityReason
from painrehab.notes.tests.support import body_for, psychotherapy_note, signed
from painrehab.patients.tests.factories import CareTeamMemberFactory
from painrehab.portal.tests.support import Family, family

pytestmark = pytest.mark.django_db


def _team(fam: Family) -> tuple[object, object]:
    psychologist = staff(Role.PSYCHOLOGIST, first_name="Ana", last_name="Surnameless")
    pt = staff(Role.PHYSICAL_THERAPIST, first_name="Maria", last_name="Hiddenname")
    for member in (psychologist, pt):
        CareTeamMemberFactory(patient=fam.child, member=member)
    return psychologist, pt


def _page(client: object, fam: Family) -> str:
    response = client.get(reverse("portal:notes", args=[fam.child.pk]))  # type: ignore[attr-defined]
    assert response.status_code == 200
    return response.content.decode()


def test_a_guardian_of_a_teen_reads_therapy_notes_but_not_psychology_notes() -> None:
    fam = family(age=14)
    psychologist, pt = _team(fam)
    signed(
        fam.child,
        pt,
        key="therapy_progress",
        body=body_for("therapy_progress", "Walked far"),
    )
    signed(
        fam.child,
        psychologist,
        key="psychology_progress",
        body=body_for("psychology_progress", "Worries about school"),
    )
    page = _page(fam.guardian_client(), fam)
    assert "Walked far" in page
    assert "Maria, physical therapist" in page
    assert "Hiddenname" not in page
    assert "Worries about school" not in page
    event = AuditEvent.objects.filter(action="portal.viewed").latest("seq")
    assert list(event.changes["notes_withheld"].values()) == ["privacy_171_202_b"]


def test_a_confidential_note_is_the_teens_and_never_the_guardians() -> None:
    fam = family(age=15, teen_account=True)
    psychologist, _pt = _team(fam)
    note = signed(
        fam.child,
        psychologist,
        key="psychology_progress",
        body=body_for("psychology_progress", "Told me a secret"),
    )
    services.note_confidentiality_set(
        note=note,
        by=psychologist,
        confidential=True,
        reason=ConfidentialityReason.TEEN_REQUEST,
    )
    teen_page = _page(fam.teen_client(), fam)
    assert "Told me a secret" in teen_page
    assert "Private: not shown to your parents" in teen_page
    assert "Told me a secret" not in _page(fam.guardian_client(), fam)
    event = AuditEvent.objects.filter(action="portal.viewed").latest("seq")
    assert event.changes["notes_withheld"] == {
        str(note.pk): ConfidentialityReason.TEEN_REQUEST.value
    }


def test_a_guardian_of_a_young_child_reads_psychology_notes() -> None:
    fam = family(age=9)
    psychologist, _pt = _team(fam)
    signed(
        fam.child,
        psychologist,
        key="psychology_progress",
        body=body_for("psychology_progress", "Uses breathing well"),
    )
    assert "Uses breathing well" in _page(fam.guardian_client(), fam)


def test_psychotherapy_notes_never_appear_even_to_the_teen() -> None:
    fam = family(age=16, teen_account=True)
    psychologist, _pt = _team(fam)
    psychotherapy_note(fam.child, psychologist, "Process notes only the author keeps")
    assert "Process notes" not in _page(fam.teen_client(), fam)
    assert "Process notes" not in _page(fam.guardian_client(), fam)


def test_drafts_are_not_shared() -> None:
    from painrehab.notes.tests.support import draft

    fam = family(age=9)
    _psychologist, pt = _team(fam)
    draft(
        fam.child,
        pt,
        key="therapy_progress",
        body=body_for("therapy_progress", "Unfinished"),
    )
    assert "Unfinished" not in _page(fam.guardian_client(), fam)
