"""Who may change which part of a care plan: the rule as data, in one place.

Seeing a plan is the access funnel's decision (``patients.access``): clinicians of
the child's care team, the coordinator for every child. Among those who can see it:

- the coordinator and physicians may change every part;
- every other clinician may change their own discipline's goals and prescriptions
  (and record reviews of those goals) and any factor of the formulation;
- the plan's header (summary, the child's hopes, the daily therapy limit) belongs to
  the coordinator and physicians.

A person's discipline is their staff profile's, else their role's usual one.
Services check the rule on every write, so the pages, the demo and the weekly
conference all follow it; pages also use it to show only the buttons that work.
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied

from painrehab.accounts.choices import CLINICAL_ROLES, DISCIPLINE_OF_ROLE, Role
from painrehab.accounts.models import StaffProfile, User

NOT_YOURS = "Only {who} may change this part of the care plan."
WHO: dict[str, str] = {
    "header": "the coordinator or a physician",
    "own": "the coordinator, a physician or a clinician of its discipline",
}


class Part(StrEnum):
    HEADER = "header"
    FORMULATION = "formulation"
    GOAL = "goal"
    PRESCRIPTION = "prescription"


class Reach(StrEnum):
    ANY = "any discipline"
    OWN = "own discipline only"
    NONE = "none"


_EVERYTHING = {part: Reach.ANY for part in Part}
_DISCIPLINE_MEMBER = {
    Part.HEADER: Reach.NONE,
    Part.FORMULATION: Reach.ANY,
    Part.GOAL: Reach.OWN,
    Part.PRESCRIPTION: Reach.OWN,
}
# Role -> part -> reach. A role missing here (family, oversight) changes nothing.
EDIT_RULE: dict[str, dict[Part, Reach]] = {
    **{role: _DISCIPLINE_MEMBER for role in CLINICAL_ROLES},
    Role.COORDINATOR: _EVERYTHING,
    Role.PHYSICIAN: _EVERYTHING,
}


def discipline_of(user: User) -> str | None:
    """The staff profile's discipline, else the role's usual one."""
    profile = StaffProfile.objects.filter(user=user).only("discipline").first()
    if profile is not None and profile.discipline:
        return profile.discipline
    found = DISCIPLINE_OF_ROLE.get(Role(user.role)) if user.role in Role else None
    return str(found) if found is not None else None


def reach(user: User, part: Part) -> Reach:
    if not user.is_authenticated or not user.is_active:
        return Reach.NONE
    return EDIT_RULE.get(user.role, {}).get(part, Reach.NONE)


def may_edit(
    user: User, part: Part, discipline: str | None = None, *, own: str | None = None
) -> bool:
    """Whether ``user`` may change ``part`` (of ``discipline``, for goals and
    prescriptions). ``own`` is the user's discipline when the caller knows it."""
    found = reach(user, part)
    if found is Reach.ANY:
        return True
    if found is Reach.OWN:
        mine = own if own is not None else discipline_of(user)
        return discipline is not None and mine == discipline
    return False


def check_may_edit(user: User, part: Part, discipline: str | None = None) -> None:
    """Raise ``PermissionDenied`` with a plain message when ``may_edit`` says no."""
    if not may_edit(user, part, discipline):
        who = WHO["header"] if part is Part.HEADER else WHO["own"]
        raise PermissionDenied(NOT_YOURS.format(who=who))


def editable_disciplines(
    user: User, part: Part, among: tuple[str, ...]
) -> tuple[str, ...]:
    """Which of ``among`` the user may create or change rows of ``part`` for."""
    own = discipline_of(user)
    return tuple(d for d in among if may_edit(user, part, d, own=own or ""))
