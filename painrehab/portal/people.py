"""Team members as a family sees them: a first name and a role in plain words."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User

PLAIN_ROLE: dict[str, str | Promise] = {
    Role.COORDINATOR: _("program coordinator"),
    Role.PHYSICIAN: _("doctor"),
    Role.PSYCHOLOGIST: _("psychologist"),
    Role.PHYSICAL_THERAPIST: _("physical therapist"),
    Role.OCCUPATIONAL_THERAPIST: _("occupational therapist"),
    Role.SOCIAL_WORKER: _("social worker"),
    Role.CHILD_LIFE: _("Child Life specialist"),
    Role.ACUPUNCTURIST: _("acupuncturist"),
    Role.RECREATIONAL_THERAPIST: _("recreational therapist"),
    Role.TEACHER: _("teacher"),
    Role.NURSE: _("nurse"),
    Role.DIRECTOR: _("program director"),
}


def plain_role(user: User) -> str:
    return str(PLAIN_ROLE.get(user.role, _("member of the team")))


def team_member(user: User) -> str:
    """ "Maria, physical therapist": never a surname in the portal."""
    first = user.first_name or _("A member of the team")
    return _("%(first)s, %(role)s") % {"first": first, "role": plain_role(user)}
