"""The portal's door: which child a family account reaches, at which tier."""

import pytest
from django.test import RequestFactory

from painrehab.domain.proxy import Category, Tier, Viewer
from painrehab.patients.access import PatientNotFound
from painrehab.portal.access import child_get, children_of
from painrehab.portal.tests.support import born_years_ago, family

pytestmark = pytest.mark.django_db


def _request(user: object) -> object:
    request = RequestFactory().get("/family/")
    request.user = user
    return request


def test_a_guardian_of_a_young_child_has_full_access() -> None:
    fam = family(age=9, stage="none")
    [child] = children_of(fam.guardian_user)
    assert (child.viewer, child.tier) == (Viewer.GUARDIAN, Tier.FULL)
    assert child.sees(Category.NOTES_PSYCHOSOCIAL)
    assert not child.sees(Category.CONFIDENTIAL)


def test_from_the_twelfth_birthday_the_guardian_tier_is_limited() -> None:
    fam = family(age=12, stage="none")
    fam.child.date_of_birth = born_years_ago(12)
    fam.child.save()
    [child] = children_of(fam.guardian_user)
    assert child.tier is Tier.LIMITED
    assert child.sees(Category.SCHEDULE)
    assert not child.sees(Category.NOTES_PSYCHOSOCIAL)


def test_the_day_before_the_twelfth_birthday_access_is_still_full() -> None:
    fam = family(age=11, stage="none")
    fam.child.date_of_birth = born_years_ago(12, days=-1)
    fam.child.save()
    [child] = children_of(fam.guardian_user)
    assert child.tier is Tier.FULL


def test_on_the_eighteenth_birthday_guardian_access_ends_unless_granted() -> None:
    fam = family(age=17, stage="none")
    fam.child.date_of_birth = born_years_ago(18)
    fam.child.save()
    assert children_of(fam.guardian_user) == []
    with pytest.raises(PatientNotFound):
        child_get(_request(fam.guardian_user), fam.child.pk)  # type: ignore[arg-type]

    link = fam.child.guardian_links.get()
    link.adult_access_granted_at = link.patient.created_at
    link.save()
    [child] = children_of(fam.guardian_user)
    assert child.tier is Tier.GRANTED


def test_the_teen_reaches_only_their_own_record() -> None:
    fam = family(age=14, teen_account=True, stage="none")
    other = family(age=14, name="Sam", surname="Otherkin", parent="Lee")
    assert fam.teen_user is not None
    [own] = children_of(fam.teen_user)
    assert (own.viewer, own.tier, own.patient) == (Viewer.TEEN, Tier.OWN, fam.child)
    assert own.sees(Category.CONFIDENTIAL)
    assert not own.sees(Category.PSYCHOTHERAPY)
    with pytest.raises(PatientNotFound):
        child_get(_request(fam.teen_user), other.child.pk)  # type: ignore[arg-type]


def test_another_familys_child_is_the_same_404_as_a_missing_one() -> None:
    mine = family(age=9, stage="none")
    theirs = family(age=9, name="Sam", surname="Otherkin", parent="Lee")
    with pytest.raises(PatientNotFound):
        child_get(_request(mine.guardian_user), theirs.child.pk)  # type: ignore[arg-type]
    with pytest.raises(PatientNotFound):
        child_get(_request(mine.guardian_user), theirs.child.pk + 999)  # type: ignore[arg-type]
