"""The half-signed-in state between a correct password and the second factor.

No authenticated session exists until the second factor is passed; the session only
remembers whose password was right, and for how long that stays valid.
"""

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from painrehab.accounts.models import User

KEY = "mfa_pending"


def start(request: HttpRequest, user: User) -> None:
    request.session.cycle_key()
    request.session[KEY] = {"user_id": user.pk, "at": timezone.now().timestamp()}


def user(request: HttpRequest) -> User | None:
    """The user whose password was right, if that was recent enough."""
    state = request.session.get(KEY)
    if not state:
        return None
    age = timezone.now().timestamp() - state["at"]
    if age > settings.MFA_PENDING_TIMEOUT.total_seconds():
        clear(request)
        return None
    return User.objects.filter(pk=state["user_id"], is_active=True).first()


def clear(request: HttpRequest) -> None:
    request.session.pop(KEY, None)
