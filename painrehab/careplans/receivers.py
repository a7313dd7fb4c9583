"""The care plan's answer to the journey's events (``episodes.signals``).

A thin adapter: the work is the service's. It runs inside the admission's
transaction, so an admission never lands without its plan, nor a plan without it.
"""

from typing import Any

from painrehab.accounts.models import User
from painrehab.careplans.services import care_plan_create_from_template
from painrehab.episodes.models import Stay


def plan_on_admission(sender: Any, *, stay: Stay, by: User, **kwargs: Any) -> None:
    care_plan_create_from_template(episode=stay.episode, by=by)
