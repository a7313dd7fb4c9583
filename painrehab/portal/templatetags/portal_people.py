"""``{{ user|team_member }}``: "Maria, physical therapist" (portal/people.py)."""

from django import template

from painrehab.accounts.models import User
from painrehab.portal.people import team_member as _team_member

register = template.Library()


@register.filter
def team_member(user: User) -> str:
    return _team_member(user)
