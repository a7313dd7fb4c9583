"""The portal's door: which child a family account reaches, and what of it.

Every portal page about a child starts with ``child_get``. It goes through the
access funnel (``patients.access``), so another family's id, a made-up id and a
child whose guardian access has ended all give the same 404 as a missing page. The
``PortalChild`` it returns knows the viewer (guardian or teen) and the guardian's
tier on today's date, and answers ``sees(category)`` from the visibility matrix in
``painrehab.domain.proxy``. ``audit_viewed`` records each page view with the reason
code of everything the page withheld.
"""

from dataclasses import dataclass, field
from typing import Any, cast

from django.conf import settings
from django.db import models
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory
from painrehab.audit.services import record
from painrehab.domain.proxy import (
    DEFAULT_LIMITED,
    Category,
    Decision,
    Tier,
    Viewer,
    Withhold,
    decide,
    guardian_tier,
)
from painrehab.episodes.models import Episode
from painrehab.episodes.selectors import episode_current
from painrehab.patients.access import PatientNotFound
from painrehab.patients.models import Guardian, Patient, PatientGuardian

# Plain words for each reason code, shown where something is not shown.
WITHHELD_TEXT = {
    Withhold.PN_UNREVIEWABLE: _("Therapy notes are kept by the therapist only."),
    Withhold.PRIVACY_171_202_B: _(
        "From age 12, some of your child's record is shared with your child and "
        "not with parents. Ask the team if you have questions."
    ),
    Withhold.ENTRY_CONFIDENTIAL: _("This is private between your child and the team."),
    Withhold.ADULT_PATIENT: _(
        "Your child is now an adult; their record is theirs to share."
    ),
    Withhold.NOT_THIS_RESPONDENT: _("This is your child's own entry."),
}


def limited_categories() -> frozenset[Category]:
    """What guardians of a 12-17-year-old still see (``PORTAL_GUARDIAN_TEEN_SEES``)."""
    names = getattr(settings, "PORTAL_GUARDIAN_TEEN_SEES", None)
    if names is None:
        return DEFAULT_LIMITED
    return frozenset(Category(name) for name in names)


@dataclass
class PortalChild:
    """One child as one family account sees them today."""

    patient: Patient
    viewer: Viewer
    tier: Tier
    user: User
    guardian: Guardian | None = None
    _episode: Episode | None = field(default=None, repr=False)
    _episode_loaded: bool = field(default=False, repr=False)

    @property
    def is_teen(self) -> bool:
        return self.viewer is Viewer.TEEN

    @property
    def first_name(self) -> str:
        return self.patient.preferred_name or self.patient.given_name

    @property
    def episode(self) -> Episode | None:
        """The open episode, or else the most recent one (loaded once)."""
        if not self._episode_loaded:
            self._episode = episode_current(patient=self.patient)
            self._episode_loaded = True
        return self._episode

    def decision(self, category: Category) -> Decision:
        return decide(self.tier, category, limited=limited_categories())

    def sees(self, category: Category) -> bool:
        return self.decision(category).shown

    def withheld_text(self, category: Category) -> str:
        reason = self.decision(category).reason
        return str(WITHHELD_TEXT[reason]) if reason else ""


def _tier_of(link: PatientGuardian) -> Tier:
    return guardian_tier(
        link.patient.date_of_birth,
        timezone.localdate(),
        adult_granted=link.adult_access_granted_at is not None,
    )


def children_of(user: User) -> list[PortalChild]:
    """Every child this family account reaches today (a teen: themself)."""
    if not user.is_authenticated or not user.is_active:
        return []
    if user.role == Role.PATIENT:
        own = Patient.objects.visible_to(user).first()
        return [] if own is None else [PortalChild(own, Viewer.TEEN, Tier.OWN, user)]
    if user.role != Role.GUARDIAN:
        return []
    visible = Patient.objects.visible_to(user)
    links = (
        PatientGuardian.objects.filter(guardian__user=user, patient__in=visible)
        .select_related("patient", "guardian")
        .order_by("patient__date_of_birth", "patient__pk")
    )
    return [
        PortalChild(link.patient, Viewer.GUARDIAN, _tier_of(link), user, link.guardian)
        for link in links
    ]


def child_get(request: HttpRequest, patient_id: int) -> PortalChild:
    """The child ``patient_id`` if this account reaches them; else the 404 of a
    missing page (``PatientNotFound``), whatever the reason."""
    user = cast(User, request.user)
    for child in children_of(user):
        if child.patient.pk == patient_id:
            return child
    raise PatientNotFound


def require(child: PortalChild, category: Category) -> None:
    """Raise a 404 when the page's whole subject is hidden from this viewer.

    Use it for object pages (one message thread, one questionnaire); list pages
    show ``withheld_text`` instead, so a family knows why a section is empty.
    """
    if not child.sees(category):
        raise Http404


def audit_viewed(
    child: PortalChild,
    *,
    page: str,
    data_category: DataCategory,
    shown: list[Category] | tuple[Category, ...] = (),
    obj: models.Model | None = None,
    extra: dict[str, Any] | None = None,
) -> None:
    """Record one portal page view, naming what it withheld and why."""
    withheld = {
        str(category): str(child.decision(category).reason)
        for category in shown
        if not child.sees(category)
    }
    changes: dict[str, Any] = {
        "page": page,
        "viewer": str(child.viewer),
        "tier": str(child.tier),
    }
    if withheld:
        changes["withheld"] = withheld
    if extra:
        changes.update(extra)
    record(
        action=AuditAction.PORTAL_VIEWED,
        action_type=ActionType.READ,
        actor=child.user,
        patient_id=child.patient.pk,
        data_category=data_category,
        obj=obj,
        changes=changes,
        purpose_of_use="PATRQT" if child.is_teen else "FAMRQT",
    )


def family_feed_allowed(feed: Any) -> bool:
    """A family member's calendar link works only while they may see the child's
    timetable (registered with ``scheduling.feeds`` in ``PortalConfig.ready``)."""
    for child in children_of(feed.created_by):
        if child.patient.pk == feed.patient_id:
            return child.sees(Category.SCHEDULE)
    return False
