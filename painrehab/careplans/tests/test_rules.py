"""The edit rule, role by role and part by part, as the issue states it."""

import pytest

from painrehab.accounts.choices import CLINICAL_ROLES, DISCIPLINE_OF_ROLE, Role
from painrehab.accounts.models import StaffProfile
from painrehab.accounts.tests.factories import UserFactory
from painrehab.careplans.rules import (
    EDIT_RULE,
    Part,
    Reach,
    discipline_of,
    editable_disciplines,
    may_edit,
)
from painrehab.common.testing import staff

pytestmark = pytest.mark.django_db

EVERYTHING = frozenset({Role.COORDINATOR, Role.PHYSICIAN})


def _expected(role: Role, part: Part) -> Reach:
    if role in EVERYTHING:
        return Reach.ANY
    if role not in CLINICAL_ROLES:
        return Reach.NONE
    return {
        Part.HEADER: Reach.NONE,
        Part.FORMULATION: Reach.ANY,
        Part.GOAL: Reach.OWN,
        Part.PRESCRIPTION: Reach.OWN,
    }[part]


@pytest.mark.parametrize("part", list(Part), ids=[p.value for p in Part])
@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_the_rule_table_says_what_the_issue_says(role: Role, part: Part) -> None:
    assert EDIT_RULE.get(role, {}).get(part, Reach.NONE) == _expected(role, part)


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_each_role_may_edit_its_own_discipline_and_no_other(role: Role) -> None:
    user = staff(role) if role in DISCIPLINE_OF_ROLE else UserFactory(role=role)
    own = DISCIPLINE_OF_ROLE.get(role)
    other = "OT" if own != "OT" else "PT"
    reach = _expected(role, Part.GOAL)
    assert may_edit(user, Part.GOAL, other) == (reach is Reach.ANY)
    if own is not None:
        assert may_edit(user, Part.PRESCRIPTION, own) == (reach is not Reach.NONE)
    assert may_edit(user, Part.FORMULATION) == (role in CLINICAL_ROLES)
    assert may_edit(user, Part.HEADER) == (role in EVERYTHING)


def test_the_staff_profile_decides_the_discipline() -> None:
    nurse = staff(Role.NURSE)
    StaffProfile.objects.filter(user=nurse).update(discipline="CL")
    assert discipline_of(nurse) == "CL"
    assert may_edit(nurse, Part.GOAL, "CL")
    assert not may_edit(nurse, Part.GOAL, "NURSE")


def test_editable_disciplines_for_a_teacher() -> None:
    teacher = staff(Role.TEACHER)
    assert editable_disciplines(teacher, Part.GOAL, ("PT", "SCHOOL")) == ("SCHOOL",)
    assert editable_disciplines(teacher, Part.PRESCRIPTION, ("PT", "OT")) == ()


def test_an_inactive_account_edits_nothing() -> None:
    coordinator = staff(Role.COORDINATOR, is_active=False)
    assert not may_edit(coordinator, Part.FORMULATION)
