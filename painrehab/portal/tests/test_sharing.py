"""The teen decides about their guardians' access (security.md §3b rule 4)."""

import pytest
from django.urls import reverse

from painrehab.audit.models import AuditEvent
from painrehab.portal.access import children_of
from painrehab.portal.tests.support import born_years_ago, family

pytestmark = pytest.mark.django_db


def test_the_teen_sees_what_each_guardian_can_see() -> None:
    fam = family(age=14, teen_account=True)
    response = fam.teen_client().get(reverse("portal:sharing", args=[fam.child.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Dana" in page
    assert "This week" in page  # the schedule is shared with parents of teens
    assert "Notes" in page  # medical notes are too


def test_a_guardian_cannot_open_the_sharing_page() -> None:
    fam = family(age=14, teen_account=True)
    response = fam.guardian_client().get(reverse("portal:sharing", args=[fam.child.pk]))
    assert response.status_code == 404


def test_the_teen_stops_a_guardians_access_and_it_is_audited() -> None:
    fam = family(age=14, teen_account=True)
    link = fam.child.guardian_links.get()
    fam.teen_client().post(
        reverse("portal:sharing", args=[fam.child.pk]),
        {"link": link.pk, "action": "revoke"},
    )
    link.refresh_from_db()
    assert link.portal_access is False
    assert children_of(fam.guardian_user) == []
    event = AuditEvent.objects.get(action="proxy.access_changed")
    assert event.changes == {"guardian_id": fam.guardian.pk, "change": "revoked"}


def test_a_teen_under_18_cannot_grant_adult_access() -> None:
    fam = family(age=14, teen_account=True)
    link = fam.child.guardian_links.get()
    response = fam.teen_client().post(
        reverse("portal:sharing", args=[fam.child.pk]),
        {"link": link.pk, "action": "grant"},
        follow=True,
    )
    assert "Until you are 18" in response.content.decode()
    link.refresh_from_db()
    assert link.adult_access_granted_at is None


def test_an_adult_patient_grants_a_guardian_continued_access() -> None:
    fam = family(age=17, teen_account=True)
    fam.child.date_of_birth = born_years_ago(18)
    fam.child.save()
    assert children_of(fam.guardian_user) == []
    link = fam.child.guardian_links.get()
    fam.teen_client().post(
        reverse("portal:sharing", args=[fam.child.pk]),
        {"link": link.pk, "action": "grant"},
    )
    [child] = children_of(fam.guardian_user)
    assert child.patient == fam.child


def test_another_familys_link_cannot_be_changed() -> None:
    fam = family(age=14, teen_account=True)
    other = family(age=14, name="Sam", surname="Otherkin", parent="Lee")
    other_link = other.child.guardian_links.get()
    fam.teen_client().post(
        reverse("portal:sharing", args=[fam.child.pk]),
        {"link": other_link.pk, "action": "revoke"},
    )
    other_link.refresh_from_db()
    assert other_link.portal_access is True
