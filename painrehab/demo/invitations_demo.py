"""Portal invitations for the demo: one waiting to be used, one run out.

Made through ``portal.services.invitations`` by the coordinator, as on the
"Family access" tab, for guardians who have no portal account yet (the demo gives
an account only to each child's primary contact). Nothing is e-mailed.

The waiting invitation's code is the published ``DEMO_CODE``, so the way a
guardian sets up their account can be tried at /family/join/. The other was made
long enough ago to have expired. With no guardian lacking an account, nothing is
made.
"""

import random
import uuid
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.patients.access import adult_born_by
from painrehab.patients.models import PatientGuardian
from painrehab.portal.models import InvitationKind
from painrehab.portal.services.invitations import invitation_create, invitation_days

DEMO_CODE = "DEMO-CODE-2025"  # published in docs/portal.md; demo data only


def _coordinator() -> User | None:
    found = User.objects.filter(role=Role.COORDINATOR, is_active=True).order_by("pk")
    return found.first()


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _candidates(today: date) -> list[PatientGuardian]:
    """Links of guardians without an account, to children under 18."""
    links = PatientGuardian.objects.filter(
        guardian__user__isnull=True,
        portal_access=True,
        patient__date_of_birth__gt=adult_born_by(today),
    ).select_related("guardian", "patient")
    return list(links.order_by("patient__pk", "guardian__pk"))


def _invite(
    link: PatientGuardian, by: User, at: datetime, code: str | None = None
) -> None:
    invitation_create(
        patient_id=link.patient_id,
        created_by=by,
        kind=InvitationKind.GUARDIAN,
        guardian=link.guardian,
        email=link.guardian.email,
        language=link.guardian.preferred_language,
        form_token=uuid.uuid4(),
        at=at,
        code=code,
    )


def invitations_populate(*, rng: random.Random, today: date) -> None:
    """One pending guardian invitation (code ``DEMO_CODE``) and one expired one."""
    coordinator = _coordinator()
    candidates = _candidates(today)
    if coordinator is None or not candidates:
        return
    waiting, *others = rng.sample(candidates, k=min(2, len(candidates)))
    expired = others[0] if others else waiting
    long_ago = today - timedelta(days=invitation_days() + 5)
    _invite(expired, coordinator, _at(long_ago))
    _invite(waiting, coordinator, _at(today - timedelta(days=1)), code=DEMO_CODE)
